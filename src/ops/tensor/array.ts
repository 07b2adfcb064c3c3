/**
 * Tensors of numbers: a shape and a `Float64Array` of its entries in row-major order, and the
 * kernels that compute every tensor operation on them (elementwise maps with broadcasting,
 * reductions, transposes, the matrix product, gathers). These are the numbers of the tensor
 * number system (`systems.ts`), as plain doubles are the numbers of the scalar one; a kernel
 * never changes its arguments, so tensors may share their data (a reshape does).
 *
 * @example
 * import { tensorOf, toNested } from 'chainrule'
 * const a = tensorOf([2, 2], [1, 2, 3, 4])
 * toNested(a)   // → [[1, 2], [3, 4]]
 */
import type { Shape } from '../../expr/node.js'
import { gemm } from './gemm.js'
import { keptShape, reducedShape, sameShape, sizeOf, stridesOf } from './shape.js'

/** A tensor of doubles: `data[i]` is the entry at the row-major position i of `shape`. */
export interface Tensor {
  readonly shape: Shape
  readonly data: Float64Array
}

/** A tensor of `shape` with entries `data` (copied when given as an array). */
export function tensorOf(shape: Shape, data: Float64Array | readonly number[]): Tensor {
  const d = data instanceof Float64Array ? data : Float64Array.from(data)
  if (d.length !== sizeOf(shape)) throw new RangeError(`a tensor of shape [${shape.join(',')}] has ${sizeOf(shape)} entries, got ${d.length}`)
  return { shape: Object.freeze(shape.slice()), data: d }
}

/** A scalar as a tensor of shape `[]`. */
export const scalarTensor = (x: number): Tensor => ({ shape: [], data: Float64Array.of(x) })

/** A tensor of zeros. */
export const zerosOf = (shape: Shape): Tensor => ({ shape, data: new Float64Array(sizeOf(shape)) })

/**
 * For each entry of a tensor of shape `to`, the position of the entry of a tensor of shape
 * `from` that broadcasting puts there (`from` must broadcast to `to`).
 */
export function broadcastIndex(from: Shape, to: Shape): Int32Array {
  const rank = to.length
  const lead = rank - from.length
  const fromStrides = stridesOf(from)
  // The stride of each axis of `to` in `from` (0 where broadcast).
  const st = new Array<number>(rank).fill(0)
  for (let k = lead; k < rank; k++) st[k] = from[k - lead] === 1 ? 0 : fromStrides[k - lead]
  return stridedOffsets(to, st)
}

/**
 * For each entry of a tensor of shape `shape`, in row-major order, the offset Σ index[k]·strides[k]
 * in some other tensor's data: a broadcast (stride 0 on a broadcast axis) or a permutation of axes.
 */
function stridedOffsets(shape: Shape, strides: readonly number[]): Int32Array {
  const n = sizeOf(shape)
  const map = new Int32Array(n)
  const rank = shape.length
  const index = new Array<number>(rank).fill(0)
  let at = 0
  for (let i = 0; i < n; i++) {
    map[i] = at
    // Advance the multi-index (last axis fastest), keeping `at` in step.
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) {
        at += strides[k]
        break
      }
      at -= strides[k] * (shape[k] - 1)
      index[k] = 0
    }
  }
  return map
}

/** `f` applied entrywise to one tensor. */
export function map1(f: (a: number) => number, a: Tensor): Tensor {
  const x = a.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = f(x[i])
  return { shape: a.shape, data: out }
}

