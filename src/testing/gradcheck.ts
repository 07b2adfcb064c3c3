/**
 * `gradcheck`: the toolkit's derivatives of a function, checked against central finite
 * differences, in each mode (what `torch.autograd.gradcheck` and JAX's `check_grads` do).
 *
 * The function may be a `Program` (a parsed or built one, or a traced function: a `Traced` is a
 * `Program`), checked at a point given as a record; or a function written over the number system
 * `M<T>`, checked at a point given as a list of numbers, one per argument. A program's forward and
 * reverse Jacobians come from `jacobian` in each mode; a generic function's forward derivatives
 * come from running it on dual numbers, its reverse ones from tracing it. With `order: 2`, second
 * derivatives too: the Hessian of each output (forward over reverse for a program, nested dual
 * numbers for a function) against central differences of its gradient.
 *
 * The result is an `Either`: `Right` a summary when every entry is within atol + rtol·|numeric|,
 * `Left` a report of the worst entries (a `GradcheckFailure`, whose message prints the point, both
 * derivatives side by side, the errors and the worst entry, and names any operation whose own local
 * partials disagree with differences of its own evaluation), or a `GradcheckError` when a
 * derivative could not be computed at all (an operation without a derivative, a bad point).
 *
 * @example
 * import { parse, orThrow, isRight } from 'chainrule'
 * import { gradcheck } from 'chainrule/testing'
 * const r = gradcheck(orThrow(parse('x*sin(y)')), { x: 2, y: 1 })
 * isRight(r)                                      // → true
 * isRight(r) && r.right.entries                   // → 4   two variables, two modes
 *
 * @example
 * import { isRight, type M } from 'chainrule'
 * import { gradcheck } from 'chainrule/testing'
 * const f = <T>(m: M<T>, x: T, y: T): T => m.mul(m.exp(x), m.cos(y))
 * isRight(gradcheck(f, [0.5, 2], { order: 2 }))   // → true
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Node } from '../expr/node.js'
import { program as makeProgram, type Program } from '../expr/program.js'
import { evaluate } from '../forward/index.js'
import { hessian } from '../hvp/index.js'
import { jacobian } from '../jacobian/index.js'
import { nodes } from '../ops/build.js'
import { dual, dualOf, type Dual } from '../ops/dual.js'
import { isUserDefined, someUserDefined } from '../ops/registry.js'
import { opTags } from '../ops/tags.js'
import { mathOf, numbers } from '../ops/math.js'
import type { M, Num } from '../ops/rule.js'
import { grad } from '../reverse/index.js'
import type { Point } from '../tape/point.js'
import { trace, type Traced } from '../trace/index.js'
import { compareEntry, formatTable, formatWorst, largestExcess, show, showExact, showPoint, toleranceOf, warnedLines, worstEntries, type Entry, type Tolerance, stepAt } from './compare.js'
import { localDiagnosis, type Suspect } from './suspects.js'
import { given, integerFrom, optionsError } from '../tape/options.js'
import { wrtTape } from '../tape/names.js'
import { isTensorProgram, type TensorPoint } from '../tape/tensor.js'
import type { EvalError } from '../tape/point.js'
import { tensorEntries, tensorWarnings } from './tensor.js'
import type { Warning } from '../tape/diagnose.js'

// -------------------------------------------------------------------------------------------------
// Types
// -------------------------------------------------------------------------------------------------

/** A typed error of the toolkit (the entry point's `TypedError`: src/either.ts sits above this folder). */
export interface TypedError {
  readonly _tag: string
  readonly message: string
}

/** A function written once over the number system (see `M`): one number per argument, one or several results. */
export type GenericFunction = <T>(m: M<T>, ...args: T[]) => T | readonly T[]

export type GradcheckMode = 'forward' | 'reverse'

