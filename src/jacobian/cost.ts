/**
 * The cost model behind `chooseMode`: exact counts of the work each mode does on this graph, and
 * an estimate of its time from constants measured on the compiled kernels.
 *
 * Counts (all exact, all from the pruned graph G′; see `facts.ts` for what an edge visit is):
 * - forward mode with L columns (inputs, or column colours) runs ⌈L / W⌉ sweeps, each carrying
 *   `width` = ⌈L / sweeps⌉ tangents through every active application; ops = sweeps × E, where E
 *   is the edges of one derivative sweep, plus the edges of inactive applications, whose values
 *   are computed once. Memory: the values and `width` tangents per slot, 8 bytes each.
 * - reverse mode with L rows (outputs, or row colours) first runs one values sweep over every
 *   application (recorded for the reverse sweeps), then ⌈L / W⌉ reverse sweeps carrying `width`
 *   adjoint rows each. A reverse sweep only does work in the cone of its own outputs (see
 *   `cones.ts`), so ops = values-sweep edges + Σ over sweeps of the edges in that sweep's cone.
 *   Memory: the values and `width` adjoints per slot.
 * W is `laneWidth` (16), lowered for very large tapes so that the lanes stay within `laneBytes`.
 *
 * Estimate: nanoseconds. Each edge visit costs a fixed part (the op's partials, computed once per
 * node) plus a part per lane. The constants were fitted (non-negative least squares on relative
 * error) to the times of whole Jacobians, forward and reverse, dense and compressed, of 51
 * programs: dense layers, shared hidden layers, the benchmark's mixing program and Broyden's
 * function, at 12 shapes from 3 × 3 to 1000 × 10 and 300 × 300 (2-core AMD EPYC, Node 20). Only
 * their ratios matter for the choice; with them the auto mode picked the faster mode on those
 * programs, or one within the noise of the measurements (about 10%) where the two were tied.
 *
 * @example
 * import { chooseMode, parse, orThrow } from 'chainrule'
 * const choice = orThrow(chooseMode(orThrow(parse('[x*y, x + sin(y), exp(x)]'))))
 * choice.forward   // → { sweeps: 1, width: 2 }   one sweep carrying both columns
 * choice.reverse   // → { sweeps: 1, width: 3 }   one values sweep, then one carrying the 3 rows
 */
import type { Mode } from './types.js'

// -------------------------------------------------------------------------------------------------
// Calibration (ns; see the module comment)
// -------------------------------------------------------------------------------------------------

/** Most lanes per sweep. Per tangent, a 16-lane sweep costs 0.8× (forward) and 0.9× (reverse) an 8-lane one. */
export const laneWidth = 16
/** The lanes of one sweep stay within this many bytes (the width drops on very large tapes). */
export const laneBytes = 64 * 2 ** 20
/** One edge of a values sweep (`forward` kernel): 2 for + − ×, up to 6 with sin, tanh. */
export const valueEdgeNs = 4
/** One edge of a jvpVec sweep costs `forwardEdgeNs + forwardLaneNs × width`. */
export const forwardEdgeNs = 8
export const forwardLaneNs = 0.9
/** One edge of a reverseVec sweep costs `reverseEdgeNs + reverseLaneNs × width`. */
export const reverseEdgeNs = 12
export const reverseLaneNs = 1.25
/**
 * The measured ratio behind most choices: at 16 lanes, a reverse sweep costs 1.43× a forward
 * sweep per edge it visits (it adds into the lanes of scattered argument slots, where jvpVec
 * reads them and writes its own). So at equal numbers of sweeps forward mode wins, unless the
 * reverse sweeps' cones are smaller than the graph by more than that.
 */
export const reverseOverForward = (reverseEdgeNs + reverseLaneNs * laneWidth) / (forwardEdgeNs + forwardLaneNs * laneWidth)
/**
 * A node outside a reverse sweep's cone that the sweep still visits (checking that its `width`
 * adjoints are all zero): `skipNodeNs + skipLaneNs × width`, almost the cost of real work.
 */
export const skipNodeNs = 1
export const skipLaneNs = 1.75
/** Clearing one lane of one slot with a memset (after forward mode, between reverse sweeps). */
export const clearLaneNs = 0.12
/**
 * Clearing one lane with a write in a loop. Between reverse sweeps the lanes are cleared this way
 * (at each node of the cone and its arguments) only for cones `smallCone` times smaller than the
 * tape; otherwise one memset of all lanes is faster.
 */
export const writeLaneNs = 1.1
export const smallCone = 32
/**
 * A reverse sweep whose cone holds at most this share of the active nodes visits only its cone
 * (listed in topological order), as long as all such lists take at most `coneListSlots` entries
 * per tape slot; other sweeps visit all of G′ and skip the nodes outside their cone.
 */
export const coneShare = 0.9
export const coneListSlots = 16

// -------------------------------------------------------------------------------------------------
// Counting
// -------------------------------------------------------------------------------------------------

