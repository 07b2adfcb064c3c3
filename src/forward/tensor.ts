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
import type { Shape } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import type { Tensor } from '../ops/tensor/array.js'
import type { TM } from '../ops/tensor/rule.js'
import { sizeOf } from '../ops/tensor/shape.js'
import { jvpAt } from '../ops/tensor/step.js'
import { tensorMathOf, tensors } from '../ops/tensor/systems.js'
import type { Warning } from '../tape/diagnose.js'
import { badArgument, type EvalError } from '../tape/point.js'
import { differentiableVariables, filled, loadTensorPoint, tensorSweep, type TensorPoint, type TensorTape } from '../tape/tensor.js'

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
        E.chainFirst(() => {
          // A tangent for labels or indices (a cross-entropy's classes, a take's indices) would be
          // ignored, every tangent 0: refused, as wrt refuses them.
          const differentiable = differentiableVariables(tape)
          const data = typeof tangent === 'object' && tangent !== null ? Object.keys(tangent).find((name) => tape.variables.has(name) && !differentiable.includes(name)) : undefined
          return data === undefined ? E.right(undefined) : E.left(badArgument(`'${data}' in the tangent reaches the outputs only as labels or indices, which are not differentiable (give tangents for ${differentiable.map((n) => `'${n}'`).join(', ') || 'none'})`))
        }),
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

/**
 * Unit vector j over the entries of the tensors at `slots` (of `shapes`), flattened in order, as
 * tangents (or adjoints) by slot. A slot of −1 is a variable the tape does not have: its entries
 * count, and seeding one seeds nothing.
 */
export function unitSeed(slots: readonly number[], shapes: readonly Shape[], j: number): Map<number, Tensor> {
  let k = 0
  while (j >= sizeOf(shapes[k] as Shape)) j -= sizeOf(shapes[k++] as Shape)
  if ((slots[k] as number) < 0) return new Map()
  const data = new Float64Array(sizeOf(shapes[k] as Shape))
  data[j] = 1
  return new Map([[slots[k] as number, { shape: shapes[k] as Shape, data }]])
}

/**
 * The Jacobian of the tape's outputs (flattened and concatenated: `rows` entries) with respect to
 * the entries of the tensors at `slots` (of `shapes`), one forward sweep per column, row-major.
 */
export function jacobianColumns(tape: TensorTape, values: readonly Tensor[], slots: readonly number[], shapes: readonly Shape[], rows: number): Float64Array {
  const t = tensorMathOf(tensors)
  const cols = shapes.reduce((n, s) => n + sizeOf(s), 0)
  const out = new Float64Array(rows * cols)
  for (let j = 0; j < cols; j++) {
    const seed = unitSeed(slots, shapes, j)
    if (seed.size === 0) continue
    const tangents = pushforward(t, tape, values, seed)
    let i = 0
    for (const k of tape.outputs) {
      const d = tangents[k]
      const n = (values[k] as Tensor).data.length
      // A tangent may be a scalar standing for its broadcast (a constant's output).
      if (d !== null && d !== undefined) for (let e = 0; e < n; e++) out[(i + e) * cols + j] = d.data.length === 1 ? (d.data[0] as number) : (d.data[e] as number)
      i += n
    }
  }
  return out
}
