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
 * import { parse, jacobian, chooseMode, orThrow } from 'chainrule'
 * const p = orThrow(parse('[x*y, x + sin(y), exp(x)]'))
 * orThrow(jacobian(p, { x: 1, y: 2 }))
 * // → { values: [2, 1.9093, 2.7183], jacobian: [[2, 1], [1, -0.4161], [2.7183, 0]], mode: 'forward', wrt: ['x', 'y'] }
 * orThrow(chooseMode(p)).reason   // → 'forward mode: ...'
 * chooseMode(p, ['x', 'yy'])._tag   // → 'Left'   (an UnknownName error: did you mean 'y'?)
 * const broyden = orThrow(parse('[(3 - 2*x1)*x1 - 2*x2 + 1, (3 - 2*x2)*x2 - x1 - 2*x3 + 1, (3 - 2*x3)*x3 - x2 + 1]'))
 * const r = orThrow(jacobian(broyden, { x1: -1, x2: -1, x3: -1 }, { sparse: true, format: 'csr' }))
 * const work = [r.sweeps, r.colours]   // → [1, 3]   one sweep of 3 colours, for any number of variables
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Program } from '../expr/program.js'
import { getForwardKernels } from '../forward/kernels.js'
import { outputAdjoints } from '../reverse/kernels.js'
import { mayHaveUnderflowed, rescaledRow } from '../reverse/underflow.js'
import { allFinite, sweepWarnings, type Sensitivities, type Warning } from '../tape/diagnose.js'
import { getValueKernels } from '../tape/kernels.js'
import { wrtTape } from '../tape/names.js'
import { badArgument, loadPoint, type EvalError, type Point, notAProgram } from '../tape/point.js'
import { baseWarnings, outputValues } from '../tape/run.js'
import type { Tape } from '../tape/tape.js'
import { factsOf } from './facts.js'
import { csrOfPattern, inFormat } from './matrix.js'
import { patternOf, type SparsityPattern } from './pattern.js'
import { planFor } from './plan.js'
import { forwardJacobian, reverseJacobian, type Entries } from './sweeps.js'
import type { ChooseOptions, CooMatrix, CsrMatrix, DenseMatrix, JacobianMatrix, JacobianOptions, JacobianResult, ModeChoice } from './types.js'
import { given, isBoolean, oneOf, optionsError } from '../tape/options.js'

export type * from './types.js'
export type { ModeCost } from './cost.js'
export type { SparsityPattern } from './pattern.js'
export { laneWidth, reverseOverForward, tieFactor } from './cost.js'
export { isDense, toCoo, toCsr, toDense } from './matrix.js'
export { textbookChoice, textbookOf, liveValues, type TextbookChoice } from './textbook.js'

/**
 * The most entries (1024 × 1024) of a dense matrix built by default from a Jacobian computed by
 * colouring: beyond it the default format is refused with a message asking for `format: 'csr'`
 * (or 'coo'), since the dense matrix would cost far more than the compressed sweeps themselves
 * (10⁸ entries for a banded 10⁴ × 10⁴ Jacobian with 3·10⁴ non-zeros). An explicit
 * `format: 'dense'` is always honoured.
 */
export const denseLimit = 1 << 20

/**
 * The mode a Jacobian of `program` with respect to `wrt` (distinct variables of the program)
 * should use, the work of both modes on its pruned graph (sweeps, edge visits, bytes, estimated
 * time) and one sentence saying why.
 */