/** The work of one mode. */
export interface ModeCost {
  /** Derivative sweeps (the values sweep of reverse mode is not counted here). */
  readonly sweeps: number
  /** Tangents (forward) or adjoint rows (reverse) carried per sweep. */
  readonly width: number
  /** Edge visits, every sweep included. */
  readonly ops: number
  /**
   * Arithmetic of the derivative sweeps: one multiply-add per lane at every edge a derivative
   * sweep visits (Σ edge visits × lanes carried), the work the textbook counts. An edge visit with
   * 16 lanes is 16 multiply-adds; the values are not counted here.
   */
  readonly madds: number
  /** Memory of the value array and the lanes. */
  readonly bytes: number
  /** Estimated time in nanoseconds. */
  readonly estimate: number
}

/**
 * Sweeps and width for `lanes` lanes on a tape of `size` slots, at most `widest` lanes per sweep
 * (`laneWidth` for the tape kernels; 1 for the textbook's sweeps and the compiled Jacobian).
 */
export function chunking(lanes: number, size: number, widest = laneWidth): { readonly sweeps: number; readonly width: number } {
  if (lanes === 0) return { sweeps: 0, width: 0 }
  const most = Math.max(1, Math.min(widest, Math.floor(laneBytes / (8 * size))))
  const sweeps = Math.ceil(lanes / most)
  return { sweeps, width: Math.ceil(lanes / sweeps) }
}

/** Graph counts the model reads (see `TapeFacts`). */
export interface GraphCounts {
  readonly size: number
  readonly activeNodes: number
  readonly activeEdges: number
  readonly valueEdges: number
  readonly inactiveEdges: number
}

/** Forward mode over `lanes` columns, at most `widest` per sweep. */
export function forwardCost(g: GraphCounts, lanes: number, widest = laneWidth): ModeCost {
  const { sweeps, width } = chunking(lanes, g.size, widest)
  const bytes = 8 * g.size * (1 + width)
  if (sweeps === 0) return { sweeps, width, ops: g.valueEdges, madds: 0, bytes, estimate: g.valueEdges * valueEdgeNs }
  // Each sweep visits every edge of the active applications: the ones a derivative flows along,
  // and the others for their values (sign(x): x's edge carries no derivative, but sign's value is
  // computed in the sweep); the inactive applications' edges once.
  const carried = g.valueEdges - g.inactiveEdges - g.activeEdges
  const ops = g.inactiveEdges + sweeps * (g.activeEdges + carried)
  const perSweep = g.activeEdges * (forwardEdgeNs + forwardLaneNs * width) + carried * valueEdgeNs
  const estimate = g.inactiveEdges * valueEdgeNs + sweeps * perSweep + g.size * width * clearLaneNs
  return { sweeps, width, ops, madds: sweeps * width * g.activeEdges, bytes, estimate }
}

/** Per reverse sweep: the active nodes and edges of its cone, and 1 if it visits only its cone. */
export interface ConeCounts {
  readonly nodes: ArrayLike<number>
  readonly edges: ArrayLike<number>
  readonly listed: ArrayLike<number>
}

/** Reverse mode over `lanes` rows, chunked by `chunking` (at most `widest` per sweep), with the cones of those chunks. */
export function reverseCost(g: GraphCounts, lanes: number, cones: ConeCounts, widest = laneWidth): ModeCost {
  const { sweeps, width } = chunking(lanes, g.size, widest)
  const bytes = 8 * g.size * (1 + width)
  const skip = skipNodeNs + skipLaneNs * width
  let ops = g.valueEdges
  let madds = 0
  let estimate = g.valueEdges * valueEdgeNs
  for (let s = 0; s < sweeps; s++) {
    ops += cones.edges[s]
    madds += cones.edges[s] * width
    estimate += cones.edges[s] * (reverseEdgeNs + reverseLaneNs * width)
    if (cones.listed[s] === 0) estimate += (g.activeNodes - cones.nodes[s]) * skip
    const tiny = cones.listed[s] === 1 && cones.nodes[s] * smallCone < g.size
    estimate += tiny ? 3 * cones.nodes[s] * width * writeLaneNs : g.size * width * clearLaneNs
  }
  return { sweeps, width, ops, madds, bytes, estimate }
}

// -------------------------------------------------------------------------------------------------
// One lane per pass: the textbook's sweeps, which the compiled Jacobian runs
// -------------------------------------------------------------------------------------------------

/**
 * `compile(p).jacobian` runs the textbook's sweeps: n jvp passes carrying one tangent each (and
 * recomputing the values), or one values pass and m reverse passes carrying one adjoint each.
 * Its passes are compiled code (templates, loops over sums), not the tape kernels, so they have
 * constants of their own, measured on the dense and Broyden programs of `npm run bench` from
 * 3 × 3 to 300 × 300 (2-core AMD EPYC, Node 20, under load: ±40%): per pass a fixed part, then
 * per edge of G′ about 1.2 ns for a jvp pass, 0.6 ns for a values pass and 0.7 ns for a reverse
 * pass, which reuses the stored values (on large dense programs 0.5–0.6 jvp passes). A compiled
 * reverse pass visits every active application, not only its output's cone.
 */
export const passNs = 300
export const passJvpEdgeNs = 1.2
export const passValueEdgeNs = 0.6
export const passReverseEdgeNs = 0.7

