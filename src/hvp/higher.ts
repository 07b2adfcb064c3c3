/**
 * Derivatives of any order along one variable, two ways that must agree:
 *
 * - `derivative(program, 'x', k)`: symbol-to-symbol, as the document recommends: the derivative
 *   is just another graph, so differentiate it again, k times (`gradExpr` with wrt ['x']).
 *   Hash-consing shares the common subexpressions the repeated rules produce.
 * - `derivativesAt(program, point, 'x', k)`: symbol-to-number with nested dual numbers, k levels
 *   of `dualOf` over plain numbers, pushed through the generic `forwardSweep`. The variable is
 *   seeded as x + ε₁ + … + εₖ (each εᵢ² = 0); the coefficient of εᵢ…εₖ for the top j levels is
 *   f⁽ʲ⁾(x), so one sweep gives every order from 0 to k. Each node costs about 3ᵏ operations:
 *   meant for small k.
 *
 * @example
 * import { derivative, derivativesAt, printProgram, program, sin, variable, orThrow } from 'chainrule'
 * const f = program([sin(variable('x'))])
 * printProgram(orThrow(derivative(f, 'x', 2)))   // → '-sin(x)'
 * orThrow(derivativesAt(f, { x: 1 }, 'x', 3))
 * // → { value: 0.8415, derivative: -0.5403, derivatives: [0.8415, 0.5403, -0.8415, -0.5403] }
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { building } from '../expr/node.js'
import { program as makeProgram, type Program } from '../expr/program.js'
import { forwardSweep } from '../forward/sweep.js'
import { dual, dualOf, type Dual } from '../ops/dual.js'
import { numbers } from '../ops/math.js'
import type { Num } from '../ops/rule.js'
import { symbolicGradient } from '../reverse/index.js'
import { allFinite, sweepWarnings, type Warning } from '../tape/diagnose.js'
import { wrtTape } from '../tape/names.js'
import { badArgument, type EvalError, type Point, notAProgram } from '../tape/point.js'
import { baseWarnings, forwardValues } from '../tape/run.js'

export interface HigherDerivativeResult {
  readonly value: number
  /** f⁽ᵏ⁾ at the point. */
  readonly derivative: number
  /** f⁽ʲ⁾ for j = 0..k (derivatives[0] is the value). */
  readonly derivatives: readonly number[]
  readonly warnings: readonly Warning[]
}

function checkOrder(program: Program, k: number, what: string): E.Either<EvalError, number> {
  if (program.outputs.length !== 1) return E.left(badArgument(`${what} needs a program with one output; this one has ${program.outputs.length}`))
  if (!Number.isSafeInteger(k) || k < 0) return E.left(badArgument(`the order of a derivative must be a whole number ≥ 0, not ${k}`))
  return E.right(k)
}

/**
 * The k-th derivative of a scalar program along `name` (a variable of the program), as a
 * scalar program (k = 0 gives the program back).
 */
export function derivative(program: Program, name: string, k: number): E.Either<EvalError, Program> {
  const notProgram = notAProgram('derivative', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    checkOrder(program, k, 'derivative'),
    E.chain(() => wrtTape(program, [name])),
    E.map(() =>
      // One build for every order, so that they share what the repeated rules produce.
      building(() => {
        let q = program
        for (let i = 0; i < k; i++) q = symbolicGradient(q, [name])
        return k === 0 ? q : makeProgram(q.outputs, { vector: false, names: program.names, variables: program.variables })
      }),
    ),
  )
}

/** A nested dual number: a plain number at level 0. */
type Nested = number | Dual<Nested>

/** The number systems dualOf^level(numbers), for level = 0..k. */
function levels(k: number): Num<Nested>[] {
  const out: Num<Nested>[] = [numbers as Num<Nested>]
  for (let l = 1; l <= k; l++) out.push(dualOf(out[l - 1]) as Num<Nested>)
  return out
}

/** `x` as a constant of level `l` (every tangent zero). */
const lift = (x: number, l: number): Nested => (l === 0 ? x : dual(lift(x, l - 1), lift(0, l - 1)))

/** `x + ε₁ + … + εₗ`: the variable seeded at every level. */
const seed = (x: number, l: number): Nested => (l === 0 ? x : dual(seed(x, l - 1), lift(1, l - 1)))

/** The coefficient of the top `j` ε's in a level-`k` number: f⁽ʲ⁾. */
function coefficient(y: Nested, k: number, j: number): number {
  let z = y
  for (let l = k; l > 0; l--) {
    const d = z as Dual<Nested>
    z = l > k - j ? d.tangent : d.value
  }
  return z as number
}

/**
 * f⁽ʲ⁾ at `point` for j = 0..k along `name`, with k levels of nested dual numbers (the other
 * variables held fixed).
 */
export function derivativesAt(program: Program, point: Point, name: string, k: number): E.Either<EvalError, HigherDerivativeResult> {
  const notProgram = notAProgram('derivativesAt', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    checkOrder(program, k, 'derivativesAt'),
    E.chain(() => wrtTape(program, [name])),
    E.chain((tape) => E.map((values: Float64Array) => ({ tape, values }))(forwardValues(tape, point, program))),
    E.map(({ tape, values }) => {
      const num = levels(k)[k]
      const slot = tape.wrtSlots[0]
      const swept = forwardSweep(num, tape, (s) => (s === slot ? seed(values[s], k) : lift(values[s], k)))
      const out = swept[tape.outputs[0]]
      const derivatives = Array.from({ length: k + 1 }, (_, j) => coefficient(out, k, j))
      const warnings = baseWarnings(program, tape, values)
      warnings.push(...sweepWarnings(tape, values, program.names, allFinite(derivatives)))
      return { value: derivatives[0], derivative: derivatives[k], derivatives, warnings }
    }),
  )
}
