/**
 * Hessian-vector products, the document's H v = ∇ₓ[(∇ₓ f)ᵀ v], two ways:
 *
 * - `hvp` (symbol-to-number): forward-over-reverse with the compiled kernels, one jvp sweep and
 *   one reverse sweep over dual numbers, a small constant times the cost of one gradient
 *   whatever the number of variables;
 * - `hvpExpr` (symbol-to-symbol): the gradient of (∇f)ᵀ·stop_gradient(v) as new nodes, which
 *   can be printed, evaluated, and differentiated again.
 *
 * When v is itself computed by the graph (a gradient, a Newton step, ...), the document's closing
 * note applies: the library must be told not to differentiate through it. `stopGradient(e)` has
 * the value of `e` and derivative zero; `hvpExpr` wraps every direction entry in it.
 *
 * @example
 * import { hvp, program, mul, add, variable, orThrow } from 'chainrule'
 * const x = variable('x'), y = variable('y'), z = variable('z')
 * orThrow(hvp(program([mul(add(x, y), z)]), { x: -2, y: 5, z: -4 }, { x: 1, z: -2 }))
 * // → { value: -12, hvp: { x: -2, y: -2, z: 1 }, gradient: { x: -4, y: -4, z: 3 } }
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { building, type Node } from '../expr/node.js'
import { program as makeProgram, type Program } from '../expr/program.js'
import { build, nodes, type Arg } from '../ops/build.js'
import { gradExpr, symbolicGradient } from '../reverse/index.js'
import type { Warning } from '../tape/diagnose.js'
import { directionOf } from '../tape/names.js'
import { recordOf, type EvalError, type Point, notAProgram } from '../tape/point.js'
import { tapeFor } from '../tape/tape.js'
import { underflowWarning } from '../reverse/underflow.js'
import { atWrt, hvpSweep, prepare, workspace } from './sweep.js'
import { hvpWarnings } from './warnings.js'
import { given, optionsError } from '../tape/options.js'

export interface HvpOptions {
  /** The variables of H and v; defaults to every free variable, in natural order. */
  readonly wrt?: readonly string[] | undefined
}

export interface HvpResult {
  readonly value: number
  /** H·v, per variable of `wrt`. */
  readonly hvp: Readonly<Record<string, number>>
  /** ∇f, per variable of `wrt` (it comes for free from the same sweep). */
  readonly gradient: Readonly<Record<string, number>>
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
}

/** The value of `e`, with derivative zero: nothing upstream of it is differentiated. */
export const stopGradient = (e: Arg): Node => build.stop_gradient(e)

/**
 * Value, gradient and Hessian-vector product H·v of a scalar program at `point`. `v` gives one
 * entry per `wrt` variable; an absent entry is 0, an entry for any other name an error.
 */
export function hvp(program: Program, point: Point, v: Point, options: HvpOptions = {}): E.Either<EvalError, HvpResult> {
  const notProgram = notAProgram('hvp', program)
  if (notProgram !== undefined) return E.left(notProgram)
  const bad = optionsError('hvp', options, { wrt: given })
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  return pipe(
    prepare(program, point, wrt, 'hvp'),
    E.chain(({ tape, values }) => E.map((direction: Float64Array) => ({ tape, values, direction }))(directionOf(program, tape, v))),
    E.map(({ tape, values, direction }) => {
      const work = workspace(tape)
      const underflow = hvpSweep(tape, values, direction, work)
      const gradient = atWrt(tape, work.g)
      const hv = atWrt(tape, work.h)
      const warnings = [...hvpWarnings(program, tape, values, work.t, [gradient, hv]), ...(underflow < 0 ? [] : [underflowWarning(tape, values, program.names, underflow)])]
      return { value: values[tape.outputs[0]], hvp: recordOf(wrt, hv), gradient: recordOf(wrt, gradient), wrt, warnings }
    }),
  )
}

/**
 * Symbol-to-symbol H·v: a vector program with one output per `wrt` variable, built as the
 * gradient of Σⱼ ∂f/∂xⱼ · stop_gradient(vⱼ). The entries of `direction` may be numbers or nodes
 * (even nodes computed from the variables: they are not differentiated). Absent entries are 0.
 */
export function hvpExpr(program: Program, direction: Readonly<Record<string, Arg>>, options: HvpOptions = {}): E.Either<EvalError, Program> {
  const notProgram = notAProgram('hvpExpr', program)
  if (notProgram !== undefined) return E.left(notProgram)
  const bad = optionsError('hvpExpr', options, { wrt: given })
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  // One build for both gradients and the sum between them.
  return building(() =>
    pipe(
      gradExpr(program, wrt),
      E.chainFirst(() => directionOf(program, tapeFor(program.outputs, wrt), direction, isArg)),
      E.map((gradient) => {
        let inner: Node = nodes.constant(0)
        wrt.forEach((name, j) => {
          if (!Object.prototype.propertyIsEnumerable.call(direction, name)) return
          inner = build.add(inner, build.mul(gradient.outputs[j], stopGradient(direction[name])))
        })
        return symbolicGradient(makeProgram([inner], { names: program.names, variables: program.variables }), wrt)
      }),
    ),
  )
}

/** A direction entry of `hvpExpr`: a number or a node. */
const isArg = (x: unknown): boolean =>
  typeof x === 'number' || (typeof x === 'object' && x !== null && ['const', 'var', 'apply'].includes((x as { _tag?: unknown })._tag as string))
