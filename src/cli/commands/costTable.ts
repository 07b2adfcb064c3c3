/**
 * The forward-versus-reverse table shared by `cost` and `jacobian`: sweeps, lanes per sweep,
 * operation counts, memory and estimated time of each mode on the pruned graph, the chosen mode
 * and the cost model's reason.
 *
 * @example
 * costTable(chooseMode(parse('[x*y, x+y, sin(x)]'), ['x', 'y']))
 * //                            forward  reverse
 * // sweeps                           1        1
 * // ...
 * // chosen: forward mode
 * // why: forward mode: the program has 2 inputs and 3 outputs ...
 */
import type { ModeChoice, ModeCost, TextbookChoice } from '../../jacobian/index.js'
import { costNotes } from '../../teach/index.js'
import { renderTable } from '../table.js'

/** `1234567` → `1,234,567`. */
const count = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : String(x))

/** Bytes in the unit a person reads: `192 B`, `1.5 KiB`, `3.2 MiB`. */
export function bytes(x: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = x
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`
}

/** Nanoseconds in the unit a person reads. */
export function duration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns)
  if (ns < 1e3) return `${ns.toFixed(0)} ns`
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`
  if (ns < 1e9) return `${(ns / 1e6).toFixed(1)} ms`
  return `${(ns / 1e9).toFixed(2)} s`
}

/**
 * `3 outputs`; with the program's count when some outputs do not depend on the inputs (a constant
 * program has one output, and no row that needs a sweep): `1 of 2 outputs (those that depend on the inputs)`.
 */
function outputsOf(active: number, total: number | undefined): string {
  if (total === undefined || total === active) return `${count(active)} output${active === 1 ? '' : 's'}`
  return `${count(active)} of ${count(total)} output${total === 1 ? '' : 's'} (those that depend on the inputs)`
}

/**
 * The table of `chooseMode`'s answer; with the textbook view, two more columns (one tangent per
 * forward sweep, one adjoint per reverse sweep: what compile(p).jacobian runs) and the notes that
 * say why the two differ. `programOutputs`, the program's number of outputs, is shown beside the
 * ones that depend on the inputs when it differs.
 */
export function costTable(choice: ModeChoice, textbook?: TextbookChoice, programOutputs?: number): string {
  const chosen = (m: 'forward' | 'reverse'): string => (choice.mode === m ? `${m} *` : m)
  const costs: ModeCost[] = [choice.forward, choice.reverse, ...(textbook === undefined ? [] : [textbook.forward, textbook.reverse])]
  const row = (label: string, cell: (c: ModeCost) => string): string[] => [label, ...costs.map(cell)]
  const rows = [
    row('derivative sweeps', (c) => count(c.sweeps)),
    row('lanes per sweep', (c) => count(c.width)),
    row('edge visits (values sweep included)', (c) => count(c.ops)),
    row('multiply-adds (derivative edges × lanes)', (c) => count(c.madds)),
    row('memory', (c) => bytes(c.bytes)),
    row('estimated time', (c) => duration(c.estimate)),
  ]
  const header = ['', chosen('forward'), chosen('reverse')]
  if (textbook !== undefined) header.push(textbook.mode === 'forward' ? 'textbook forward *' : 'textbook forward', textbook.mode === 'reverse' ? 'textbook reverse *' : 'textbook reverse')
  const lines = [
    `graph: ${count(choice.inputs)} input${choice.inputs === 1 ? '' : 's'} → ${outputsOf(choice.outputs, programOutputs)}, ${count(choice.slots)} slot${choice.slots === 1 ? '' : 's'}, ${count(choice.edges)} edge${choice.edges === 1 ? '' : 's'} per derivative sweep`,
  ]
  const s = choice.sparse
  if (s !== undefined) {
    lines.push(`sparsity: ${count(s.nnz)} structural non-zeros; ${count(s.columnColours)} column colours, ${count(s.rowColours)} row colours${s.used ? ' (used)' : ' (not used)'}`)
  }
  lines.push('', renderTable(header, rows, ['left', ...header.slice(1).map(() => 'right' as const)]), '')
  lines.push(`chosen: ${choice.mode} mode (marked *)`, `why: ${choice.reason}`)
  if (textbook !== undefined) lines.push('', ...costNotes(choice, textbook).map((note) => `- ${note}`))
  return lines.join('\n')
}