/**
 * Options of `gradcheck`. Like every options record of the toolkit, a field given as `undefined`
 * is absent (its default applies), also under `exactOptionalPropertyTypes`.
 *
 * @example
 * import { gradcheck } from 'chainrule/testing'
 * import { parse, orThrow } from 'chainrule'
 * const fromConfig: number | undefined = undefined
 * gradcheck(orThrow(parse('x^3')), { x: 0.5 }, { eps: fromConfig })._tag   // → 'Right'
 */
export interface GradcheckOptions {
  /** Absolute tolerance (default 1e-5). */
  readonly atol?: number | undefined
  /** Relative tolerance, relative to the numeric derivative (default 1e-3). */
  readonly rtol?: number | undefined
  /** The step of central differences at x is eps·max(1, |x|) (default 1e-6). */
  readonly eps?: number | undefined
  /** 2 also checks second derivatives (default 1). */
  readonly order?: 1 | 2 | undefined
  /** The modes checked at first order (default both). */
  readonly modes?: readonly GradcheckMode[] | undefined
  /** For a program: the variables differentiated (default all of them). */
  readonly wrt?: readonly string[] | undefined
  /** How many of the worst entries a failure lists (default 5). */
  readonly show?: number | undefined
}


/** Some derivatives disagree with central differences: the worst of them, and the suspects. */
export interface GradcheckFailure<P = Point> extends TypedError {
  readonly _tag: 'GradcheckFailure'
  readonly point: P
  readonly order: 1 | 2
  readonly tolerance: Tolerance
  readonly eps: number
  /**
   * The failing entries, worst first (at most `show`); when none failed (a user-defined operation's
   * partial is wrong below the tolerance: see `suspects`), the entries closest to failing.
   */
  readonly worst: readonly Entry[]
  /** How many entries were compared, and how many failed. */
  readonly entries: number
  readonly failed: number
  /** Operations of the function whose own partials are wrong (the first place to look). */
  readonly suspects: readonly Suspect[]
  /** What the toolkit itself warns at the point (a kink met, a non-finite value): often the cause. */
  readonly warnings: readonly string[]
  /**
   * How many of the failing entries are NaN or infinite both in the toolkit's derivative and in
   * central differences: nothing could be compared there (the function or its derivative is not
   * finite at or within a step of the point).
   */
  readonly notFinite: number
  /**
   * What the function's operations say about the failure besides suspects: a step that crosses a
   * kink, differences that leave an operation's domain, differences that have not settled at this
   * step (see `localDiagnosis`).
   */
  readonly notes: readonly string[]
}

/** The derivatives could not be computed (an operation without a derivative, a bad point, a function that throws). */
export interface GradcheckError<P = Point> extends TypedError {
  readonly _tag: 'GradcheckError'
  readonly point: P
  /** The toolkit's typed error, when there is one. */
  readonly error?: TypedError
}

/** Every entry agrees. */
export interface GradcheckSummary<P = Point> {
  readonly _tag: 'GradcheckSummary'
  readonly point: P
  readonly order: 1 | 2
  readonly modes: readonly GradcheckMode[]
  /** How many derivatives were compared. */
  readonly entries: number
  readonly maxAbsError: number
  readonly maxRelError: number
  /** The entry closest to failing. */
  readonly closest: Entry | undefined
}

/** The result; `P` is the point's type (a record of numbers, or of tensors for a tensor program). */
export type GradcheckResult<P = Point> = E.Either<GradcheckFailure<P> | GradcheckError<P>, GradcheckSummary<P>>

// -------------------------------------------------------------------------------------------------
// The check
// -------------------------------------------------------------------------------------------------

/**
 * Checks the derivatives of `f` at `point` against central differences (see the module comment).
 * Throws a RangeError on bad options and on a check that would compare nothing (`wrt: []`, a
 * program without variables); everything about `f` comes back in the `Either`.
 */
