/**
 * gradcheck for tensor programs: every entry of the Jacobian, forward and reverse mode
 * (`tensorJacobian`), against central differences of `tensorEvaluate`, one input entry at a time;
 * with `order: 2`, the Hessian of a program with one scalar output (`tensorHessian`, forward over
 * reverse) against central differences of `tensorGrad`. The variables are those `tensorGrad`
 * differentiates by default (labels and indices are data), or `wrt`. Meant for small tensors: a
 * check costs two evaluations per input entry (and two gradients per entry at order 2).
 *
 * @example
 * gradcheck(program([reduceSum(softmax(X, 1))]), { X: [[1, 2], [3, 4]] })   // Right(...)
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { tensorEvaluate } from '../forward/tensor.js'
import { tensorHessian } from '../hvp/tensor.js'
import { tensorJacobian, type TensorJacobianResult } from '../jacobian/tensor.js'
import type { Tensor } from '../ops/tensor/array.js'
import { unravel } from '../ops/tensor/shape.js'
import { tensorGrad } from '../reverse/tensor.js'
import { badArgument, type EvalError } from '../tape/point.js'
import type { Warning } from '../tape/diagnose.js'
import { tensorValueOf, type TensorPoint } from '../tape/tensor.js'
import { compareEntry, stepAt, type Entry, type Tolerance } from './compare.js'

export interface TensorSettings {
  readonly tol: Tolerance
  readonly eps: number
  readonly order: 1 | 2
  readonly modes: readonly ('forward' | 'reverse')[]
  readonly wrt: readonly string[] | undefined
}

/** The point with every value a tensor (nested arrays and numbers read), or what is wrong with one. */
export function tensorsOf(point: TensorPoint): E.Either<EvalError, Record<string, Tensor>> {
  if (typeof point !== 'object' || point === null) return E.left(badArgument('the point must be a record of values by name'))
  const out: Record<string, Tensor> = {}
  for (const [name, v] of Object.entries(point)) {
    const t = tensorValueOf(v)
    if (typeof t === 'string') return E.left(badArgument(`the value of '${name}' in the point: ${t}`))
    out[name] = t
  }
  return E.right(out)
}

/** `name[i,j]` for entry k of a tensor of `shape` (just `name` for a scalar). */
export function entryLabel(name: string, shape: readonly number[], k: number): string {
  return shape.length === 0 ? name : `${name}[${unravel(shape, k).join(',')}]`
}

/** The point with entry k of `name` set to x (a copy of that tensor; the others shared). */
const withEntry = (point: Readonly<Record<string, Tensor>>, name: string, k: number, x: number): Record<string, Tensor> => {
  const t = point[name] as Tensor
  const data = t.data.slice()
  data[k] = x
  return { ...point, [name]: { shape: t.shape, data } }
}

/** Every output's entries, flattened and concatenated. */
const flatOutputs = (values: readonly Tensor[]): number[] => values.flatMap((t) => Array.from(t.data))

/** The compared entries of a tensor program, or the toolkit's error. */
export function tensorEntries(p: Program, point: TensorPoint, s: TensorSettings): E.Either<EvalError, Entry[]> {
  const read = tensorsOf(point)
  if (E.isLeft(read)) return read
  const at = read.right
  const wrtOption = s.wrt === undefined ? {} : { wrt: s.wrt }
  const Js: TensorJacobianResult[] = []
  for (const mode of s.modes) {
    const J = tensorJacobian(p, at, { ...wrtOption, mode })
    if (E.isLeft(J)) return J
    Js.push(J.right)
  }
  const reference = Js[0]
  if (reference === undefined) return E.left(badArgument('no mode to check'))
  const { rows, cols, wrt } = reference
  // Central differences, one column per input entry.
  const labels: string[] = []
  const numeric = new Float64Array(rows * cols)
  let col = 0
  for (const name of wrt) {
    const t = at[name] as Tensor
    for (let k = 0; k < t.data.length; k++, col++) {
      labels.push(entryLabel(name, t.shape, k))
      const x = t.data[k] as number
      const h = stepAt(x, s.eps)
      const plus = tensorEvaluate(p, withEntry(at, name, k, x + h))
      const minus = tensorEvaluate(p, withEntry(at, name, k, x - h))
      if (E.isLeft(plus)) return plus
      if (E.isLeft(minus)) return minus
      const fp = flatOutputs(plus.right.values)
      const fm = flatOutputs(minus.right.values)
      for (let i = 0; i < rows; i++) numeric[i * cols + col] = ((fp[i] as number) - (fm[i] as number)) / (2 * h)
    }
  }
  const entries: Entry[] = []
  Js.forEach((J, m) => {
    const mode = s.modes[m] as 'forward' | 'reverse'
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) entries.push(compareEntry({ output: i, variable: labels[j] as string, index: [i, j], mode }, J.jacobian[i * cols + j] as number, numeric[i * cols + j] as number, s.tol))
  })
  if (s.order === 2) {
    if (rows !== 1) return E.left(badArgument(`order 2 checks a tensor program with one scalar output; this one has ${rows} output entries`))
    const H = tensorHessian(p, at, { wrt })
    if (E.isLeft(H)) return H
    const gradientAt = (q: Record<string, Tensor>): E.Either<EvalError, number[]> =>
      E.map((g: { gradient: Readonly<Record<string, Tensor>> }) => wrt.flatMap((n) => Array.from((g.gradient[n] as Tensor).data)))(tensorGrad(p, q, wrt))
    let c = 0
    for (const name of wrt) {
      const t = at[name] as Tensor
      for (let k = 0; k < t.data.length; k++, c++) {
        const x = t.data[k] as number
        const h = stepAt(x, s.eps)
        const gp = gradientAt(withEntry(at, name, k, x + h))
        const gm = gradientAt(withEntry(at, name, k, x - h))
        if (E.isLeft(gp)) return gp
        if (E.isLeft(gm)) return gm
        for (let r = 0; r < cols; r++) {
          const fd = ((gp.right[r] as number) - (gm.right[r] as number)) / (2 * h)
          entries.push(compareEntry({ output: 0, variable: `${labels[r] as string}, ${labels[c] as string}`, index: [0, r, c], mode: 'forward-over-reverse' }, H.right.hessian[r * cols + c] as number, fd, s.tol))
        }
      }
    }
  }
  return E.right(entries)
}

/** The toolkit's warnings for the program's Jacobian at the point (kinks met, non-finite values). */
export function tensorWarnings(p: Program, point: TensorPoint, wrt: readonly string[] | undefined): readonly Warning[] {
  const at = tensorsOf(point)
  if (E.isLeft(at)) return []
  const J = tensorJacobian(p, at.right, wrt === undefined ? {} : { wrt })
  return E.isRight(J) ? J.right.warnings : []
}
