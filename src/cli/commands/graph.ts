/**
 * `chainrule graph PROGRAM --at ... [--wrt ...] [--v ...] [--mode ...] [--format svg|dot]`: the
 * computational graph as the document draws it, each node with its operation and value (green)
 * and its adjoint ∂output/∂node after the reverse sweep (red); with `--v` (or `--mode forward`,
 * which seeds the first wrt variable) the forward-mode tangents (blue) instead. SVG by default,
 * laid out by Graphviz (`@viz-js/viz`); `--format dot` prints the Graphviz text.
 *
 * @example
 * // chainrule graph "(x+y)*z" --at x=-2,y=5,z=-4 --format dot > graph.dot
 * // chainrule graph "(x+y)*z" --at x=-2,y=5,z=-4 > graph.svg
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { directionOf, wrtTape } from '../../tape/names.js'
import { forwardTrace, gradTableAfter, graphView, reverseTrace, toDot, wengert, type WengertList } from '../../teach/index.js'
import { evalFailure, usage, type CliError } from '../errors.js'
import { jsonObject, type JsonObject } from '../json.js'
import { svgOf } from '../render.js'
import { engineWarnings } from './shared.js'
import type { CommandSpec, Input } from './types.js'

/** A scalar program's list (every teaching view starts here); tensor programs are refused. */
export function listFor(input: Input, command: string): E.Either<CliError, WengertList> {
  if (input.tensor) return E.left(usage(`${command} shows scalar programs; this one works on tensors (use grad or jacobian)`))
  if (input.v !== undefined && input.mode === 'reverse') return E.left(usage(`--v is a direction for the forward sweep: ${command} --mode reverse shows the adjoints of the output (leave out --v, or use --mode forward)`))
  const list = E.mapLeft(evalFailure)(wengert(input.program, input.point, input.wrt))
  if (E.isLeft(list) || input.v === undefined) return list
  // --v may name only variables differentiated (as hvp's): a tangent seeded elsewhere would be dropped.
  const direction = pipe(
    wrtTape(input.program, input.wrt),
    E.chain((tape) => directionOf(input.program, tape, input.v)),
  )
  return E.isLeft(direction) ? E.left(evalFailure(direction.left)) : list
}

/** The seed of the forward sweep shown: --v, or the first wrt variable under --mode forward. */
export function seedOf(input: Input): Readonly<Record<string, number>> | undefined {
  if (input.v !== undefined) return input.v
  if (input.mode === 'forward' && input.wrt[0] !== undefined) return { [input.wrt[0]]: 1 }
  return undefined
}

/**
 * The graph's title: the program as the user wrote it (their names, not the printer's t0), its
 * statements on one line, comments dropped, cut at 120 characters.
 */
export function titleOf(source: string): string {
  // A newline ends a statement, except inside a list or parentheses (a list may span lines).
  let depth = 0
  let text = ''
  for (const line of source.split('\n')) {
    const code = line.replace(/#.*$/, '').trim()
    if (code === '') continue
    if (text !== '') text += depth > 0 ? ' ' : '; '
    text += code
    for (const c of code) depth = Math.max(0, depth + (c === '(' || c === '[' ? 1 : c === ')' || c === ']' ? -1 : 0))
  }
  const title = text.replace(/\s*;\s*/g, '; ').replace(/(; )+/g, '; ').replace(/^; |; $/g, '')
  return title.length > 120 ? `${title.slice(0, 119)}…` : title
}

/**
 * The most nodes laid out as SVG (Graphviz in WebAssembly: a sum of 2 500 terms, 5 000 nodes,
 * overflowed its stack, and 4 000 took 41 s).
 */
export const svgLimit = 2_000

export const graphCommand: CommandSpec = {
  name: 'graph',
  summary: 'draw the computational graph with values (green) and adjoints (red), or tangents',
  options: ['at', 'wrt', 'v', 'mode', 'format'],
  run: (input) => {
    const listed = listFor(input, 'graph')
    if (E.isLeft(listed)) return listed
    const list = listed.right
    const seed = seedOf(input)
    const reverse = seed === undefined && input.mode !== 'forward'
    if (reverse && list.outputs.length !== 1) return E.left(usage(`graph shows the adjoints of one output, but this program has ${list.outputs.length} (give --v or --mode forward for tangents)`))
    const tangents = seed === undefined ? undefined : forwardTrace(list, [seed]).map((s) => s.tangents[0] as number)
    // A constant has no adjoint (nothing is differentiated with respect to it); an unreached node's is 0.
    const adjoints = reverse ? gradTableAfter(list, reverseTrace(list)).map((g, i) => (list.entries[i]?.kind === 'constant' ? undefined : (g ?? 0))) : undefined
    const view = graphView(list, { ...(adjoints === undefined ? {} : { adjoints }), ...(tangents === undefined ? {} : { tangents }) })
    // Graphviz's layout recurses over the graph's depth (a chain of 20 000 nodes overflowed its
    // stack, an internal error): larger graphs are given as DOT text, which any viewer can lay out.
    if (input.format !== 'dot' && view.nodes.length > svgLimit) return E.left(usage(`the graph has ${view.nodes.length} nodes, too many to lay out as SVG (at most ${svgLimit}); use --format dot for the Graphviz text`))
    // The direction of the tangents is part of the figure: ṫ means nothing without it.
    const along = seed === undefined ? '' : `  (tangents along ${Object.entries(seed).map(([name, v]) => `${name} = ${v}`).join(', ')}${input.v === undefined ? ', the first variable: give --v for another direction' : ''})`
    const dot = toDot(view, { title: `${titleOf(input.source)}${along}` })
    const json: JsonObject = jsonObject([
      ['nodes', view.nodes.map((n) => jsonObject([['id', n.id], ['label', n.label], ['kind', n.kind], ['op', n.symbol], ['value', n.value], ['output', n.output], ...(n.adjoint === undefined ? [] : [['adjoint', n.adjoint] as const]), ...(n.tangent === undefined ? [] : [['tangent', n.tangent] as const])]))],
      ['edges', view.edges.map((e) => jsonObject([['from', e.from], ['to', e.to], ['partial', e.partial]]))],
      ...(seed === undefined ? [] : [['direction', jsonObject(Object.entries(seed))] as const]),
      ['dot', dot],
    ])
    // The engine's warnings for the sweep drawn (a kink, a NaN), as trace and grad give them.
    const warnings = engineWarnings(input, list.wrt, reverse ? 'reverse' : 'forward', seed)
    if (input.format === 'dot') return E.right({ json, text: dot.trimEnd(), warnings, document: true })
    return E.right({
      json,
      text: '',
      warnings,
      document: true,
      later: async () => {
        let svg: string
        try {
          svg = await svgOf(dot)
        } catch (e) {
          // Graphviz's layout recursing past the stack (deep or long graphs): a usage error, not an
          // internal one, with the way out.
          if (e instanceof RangeError) return E.left(usage(`Graphviz could not lay out this graph of ${view.nodes.length} nodes as SVG (${e.message}); use --format dot for the Graphviz text`))
          throw e
        }
        return E.right({ text: svg.trimEnd(), json: jsonObject([['svg', svg]]) })
      },
    })
  },
}
