/**
 * The builders of tensor operations: each checks its arguments' shapes when the graph is built
 * (a `ShapeError` naming the operation and the shapes), normalises its attributes (negative axes
 * count from the end; axes are sorted) and makes the hash-consed node. The entrywise operations
 * (`add`, `sin`, ...) are the scalar builders, which broadcast when given tensors.
 *
 * @example
 * import { variable, matmul, relu, reduceSum, add } from 'chainrule'
 * const X = variable('X', [4, 3]), W = variable('W', [3, 2]), b = variable('b', [2])
 * const H = relu(add(matmul(X, W), b))   // shape [4, 2]: b is broadcast along the rows
 * reduceSum(H, 0).shape                  // → [2]
 */
import { constant, type Node } from '../../expr/node.js'
import type { Arg } from '../build.js'
import { applyOp, liftOne } from '../build.js'
import { normalAxes, normalAxis, ShapeError, showShape, sizeOf } from './shape.js'
import { tensorApply } from './systems.js'

/** A builder argument as a node (numbers lifted to scalar constants). */
/** The k-th argument of `builder` as a node (numbers lifted; anything else refused by name, as the scalar builders do). */
const node = (builder: string, a: Arg, k: number): Node => liftOne(builder, a, k)

/** Axes given as one number, a list, or nothing (every axis). */
const axesOf = (op: string, a: Node, axes: number | readonly number[] | undefined): number[] =>
  normalAxes(op, a.shape, typeof axes === 'number' ? [axes] : axes)

/** The matrix product a·b of vectors and matrices (`a @ b` in the language). */
export const matmul = (a: Arg, b: Arg): Node => tensorApply('matmul', [node('matmul', a, 0), node('matmul', b, 1)], [0, 0])

/** The axes of `a` permuted (reversed by default: the matrix transpose). */
export function transpose(a: Arg, perm?: readonly number[]): Node {
  const x = node('transpose', a, 0)
  return tensorApply('transpose', [x], perm ?? x.shape.map((_, i) => x.shape.length - 1 - i))
}

/** The same entries in another shape of the same size; one entry may be −1 (inferred). */
export function reshape(a: Arg, shape: readonly number[]): Node {
  const x = node('reshape', a, 0)
  const known = shape.filter((d) => d !== -1)
  const target = shape.map((d) => (d === -1 && shape.indexOf(-1) === shape.lastIndexOf(-1) ? sizeOf(x.shape) / Math.max(1, sizeOf(known)) : d))
  return tensorApply('reshape', [x], target)
}

/** `a` repeated along new leading axes and axes of size 1 to `shape` (NumPy's broadcast_to). */
export const broadcastTo = (a: Arg, shape: readonly number[]): Node => tensorApply('broadcast_to', [node('broadcastTo', a, 0)], shape)

/** Σ over `axes` (every axis by default). */
export const reduceSum = (a: Arg, axes?: number | readonly number[]): Node => {
  const x = node('reduceSum', a, 0)
  return tensorApply('sum', [x], axesOf('sum', x, axes))
}

/** The mean over `axes` (every axis by default). */
export function reduceMean(a: Arg, axes?: number | readonly number[]): Node {
  const x = node('reduceMean', a, 0)
  const ax = axesOf('mean', x, axes)
  const count = ax.reduce((n, k) => n * (x.shape[k] as number), 1)
  return applyOp('div', tensorApply('sum', [x], ax), constant(count))
}

/** The maximum over `axes` (every axis by default); ties share the derivative evenly. */
export const reduceMax = (a: Arg, axes?: number | readonly number[]): Node => {
  const x = node('reduceMax', a, 0)
  return tensorApply('amax', [x], axesOf('amax', x, axes))
}

/** log Σ exp over `axes` (every axis by default), shifted by the maximum: it neither overflows nor underflows. */
export const logsumexp = (a: Arg, axes?: number | readonly number[]): Node => {
  const x = node('logsumexp', a, 0)
  return tensorApply('logsumexp', [x], axesOf('logsumexp', x, axes))
}

/** exp(a) / Σ exp(a) along `axis` (the last by default), computed stably. */
export const softmax = (a: Arg, axis = -1): Node => {
  const x = node('softmax', a, 0)
  return tensorApply('softmax', [x], [normalAxis('softmax', x.shape, axis)])
}

/**
 * The mean over rows of the cross-entropy of softmax(logits) against integer class labels:
 * (1/N) Σᵢ (log Σⱼ exp Lᵢⱼ − L_{i,yᵢ}). Its gradient is (softmax − onehot)/N, by a rule of its own.
 */
export const softmaxCrossEntropy = (logits: Arg, labels: Arg): Node => tensorApply('softmax_cross_entropy', [node('softmaxCrossEntropy', logits, 0), node('softmaxCrossEntropy', labels, 1)], [])

/** One-hot rows for integer labels: shape [...labels, classes]. */
export const oneHot = (labels: Arg, classes: number): Node => tensorApply('one_hot', [node('oneHot', labels, 0)], [classes])

/** The entries of `a` at integer `indices` along `axis` (NumPy's take; its derivative is a scatter-add). */
export function take(a: Arg, indices: Arg, axis = 0): Node {
  const x = node('take', a, 0)
  return tensorApply('take', [x, node('take', indices, 1)], [normalAxis('take', x.shape, axis)])
}

/** The tensors joined along `axis`. */
export function concat(parts: readonly Arg[], axis = 0): Node {
  const xs = parts.map((p, k) => node('concat', p, k))
  if (xs.length === 0) throw new ShapeError('concat', [], 'cannot be joined: no tensors given')
  return tensorApply('concat', xs, [normalAxis('concat', (xs[0] as Node).shape, axis)])
}

/** The tensors (of one shape) stacked along a new axis `axis`. */
export function stack(parts: readonly Arg[], axis = 0): Node {
  const xs = parts.map((p, k) => node('stack', p, k))
  const first = xs[0]
  if (first === undefined) throw new ShapeError('stack', [], 'cannot be stacked: no tensors given')
  const rank = first.shape.length
  const ax = axis < 0 ? axis + rank + 1 : axis
  if (!Number.isInteger(ax) || ax < 0 || ax > rank) throw new ShapeError('stack', xs.map((x) => x.shape), `cannot be stacked along axis ${axis}`)
  for (const x of xs) if (showShape(x.shape) !== showShape(first.shape)) throw new ShapeError('stack', xs.map((y) => y.shape), 'differ')
  const kept = [...first.shape.slice(0, ax), 1, ...first.shape.slice(ax)]
  return tensorApply('concat', xs.map((x) => tensorApply('reshape', [x], kept)), [ax])
}

/** The entries start ≤ i < end along `axis`. */
export function slice(a: Arg, axis: number, start: number, end: number): Node {
  const x = node('slice', a, 0)
  return tensorApply('slice', [x], [normalAxis('slice', x.shape, axis), start, end])
}
