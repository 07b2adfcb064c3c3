/**
 * Forward mode: evaluation, and Jacobian-vector products with dual numbers.
 *
 * `jvp(program, point, tangent)` carries a value and a tangent through every node in one sweep;
 * the tangent of each output is the directional derivative J·v. Cost: one sweep per direction,
 * no memory beyond the current values (the document's §4: preferable when outputs outnumber
 * inputs).
 *
 * @example
 * import { parse, jvp, derivativeAt, orThrow } from 'chainrule'
 * const p = orThrow(parse('sin(x) * y'))
 * jvp(p, { x: 1, y: 2 }, { x: 1 })   // → Right({ values: [1.6829], tangents: [1.0806], warnings: [] })   2 sin 1, 2 cos 1
 * orThrow(derivativeAt(p, { x: 1, y: 2 }, 'x')).derivative   // → 1.0806   the same, for one variable
 */
import * as E from 'fp-ts/lib/Either.js'
import { scalarTape } from '../tape/names.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Program } from '../expr/program.js'
import { allFinite, seedWarnings, sweepWarnings, type Warning } from '../tape/diagnose.js'
import { tangentTape, wrtTape } from '../tape/names.js'
import { loadPoint, type EvalError, type Point, notAProgram } from '../tape/point.js'
import { baseWarnings, forwardValues, outputValues } from '../tape/run.js'
import { noNames, type Tape } from '../tape/tape.js'
import { getForwardKernels } from './kernels.js'

export { forwardSweep } from './sweep.js'

export interface EvalResult {
  /** One value per output (a scalar program has one). */
  readonly values: readonly number[]
  readonly warnings: readonly Warning[]
}

/** The program's output values at `point` (whose keys must be exactly the program's variables). */
export function evaluate(program: Program, point: Point): E.Either<EvalError, EvalResult> {
  const notProgram = notAProgram('evaluate', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    scalarTape(program, noNames),
    E.chain((tape) =>
      pipe(
        forwardValues(tape, point, program),
        E.map((values) => ({ values: outputValues(tape, values), warnings: baseWarnings(program, tape, values) })),
      ),
    ),
  )
}

export interface JvpResult {
  readonly values: readonly number[]
  /** J·v: the directional derivative of each output along the tangent. */
  readonly tangents: readonly number[]
  readonly warnings: readonly Warning[]
}

/**
 * Values and the Jacobian-vector product J·v, with v given per variable (absent variables have
 * tangent 0; a key that is not a variable of the program is an error). One forward sweep over
 * dual numbers.
 */
export function jvp(program: Program, point: Point, tangent: Point): E.Either<EvalError, JvpResult> {
  const notProgram = notAProgram('jvp', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    tangentTape(program, tangent),
    E.chain((tape) =>
      pipe(
        loadPoint(tape, point, program),
        E.map((values) => sweepAlong(program, tape, values, Float64Array.from(tape.wrt, (name) => tangent[name]))),
      ),
    ),
  )
}

/** One forward sweep of the tangents `v` (one per `tape.wrt` name) from the loaded `values`. */
function sweepAlong(program: Program, tape: Tape, values: Float64Array, v: Float64Array): JvpResult {
  const t = new Float64Array(tape.size)
  const sweep = (careful: boolean): number[] => {
    t.fill(0)
    tape.wrtSlots.forEach((slot, j) => {
      if (slot >= 0) t[slot] = v[j]
    })
    getForwardKernels(careful).jvp(tape.op, tape.a0, tape.a1, values, t, tape.leaves, tape.size)
    return Array.from(tape.outputs, (s) => t[s])
  }
  // The fast sweep, and the careful one (0·∞ = 0 in every product) when it is not finite.
  let tangents = sweep(false)
  if (!allFinite(tangents)) tangents = sweep(true)
  const warnings = baseWarnings(program, tape, values)
  // A NaN or infinite direction is named; where it made the tangents non-finite, it is the cause.
  const seeds = seedWarnings('direction', v, (j) => tape.wrt[j] as string)
  warnings.push(...seeds)
  if (seeds.length === 0 || allFinite(tangents)) warnings.push(...sweepWarnings(tape, values, program.names, allFinite(tangents), { direction: 'forward', array: t }))
  return { values: outputValues(tape, values), tangents, warnings }
}

export interface DerivativeResult {
  readonly value: number
  readonly derivative: number
  readonly warnings: readonly Warning[]
}

/** d output / d `name` of a scalar program at a point: a jvp along one variable of the program. */
export function derivativeAt(program: Program, point: Point, name: string): E.Either<EvalError, DerivativeResult> {
  const notProgram = notAProgram('derivativeAt', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    wrtTape(program, [name]),
    E.chain((tape) => pipe(loadPoint(tape, point, program), E.map((values) => sweepAlong(program, tape, values, Float64Array.of(1))))),
    E.map((r) => ({ value: r.values[0], derivative: r.tangents[0], warnings: r.warnings })),
  )
}