export function gradcheck(f: Program, point: Point, options?: GradcheckOptions): GradcheckResult
export function gradcheck(f: Program, point: TensorPoint, options?: GradcheckOptions): GradcheckResult<TensorPoint>
export function gradcheck(f: GenericFunction, point: readonly number[], options?: GradcheckOptions): GradcheckResult
export function gradcheck(f: Program | GenericFunction, point: Point | TensorPoint | readonly number[], options: GradcheckOptions = {}): GradcheckResult | GradcheckResult<TensorPoint> {
  const settings = settingsOf(options)
  if (typeof f === 'function') {
    if (!Array.isArray(point)) throw new RangeError('a function over M<T> is checked at a list of numbers, one per argument')
    if (settings.wrt !== undefined) throw new RangeError('wrt names variables of a program; a function over M<T> is checked with respect to every argument')
    // (m, x, y) => … has length 3: two numbers. A rest parameter ((m, ...xs)) declares none, so any count goes.
    if (f.length > 1 && point.length !== f.length - 1) throw new RangeError(`the function takes ${f.length - 1} argument${f.length === 2 ? '' : 's'} after m, but the point has ${point.length} number${point.length === 1 ? '' : 's'}`)
    if (point.length === 0) throw new RangeError(nothingToCompare('the point has no numbers: the function has no argument to differentiate'))
    return checkFunction(f, point as readonly number[], settings)
  }
  if (Array.isArray(point)) throw new RangeError('a program is checked at a point given as a record of its variables')
  if ((settings.wrt ?? f.variables).length === 0) throw new RangeError(nothingToCompare(settings.wrt === undefined ? 'the program has no variables' : 'wrt is empty'))
  if (isTensorProgram(f)) return conclude(settings, E.bimap((e: EvalError) => cannotRun(point as TensorPoint, e), (entries: Entry[]): Computed<TensorPoint> => ({ entries, program: f, point: point as TensorPoint, suspects: false, warnings: () => tensorWarnings(f, point as TensorPoint, settings.wrt) }))(tensorEntries(f, point as TensorPoint, settings)))
  return checkProgram(f, point as Point, settings)
}

interface Settings {
  readonly tol: Tolerance
  readonly eps: number
  readonly order: 1 | 2
  readonly modes: readonly GradcheckMode[]
  readonly wrt: readonly string[] | undefined
  readonly show: number
}

function settingsOf(o: GradcheckOptions): Settings {
  // A misspelt option (`tol`) would leave the default in force without a word.
  const bad = optionsError('gradcheck', o, { atol: given, rtol: given, eps: given, order: given, modes: given, wrt: given, show: integerFrom(1) })
  if (bad !== undefined) throw new RangeError(bad.message)
  const eps = o.eps ?? 1e-6
  if (!(Number.isFinite(eps) && eps > 0)) throw new RangeError(`eps must be a finite number > 0, not ${String(eps)}`)
  const order = o.order ?? 1
  if (order !== 1 && order !== 2) throw new RangeError(`order must be 1 or 2, not ${String(order)}`)
  const modes = o.modes ?? ['forward', 'reverse']
  if (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => m !== 'forward' && m !== 'reverse') || new Set(modes).size !== modes.length) {
    throw new RangeError(`modes must be a list of 'forward', 'reverse' or both, each once, not ${JSON.stringify(modes)}`)
  }
  return { tol: toleranceOf(o), eps, order, modes, wrt: o.wrt, show: o.show ?? 5 }
}


/** What a check computed: entries, and the program to look for suspects in. */
interface Computed<P = Point> {
  readonly entries: readonly Entry[]
  readonly program: Program
  readonly point: P
  /** false: no suspects are looked for (a tensor program: its ops are not scalar rules). */
  readonly suspects?: false
  /** The toolkit's warnings at the point (asked only when a check fails). */
  readonly warnings: () => readonly Warning[]
}

/** A check that would compare nothing is a mistake in the test: it must not pass. */
const nothingToCompare = (why: string): string => `gradcheck has nothing to compare: ${why}`

/**
 * A derivative that is NaN or infinite both ways was not checked: the function (or its derivative)
 * is not finite at or within a step of the point, so central differences say nothing about it.
 * It fails, as in `torch.autograd.gradcheck`: passing it would pass any rule there (sqrt at −4).
 */
