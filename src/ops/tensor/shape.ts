/**
 * Shapes of tensors: sizes, strides, NumPy broadcasting, axes, and the error a wrong shape gives.
 * Row-major throughout: the last axis varies fastest, as in NumPy and the document's §1.1.
 *
 * @example
 * import { add, variable, ShapeError } from 'chainrule'
 * add(variable('A', [2, 1, 3]), variable('B', [4, 1])).shape   // → [2, 4, 3]
 * try {
 *   add(variable('A', [2, 3]), variable('b', [4]))
 * } catch (e) {
 *   e instanceof ShapeError && e.message   // → 'add: shapes [2,3] and [4] do not broadcast (axis 1: 3 against 4)'
 * }
 */
import type { Shape } from '../../expr/node.js'

/** A tensor operation refused the shapes of its arguments. Thrown by the builders, caught by the parser. */
export class ShapeError extends Error {
  readonly _tag = 'ShapeError' as const
  constructor(
    /** The operation, as the language names it (`matmul`, `add`). */
    readonly op: string,
    /** The shapes it was given. */
    readonly shapes: readonly Shape[],
    /** Why they do not fit, without the op and shapes (`inner dimensions 3 and 4 differ`). */
    readonly reason: string,
  ) {
    super(`${op}: ${shapes.length === 1 ? 'shape' : 'shapes'} ${shapes.map(showShape).join(' and ')} ${reason}`)
    this.name = 'ShapeError'
  }
}

/** `[2,3]`; a scalar is `[]`. */
export const showShape = (s: Shape): string => `[${s.join(',')}]`

/** The number of entries of a tensor of shape `s` (1 for a scalar). */
export function sizeOf(s: Shape): number {
  let n = 1
  for (let i = 0; i < s.length; i++) n *= s[i]
  return n
}

/** Row-major strides of `s`, in entries. */
export function stridesOf(s: Shape): number[] {
  const st = new Array<number>(s.length)
  let k = 1
  for (let i = s.length - 1; i >= 0; i--) {
    st[i] = k
    k *= s[i]
  }
  return st
}

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** The shape of a broadcast of `shapes` (NumPy's rules: align at the right; a 1 stretches). */
export function broadcastShapes(op: string, ...shapes: Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length))
  const out = new Array<number>(rank).fill(1)
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const k = rank - s.length + i
      const d = s[i]
      if (out[k] === 1) out[k] = d
      else if (d !== 1 && d !== out[k]) {
        throw new ShapeError(op, shapes, `do not broadcast (axis ${k}: ${out[k]} against ${d})`)
      }
    }
  }
  return out
}

/**
 * The axes a value of shape `from` was broadcast along to reach `to` (the leading new axes, and
 * the axes where `from` has a 1 and `to` does not): what the reverse sweep sums an adjoint over.
 */
export function broadcastAxes(from: Shape, to: Shape): number[] {
  const lead = to.length - from.length
  const axes: number[] = []
  for (let k = 0; k < to.length; k++) if (k < lead || (from[k - lead] === 1 && to[k] !== 1)) axes.push(k)
  return axes
}

/** `axis` of a tensor of rank `rank`, negative counting from the end; throws when out of range. */
export function normalAxis(op: string, shape: Shape, axis: number): number {
  const rank = shape.length
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(op, [shape], `has no axis ${axis} (rank ${rank}${rank === 0 ? ': a scalar has no axes' : ''})`)
  }
  return axis < 0 ? axis + rank : axis
}

/** Sorted, distinct, non-negative axes; every axis when `axes` is undefined. */
export function normalAxes(op: string, shape: Shape, axes: readonly number[] | undefined): number[] {
  if (axes === undefined) return shape.map((_, i) => i)
  if (!Array.isArray(axes)) throw new ShapeError(op, [shape], `takes its axes as a number or a list of numbers, not ${typeof axes}`)
  const normal = axes.map((a) => normalAxis(op, shape, a))
  // An axis given twice (sum(A, 0, 0), or 0 and −2 of a matrix) is a mistake, as in NumPy.
  const twice = normal.find((a, i) => normal.indexOf(a) !== i)
  if (twice !== undefined) throw new ShapeError(op, [shape], `is given axis ${twice} twice`)
  return normal.sort((a, b) => a - b)
}

/** The index, axis by axis, of entry `k` of a row-major tensor of `shape` (`[1, 2]` for k = 5 of 2×3). */
export function unravel(shape: Shape, k: number): number[] {
  const index: number[] = []
  for (let axis = shape.length - 1, rest = k; axis >= 0; axis--) {
    const d = shape[axis] as number
    index.unshift(rest % d)
    rest = Math.floor(rest / d)
  }
  return index
}

/** `shape` without `axes`. */
export const reducedShape = (shape: Shape, axes: readonly number[]): Shape => shape.filter((_, i) => !axes.includes(i))

/** `shape` with `axes` kept as 1s (NumPy's keepdims). */
export const keptShape = (shape: Shape, axes: readonly number[]): Shape => shape.map((d, i) => (axes.includes(i) ? 1 : d))
