/**
 * The structural linear operations: each entry's jvp applies the operation to the tangent, and
 * its vjp is the transpose written next to it (a transpose by the inverse permutation, a sum over
 * broadcast axes, a scatter-add for a gather, a pad for a slice).
 */
import type { Shape } from '../../expr/node.js'
import * as K from './array.js'
import type { TensorRule } from './rule.js'
import { ShapeError, keptShape, normalAxis, reducedShape, sameShape, showShape, sizeOf } from './shape.js'

/** A matrix operand as 2-D: a vector is a row on the left and a column on the right. */
const asMatrix = (s: Shape, side: 'left' | 'right'): [number, number] =>
  s.length === 2 ? [s[0], s[1]] : side === 'left' ? [1, s[0]] : [s[0], 1]

/** The shape of op(a)·op(b) (flags in `attrs`). */
function matmulShape(shapes: readonly Shape[], attrs: readonly number[]): Shape {
  const [a, b] = shapes as [Shape, Shape]
  if (a.length < 1 || a.length > 2 || b.length < 1 || b.length > 2) throw new ShapeError('matmul', shapes, 'are not vectors or matrices')
  const [m, ka] = flip(asMatrix(a, 'left'), a.length === 2 && attrs[0] === 1)
  const [kb, n] = flip(asMatrix(b, 'right'), b.length === 2 && attrs[1] === 1)
  if (ka !== kb) throw new ShapeError('matmul', shapes, `do not fit: inner dimensions ${ka} and ${kb} differ`)
  return [...(a.length === 2 ? [m] : []), ...(b.length === 2 ? [n] : [])]
}

const flip = ([r, c]: [number, number], t: boolean): [number, number] => (t ? [c, r] : [r, c])

export const matmul: TensorRule = {
  arity: { data: 2, attrs: 'rest' },
  shape: matmulShape,
  kernel: ([a, b], attrs, shape) => {
    const ta = a!.shape.length === 2 && attrs[0] === 1
    const tb = b!.shape.length === 2 && attrs[1] === 1
    const [m, k] = flip(asMatrix(a!.shape, 'left'), ta)
    const n = flip(asMatrix(b!.shape, 'right'), tb)[1]
    const out = new Float64Array(m * n)
    const lda = asMatrix(a!.shape, 'left')[1]
    const ldb = asMatrix(b!.shape, 'right')[1]
    K.gemmInto(ta, tb, m, n, k, a!.data, lda, b!.data, ldb, out)
    return { shape, data: out }
  },
  jvp: (t, [a, b], [da, db], _out, attrs) => {
    const [ta, tb] = [attrs[0] === 1, attrs[1] === 1]
    const left = da === null || da === undefined ? null : t.matmul(da, b!, ta, tb)
    const right = db === null || db === undefined ? null : t.matmul(a!, db, ta, tb)
    return left === null ? right : right === null ? left : t.add(left, right)
  },
  vjp: (t, [a, b], cot, _out, attrs, wanted) => {
    // As matrices: C = op(A)·op(B), so dop(A) = C̄·op(B)ᵀ and dop(B) = op(A)ᵀ·C̄; a flag transposes the result back.
    const [sa, sb] = [t.shapeOf(a!), t.shapeOf(b!)]
    const A = t.reshape(a!, asMatrix(sa, 'left'))
    const B = t.reshape(b!, asMatrix(sb, 'right'))
    const ta = sa.length === 2 && attrs[0] === 1
    const tb = sb.length === 2 && attrs[1] === 1
    const m = flip(asMatrix(sa, 'left'), ta)[0]
    const n = flip(asMatrix(sb, 'right'), tb)[1]
    const C = t.reshape(cot, [m, n])
    const da = !wanted[0] ? null : t.reshape(ta ? t.matmul(B, C, tb, true) : t.matmul(C, B, false, !tb), sa)
    const db = !wanted[1] ? null : t.reshape(tb ? t.matmul(C, A, true, ta) : t.matmul(A, C, !ta, false), sb)
    return [da, db]
  },
}

/** Whether `perm` is a permutation of 0..rank−1. */
const isPermutation = (perm: readonly number[], rank: number): boolean =>
  perm.length === rank && new Set(perm).size === rank && perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank)

export const transpose: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: ([a], perm) => {
    if (!isPermutation(perm, a!.length)) throw new ShapeError('transpose', [a!], `cannot be permuted by (${perm.join(',')})`)
    return perm.map((p) => a![p]!)
  },
  kernel: ([a], perm) => K.transpose(a!, perm),
  jvp: (t, _args, [d], _out, perm) => (d === null || d === undefined ? null : t.transpose(d, perm)),
  vjp: (t, _args, cot, _out, perm) => {
    const inverse = new Array<number>(perm.length)
    perm.forEach((p, i) => (inverse[p] = i))
    return [t.transpose(cot, inverse)]
  },
}

export const reshape: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: ([a], shape) => {
    if (shape.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(shape) !== sizeOf(a!)) {
      throw new ShapeError('reshape', [a!], `cannot be reshaped to ${showShape(shape)} (${sizeOf(a!)} entries)`)
    }
    return shape
  },
  kernel: ([a], _attrs, shape) => K.reshape(a!, shape),
  jvp: (t, _args, [d], out) => (d === null || d === undefined ? null : t.reshape(d, t.shapeOf(out))),
  vjp: (t, [a], cot) => [t.reshape(cot, t.shapeOf(a!))],
}