const unchecked = (e: Entry): boolean => !Number.isFinite(e.numeric) && (e.analytic === e.numeric || (Number.isNaN(e.analytic) && Number.isNaN(e.numeric)))

function conclude<P extends Readonly<Record<string, unknown>>>(s: Settings, c: E.Either<GradcheckError<P>, Computed<P>>): GradcheckResult<P> {
  if (E.isLeft(c)) return c
  const { point } = c.right
  if (c.right.entries.length === 0) throw new RangeError(nothingToCompare(`no variable is differentiated at ${showPoint(point)}`))
  const entries = c.right.entries.map((e) => (e.ok && unchecked(e) ? { ...e, ok: false, excess: Infinity } : e))
  const failing = entries.filter((e) => !e.ok)
  // The derivatives agree within the tolerance; a user-defined operation's own partials are checked
  // anyway, relative to their own size: at a small scale the absolute tolerance hides a rule that
  // is 50% wrong (sq with 3a for 2a, in 1e-6·sq(x), passed).
  // (Nothing to walk, and no cost to a passing check, while no operation has been defined.)
  const hidden = failing.length === 0 && c.right.suspects !== false && someUserDefined() ? localDiagnosis(c.right.program, point as Point, { ...s, tol: { atol: 0, rtol: s.tol.rtol }, only: isUserDefined }).suspects : []
  if (failing.length === 0 && hidden.length > 0) {
    const failure = { _tag: 'GradcheckFailure' as const, point, order: s.order, tolerance: s.tol, eps: s.eps, worst: [...entries].sort((a, b) => b.excess - a.excess).slice(0, s.show), entries: entries.length, failed: 0, suspects: hidden, warnings: [], notFinite: 0, notes: [] }
    return E.left({ ...failure, message: formatFailure(failure) })
  }
  if (failing.length === 0) {
    let maxAbsError = 0
    let maxRelError = 0
    for (const e of entries) {
      if (e.absError > maxAbsError) maxAbsError = e.absError
      if (e.relError > maxRelError) maxRelError = e.relError
    }
    return E.right({ _tag: 'GradcheckSummary', point, order: s.order, modes: s.modes, entries: entries.length, maxAbsError, maxRelError, closest: largestExcess(entries) })
  }
  const worst = worstEntries(entries, s.show)
  const { suspects, notes } = c.right.suspects === false ? { suspects: [], notes: [] } : localDiagnosis(c.right.program, point as Point, s)
  const warnings = [...new Set(c.right.warnings().map((w) => w.message))]
  const notFinite = failing.filter(unchecked).length
  const failure = { _tag: 'GradcheckFailure' as const, point, order: s.order, tolerance: s.tol, eps: s.eps, worst, entries: entries.length, failed: failing.length, suspects, warnings, notFinite, notes }
  return E.left({ ...failure, message: formatFailure(failure) })
}

const cannotRun = <P extends Readonly<Record<string, unknown>>>(point: P, error: unknown): GradcheckError<P> => {
  const typed = typedErrorOf(error)
  const message = `gradcheck could not differentiate at ${showPoint(point)}: ${typed?.message ?? (error instanceof Error ? error.message : String(error))}`
  return typed === undefined ? { _tag: 'GradcheckError', point, message } : { _tag: 'GradcheckError', point, error: typed, message }
}

/** The typed error carried by a value or a thrown error (a `ChainruleError`'s `.error`), if any. */
function typedErrorOf(e: unknown): TypedError | undefined {
  const carried = typeof e === 'object' && e !== null && 'error' in e ? (e as { error: unknown }).error : e
  if (typeof carried === 'object' && carried !== null && typeof (carried as TypedError)._tag === 'string' && typeof (carried as TypedError).message === 'string') return carried as TypedError
  return undefined
}

// -------------------------------------------------------------------------------------------------
// Programs
// -------------------------------------------------------------------------------------------------

