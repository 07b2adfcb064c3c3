/**
 * Reverse mode: back-propagation, as the document describes it.
 *
 * A forward sweep stores every node's value; then `gradTable[output] = 1` and a sweep in reverse
 * topological order over the pruned graph G′ adds `adjoint × local partial` into each input's
 * entry. Cost is proportional to the number of edges; one sweep gives the whole gradient.
 *
 * - `grad`: symbol-to-number, the value and gradient at a point;
 * - `vjp`: wᵀJ for a program with several outputs;
 * - `gradExpr`: symbol-to-symbol, the gradient as new nodes of the same graph, which can be
 *   evaluated, printed, and differentiated again (built in a build of its own, or the caller's:
 *   see `building`).
 *
 * @example
 * import { parse, grad, vjp, gradExpr, printProgram, orThrow } from 'chainrule'
 * const p = orThrow(parse('(x+y)*z'))
 * grad(p, { x: -2, y: 5, z: -4 })   // → Right({ value: -12, gradient: { x: -4, y: -4, z: 3 }, wrt: ['x', 'y', 'z'], warnings: [] })
 * printProgram(orThrow(gradExpr(p)))   // → '[z, z, x + y]'
 * const q = orThrow(parse('[x*y, x + y]'))
 * orThrow(vjp(q, { x: 2, y: 3 }, [1, 10])).vjp   // → { x: 13, y: 12 }
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { adopt, building, type Node } from '../expr/node.js'
import { program as makeProgram, type Program } from '../expr/program.js'
import { nodes } from '../ops/build.js'
import { allFinite, seedWarnings, sweepWarnings, type Warning } from '../tape/diagnose.js'
import { wrtTape } from '../tape/names.js'
import { badArgument, kindOf, nameError, recordOf, type EvalError, type Point, notAProgram } from '../tape/point.js'
import { baseWarnings, forwardValues, outputValues } from '../tape/run.js'
import { tapeFor, type Tape } from '../tape/tape.js'
import { getReverseKernels } from './kernels.js'
import { reverseSweep } from './sweep.js'
import { rescaled } from './underflow.js'

export { reverseSweep }

export interface GradResult {
  readonly value: number
  /** ∂output/∂name for each name of `wrt`. */
  readonly gradient: Readonly<Record<string, number>>
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
}

export interface VjpResult {
  readonly values: readonly number[]
  /** wᵀJ, per variable of `wrt`. */
  readonly vjp: Readonly<Record<string, number>>
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
}

/**
 * Back-propagates `cotangent` (one entry per output) from the outputs to the `wrt` variables. The
 * fast sweep first; when its result is not finite, the careful sweep (0·∞ = 0 in every product),
 * so that reverse mode gives what forward mode gives.
 */
function backpropagate(program: Program, tape: Tape, values: Float64Array, cotangent: readonly number[]): { adjoints: Float64Array; warnings: Warning[] } {
  const g = new Float64Array(tape.size)
  let adjoints = sweep(tape, values, cotangent, g, false)
  if (!allFinite(adjoints)) adjoints = sweep(tape, values, cotangent, g.fill(0), true)
  const warnings = baseWarnings(program, tape, values)
  const seeds = seedWarnings('cotangent', cotangent, (k) => `output ${k}`)
  warnings.push(...seeds)
  if (seeds.length === 0 || allFinite(adjoints)) warnings.push(...sweepWarnings(tape, values, program.names, allFinite(adjoints), { direction: 'reverse', array: g }))
  // Adjoints below the smallest double (x/(x·x + 1) at 1e110): redone with the seed scaled.
  const rescue = allFinite(adjoints) && seeds.length === 0 ? rescaled(tape, values, cotangent, adjoints, g, program.names) : undefined
  if (rescue !== undefined) {
    adjoints = rescue.adjoints
    warnings.push(rescue.warning)
  }
  return { adjoints, warnings }
}

function sweep(tape: Tape, values: Float64Array, cotangent: readonly number[], g: Float64Array, careful: boolean): Float64Array {
  tape.outputs.forEach((slot, k) => {
    g[slot] += cotangent[k]
  })
  getReverseKernels(careful).reverse(tape.op, tape.a0, tape.a1, values, g, tape.activeOrder, tape.activeOrder.length)
  const adjoints = new Float64Array(tape.wrtSlots.length)
  for (let j = 0; j < adjoints.length; j++) adjoints[j] = tape.wrtSlots[j] >= 0 ? g[tape.wrtSlots[j]] : 0
  return adjoints
}