export const broadcastTo: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: ([a], shape) => {
    const lead = shape.length - a!.length
    const fits = lead >= 0 && a!.every((d, i) => d === 1 || d === shape[lead + i])
    if (!fits) throw new ShapeError('broadcast_to', [a!], `cannot be broadcast to ${showShape(shape)}`)
    return shape
  },
  kernel: ([a], _attrs, shape) => K.broadcastTo(a!, shape),
  jvp: (t, _args, [d], out) => (d === null || d === undefined ? null : t.broadcastTo(d, t.shapeOf(out))),
  vjp: (t, [a], cot) => [t.sumTo(cot, t.shapeOf(a!))],
}

/** The shape rule of a reduction over the axes in `attrs` (sorted and distinct by the builders). */
export const reductionShape =
  (op: string) =>
  ([a]: readonly Shape[], axes: readonly number[]): Shape => {
    for (const ax of axes) normalAxis(op, a!, ax)
    return reducedShape(a!, axes)
  }

export const sum: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: reductionShape('sum'),
  kernel: ([a], axes) => K.sumAxes(a!, axes),
  jvp: (t, _args, [d], _out, axes) => (d === null || d === undefined ? null : t.sum(d, axes)),
  vjp: (t, [a], cot, _out, axes) => [t.expand(cot, t.shapeOf(a!), axes)],
}

/** (outer, n, inner) checks of `take` / `scatter_add`: the axis exists. */
const gatherAxis = (op: string, a: Shape, axis: number): number => normalAxis(op, a, axis)

export const take: TensorRule = {
  arity: { data: 2, attrs: 'rest' },
  constantArgs: [1],
  shape: ([a, idx], [axis]) => {
    const ax = gatherAxis('take', a!, axis!)
    return [...a!.slice(0, ax), ...idx!, ...a!.slice(ax + 1)]
  },
  kernel: ([a, idx], [axis]) => K.take(a!, idx!, axis!),
  jvp: (t, [, idx], [d], _out, [axis]) => (d === null || d === undefined ? null : t.take(d, idx!, axis!)),
  vjp: (t, [a, idx], cot, _out, [axis]) => [t.scatterAdd(cot, idx!, axis!, t.shapeOf(a!)[axis!]!), null],
}

export const scatterAdd: TensorRule = {
  arity: { data: 2, attrs: 'rest' },
  constantArgs: [1],
  shape: ([y, idx], [axis, n]) => {
    const r = idx!.length
    if (axis! < 0 || axis! + r > y!.length || !sameShape(y!.slice(axis!, axis! + r), idx!)) {
      throw new ShapeError('scatter_add', [y!, idx!], `do not fit: the indices' shape must appear at axis ${axis}`)
    }
    return [...y!.slice(0, axis!), n!, ...y!.slice(axis! + r)]
  },
  kernel: ([y, idx], [axis, n]) => K.scatterAdd(y!, idx!, axis!, n!),
  jvp: (t, [, idx], [d], _out, [axis, n]) => (d === null || d === undefined ? null : t.scatterAdd(d, idx!, axis!, n!)),
  vjp: (t, [, idx], cot, _out, [axis]) => [t.take(cot, idx!, axis!), null],
}

export const concat: TensorRule = {
  arity: { data: 'rest', attrs: 1 },
  shape: (shapes, [axis]) => {
    const first = shapes[0]!
    const ax = normalAxis('concat', first, axis!)
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => i !== ax && d !== first[i])) {
        throw new ShapeError('concat', shapes, `differ on an axis other than ${ax}`)
      }
    }
    return first.map((d, i) => (i === ax ? shapes.reduce((n, s) => n + s[ax]!, 0) : d))
  },
  kernel: (parts, [axis]) => K.concat(parts, axis!),
  jvp: (t, args, dots, _out, [axis]) =>
    dots.every((d) => d === null) ? null : t.concat(dots.map((d, i) => d ?? t.zeros(t.shapeOf(args[i]!))), axis!),
  vjp: (t, args, cot, _out, [axis], wanted) => {
    let start = 0
    return args.map((a, i) => {
      const n = t.shapeOf(a)[axis!]!
      start += n
      return wanted[i] ? t.slice(cot, axis!, start - n, start) : null
    })
  },
}

export const slice: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: ([a], [axis, start, end]) => {
    const ax = normalAxis('slice', a!, axis!)
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start! && start! < end! && end! <= a![ax]!)) {
      throw new ShapeError('slice', [a!], `has no entries ${start}..${end} along axis ${ax} (size ${a![ax]})`)
    }
    return a!.map((d, i) => (i === ax ? end! - start! : d))
  },
  kernel: ([a], [axis, start, end]) => K.slice(a!, axis!, start!, end!),
  jvp: (t, _args, [d], _out, [axis, start, end]) => (d === null || d === undefined ? null : t.slice(d, axis!, start!, end!)),
  vjp: (t, [a], cot, _out, [axis, start, end]) => [t.pad(cot, axis!, start!, t.shapeOf(a!)[axis!]! - end!)],
}

export const pad: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: ([a], [axis, before, after]) => {
    const ax = normalAxis('pad', a!, axis!)
    return a!.map((d, i) => (i === ax ? before! + d + after! : d))
  },
  kernel: ([a], [axis, before, after]) => K.pad(a!, axis!, before!, after!),
  jvp: (t, _args, [d], _out, [axis, before, after]) => (d === null || d === undefined ? null : t.pad(d, axis!, before!, after!)),
  vjp: (t, [a], cot, _out, [axis, before]) => [t.slice(cot, axis!, before!, before! + t.shapeOf(a!)[axis!]!)],
}

/** Used by the reductions: the shape with `axes` kept as 1s. */
export { keptShape }