function checkProgram(p: Program, point: Point, s: Settings): GradcheckResult {
  return conclude(s, programEntries(p, point, s))
}

function programEntries(p: Program, point: Point, s: Settings): E.Either<GradcheckError, Computed> {
  const wrt = s.wrt ?? p.variables
  const fail = (e: TypedError): E.Either<GradcheckError, Computed> => E.left(cannotRun(point, e))
  const base = evaluate(p, point)
  if (E.isLeft(base)) return fail(base.left)
  // wrt's own names first, so that a name that is no variable is reported as wrt's (not the point's).
  const checked = wrtTape(p, wrt)
  if (E.isLeft(checked)) return fail(checked.left)
  const valuesAt = (name: string, x: number): readonly number[] | TypedError => {
    const r = evaluate(p, { ...point, [name]: x })
    return E.isLeft(r) ? r.left : r.right.values
  }
  // Central differences, one column per variable.
  const numeric: number[][] = p.outputs.map(() => [])
  for (const [j, name] of wrt.entries()) {
    const x = point[name] ?? 0
    const h = stepAt(x, s.eps)
    const plus = valuesAt(name, x + h)
    const minus = valuesAt(name, x - h)
    if (!Array.isArray(plus)) return fail(plus as TypedError)
    if (!Array.isArray(minus)) return fail(minus as TypedError)
    p.outputs.forEach((_, i) => (numeric[i][j] = ((plus as number[])[i] - (minus as number[])[i]) / (2 * h)))
  }
  const entries: Entry[] = []
  for (const mode of s.modes) {
    const J = jacobian(p, point, { wrt, mode, sparse: false })
    if (E.isLeft(J)) return fail(J.left)
    J.right.jacobian.forEach((row, i) => row.forEach((a, j) => entries.push(compareEntry({ output: i, variable: wrt[j], index: [i, j], mode }, a, numeric[i][j], s.tol))))
  }
  if (s.order === 2) {
    for (const [i, out] of p.outputs.entries()) {
      const pi = makeProgram([out], { variables: p.variables })
      const H = hessian(pi, point, { wrt })
      if (E.isLeft(H)) return fail(H.left)
      for (const [c, col] of wrt.entries()) {
        const x = point[col] ?? 0
        const h = stepAt(x, s.eps)
        const gPlus = grad(pi, { ...point, [col]: x + h }, wrt)
        const gMinus = grad(pi, { ...point, [col]: x - h }, wrt)
        if (E.isLeft(gPlus)) return fail(gPlus.left)
        if (E.isLeft(gMinus)) return fail(gMinus.left)
        for (const [r, row] of wrt.entries()) {
          const fd = ((gPlus.right.gradient[row] ?? 0) - (gMinus.right.gradient[row] ?? 0)) / (2 * h)
          entries.push(compareEntry({ output: i, variable: `${row}, ${col}`, index: [i, r, c], mode: 'forward-over-reverse' }, H.right.hessian[r][c], fd, s.tol))
        }
      }
    }
  }
  const warnings = (): readonly Warning[] => {
    const J = jacobian(p, point, { wrt, sparse: false })
    return E.isRight(J) ? J.right.warnings : []
  }
  return E.right({ entries, program: p, point, warnings })
}

// -------------------------------------------------------------------------------------------------
// Functions over M<T>
// -------------------------------------------------------------------------------------------------

const asList = <T>(r: T | readonly T[]): readonly T[] => (Array.isArray(r) ? (r as readonly T[]) : [r as T])
const D1 = dualOf(numbers)
const D2 = dualOf(D1)

/** A function over M<T> traced at `n` scalar arguments: the program, its arguments' names, and the point of `xs`. */
export interface TracedFunction {
  readonly traced: Traced
  readonly names: readonly string[]
  readonly point: Point
}

/** A plain number given to one of m's operations while tracing (m.mul(x, Math.PI)). */
class PlainNumber extends Error {}

