/**
 * The sparsity pattern of a Jacobian, read off the graph: entry (i, j) can be non-zero only when
 * input `wrt[j]` reaches output i along edges whose local partials are not structural zeros.
 *
 * The sets of inputs that reach each slot are propagated forwards over the tape, in one
 * iterative pass. Two representations, chosen by memory:
 * - bitsets (one bit per input per slot) when they fit in `bitsetBytes`: an OR per word per edge;
 * - sorted index lists otherwise (n = 10⁴ inputs over 10⁵ slots would need 125 MB of bits, while
 *   a banded problem's lists hold a handful of indices each). A slot whose set equals one of its
 *   arguments' sets shares that list instead of copying it. The list pass can be given a budget of
 *   merge steps, and gives up (returns undefined) when the pattern turns out too dense to pay.
 *
 * @example
 * import { sparsityPattern, parse, orThrow } from 'chainrule'
 * const p = orThrow(sparsityPattern(orThrow(parse('[x*y, sin(z)]')), ['x', 'y', 'z']))
 * const csr = [Array.from(p.rowPtr), Array.from(p.colIdx)]   // → [[0, 2, 3], [0, 1, 2]]   row 0 has columns x, y; row 1 has z
 */
import type { TapeFacts } from './facts.js'

/** A Jacobian's non-zero structure in compressed rows (column indices sorted within each row). */
export interface SparsityPattern {
  readonly _tag: 'SparsityPattern'
  /** m (outputs) and n (`wrt` names). */
  readonly shape: readonly [rows: number, columns: number]
  readonly rowPtr: Int32Array
  readonly colIdx: Int32Array
  readonly nnz: number
}

/** The same structure by columns; `pos[k]` is the index in `colIdx` of the k-th entry. */
export interface ColumnView {
  readonly colPtr: Int32Array
  readonly rowIdx: Int32Array
  readonly pos: Int32Array
}

/** Bitsets are used while they take at most this many bytes (else sorted lists). */
export const bitsetBytes = 16 * 2 ** 20

function fromRows(facts: TapeFacts, rowOf: (slot: number, push: (j: number) => void) => void): SparsityPattern {
  const { tape } = facts
  const m = tape.outputs.length
  const rowPtr = new Int32Array(m + 1)
  const cols: number[] = []
  const push = (j: number): void => {
    cols.push(j)
  }
  for (let r = 0; r < m; r++) {
    const slot = tape.outputs[r]
    if (tape.active[slot] === 1) rowOf(slot, push)
    rowPtr[r + 1] = cols.length
  }
  const colIdx = Int32Array.from(cols)
  return { _tag: 'SparsityPattern', shape: [m, tape.wrt.length], rowPtr, colIdx, nnz: colIdx.length }
}

function bitsetPattern(facts: TapeFacts): SparsityPattern {
  const { tape, flows } = facts
  const words = (tape.wrt.length + 31) >>> 5
  const bits = new Int32Array(tape.size * words)
  for (const j of facts.columns) bits[tape.wrtSlots[j] * words + (j >>> 5)] |= 1 << (j & 31)
  for (const i of tape.activeOrder) {
    const bi = i * words
    if ((flows[i] & 1) !== 0) for (let k = 0, ba = tape.a0[i] * words; k < words; k++) bits[bi + k] |= bits[ba + k]
    if ((flows[i] & 2) !== 0) for (let k = 0, ba = tape.a1[i] * words; k < words; k++) bits[bi + k] |= bits[ba + k]
  }
  return fromRows(facts, (slot, push) => {
    for (let k = 0; k < words; k++) {
      for (let b = bits[slot * words + k]; b !== 0; b &= b - 1) push((k << 5) + 31 - Math.clz32(b & -b))
    }
  })
}

function listPattern(facts: TapeFacts, budget: number): SparsityPattern | undefined {
  const { tape, flows } = facts
  const start = new Int32Array(tape.size)
  const len = new Int32Array(tape.size)
  let pool = new Int32Array(Math.max(1024, 2 * tape.size))
  let top = 0
  const reserve = (need: number): void => {
    if (top + need <= pool.length) return
    const bigger = new Int32Array(Math.max(2 * pool.length, top + need))
    bigger.set(pool.subarray(0, top))
    pool = bigger
  }
  // Seeds: each wrt slot holds its own column indices (several when a name is repeated in wrt).
  const seeds = Array.from(facts.columns).sort((i, j) => tape.wrtSlots[i] - tape.wrtSlots[j] || i - j)
  reserve(seeds.length)
  for (const j of seeds) {
    const s = tape.wrtSlots[j]
    if (len[s] === 0) start[s] = top
    pool[top++] = j
    len[s]++
  }
  let work = 0
  for (const i of tape.activeOrder) {
    const x = (flows[i] & 1) !== 0 ? tape.a0[i] : -1
    const y = (flows[i] & 2) !== 0 ? tape.a1[i] : -1
    const lx = x >= 0 ? len[x] : 0
    const ly = y >= 0 ? len[y] : 0
    if (ly === 0 || (lx === ly && start[x] === start[y])) {
      start[i] = x >= 0 ? start[x] : 0
      len[i] = lx
      continue
    }
    if (lx === 0) {
      start[i] = start[y]
      len[i] = ly
      continue
    }
    work += lx + ly
    if (work > budget) return undefined
    reserve(lx + ly)
    let p = start[x]
    let q = start[y]
    const pe = p + lx
    const qe = q + ly
    let o = top
    while (p < pe && q < qe) {
      const a = pool[p]
      const b = pool[q]
      if (a <= b) p++
      if (b <= a) q++
      pool[o++] = a < b ? a : b
    }
    while (p < pe) pool[o++] = pool[p++]
    while (q < qe) pool[o++] = pool[q++]
    const l = o - top
    // A union equal in size to one of its operands is that operand: share it, drop the copy.
    if (l === lx) start[i] = start[x]
    else if (l === ly) start[i] = start[y]
    else {
      start[i] = top
      top = o
    }
    len[i] = l
  }
  return fromRows(facts, (slot, push) => {
    for (let k = start[slot], e = k + len[slot]; k < e; k++) push(pool[k])
  })
}

/**
 * The pattern of the Jacobian of `facts.tape`. With a finite `budget` (merge steps), returns
 * undefined as soon as the work exceeds it.
 */
export function patternOf(facts: TapeFacts, budget = Infinity): SparsityPattern | undefined {
  const words = (facts.tape.wrt.length + 31) >>> 5
  if (budget === Infinity && facts.tape.size * words * 4 <= bitsetBytes) return bitsetPattern(facts)
  return listPattern(facts, budget)
}

/** The column view of a pattern (a counting sort by column). */
export function columnView(p: SparsityPattern): ColumnView {
  const [m, n] = p.shape
  const colPtr = new Int32Array(n + 1)
  for (let k = 0; k < p.nnz; k++) colPtr[p.colIdx[k] + 1]++
  for (let j = 0; j < n; j++) colPtr[j + 1] += colPtr[j]
  const next = colPtr.slice(0, n)
  const rowIdx = new Int32Array(p.nnz)
  const pos = new Int32Array(p.nnz)
  for (let r = 0; r < m; r++) {
    for (let k = p.rowPtr[r]; k < p.rowPtr[r + 1]; k++) {
      const at = next[p.colIdx[k]]++
      rowIdx[at] = r
      pos[at] = k
    }
  }
  return { colPtr, rowIdx, pos }
}
