/**
 * Jacobians of tensor programs, with inputs and outputs flattened in row-major order (the
 * document's §1.1: a tensor is a vector once its indices are laid out): one forward sweep per
 * input entry, or one reverse sweep per output entry, whichever makes fewer sweeps.
 *
 * @example
 * import { variable, matmul, program, tensorJacobian, orThrow } from 'chainrule'
 * const A = variable('A', [2, 2]), x = variable('x', [2])
 * const r = orThrow(tensorJacobian(program([matmul(A, x)]), { A: [[1, 2], [3, 4]], x: [1, 1] }, { wrt: ['x'] }))
 * Array.from(r.jacobian)   // → [1, 2, 3, 4]   the 2×2 Jacobian of A·x with respect to x is A
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Shape } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import type { Tensor } from '../ops/tensor/array.js'
import { sizeOf } from '../ops/tensor/shape.js'
import { tensorMathOf, tensors } from '../ops/tensor/systems.js'
import { jacobianColumns, unitSeed } from '../forward/tensor.js'
import { dependsOn, pullback, wrtSlots } from '../reverse/tensor.js'
import type { Warning } from '../tape/diagnose.js'
import type { EvalError } from '../tape/point.js'
import { tensorDenseLimit, tensorSweep, tooLarge, type TensorPoint, type TensorTape } from '../tape/tensor.js'
import { given, oneOf, optionsError } from '../tape/options.js'

export interface TensorJacobianOptions {
  /** The variables to differentiate with respect to, in order (all by default). */
  readonly wrt?: readonly string[] | undefined
  /** `auto` (default) picks the mode with fewer sweeps. */
  readonly mode?: 'auto' | 'forward' | 'reverse' | undefined
}

export interface TensorJacobianResult {
  /** The outputs' entries, flattened in row-major order and concatenated. */
  readonly value: Float64Array
  /** rows × cols, row-major: row i is output entry i, column j is input entry j. */
  readonly jacobian: Float64Array
  readonly rows: number
  readonly cols: number
  readonly wrt: readonly string[]
  /** The shape of each variable of `wrt`. */
  readonly shapes: Readonly<Record<string, Shape>>
  readonly outputShapes: readonly Shape[]
  readonly mode: 'forward' | 'reverse'
  readonly warnings: readonly Warning[]
}

/** The Jacobian of every output of a tensor program with respect to `wrt`, flattened (at most `tensorDenseLimit` entries). */
export function tensorJacobian(program: Program, point: TensorPoint, options: TensorJacobianOptions = {}): E.Either<EvalError, TensorJacobianResult> {
  const bad = optionsError('tensorJacobian', options, { wrt: given, mode: oneOf('auto', 'forward', 'reverse') })
  if (bad !== undefined) return E.left(bad)
  return pipe(
    tensorSweep(program, point),
    E.chain(({ tape, values, warnings }) =>
      pipe(
        wrtSlots(tape, options.wrt),
        E.chain(({ names, slots }) => {
          const inShapes = slots.map((s) => (values[s] as Tensor).shape)
          const outShapes = tape.outputs.map((k) => (values[k] as Tensor).shape)
          const cols = inShapes.reduce((n, s) => n + sizeOf(s), 0)
          const rows = outShapes.reduce((n, s) => n + sizeOf(s), 0)
          if (rows * cols > tensorDenseLimit) return E.left(tooLarge('Jacobian', rows, cols))
          const mode = options.mode === 'forward' || options.mode === 'reverse' ? options.mode : cols <= rows ? 'forward' : 'reverse'
          const jacobian = mode === 'forward' ? jacobianColumns(tape, values, slots, inShapes, rows) : reverseRows(tape, values, slots, rows, cols)
          const value = new Float64Array(rows)
          let at = 0
          for (const k of tape.outputs) {
            value.set((values[k] as Tensor).data, at)
            at += (values[k] as Tensor).data.length
          }
          return E.right({ value, jacobian, rows, cols, wrt: names, shapes: Object.fromEntries(names.map((n, i) => [n, inShapes[i] as Shape])), outputShapes: outShapes, mode, warnings })
        }),
      ),
    ),
  )
}

function reverseRows(tape: TensorTape, values: readonly Tensor[], slots: readonly number[], rows: number, cols: number): Float64Array {
  const t = tensorMathOf(tensors)
  const out = new Float64Array(rows * cols)
  const needs = dependsOn(tape, new Set(slots))
  const outShapes = tape.outputs.map((k) => (values[k] as Tensor).shape)
  for (let i = 0; i < rows; i++) {
    const seeds = unitSeed(tape.outputs, outShapes, i)
    const adjoints = pullback(t, tape, values, seeds, needs, (a, b) => t.add(a, b))
    let j = 0
    for (const s of slots) {
      const a = adjoints[s]
      const n = (values[s] as Tensor).data.length
      if (a !== undefined) out.set(a.data, i * cols + j)
      j += n
    }
  }
  return out
}
