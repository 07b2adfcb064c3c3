/**
 * Teaching views of the sweeps, shared by the command (`chainrule graph`, `trace`, `cost`) and
 * the playground page: the Wengert list of a scalar program at a point, its forward and reverse
 * sweeps step by step, the graph with values, adjoints and tangents (as DOT text, which Graphviz
 * lays out), the cost notes and curves. Plain data and text: no Node.js, no renderer.
 *
 * @example
 * import { wengert, reverseTrace, parse, orThrow } from 'chainrule'
 * const list = orThrow(wengert(orThrow(parse('(x+y)*z')), { x: -2, y: 5, z: -4 }))
 * reverseTrace(list).length   // → 2   one step per operation, from the output back
 */
export { wengert, forwardTrace, reverseTrace, gradTableAfter, unitSeeds, symbolOf } from './sweep.js';
export { graphView, toDot, figure, colours } from './graph.js';
export { costNotes, costCurves } from './cost.js';
export { costPlot } from './plot.js';