/** `f` applied entrywise to two tensors broadcast to `shape`. */
export function map2(f: (a: number, b: number) => number, a: Tensor, b: Tensor, shape: Shape): Tensor {
  const n = sizeOf(shape)
  const out = new Float64Array(n)
  const x = a.data
  const y = b.data
  if (x.length === n && y.length === n) for (let i = 0; i < n; i++) out[i] = f(x[i], y[i])
  else if (x.length === n && y.length === 1) {
    const c = y[0]
    for (let i = 0; i < n; i++) out[i] = f(x[i], c)
  } else if (x.length === 1 && y.length === n) {
    const c = x[0]
    for (let i = 0; i < n; i++) out[i] = f(c, y[i])
  } else {
    const ia = x.length === n ? null : broadcastIndex(a.shape, shape)
    const ib = y.length === n ? null : broadcastIndex(b.shape, shape)
    for (let i = 0; i < n; i++) out[i] = f(x[ia === null ? i : ia[i]], y[ib === null ? i : ib[i]])
  }
  return { shape, data: out }
}

/** `f` applied entrywise to three tensors broadcast to `shape`. */
export function map3(f: (a: number, b: number, c: number) => number, a: Tensor, b: Tensor, c: Tensor, shape: Shape): Tensor {
  const n = sizeOf(shape)
  const [ia, ib, ic] = [a, b, c].map((t) => (t.data.length === n ? null : broadcastIndex(t.shape, shape)))
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = f(a.data[ia === null ? i : ia[i]], b.data[ib === null ? i : ib[i]], c.data[ic === null ? i : ic[i]])
  return { shape, data: out }
}

/** `a` broadcast to `shape` (materialised). */
export function broadcastTo(a: Tensor, shape: Shape): Tensor {
  if (sameShape(a.shape, shape)) return a
  const n = sizeOf(shape)
  const out = new Float64Array(n)
  if (a.data.length === 1) out.fill(a.data[0])
  else {
    const map = broadcastIndex(a.shape, shape)
    for (let i = 0; i < n; i++) out[i] = a.data[map[i]]
  }
  return { shape, data: out }
}

/** The same entries under another shape of the same size (shares the data). */
export const reshape = (a: Tensor, shape: Shape): Tensor => ({ shape, data: a.data })

/** Reduces `axes` of `a` with `step(acc, x)` from `init`; the result drops those axes. */
function reduce(a: Tensor, axes: readonly number[], init: number, step: (acc: number, x: number) => number): Tensor {
  const shape = reducedShape(a.shape, axes)
  const out = new Float64Array(sizeOf(shape)).fill(init)
  if (out.length === 1) {
    let acc = init
    for (let i = 0; i < a.data.length; i++) acc = step(acc, a.data[i])
    out[0] = acc
  } else {
    const map = broadcastIndex(keptShape(a.shape, axes), a.shape)
    for (let i = 0; i < a.data.length; i++) out[map[i]] = step(out[map[i]], a.data[i])
  }
  return { shape, data: out }
}

/** Σ over `axes`. */
export const sumAxes = (a: Tensor, axes: readonly number[]): Tensor => reduce(a, axes, 0, (s, x) => s + x)

/** max over `axes` (NaN if any entry reduced is NaN). */
export const maxAxes = (a: Tensor, axes: readonly number[]): Tensor => reduce(a, axes, -Infinity, (m, x) => (x > m || Number.isNaN(x) ? x : m))

/**
 * The parts of log Σ exp over `axes`: the maximum m and s = Σ exp(a − m) (1 ≤ s ≤ n where m is
 * finite), with the map from `a`'s entries to theirs, and `rest` = s − 1, the sum without one
 * maximal entry, computed as such: log s is log1p(rest), which keeps its digits where s is 1 + a
 * tiny number (log Σ exp of [0, −40] is 4.2e-18, not 0). Kept apart because m + log s rounds
 * log s away when |m| is huge (m = 1e308): softmax is exp(a − m)/s, never exp(a − (m + log s)),
 * and the cross-entropy is log s + (m − a_label).
 */
