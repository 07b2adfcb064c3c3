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
import type { ModeChoice } from '../../jacobian/index.js'
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

export function costTable(choice: ModeChoice): string {
  const f = choice.forward
  const r = choice.reverse
  const chosen = (m: 'forward' | 'reverse'): string => (choice.mode === m ? `${m} *` : m)
  const rows = [
    ['derivative sweeps', count(f.sweeps), count(r.sweeps)],
    ['lanes per sweep', count(f.width), count(r.width)],
    ['operations (edge visits)', count(f.ops), count(r.ops)],
    ['memory', bytes(f.bytes), bytes(r.bytes)],
    ['estimated time', duration(f.estimate), duration(r.estimate)],
  ]
  const lines = [
    `graph: ${count(choice.inputs)} input${choice.inputs === 1 ? '' : 's'} → ${count(choice.outputs)} output${choice.outputs === 1 ? '' : 's'}, ${count(choice.slots)} slots, ${count(choice.edges)} edges per derivative sweep`,
  ]
  const s = choice.sparse
  if (s !== undefined) {
    lines.push(`sparsity: ${count(s.nnz)} structural non-zeros; ${count(s.columnColours)} column colours, ${count(s.rowColours)} row colours${s.used ? ' (used)' : ' (not used)'}`)
  }
  lines.push('', renderTable(['', chosen('forward'), chosen('reverse')], rows, ['left', 'right', 'right']), '')
  lines.push(`chosen: ${choice.mode} mode (marked *)`, `why: ${choice.reason}`)
  return lines.join('\n')
}