export function chooseMode(program: Program, wrt: readonly string[] = program.variables, options: ChooseOptions = {}): E.Either<EvalError, ModeChoice> {
  const notProgram = notAProgram('chooseMode', program)
  if (notProgram !== undefined) return E.left(notProgram)
  // A jacobian options record may be passed as it is (its wrt and format are not this function's).
  const bad = optionsError('chooseMode', options, { mode: oneOf('auto', 'forward', 'reverse'), sparse: isBoolean, wrt: given, format: given })
  if (bad !== undefined) return E.left(bad)
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

/** The first output's adjoints: the sweep's own in reverse mode, only for weighing in forward mode. */
function sweptAdjoints(tape: Tape, values: Float64Array, mode: 'forward' | 'reverse'): Sensitivities | undefined {
  const s = outputAdjoints(tape, values)
  if (s === undefined) return undefined
  if (mode === 'forward') return { ...s, weightsOnly: true }
  // Each row's sweep may absorb in its own way (`[x, x/x + x]` absorbs in row 1 only): every row's
  // adjoints, when the tape has a node that reads one slot twice (the only place it is looked for).
  if (tape.sameArgSlots.length === 0 || tape.outputs.length === 1) return s
  const rows = Array.from(tape.outputs, (_, row) => (row === 0 ? s.array : (outputAdjoints(tape, values, row) as Sensitivities).array))
  return { ...s, rows }
}

/**
 * The tangents (forward) or adjoints (reverse) of one careful sweep through a non-finite entry, so
 * that the warning names the node where the sweep's numbers first became non-finite (finite
 * partials whose product overflowed, ∞ − ∞), as grad's and jvp's do.
 */
function sensitivityAt(tape: Tape, values: Float64Array, mode: 'forward' | 'reverse', entries: Entries): Sensitivities | undefined {
  const m = tape.outputs.length
  const n = tape.wrt.length
  let row = -1
  let col = -1
  if (entries._tag === 'dense') {
    for (let i = 0; i < m && row < 0; i++) {
      const j = (entries.rows[i] as number[]).findIndex((v) => !Number.isFinite(v))
      if (j >= 0) [row, col] = [i, j]
    }
  } else {
    const csr = csrOfPattern(entries.pattern, entries.values)
    const k = csr.values.findIndex((v) => !Number.isFinite(v))
    if (k >= 0) [row, col] = [csr.rowPtr.findIndex((p, i) => i < m && k >= p && k < (csr.rowPtr[i + 1] as number)), csr.colIdx[k] as number]
  }
  if (row < 0 || col < 0 || col >= n) return undefined
  if (mode === 'forward') {
    const t = new Float64Array(tape.size)
    const slot = tape.wrtSlots[col] as number
    if (slot < 0) return undefined
    t[slot] = 1
    getForwardKernels(true).jvp(tape.op, tape.a0, tape.a1, values, t, tape.leaves, tape.size)
    return { direction: 'forward', array: t }
  }
  return outputAdjoints(tape, values, row)
}

const checkOptions = (options: JacobianOptions): EvalError | undefined =>
  optionsError('jacobian', options, { wrt: given, mode: oneOf('auto', 'forward', 'reverse'), sparse: isBoolean, format: oneOf('dense', 'coo', 'csr') })

/**
 * Values and Jacobian of `program` at `point`: row i = output i, column j = `wrt[j]` (default:
 * every free variable, in natural order; each name a distinct variable of the program). The
 * mode is chosen by `chooseMode` unless `mode` forces one; `sparse` asks for (true) or forbids
 * (false) compression by colouring. Warnings name non-differentiable points met and where
 * non-finite values or derivatives arose.
 *
 * The matrix is dense rows (`number[][]`) unless `format` asks for 'csr' or 'coo', and its type
 * follows the option. A Jacobian computed by colouring with more than `denseLimit` entries needs
 * an explicit format (the default is then an error saying so).
 */
export function jacobian(program: Program, point: Point, options?: JacobianOptions & { readonly format?: 'dense' }): E.Either<EvalError, JacobianResult<DenseMatrix>>
export function jacobian(program: Program, point: Point, options: JacobianOptions & { readonly format: 'csr' }): E.Either<EvalError, JacobianResult<CsrMatrix>>
export function jacobian(program: Program, point: Point, options: JacobianOptions & { readonly format: 'coo' }): E.Either<EvalError, JacobianResult<CooMatrix>>
export function jacobian(program: Program, point: Point, options: JacobianOptions): E.Either<EvalError, JacobianResult>
export function jacobian(program: Program, point: Point, options: JacobianOptions = {}): E.Either<EvalError, JacobianResult> {
  const notProgram = notAProgram('jacobian', program)
  if (notProgram !== undefined) return E.left(notProgram)
  const bad = checkOptions(options)
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  return pipe(
    wrtTape(program, wrt),
    E.chain((tape) => pipe(loadPoint(tape, point, program), E.map((values) => ({ tape, values })))),
    E.chain(({ tape, values }) => {
      const plan = planFor(tape, options.mode ?? 'auto', options.sparse)
      const [m, n] = [tape.outputs.length, wrt.length]
      if (plan.compression !== undefined && options.format === undefined && m * n > denseLimit) {
        const nnz = plan.choice.sparse?.nnz ?? 0
        return E.left(badArgument(`the Jacobian is ${m}×${n} with ${nnz} structural non-zeros: ask for format: 'csr' (or 'coo'); a dense matrix of more than ${denseLimit} entries is built only with format: 'dense'`))
      }
      return E.right({ tape, values, plan })
    }),
    E.map(({ tape, values, plan }): JacobianResult => {
      if (plan.mode === 'reverse') getValueKernels().forward(tape.op, tape.a0, tape.a1, values, tape.leaves, tape.size)
      const sweeps = (careful: boolean): Entries => (plan.mode === 'forward' ? forwardJacobian(plan, values, careful) : reverseJacobian(plan, values, careful))
      const finiteEntries = (e: Entries): boolean => (e._tag === 'dense' ? e.rows.every(allFinite) : allFinite(e.values))
      // The fast sweeps, and the careful ones (0·∞ = 0 in every product) when they are not finite.
      let entries = sweeps(false)
      if (!finiteEntries(entries)) entries = sweeps(true)
      const finite = finiteEntries(entries)
      // Reverse rows whose adjoints underflowed (x/(x·x + 1) at 1e110): redone with the seed scaled.
      const underflow: Warning[] = []
      // One scan of the values decides for every row (a scan per row cost a 300×300 Jacobian 2.6×).
      if (finite && plan.mode === 'reverse' && entries._tag === 'dense' && mayHaveUnderflowed(tape, values, [])) {
        const rows = entries.rows
        for (let i = 0; i < rows.length; i++) {
          const r = rescaledRow(tape, values, Array.from(tape.outputs, (_, k) => (k === i ? 1 : 0)), rows[i] as number[], program.names)
          if (r === undefined) continue
          rows[i] = Array.from(r.adjoints)
          if (underflow.length === 0) underflow.push(r.warning)
        }
      }
      let matrix: JacobianMatrix
      if (entries._tag === 'dense') {
        matrix = options.format === undefined ? entries.rows : inFormat(entries.rows, options.format)
      } else {
        const csr = csrOfPattern(entries.pattern, entries.values)
        matrix = inFormat(csr, options.format ?? 'dense')
      }
      const warnings = baseWarnings(program, tape, values)
      warnings.push(...sweepWarnings(tape, values, program.names, finite, finite ? () => sweptAdjoints(tape, values, plan.mode) : sensitivityAt(tape, values, plan.mode, entries)))
      warnings.push(...underflow)
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
