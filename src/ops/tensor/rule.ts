/**
 * The tensor operations' entries of the derivative table, and the tensor number system they are
 * written over.
 *
 * Elementwise operations need no entry here: a tensor `sin` is the scalar rule of `sin` mapped
 * (its partials, computed over tensors, are tensors; see `elementwise.ts`). The entries here are
 * the structural operations (matrix product, reductions, reshapes, gathers) and the few whose
 * derivative is better written by hand (softmax cross-entropy, whose gradient is softmax − onehot).
 *
 * Each entry holds its shape rule, its kernel on numbers, and its two derivative rules side by
 * side: `jvp`, linear in the tangents (forward mode), and `vjp`, its transpose (reverse mode).
 * Both are written once over `TM<T>`, so that the same code computes on tensors of numbers (the
 * sweeps) and on graph nodes (symbolic derivatives, hence Hessian-vector products), as the scalar
 * rules are written over `M<T>`.
 *
 * An operation's attributes (axes, a permutation, a shape) are integers kept in the node as
 * constant arguments after its tensor arguments: `sum(X, 1)` is the node sum(X, 1), as written.
 *
 * @example
 * // the entry of transpose: its vjp is the transpose by the inverse permutation
 * tensorTable.transpose.vjp(t, [a], cot, out, [1, 0], [true])   // → [t.transpose(cot, [1, 0])]
 */
import type { Shape } from '../../expr/node.js'
import type { M, Num } from '../rule.js'
import type { Tensor } from './array.js'

/** The structural tensor operations, as nodes and the language name them. */
export const tensorTags = [
  'matmul',
  'transpose',
  'reshape',
  'broadcast_to',
  'sum',
  'amax',
  'logsumexp',
  'softmax',
  'softmax_cross_entropy',
  'one_hot',
  'take',
  'scatter_add',
  'concat',
  'slice',
  'pad',
] as const

/** Functions of the program language made of the operations above (`mean` is a sum divided, `stack` reshapes and concatenates). */
export const tensorSugar = ['mean', 'stack'] as const

export type TensorTag = (typeof tensorTags)[number]

const tagSet: ReadonlySet<string> = new Set(tensorTags)
export const isTensorTag = (s: string): s is TensorTag => tagSet.has(s)

/**
 * A tensor number system: the scalar operations applied entrywise with NumPy broadcasting
 * (`apply`, as in `Num`; constants are scalars and broadcast), plus the structural operations.
 */
export interface TensorNum<T> extends Num<T> {
  readonly shapeOf: (t: T) => Shape
  /** The structural operation `op` on tensor arguments `args` with integer attributes `attrs`. */
  readonly structural: (op: TensorTag, args: readonly T[], attrs: readonly number[]) => T
}

/** The tensor number system with one method per operation, for rules that read like math. */
export type TM<T> = M<T> & {
  readonly tensors: TensorNum<T>
  readonly shapeOf: (t: T) => Shape
  /** op(a)·op(b), where op transposes a matrix when its flag is set. Vectors are rows on the left, columns on the right. */
  readonly matmul: (a: T, b: T, transA?: boolean, transB?: boolean) => T
  readonly transpose: (a: T, perm: readonly number[]) => T
  readonly reshape: (a: T, shape: Shape) => T
  readonly broadcastTo: (a: T, shape: Shape) => T
  readonly sum: (a: T, axes: readonly number[]) => T
  readonly amax: (a: T, axes: readonly number[]) => T
  readonly logsumexp: (a: T, axes: readonly number[]) => T
  readonly softmax: (a: T, axis: number) => T
  readonly softmaxCrossEntropy: (logits: T, labels: T) => T
  readonly oneHot: (labels: T, classes: number) => T
  readonly take: (a: T, indices: T, axis: number) => T
  readonly scatterAdd: (y: T, indices: T, axis: number, n: number) => T
  readonly concat: (parts: readonly T[], axis: number) => T
  readonly slice: (a: T, axis: number, start: number, end: number) => T
  readonly pad: (a: T, axis: number, before: number, after: number) => T
  /** Zeros of `shape`. */
  readonly zeros: (shape: Shape) => T
  /** `a` summed over the axes along which a value of `shape` was broadcast to a's shape (the adjoint of broadcasting). */
  readonly sumTo: (a: T, shape: Shape) => T
  /** `a`, the result of reducing `axes` of a tensor of `shape`, broadcast back to `shape` (the adjoint of a sum). */
  readonly expand: (a: T, shape: Shape, axes: readonly number[]) => T
}

/** The number of tensor arguments and of attributes: one of them is fixed, the other takes the rest. */
export type Arity = { readonly data: number; readonly attrs?: number | 'rest' } | { readonly data: 'rest'; readonly attrs: number }

export interface TensorRule {
  readonly arity: Arity
  /** Arguments with no derivative (labels, indices): their tangents are ignored and their adjoints null. */
  readonly constantArgs?: readonly number[]
  /** The shape of the result; throws a `ShapeError` naming the shapes when they do not fit. */
  readonly shape: (shapes: readonly Shape[], attrs: readonly number[]) => Shape
  /** The value, on tensors of numbers (`shape` is what `shape` gave). */
  readonly kernel: (args: readonly Tensor[], attrs: readonly number[], shape: Shape) => Tensor
  /** The tangent of the result, linear in the tangents `dots` (null: zero); null when it is zero. */
  readonly jvp: <T>(t: TM<T>, args: readonly T[], dots: readonly (T | null)[], out: T, attrs: readonly number[]) => T | null
  /** The adjoints of the arguments for the adjoint `cot` of the result (the transpose of `jvp`); only those `wanted`. */
  readonly vjp: <T>(t: TM<T>, args: readonly T[], cot: T, out: T, attrs: readonly number[], wanted: readonly boolean[]) => readonly (T | null)[]
  /**
   * Where the operation is not differentiable (amax at a tie), as the entrywise rules' `kink`:
   * `count` says in how many groups of the result the value sweep met it (`t` is the tensors of
   * numbers), `convention` what the derivative is there.
   */
  readonly kink?: {
    readonly count: (t: TM<Tensor>, args: readonly Tensor[], out: Tensor, attrs: readonly number[]) => number
    readonly convention: string
  }
}

/** How many of `n` arguments of an op with `arity` are tensor arguments (the rest are attributes). */
export const dataCount = (arity: Arity, n: number): number => (arity.data === 'rest' ? n - arity.attrs : arity.data)