function logSumExpParts(a: Tensor, axes: readonly number[]): { m: Tensor; s: Float64Array; rest: Float64Array; map: Int32Array } {
  const m = maxAxes(a, axes)
  const map = broadcastIndex(keptShape(a.shape, axes), a.shape)
  const s = new Float64Array(m.data.length)
  const rest = new Float64Array(m.data.length)
  const seen = new Uint8Array(m.data.length)
  for (let i = 0; i < a.data.length; i++) {
    const j = map[i] as number
    const mi = m.data[j] as number
    const ai = a.data[i] as number
    // An infinite maximum: the entries equal to it count once each (+∞ stays +∞, all −∞ stays −∞).
    const e = Number.isFinite(mi) ? Math.exp(ai - mi) : ai === mi ? 1 : 0
    s[j] += e
    if (ai === mi && seen[j] === 0) seen[j] = 1
    else rest[j] += e
  }
  return { m, s, rest, map }
}

/** log Σ exp over `axes`, shifted by the maximum so that it neither overflows nor underflows. */
export function logSumExp(a: Tensor, axes: readonly number[]): Tensor {
  const { m, rest } = logSumExpParts(a, axes)
  const out = new Float64Array(m.data.length)
  for (let j = 0; j < out.length; j++) out[j] = Number.isFinite(m.data[j]) ? (m.data[j] as number) + Math.log1p(rest[j] as number) : (m.data[j] as number)
  return { shape: m.shape, data: out }
}

/** softmax along `axis`: exp(a − max) / Σ exp(a − max). */
export function softmax(a: Tensor, axis: number): Tensor {
  const { m, s, map } = logSumExpParts(a, [axis])
  const out = new Float64Array(a.data.length)
  for (let i = 0; i < out.length; i++) {
    const j = map[i] as number
    out[i] = Math.exp((a.data[i] as number) - (m.data[j] as number)) / (s[j] as number)
  }
  return { shape: a.shape, data: out }
}

/** `a` with its axes permuted: axis i of the result is axis perm[i] of `a`. */
export function transpose(a: Tensor, perm: readonly number[]): Tensor {
  const shape = perm.map((p) => a.shape[p])
  const rank = shape.length
  const inStrides = stridesOf(a.shape)
  const st = perm.map((p) => inStrides[p])
  const n = a.data.length
  const out = new Float64Array(n)
  if (rank === 2) {
    const [r, c] = shape
    const [s0, s1] = st
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = a.data[i * s0 + j * s1]
    return { shape, data: out }
  }
  const map = stridedOffsets(shape, st)
  for (let i = 0; i < n; i++) out[i] = a.data[map[i]]
  return { shape, data: out }
}

/** C = op(A)·op(B) for dense row-major A (lda), B (ldb) and C (m×n), overwriting C. */
export function gemmInto(ta: boolean, tb: boolean, m: number, n: number, k: number, A: Float64Array, lda: number, B: Float64Array, ldb: number, C: Float64Array): void {
  gemm(ta, tb, m, n, k, A, 0, lda, B, 0, ldb, C, 0, n, false)
}

/**
 * An index given as a double, checked: an integer in [0, n). Negative indices are refused, not
 * counted from the end: a label of −1 is a mistake in the data, never the last class.
 */
export function indexAt(x: number, n: number, what: string, at?: number): number {
  // `at`: the entry's position among the labels or indices (row 17 of a batch of 256).
  if (!Number.isInteger(x) || x < 0 || x >= n) throw new IndexError(`${what} ${x}${at === undefined ? '' : ` (entry ${at})`} is not an integer index in [0, ${n})`)
  return x
}

/** An integer index out of range or not an integer (labels, gathers). */
export class IndexError extends Error {
  readonly _tag = 'IndexError' as const
}

/** (outer, n, inner): the sizes before, at and after `axis` of `shape`. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))]
}

/** NumPy's take: the entries of `a` at `indices` along `axis` (the result has the indices' shape there). */
export function take(a: Tensor, indices: Tensor, axis: number): Tensor {
  const [outer, n, inner] = around(a.shape, axis)
  const idx = Array.from(indices.data, (x, i) => indexAt(x, n, 'index', i))
  const shape = [...a.shape.slice(0, axis), ...indices.shape, ...a.shape.slice(axis + 1)]
  const out = new Float64Array(sizeOf(shape))
  let o = 0
  for (let p = 0; p < outer; p++) for (const j of idx) for (let q = 0; q < inner; q++) out[o++] = a.data[(p * n + j) * inner + q]
  return { shape, data: out }
}