/** Why `what` refuses a program with several outputs (the compiled `grad` says the same). */
export const oneOutputOnly = (what: string, outputs: number): string => `${what} needs a program with one output; this one has ${outputs} (use jacobian or vjp)`

const scalarOnly = (program: Program, what: string): E.Either<EvalError, Program> =>
  program.outputs.length === 1 ? E.right(program) : E.left(badArgument(oneOutputOnly(what, program.outputs.length)))

/**
 * Value and gradient of a scalar program; `wrt` defaults to every free variable, in natural
 * order. Every `wrt` name must be a distinct free variable of the program, and the point's keys
 * exactly the program's variables.
 */
export function grad(program: Program, point: Point, wrt: readonly string[] = program.variables): E.Either<EvalError, GradResult> {
  const notProgram = notAProgram('grad', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    scalarOnly(program, 'grad'),
    E.chain(() => wrtTape(program, wrt)),
    E.chain((tape) =>
      pipe(
        forwardValues(tape, point, program),
        E.map((values) => {
          const { adjoints, warnings } = backpropagate(program, tape, values, [1])
          return { value: values[tape.outputs[0]], gradient: recordOf(wrt, adjoints), wrt, warnings }
        }),
      ),
    ),
  )
}

/** Values and the vector-Jacobian product wᵀJ, with one cotangent entry (a number) per output. */
export function vjp(program: Program, point: Point, cotangent: readonly number[], wrt: readonly string[] = program.variables): E.Either<EvalError, VjpResult> {
  const notProgram = notAProgram('vjp', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    checkCotangent(program, cotangent),
    E.chain(() => wrtTape(program, wrt)),
    E.chain((tape) =>
      pipe(
        forwardValues(tape, point, program),
        E.map((values) => {
          const { adjoints, warnings } = backpropagate(program, tape, values, cotangent)
          return { values: outputValues(tape, values), vjp: recordOf(wrt, adjoints), wrt, warnings }
        }),
      ),
    ),
  )
}

function checkCotangent(program: Program, cotangent: readonly number[]): E.Either<EvalError, readonly number[]> {
  if (!Array.isArray(cotangent) && !ArrayBuffer.isView(cotangent)) return E.left(badArgument(`the cotangent must be a list of numbers, one per output, not ${kindOf(cotangent)}`))
  if (cotangent.length !== program.outputs.length) {
    return E.left(badArgument(`the cotangent has ${cotangent.length} entries but the program has ${program.outputs.length} outputs`))
  }
  for (let k = 0; k < cotangent.length; k++) {
    if (typeof cotangent[k] !== 'number') return E.left(nameError({ _tag: 'NotANumber', name: String(k), argument: 'cotangent', got: kindOf(cotangent[k]) }))
  }
  return E.right(cotangent)
}

/**
 * Symbol-to-symbol: the gradient of a scalar program as a program with one output per `wrt`
 * variable (distinct variables of the program), built from the same primitives (so it can be
 * differentiated again). It keeps the program's variables: the gradient of x + y, [1, 1], is
 * still a program of x and y, evaluated at the same points.
 */
export function gradExpr(program: Program, wrt: readonly string[] = program.variables): E.Either<EvalError, Program> {
  const notProgram = notAProgram('gradExpr', program)
  if (notProgram !== undefined) return E.left(notProgram)
  return pipe(
    scalarOnly(program, 'gradExpr'),
    E.chain(() => wrtTape(program, wrt)),
    E.map(() => symbolicGradient(program, wrt)),
  )
}

/**
 * `gradExpr` of a scalar program without checking `wrt`: a name that is not a variable gets the
 * constant 0. For the library's own derivatives of derivatives, once the caller's names are
 * checked. The gradient keeps the program's variables, even those it no longer uses.
 */
export function symbolicGradient(program: Program, wrt: readonly string[]): Program {
  const tape = tapeFor(program.outputs, wrt)
  // One build for the derivative, which adopts the program's nodes: the rules find `cos(x)`
  // where the program has it, and the gradient shares the program's nodes.
  return building(() => {
    adopt(tape.nodes)
    const gradTable = reverseSweepNodes(tape)
    const outputs: Node[] = Array.from(tape.wrtSlots, (s) => (s >= 0 ? gradTable[s] : null) ?? nodes.constant(0))
    return makeProgram(outputs, { vector: true, names: program.names, variables: program.variables })
  }, 2 * tape.size)
}


function reverseSweepNodes(tape: Tape): (Node | null)[] {
  return reverseSweep(nodes, tape, tape.nodes, [[tape.outputs[0], nodes.constant(1)]])
}
