/**
 * Forward mode on tensor programs: the value sweep, and tensor dual numbers (each node's value
 * with its tangent, a tensor of the same shape), pushed forward by the tensor rules' `jvp`.
 *
 * @example
 * import { variable, matmul, program, tensorEvaluate, tensorJvp, toNested, orThrow } from 'chainrule'
 * const A = variable('A', [2, 2]), x = variable('x', [2])
 * const p = program([matmul(A, x)])
 * const point = { A: [[1, 2], [3, 4]], x: [1, 1] }
 * toNested(orThrow(tensorEvaluate(p, point)).values[0]!)            // → [3, 7]
 * toNested(orThrow(tensorJvp(p, point, { x: [1, 0] })).tangents[0]!)   // → [1, 3]
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Program } from '../expr/program.js'
import type { Tensor } from '../ops/tensor/array.js'
import type { TM } from '../ops/tensor/rule.js'
import { jvpAt } from '../ops/tensor/step.js'
import { tensorMathOf, tensors } from '../ops/tensor/systems.js'
import type { Warning } from '../tape/diagnose.js'
import type { EvalError } from '../tape/point.js'
import { filled, loadTensorPoint, tensorSweep, type TensorPoint, type TensorTape } from '../tape/tensor.js'

export interface TensorEvalResult {
  /** The value of each output. */
  readonly values: readonly Tensor[]
  readonly warnings: readonly Warning[]
}

export interface TensorJvpResult extends TensorEvalResult {
  /** J·u for each output (a tensor of the output's shape). */
  readonly tangents: readonly Tensor[]
}

/** The value of every output of a tensor program at `point`. */
export function tensorEvaluate(program: Program, point: TensorPoint): E.Either<EvalError, TensorEvalResult> {
  return pipe(
    tensorSweep(program, point),
    E.map(({ tape, values, warnings }) => ({ values: tape.outputs.map((k) => values[k] as Tensor), warnings })),
  )
}

/**
 * The tangent of every node for the tangents `dots` of some nodes (by slot; the others are zero),
 * in any tensor number system: tensors of numbers here, nodes for symbolic derivatives. Null
 * where the tangent is zero.
 */
export function pushforward<T>(t: TM<T>, tape: TensorTape, values: readonly T[], dots: ReadonlyMap<number, T>): (T | null)[] {
  const tangents: (T | null)[] = []
  for (let i = 0; i < tape.nodes.length; i++) {
    const s = tape.steps[i]
    if (s === undefined) {
      tangents.push(dots.get(i) ?? null)
      continue
    }
    const args = tape.args[i] as number[]
    const d = args.map((k) => tangents[k] ?? null)
    tangents.push(d.every((x) => x === null) ? null : jvpAt(t, s, args.map((k) => values[k] as T), d, values[i] as T))
  }
  return tangents
}

/**
 * J·u for a tensor program: the value of each output and its tangent, for tangents `tangent` of
 * some variables (by name; a variable left out has tangent zero).
 */
export function tensorJvp(program: Program, point: TensorPoint, tangent: TensorPoint): E.Either<EvalError, TensorJvpResult> {
  return pipe(
    tensorSweep(program, point),
    E.chain(({ tape, values, warnings }) =>
      pipe(
        loadTensorPoint(tape, tangent, program, 'tangent'),
        E.map((dots) => {
          const tangents = pushforward(tensorMathOf(tensors), tape, values, dots)
          return {
            values: tape.outputs.map((k) => values[k] as Tensor),
            tangents: tape.outputs.map((k) => filled(tangents[k] ?? null, values[k] as Tensor)),
            warnings,
          }
        }),
      ),
    ),
  )
}
