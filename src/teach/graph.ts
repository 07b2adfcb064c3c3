/**
 * The computational graph as the document's figures draw it: each node with its operation and its
 * forward value (green), and, once the reverse sweep has reached it, its adjoint ∂output/∂node
 * (red); forward-mode tangents (blue) on request. `graphView` is the data (for a page to draw
 * or a program to read), `toDot` the Graphviz text; laying it out is Graphviz's job (the command
 * and the playground render the DOT with `@viz-js/viz`), so the core stays free of any renderer.
 *
 * @example
 * import { wengert, reverseTrace, gradTableAfter, graphView, toDot, parse, orThrow } from 'chainrule'
 * const list = orThrow(wengert(orThrow(parse('(x+y)*z')), { x: -2, y: 5, z: -4 }))
 * const view = graphView(list, { adjoints: gradTableAfter(list, reverseTrace(list)) })
 * view.nodes.map((n) => n.adjoint)           // → [-4, -4, 3, -4, 1]
 * toDot(view).startsWith('digraph')         // → true
 */
import type { Entry, WengertList } from './sweep.js'
import { given, optionsProblem } from '../expr/options.js'

export interface GraphNode {
  readonly id: number
  readonly label: string
  readonly kind: Entry['kind']
  /** The operation as written (`+`, `×`, `sin`), or the input's name or value. */
  readonly symbol: string
  /** The value (NaN until the step that computes it, in a step-by-step view; see `computed`). */
  readonly value: number
  /** Whether the forward sweep shown has computed the value yet (a NaN value that is computed is drawn as NaN). */
  readonly computed: boolean
  /** ∂output/∂node, when the reverse sweep has reached it. */
  readonly adjoint?: number
  /** The node's tangent in a forward sweep, when asked for. */
  readonly tangent?: number
  readonly output: boolean
  /** The node of the step being shown (the playground's cursor). */
  readonly current: boolean
}

export interface GraphEdge {
  readonly from: number
  readonly to: number
  /** ∂to/∂from; null where it is structurally zero. */
  readonly partial: number | null
}

export interface GraphView {
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
}

export interface ViewOptions {
  /** The grad_table (per entry; undefined where the sweep has not written yet). */
  readonly adjoints?: readonly (number | undefined)[]
  readonly tangents?: readonly number[] | undefined
  /** Entries whose values are shown (default all): a forward sweep shown step by step. */
  readonly computed?: number | undefined
  /** The entry of the current step. */
  readonly current?: number | undefined
}

/** The graph of a Wengert list, with the values, adjoints and tangents given. */
export function graphView(list: WengertList, options: ViewOptions = {}): GraphView {
  const bad = optionsProblem('graphView', options, { adjoints: given, tangents: given, computed: given, current: given })
  if (bad !== undefined) throw new RangeError(bad)
  const outputs = new Set(list.outputs)
  const shown = options.computed ?? list.entries.length
  const nodes = list.entries.map((e): GraphNode => {
    const adjoint = options.adjoints?.[e.index]
    const tangent = options.tangents?.[e.index]
    return {
      id: e.index,
      label: e.label,
      kind: e.kind,
      symbol: e.symbol,
      value: e.index < shown ? e.value : NaN,
      computed: e.index < shown,
      ...(adjoint === undefined ? {} : { adjoint }),
      ...(tangent === undefined || e.index >= shown ? {} : { tangent }),
      output: outputs.has(e.index),
      current: e.index === options.current,
    }
  })
  const edges = list.entries.flatMap((e) => e.args.map((a, k): GraphEdge => ({ from: a, to: e.index, partial: e.partials[k] ?? null })))
  return { nodes, edges }
}

// -------------------------------------------------------------------------------------------------
// DOT
// -------------------------------------------------------------------------------------------------

/** The document's colours: forward values green, adjoints red; tangents blue. */
export const colours = { value: '#1a7f37', adjoint: '#cf222e', tangent: '#0550ae', current: '#fff8c5' } as const

/** A number for a figure: integers as they are, others to 6 significant digits, −0 as 0. */
export function figure(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞'
  const s = Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)))
  return s.replace(/^-/, '−')
}

const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function nodeLabel(n: GraphNode): string {
  const head = n.kind === 'operation' ? (n.label === n.symbol ? n.label : `${html(n.label)} = ${html(n.symbol)}`) : html(n.label)
  const rows = [`<TR><TD><B>${head}</B></TD></TR>`]
  if (n.computed) rows.push(`<TR><TD><FONT COLOR="${colours.value}">${html(figure(n.value))}</FONT></TD></TR>`)
  if (n.tangent !== undefined) rows.push(`<TR><TD><FONT COLOR="${colours.tangent}">ṫ ${html(figure(n.tangent))}</FONT></TD></TR>`)
  if (n.adjoint !== undefined) rows.push(`<TR><TD><FONT COLOR="${colours.adjoint}">∂ ${html(figure(n.adjoint))}</FONT></TD></TR>`)
  return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.join('')}</TABLE>>`
}

export interface DotOptions {
  /** Graph title, drawn above (the program text, say). */
  readonly title?: string | undefined
  /** Label each edge with its local partial ∂to/∂from (default: when adjoints or tangents are shown, the numbers they are made of). */
  readonly partials?: boolean | undefined
}

/**
 * Graphviz text for a view: inputs on the left, the output on the right (rankdir=LR), variables
 * as ellipses, constants as plain text, operations as rounded boxes, the output doubled.
 */
export function toDot(view: GraphView, options: DotOptions = {}): string {
  const bad = optionsProblem('toDot', options, { title: given, partials: given })
  if (bad !== undefined) throw new RangeError(bad)
  const withPartials = options.partials ?? view.nodes.some((n) => n.adjoint !== undefined || n.tangent !== undefined)
  const lines = [
    'digraph chainrule {',
    '  rankdir=LR;',
    '  bgcolor="white";',
    '  node [fontname="Helvetica", fontsize=12];',
    '  edge [fontname="Helvetica", fontsize=10, color="#57606a", arrowsize=0.7];',
  ]
  if (options.title !== undefined) lines.push(`  labelloc="t"; label=<${html(options.title)}>;`)
  for (const n of view.nodes) {
    const shape = n.kind === 'variable' ? 'ellipse' : n.kind === 'constant' ? 'plaintext' : 'box'
    const style = [n.kind === 'operation' ? 'rounded' : '', n.current ? 'filled' : ''].filter((s) => s !== '').join(',')
    const attrs = [`shape=${shape}`, `label=${nodeLabel(n)}`]
    if (style !== '') attrs.push(`style="${style}"`)
    if (n.current) attrs.push(`fillcolor="${colours.current}"`)
    if (n.output) attrs.push('peripheries=2')
    lines.push(`  n${n.id} [${attrs.join(', ')}];`)
  }
  for (const e of view.edges) {
    // A partial is known once the node it leads to is computed (a step-by-step view shows it then).
    const known = view.nodes[e.to]?.computed !== false
    const label = withPartials && known && e.partial !== null ? ` [label=<${html(figure(e.partial))}>, fontcolor="#57606a"]` : e.partial === null ? ' [style=dashed]' : ''
    lines.push(`  n${e.from} -> n${e.to}${label};`)
  }
  lines.push('}')
  return lines.join('\n') + '\n'
}
