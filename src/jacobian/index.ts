/**
 * Jacobians of programs with several outputs, in the mode the graph makes cheaper.
 *
 * Forward mode carries several tangents per sweep (vector dual numbers, like ForwardDiff.jl's
 * chunks): one sweep per `laneWidth` inputs. Reverse mode records the values once and carries
 * several adjoint rows per reverse sweep: one sweep per `laneWidth` outputs. Multiplying the
 * chain of local Jacobians from the input side is forward mode, from the output side reverse mode
 * (the document's A·B·C·d); `chooseMode` counts the work of both on the pruned graph and explains
 * its choice. When the Jacobian is sparse, columns (or rows) that share no row (column) share a
 * lane, so a banded n × n Jacobian takes a few lanes, not n.
 *
 * @example
 * const p = unwrap(parse('[x*y, x + sin(y), exp(x)]'))
 * jacobian(p, { x: 1, y: 2 })
 * // Right({ values: [...], jacobian: [[2, 1], [1, cos 2], [e, 0]], mode: 'forward', wrt: ['x', 'y'], ... })
 * chooseMode(p, ['x', 'y'])
 * // Right({ mode: 'forward', reason: 'forward mode: the program has 2 inputs and 3 outputs over 6 edges; ...', ... })
 * chooseMode(p, ['x', 'yy'])   // Left({ _tag: 'UnknownName', name: 'yy', suggestion: 'y', ... })
 * jacobian(broyden, x0, { sparse: true, format: 'csr' })   // 1 sweep of 3 colours for any n
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Program } from '../expr/program.js'
import { allFinite, derivativeWarnings } from '../tape/diagnose.js'
import { getKernels } from '../tape/kernels.js'
import { wrtTape } from '../tape/names.js'
import { badArgument, loadPoint, type EvalError, type Point } from '../tape/point.js'
import { baseWarnings, outputValues } from '../tape/run.js'
import type { Tape } from '../tape/tape.js'
import { factsOf } from './facts.js'
import { csrOfPattern, inFormat } from './matrix.js'
import { patternOf, type SparsityPattern } from './pattern.js'
import { planFor } from './plan.js'
import { forwardJacobian, reverseJacobian } from './sweeps.js'
import type { ChooseOptions, CooMatrix, CsrMatrix, DenseMatrix, JacobianMatrix, JacobianOptions, JacobianResult, ModeChoice } from './types.js'

export type * from './types.js'
export type { ModeCost } from './cost.js'
export type { SparsityPattern } from './pattern.js'
export { laneWidth, reverseOverForward } from './cost.js'
export { isDense, toCoo, toCsr, toDense } from './matrix.js'

/**
 * A Jacobian computed by colouring with more entries than this (256 × 256) is returned as CSR by
 * default: building a large dense matrix costs more than the compressed sweeps themselves.
 */
export const denseLimit = 65_536

/**
 * The mode a Jacobian of `program` with respect to `wrt` (distinct variables of the program)
 * should use, the work of both modes on its pruned graph (sweeps, edge visits, bytes, estimated
 * time) and one sentence saying why.
 */
export function chooseMode(program: Program, wrt: readonly string[] = program.variables, options: ChooseOptions = {}): E.Either<EvalError, ModeChoice> {
  return E.map((tape: Tape) => planFor(tape, options.mode ?? 'auto', options.sparse).choice)(wrtTape(program, wrt))
}

/**
 * Which inputs reach which outputs: entry (i, j) of the pattern is present when `wrt[j]` (a
 * variable of the program, each once) reaches output i through partials that are not
 * structurally zero.
 */
export function sparsityPattern(program: Program, wrt: readonly string[] = program.variables): E.Either<EvalError, SparsityPattern> {
  return E.map((tape: Tape) => patternOf(factsOf(tape)) as SparsityPattern)(wrtTape(program, wrt))
}

function checkOptions(options: JacobianOptions): EvalError | undefined {
  const mode: unknown = options.mode ?? 'auto'
  if (mode !== 'auto' && mode !== 'forward' && mode !== 'reverse') return badArgument(`mode must be 'auto', 'forward' or 'reverse', not '${String(mode)}'`)
  const format: unknown = options.format ?? 'dense'
  if (format !== 'dense' && format !== 'coo' && format !== 'csr') return badArgument(`format must be 'dense', 'coo' or 'csr', not '${String(format)}'`)
  return undefined
}

/**
 * Values and Jacobian of `program` at `point`: row i = output i, column j = `wrt[j]` (default:
 * every variable, sorted; each name a distinct variable of the program). The mode is
 * chosen by `chooseMode` unless `mode` forces one; `sparse` asks for (true) or forbids (false)
 * compression by colouring. Warnings name non-differentiable points met and where non-finite
 * values or derivatives arose.
 */
export function jacobian(program: Program, point: Point, options: JacobianOptions & { readonly format: 'coo' }): E.Either<EvalError, JacobianResult<CooMatrix>>
export function jacobian(program: Program, point: Point, options: JacobianOptions & { readonly format: 'csr' }): E.Either<EvalError, JacobianResult<CsrMatrix>>
export function jacobian(program: Program, point: Point, options: JacobianOptions & { readonly format: 'dense' }): E.Either<EvalError, JacobianResult<DenseMatrix>>
export function jacobian(program: Program, point: Point, options?: JacobianOptions): E.Either<EvalError, JacobianResult>
export function jacobian(program: Program, point: Point, options: JacobianOptions = {}): E.Either<EvalError, JacobianResult> {
  const bad = checkOptions(options)
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  return pipe(
    wrtTape(program, wrt),
    E.chain((tape) => pipe(loadPoint(tape, point, program), E.map((values) => ({ tape, values })))),
    E.map(({ tape, values }): JacobianResult => {
      const plan = planFor(tape, options.mode ?? 'auto', options.sparse)
      if (plan.mode === 'reverse') getKernels().forward(tape.op, tape.a0, tape.a1, values, tape.leaves, tape.size)
      const entries = plan.mode === 'forward' ? forwardJacobian(plan, values) : reverseJacobian(plan, values)
      let matrix: JacobianMatrix
      let finite: boolean
      if (entries._tag === 'dense') {
        matrix = options.format === undefined ? entries.rows : inFormat(entries.rows, options.format)
        finite = entries.rows.every(allFinite)
      } else {
        const csr = csrOfPattern(entries.pattern, entries.values)
        matrix = inFormat(csr, options.format ?? (tape.outputs.length * wrt.length <= denseLimit ? 'dense' : 'csr'))
        finite = allFinite(entries.values)
      }
      const warnings = baseWarnings(program, tape, values)
      if (!finite) warnings.push(...derivativeWarnings(tape, values, program.names))
      return {
        values: outputValues(tape, values),
        jacobian: matrix,
        mode: plan.mode,
        wrt,
        cost: plan.choice,
        sweeps: plan.sweeps,
        ...(plan.compression !== undefined ? { colours: plan.groups.ptr.length - 1 } : {}),
        warnings,
      }
    }),
  )
}