/** The transpose of `take`: a tensor with `n` entries along `axis`, `y` added in at `indices`. */
export function scatterAdd(y: Tensor, indices: Tensor, axis: number, n: number): Tensor {
  const shape = [...y.shape.slice(0, axis), n, ...y.shape.slice(axis + indices.shape.length)]
  const [outer, , inner] = around(shape, axis)
  const idx = Array.from(indices.data, (x, i) => indexAt(x, n, 'index', i))
  const out = new Float64Array(sizeOf(shape))
  let o = 0
  for (let p = 0; p < outer; p++) for (const j of idx) for (let q = 0; q < inner; q++) out[(p * n + j) * inner + q] += y.data[o++]
  return { shape, data: out }
}

/** The tensors joined along `axis` (equal shapes elsewhere). */
export function concat(parts: readonly Tensor[], axis: number): Tensor {
  const first = parts[0] as Tensor
  const total = parts.reduce((s, t) => s + t.shape[axis], 0)
  const shape = first.shape.map((d, i) => (i === axis ? total : d))
  const [outer, , inner] = around(shape, axis)
  const out = new Float64Array(sizeOf(shape))
  let base = 0
  for (const t of parts) {
    const w = t.shape[axis] * inner
    for (let p = 0; p < outer; p++) out.set(t.data.subarray(p * w, (p + 1) * w), p * total * inner + base)
    base += w
  }
  return { shape, data: out }
}

/** Entries start ≤ i < end along `axis`. */
export function slice(a: Tensor, axis: number, start: number, end: number): Tensor {
  const [outer, n, inner] = around(a.shape, axis)
  const shape = a.shape.map((d, i) => (i === axis ? end - start : d))
  const w = (end - start) * inner
  const out = new Float64Array(sizeOf(shape))
  for (let p = 0; p < outer; p++) out.set(a.data.subarray((p * n + start) * inner, (p * n + start) * inner + w), p * w)
  return { shape, data: out }
}

/** `a` with `before` and `after` zeros added along `axis` (the transpose of `slice`). */
export function pad(a: Tensor, axis: number, before: number, after: number): Tensor {
  const [outer, m, inner] = around(a.shape, axis)
  const n = before + m + after
  const shape = a.shape.map((d, i) => (i === axis ? n : d))
  const out = new Float64Array(sizeOf(shape))
  for (let p = 0; p < outer; p++) out.set(a.data.subarray(p * m * inner, (p + 1) * m * inner), (p * n + before) * inner)
  return { shape, data: out }
}

/** Rows of one-hot vectors: entry (i, labels[i]) is 1, for `classes` classes. */
export function oneHot(labels: Tensor, classes: number): Tensor {
  const shape = [...labels.shape, classes]
  const out = new Float64Array(sizeOf(shape))
  for (let i = 0; i < labels.data.length; i++) out[i * classes + indexAt(labels.data[i], classes, 'label', i)] = 1
  return { shape, data: out }
}

/** The mean over rows of −log softmax(logits)[label]: log Σⱼ exp(Lᵢⱼ − mᵢ) + (mᵢ − L_{i,yᵢ}), stable. */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const [rows, classes] = logits.shape as [number, number]
  const { m, rest } = logSumExpParts(logits, [1])
  let total = 0
  for (let i = 0; i < rows; i++) {
    const mi = m.data[i] as number
    const own = logits.data[i * classes + indexAt(labels.data[i] as number, classes, 'label', i)] as number
    total += Math.log1p(rest[i] as number) + (mi - own)
  }
  return scalarTensor(total / rows)
}