/**
 * `mathOf(nodes)`, refusing a plain number given to an operation: over nodes it would otherwise
 * fail deep inside the builder (or be taken for a constant where m runs on duals it would not be).
 */
function checkedNodes(): M<Node> {
  const m = mathOf(nodes) as unknown as Record<string, unknown>
  const checked: Record<string, unknown> = { ...m }
  for (const tag of opTags) {
    const op = m[tag] as (...args: unknown[]) => Node
    checked[tag] = (...args: unknown[]) => {
      args.forEach((a, i) => {
        if (typeof a === 'number') throw new PlainNumber(`m.${tag} was given the plain number ${a} as argument ${i + 1}: a function over M<T> makes every number with m (m.c(${a}))`)
      })
      return op(...args)
    }
  }
  return Object.freeze(checked) as unknown as M<Node>
}

/** Traces `f` with one scalar argument per entry of `xs` (named x, y, z, or x0, x1, … for four or more). */
export function traceFunction(f: GenericFunction, xs: readonly number[]): E.Either<TypedError, TracedFunction> {
  // A plain number returned is a constant (m.c(3) for 3).
  const m = checkedNodes()
  const traced = trace((...args: Node[]) => asList(f(m, ...args)).map((r) => (typeof r === 'number' ? nodes.constant(r) : r)), { args: xs.map(() => []) } as never) as E.Either<TypedError, Traced>
  if (E.isLeft(traced)) {
    const cause = (traced.left as { cause?: unknown }).cause
    return cause instanceof PlainNumber ? E.left({ ...traced.left, message: `the function threw: ${cause.message}` }) : traced
  }
  const names = traced.right.args as unknown as readonly string[]
  return E.right({ traced: traced.right, names, point: Object.fromEntries(names.map((n, i) => [n, xs[i]])) })
}

/** The point of a traced function restricted to the variables its program reads. */
export const programPoint = (t: TracedFunction): Point => Object.fromEntries(t.traced.variables.map((n) => [n, t.point[n]]))

function checkFunction(f: GenericFunction, xs: readonly number[], s: Settings): GradcheckResult {
  const t = traceFunction(f, xs)
  // The point as the arguments' names give it (x, y, z, or x0, x1, … for four or more), so that a
  // function that throws is reported at its point, not "at (no variables)".
  if (E.isLeft(t)) return E.left(cannotRun(Object.fromEntries(xs.map((v, i) => [xs.length <= 3 ? 'xyz'[i] : `x${i}`, v])), t.left))
  try {
    return conclude(s, functionEntries(f, t.right, xs, s))
  } catch (e) {
    return E.left(cannotRun(t.right.point, e))
  }
}

