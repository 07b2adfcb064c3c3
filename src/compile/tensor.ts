/**
 * Tensor programs compiled: the program's tape (its topological order, each node's rule and
 * arguments) is planned once and kept with the program, `wrt` is checked when compiling (a
 * misspelt name fails here, not at the first call), and the returned functions run the tensor
 * sweeps at each call, with the matrix products on the blocked kernel.
 * Data that change per call (a minibatch, its labels) are simply part of each call's point.
 *
 * @example
 * import { variable, matmul, reduceSum, mul, program, compileTensor, toNested, orThrow } from 'chainrule'
 * const X = variable('X', [2, 2]), w = variable('w', [2])
 * const loss = orThrow(compileTensor(program([reduceSum(mul(matmul(X, w), matmul(X, w)))]), { wrt: ['w'] }))
 * const g = orThrow(loss.grad({ X: [[1, 0], [0, 1]], w: [1, 2] }))
 * toNested(g.gradient.w!)   // → [2, 4]
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import type { Tensor } from '../ops/tensor/array.js'
import { tensorEvaluate, tensorJvp, type TensorEvalResult, type TensorJvpResult } from '../forward/tensor.js'
import { tensorGrad, tensorVjp, wrtSlots, type TensorGradResult, type TensorVjpResult } from '../reverse/tensor.js'
import { tensorHvp, type TensorHvpResult } from '../hvp/tensor.js'
import type { EvalError } from '../tape/point.js'
import { tensorTapeFor, type TensorPoint } from '../tape/tensor.js'
import { given, optionsError } from '../tape/options.js'

export interface CompiledTensor {
  /** The variables differentiated, in order. */
  readonly wrt: readonly string[]
  readonly evaluate: (point: TensorPoint) => E.Either<EvalError, TensorEvalResult>
  /** Value and gradient with respect to `wrt` (one scalar output). */
  readonly grad: (point: TensorPoint) => E.Either<EvalError, TensorGradResult>
  readonly vjp: (point: TensorPoint, cotangents: readonly (Tensor | number)[]) => E.Either<EvalError, TensorVjpResult>
  readonly jvp: (point: TensorPoint, tangent: TensorPoint) => E.Either<EvalError, TensorJvpResult>
  readonly hvp: (point: TensorPoint, v: TensorPoint) => E.Either<EvalError, TensorHvpResult>
}

/** A tensor program planned once for repeated calls (see the module comment). */
export function compileTensor(program: Program, options: { readonly wrt?: readonly string[] } = {}): E.Either<EvalError, CompiledTensor> {
  const bad = optionsError('compileTensor', options, { wrt: given })
  if (bad !== undefined) return E.left(bad)
  const tape = tensorTapeFor(program)
  if (E.isLeft(tape)) return tape
  const checked = wrtSlots(tape.right, options.wrt)
  if (E.isLeft(checked)) return checked
  const wrt = Object.freeze(checked.right.names)
  return E.right(
    Object.freeze({
      wrt,
      evaluate: (point: TensorPoint) => tensorEvaluate(program, point),
      grad: (point: TensorPoint) => tensorGrad(program, point, wrt),
      vjp: (point: TensorPoint, cotangents: readonly (Tensor | number)[]) => tensorVjp(program, point, cotangents, wrt),
      jvp: (point: TensorPoint, tangent: TensorPoint) => tensorJvp(program, point, tangent),
      hvp: (point: TensorPoint, v: TensorPoint) => tensorHvp(program, point, v, { wrt }),
    }),
  )
}