/** The nested arrays of a tensor's entries (a number for a scalar). */
export function toNested(t: Tensor): unknown {
  if (t.shape.length === 0) return t.data[0]
  const build = (axis: number, offset: number): unknown[] => {
    const n = t.shape[axis]
    const inner = sizeOf(t.shape.slice(axis + 1))
    return Array.from({ length: n }, (_, i) => (axis === t.shape.length - 1 ? t.data[offset + i] : build(axis + 1, offset + i * inner)))
  }
  return build(0, 0)
}

/**
 * A number or nested arrays of numbers as a tensor, or the reason it is not one (ragged rows,
 * an entry that is not a number, an empty array).
 */
export function fromNested(x: unknown): Tensor | string {
  if (typeof x === 'number') return scalarTensor(x)
  if (x instanceof Float64Array) return { shape: [x.length], data: x }
  if (!Array.isArray(x)) return `expected a number or an array of numbers, got ${x === null ? 'null' : typeof x}`
  const shape: number[] = []
  for (let y: unknown = x; Array.isArray(y); y = y[0]) {
    if (y.length === 0) return 'an empty array has no entries'
    shape.push(y.length)
  }
  const data = new Float64Array(sizeOf(shape))
  let o = 0
  const walk = (y: unknown, axis: number, path: string): string | undefined => {
    if (axis === shape.length) {
      if (typeof y !== 'number') return `entry ${path} is ${Array.isArray(y) ? 'an array' : JSON.stringify(y)}, not a number (ragged nesting?)`
      data[o++] = y
      return undefined
    }
    if (!Array.isArray(y) || y.length !== shape[axis]) return `the arrays at ${path || 'the top'} are ragged: expected ${shape[axis]} entries, got ${Array.isArray(y) ? y.length : 'a number'}`
    for (let i = 0; i < y.length; i++) {
      const bad = walk(y[i], axis + 1, `${path}[${i}]`)
      if (bad !== undefined) return bad
    }
    return undefined
  }
  return walk(x, 0, '') ?? { shape, data }
}

/**
 * a + b, a − b, a·b and the zero-annihilating product (0·∞ = 0) with their own loops where the
 * shapes are equal or one side is a scalar (the common cases of a sweep): `map2` calls its
 * function per entry, which V8 cannot inline once several functions pass through it. Undefined
 * when the shapes need general broadcasting (`map2` then).
 */
export function arithmetic(op: 'add' | 'sub' | 'mul' | 'scale', a: Tensor, b: Tensor, shape: Shape): Tensor | undefined {
  const x = a.data
  const y = b.data
  const n = sizeOf(shape)
  if (!((x.length === n || x.length === 1) && (y.length === n || y.length === 1))) return undefined
  const out = new Float64Array(n)
  if (x.length === n && y.length === n) {
    switch (op) {
      case 'add':
        for (let i = 0; i < n; i++) out[i] = (x[i] as number) + (y[i] as number)
        break
      case 'sub':
        for (let i = 0; i < n; i++) out[i] = (x[i] as number) - (y[i] as number)
        break
      case 'mul':
        for (let i = 0; i < n; i++) out[i] = (x[i] as number) * (y[i] as number)
        break
      case 'scale':
        for (let i = 0; i < n; i++) {
          const p = x[i] as number
          const t = y[i] as number
          out[i] = p === 0 || t === 0 ? 0 : p * t
        }
        break
    }
    return { shape, data: out }
  }
  // One side is a scalar c (the other may be a scalar too).
  const vec = x.length === n ? x : y
  const c = (x.length === n ? y[0] : x[0]) as number
  const cFirst = x.length !== n
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = (vec[i] as number) + c
      break
    case 'sub':
      if (cFirst) for (let i = 0; i < n; i++) out[i] = c - (vec[i] as number)
      else for (let i = 0; i < n; i++) out[i] = (vec[i] as number) - c
      break
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = (vec[i] as number) * c
      break
    case 'scale':
      if (c === 0) break
      for (let i = 0; i < n; i++) {
        const v = vec[i] as number
        out[i] = v === 0 ? 0 : v * c
      }
      break
  }
  return { shape, data: out }
}