/** Forward mode as the textbook runs it: one sweep of one tangent per column. */
export function forwardPasses(g: GraphCounts, lanes: number): ModeCost {
  const bytes = 8 * g.size * 2
  if (lanes === 0) return { sweeps: 0, width: 0, ops: g.valueEdges, madds: 0, bytes, estimate: passNs + g.valueEdges * passValueEdgeNs }
  const ops = lanes * g.valueEdges
  return { sweeps: lanes, width: 1, ops, madds: lanes * g.activeEdges, bytes, estimate: lanes * (passNs + g.valueEdges * passJvpEdgeNs) }
}

/** Reverse mode as the textbook runs it: a values sweep, then one sweep of one adjoint per row over all of G′. */
export function reversePasses(g: GraphCounts, lanes: number): ModeCost {
  const bytes = 8 * g.size * 2
  const values = passNs + g.valueEdges * passValueEdgeNs
  const ops = g.valueEdges + lanes * g.activeEdges
  return { sweeps: lanes, width: lanes === 0 ? 0 : 1, ops, madds: lanes * g.activeEdges, bytes, estimate: values + lanes * (passNs + g.activeEdges * passReverseEdgeNs) }
}

// -------------------------------------------------------------------------------------------------
// The sentence
// -------------------------------------------------------------------------------------------------

const plural = (k: number, one: string, many = `${one}s`): string => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`
const times = (a: number, b: number): string => {
  const r = b > 0 ? a / b : 1
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`
}

/** What forward and reverse mode would do, in words. */
function describe(mode: Mode, c: ModeCost, shape: Shape): string {
  if (mode === 'forward') {
    if (c.sweeps === 0) return 'forward mode needs only a values sweep'
    return `forward mode needs ${plural(c.sweeps, 'sweep')} carrying ${plural(c.width, 'tangent')} (${plural(c.ops, 'edge visit')})`
  }
  if (c.sweeps === 0) return 'reverse mode needs only a values sweep'
  const cones = c.ops - shape.valueEdges < c.sweeps * shape.edges ? ', each reverse sweep visiting only what its outputs depend on' : ''
  return `reverse mode needs a values sweep and ${plural(c.sweeps, 'reverse sweep')} carrying ${plural(c.width, 'adjoint row')} (${plural(c.ops, 'edge visit')} in all${cones})`
}

/** How the sizes came about: inputs and outputs, or colours of the sparse pattern. */
export interface Shape {
  readonly inputs: number
  readonly outputs: number
  /** Edges of one derivative sweep over G′, and of one values sweep. */
  readonly edges: number
  readonly valueEdges: number
  /** When the sweeps are compressed by colouring. */
  readonly colours?: { readonly nnz: number; readonly columns: number; readonly rows: number }
}

/** Estimates closer than this ratio are a tie for the cost model, which goes to less arithmetic (`chooseMode`, `textbookOf`). */
export const tieFactor = 1.5

/**
 * One sentence: the mode, why (inputs and outputs or colours), both modes' sweeps and edge visits,
 * and the estimated speed-up; `forced` when the caller chose the mode.
 */
export function reasonFor(mode: Mode, forward: ModeCost, reverse: ModeCost, shape: Shape, forced: boolean): string {
  if (shape.inputs === 0 || shape.outputs === 0) {
    return `${mode} mode${forced ? ' (as requested)' : ''}: no output depends on the variables differentiated by, so the Jacobian is zero and no derivative sweep is needed.`
  }
  const [mine, other] = mode === 'forward' ? [forward, reverse] : [reverse, forward]
  const otherMode = mode === 'forward' ? 'reverse' : 'forward'
  const why =
    shape.colours === undefined
      ? `the program has ${plural(shape.inputs, 'input')} and ${plural(shape.outputs, 'output')} over ${plural(shape.edges, 'edge')}`
      : `the Jacobian has ${plural(shape.colours.nnz, 'structural non-zero')}, whose ${plural(shape.outputs, 'row')} and ${plural(shape.inputs, 'column')} colour into ${plural(shape.colours.rows, 'row group')} and ${plural(shape.colours.columns, 'column group')}`
  const both = `${describe(mode, mine, shape)}, ${describe(otherMode, other, shape)}`
  const verdict =
    mine.estimate === other.estimate || times(Math.max(mine.estimate, other.estimate), Math.min(mine.estimate, other.estimate)) === times(1, 1)
      ? `so the two are estimated alike (a tie: ${mode} mode is taken)`
      : mine.estimate < other.estimate
      ? `so ${mode} mode is estimated ${times(other.estimate, mine.estimate)} faster`
      : !forced && mine.madds < other.madds
        ? `so ${otherMode} mode would be estimated ${times(mine.estimate, other.estimate)} faster, within the model's error: a tie, which goes to the mode with fewer multiply-adds (${mine.madds} against ${other.madds})`
        : `so ${otherMode} mode would be estimated ${times(mine.estimate, other.estimate)} faster`
  return `${mode} mode${forced ? ' (as requested)' : ''}: ${why}; ${both}, ${verdict}.`
}