function functionEntries(f: GenericFunction, t: TracedFunction, xs: readonly number[], s: Settings): E.Either<GradcheckError, Computed> {
  const { traced, names, point } = t
  const run = <T>(num: Num<T>, args: readonly T[]): readonly T[] => asList(f(mathOf(num), ...args)).map((r) => (typeof r === 'number' ? num.constant(r) : r))
  const shifted = (j: number, d: number): number[] => xs.map((x, k) => (k === j ? x + d : x))
  // Forward mode on the function itself: one dual evaluation per argument.
  const forwardColumn = (at: readonly number[], j: number): number[] => run(D1, at.map((x, k) => dual(x, k === j ? 1 : 0))).map((d) => d.tangent)
  const numeric = xs.map((x, j) => {
    const h = stepAt(x, s.eps)
    const plus = run(numbers, shifted(j, h))
    const minus = run(numbers, shifted(j, -h))
    return plus.map((v, i) => (v - minus[i]) / (2 * h))
  })
  const entries: Entry[] = []
  const outputs = traced.outputs.length
  for (const mode of s.modes) {
    let column: (j: number) => readonly number[]
    if (mode === 'forward') column = (j) => forwardColumn(xs, j)
    else {
      // Reverse mode on the traced program; an argument the function never reads has derivative 0.
      const wrt = traced.variables
      const J = jacobian(traced, programPoint(t), { wrt, mode: 'reverse', sparse: false })
      if (E.isLeft(J)) return E.left(cannotRun(point, J.left))
      const rows = J.right.jacobian
      column = (j) => rows.map((row) => (wrt.includes(names[j]) ? row[wrt.indexOf(names[j])] : 0))
    }
    xs.forEach((_, j) => column(j).forEach((a, i) => entries.push(compareEntry({ output: i, variable: names[j], index: [i, j], mode }, a, numeric[j][i], s.tol))))
  }
  if (s.order === 2) {
    // Nested duals: the inner tangent along `r`, the outer along `c`; against central differences
    // (along c) of the forward-mode gradient.
    xs.forEach((_, r) =>
      xs.forEach((xc, c) => {
        const nested = run(D2, xs.map((x, k): Dual<Dual<number>> => dual(dual(x, k === r ? 1 : 0), dual(k === c ? 1 : 0, 0))))
        const h = stepAt(xc, s.eps)
        const plus = forwardColumn(shifted(c, h), r)
        const minus = forwardColumn(shifted(c, -h), r)
        for (let i = 0; i < outputs; i++) {
          const fd = (plus[i] - minus[i]) / (2 * h)
          entries.push(compareEntry({ output: i, variable: `${names[r]}, ${names[c]}`, index: [i, r, c], mode: 'nested duals' }, nested[i].tangent.tangent, fd, s.tol))
        }
      }),
    )
  }
  const warnings = (): readonly Warning[] => {
    const J = jacobian(traced, programPoint(t), { sparse: false })
    return E.isRight(J) ? J.right.warnings : []
  }
  return E.right({ entries, program: traced, point, warnings })
}

// -------------------------------------------------------------------------------------------------
// The message
// -------------------------------------------------------------------------------------------------

/** The failure as people read it: the point, the table of worst entries, the worst one, the suspects. */
export function formatFailure(f: Omit<GradcheckFailure<Readonly<Record<string, unknown>>>, 'message'>): string {
  const labels = ['analytic', 'numeric'] as const
  const what = f.order === 2 ? 'first and second derivatives' : 'first derivatives'
  const lines = [
    f.failed === 0
      ? `gradcheck failed at ${showPoint(f.point)}: the ${f.entries} ${what} agree with central differences within the tolerance, but a user-defined operation's own partial does not (at this scale the absolute tolerance hides its error)`
      : `gradcheck failed at ${showPoint(f.point)}: ${f.failed} of ${f.entries} ${what} differ from central differences`,
    `(step ${show(f.eps)}·max(1, |x|), |analytic − numeric| ≤ ${show(f.tolerance.atol)} + ${show(f.tolerance.rtol)}·|numeric|)`,
    '',
    formatTable(f.worst, labels),
    '',
    formatWorst(f.worst[0], labels),
  ]
  if (f.notFinite > 0) {
    lines.push(`${f.notFinite} of them ${f.notFinite === 1 ? 'is' : 'are'} NaN or infinite both ways: the function or its derivative is not finite at or within a step of the point, so nothing could be compared there (check the point is inside the function's domain)`)
  }
  lines.push(...warnedLines(f.warnings))
  for (const n of f.notes) lines.push(`note: ${n}`)
  for (const s of f.suspects) {
    if (s.second !== undefined) {
      lines.push(`operation '${s.op}': its second partial with respect to arguments ${s.argument + 1} and ${s.second + 1} at (${s.at.map(showExact).join(', ')}) is ${show(s.partial)}, but central differences of its first partial give ${show(s.numeric)}: its partials are not the derivatives of each other (a partial through stop_gradient has a zero derivative)`)
      continue
    }
    lines.push(`operation '${s.op}': its partial with respect to argument ${s.argument + 1} at (${s.at.map(showExact).join(', ')}) is ${show(s.partial)}, but central differences of '${s.op}' itself give ${show(s.numeric)}: its derivative rule is wrong`)
  }
  return lines.join('\n')
}
