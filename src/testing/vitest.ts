/**
 * Vitest matchers for derivatives (`chainrule/vitest`). Register them once, in a test file or a
 * setup file, with `expect.extend(derivativeMatchers)`; importing this module has no other effect
 * and needs vitest only for its types.
 *
 * - `expect(f).toHaveGradientAt(point, expected, { atol, rtol })`: the toolkit's gradient of `f`
 *   (a program with one output, at a record point; or a function over `M<T>`, at a list of
 *   numbers) equals `expected` (a record of every variable, or a list of them in argument order;
 *   an entry left out is a failure, not a pass).
 * - `expect(f).toPassGradcheck(point, options)`: `gradcheck(f, point, options)` is `Right`; a
 *   `GradcheckError` (the derivatives could not be computed: a missing or unknown variable, a bad
 *   `wrt`) throws, so that `.not` cannot pass a mistake in the test.
 *
 * A failure prints the point, the expected and the computed gradient side by side, the absolute
 * and relative errors, and the worst entry (or `gradcheck`'s report).
 *
 * @example
 * // in a test file:  expect.extend(derivativeMatchers)
 * import { parse, orThrow } from 'chainrule'
 * import { derivativeMatchers } from 'chainrule/vitest'
 * const r = derivativeMatchers.toHaveGradientAt.call({ isNot: false }, orThrow(parse('x*y')), { x: 2, y: 3 }, { x: 3, y: 2 })
 * r.pass   // → true
 */
import * as E from 'fp-ts/lib/Either.js'
// Types only (nothing of vitest runs here): the module that `declare module 'vitest'` augments.
import type {} from 'vitest'
import type { Program } from '../expr/program.js'
import { grad } from '../reverse/index.js'
import type { Point } from '../tape/point.js'
import type { TensorPoint } from '../tape/tensor.js'
import { compareEntry, formatTable, formatWorst, showPoint, toleranceOf, worstEntries, type Entry } from './compare.js'
import { gradcheck, programPoint, traceFunction, type GenericFunction, type GradcheckOptions } from './gradcheck.js'
import { given, optionsError } from '../tape/options.js'
import type { Tensor } from '../ops/tensor/array.js'
import { tensorGrad } from '../reverse/tensor.js'
import { isTensorProgram, tensorValueOf } from '../tape/tensor.js'
import { entryLabel } from './tensor.js'

export interface GradientOptions {
  readonly atol?: number | undefined
  readonly rtol?: number | undefined
}

/** What vitest passes to a matcher as `this` (only what these matchers read). */
interface State {
  readonly isNot: boolean
}

interface Result {
  readonly pass: boolean
  readonly message: () => string
  readonly actual?: unknown
  readonly expected?: unknown
}

const isProgram = (x: unknown): x is Program => typeof x === 'object' && x !== null && (x as { _tag?: unknown })._tag === 'program'

/** Not a program or a function: a mistake in the test, thrown (returned as a failure, `.not` would pass it). */
const notACheckable = (received: unknown): never => {
  throw new TypeError(`expected a chainrule Program or a function over M<T>, got ${received === null ? 'null' : typeof received}`)
}

/** The gradient of `f` at `point`, by name, and the point as a record. */
function gradientOf(f: Program | GenericFunction, point: Point | readonly number[]): { gradient: Record<string, number>; point: Point } | string {
  if (typeof f === 'function') {
    if (!Array.isArray(point)) return 'a function over M<T> takes its point as a list of numbers'
    const t = traceFunction(f, point as readonly number[])
    if (E.isLeft(t)) return t.left.message
    const g = grad(t.right.traced, programPoint(t.right))
    // An argument the function never reads has derivative 0.
    return E.isLeft(g) ? g.left.message : { gradient: Object.fromEntries(t.right.names.map((n) => [n, g.right.gradient[n] ?? 0])), point: t.right.point }
  }
  if (Array.isArray(point)) return 'a program takes its point as a record of its variables'
  const g = grad(f, point as Point)
  return E.isLeft(g) ? g.left.message : { gradient: { ...g.right.gradient }, point: point as Point }
}

/**
 * A tensor program's gradient at a point of tensors, and `expected` (a record of tensors or nested
 * arrays, one per variable differentiated), both flattened to entries named by index (`W[0,1]`).
 */
function tensorGradientOf(f: Program, point: TensorPoint, expected: unknown): { gradient: Record<string, number>; want: Record<string, number>; point: Point } | string {
  const g = tensorGrad(f, point)
  if (E.isLeft(g)) return g.left.message
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) return 'expected is a record of tensors (nested arrays), one per variable'
  const wrt = g.right.wrt
  const extra = Object.keys(expected).filter((n) => !wrt.includes(n))
  if (extra.length > 0) return `expected names ${extra.join(', ')}, which are not variables differentiated (${wrt.join(', ')})`
  const gradient: Record<string, number> = {}
  const want: Record<string, number> = {}
  for (const name of wrt) {
    const t = g.right.gradient[name] as Tensor
    if (!Object.hasOwn(expected, name)) return `expected gives no entry for ${name}: list every variable (the gradient has ${wrt.join(', ')})`
    const raw = (expected as Record<string, unknown>)[name]
    const e = tensorValueOf(raw)
    if (typeof e === 'string') return `expected ${name}: ${e}`
    if (e.shape.length !== t.shape.length || e.shape.some((d, i) => d !== t.shape[i])) return `expected ${name} of shape [${e.shape.join(', ')}], but its gradient has shape [${t.shape.join(', ')}]`
    t.data.forEach((v, k) => {
      const label = entryLabel(name, t.shape, k)
      gradient[label] = v
      want[label] = e.data[k] as number
    })
  }
  return { gradient, want, point: {} }
}

function compareGradient(expected: Readonly<Record<string, number>> | readonly number[], got: { gradient: Record<string, number>; point: Point }, options: GradientOptions): { entries: Entry[]; problem?: string } {
  const tol = toleranceOf(options)
  const names = Object.keys(got.gradient)
  const want: Record<string, number> = Array.isArray(expected) ? Object.fromEntries(names.map((n, i) => [n, (expected as readonly number[])[i] ?? NaN])) : { ...(expected as Readonly<Record<string, number>>) }
  const extra = Object.keys(want).filter((n) => !names.includes(n))
  if (extra.length > 0) return { entries: [], problem: `expected names ${extra.join(', ')}, which are not variables (the variables: ${names.join(', ')})` }
  // Every variable, as checkAgainst wants: an entry left out would pass unchecked.
  const missing = names.filter((n) => !Object.hasOwn(want, n))
  if (missing.length > 0) return { entries: [], problem: `expected gives no entry for ${missing.join(', ')}: list every variable (the gradient has ${names.join(', ')})` }
  if (Array.isArray(expected) && expected.length !== names.length) return { entries: [], problem: `expected ${expected.length} numbers, but the gradient has ${names.length} (${names.join(', ')})` }
  return { entries: names.map((n, j) => compareEntry({ output: 0, variable: n, index: [0, j], mode: 'reverse' }, got.gradient[n] as number, want[n] as number, tol)) }
}

/** The matcher's result for compared entries (or the problem found before comparing). */
function verdict(compared: { entries: Entry[]; problem?: string }, actual: unknown, expected: unknown, at: string, options: GradientOptions): Result {
  const { entries, problem } = compared
  if (problem !== undefined) throw new TypeError(problem)
  const worst = worstEntries(entries, entries.length)
  const pass = worst.length === 0
  const labels = ['chainrule', 'expected'] as const
  const tol = toleranceOf(options)
  return {
    pass,
    actual,
    expected,
    message: () =>
      pass
        ? `expected the gradient at ${at} not to be ${JSON.stringify(expected)} (within atol ${tol.atol}, rtol ${tol.rtol}), but it is`
        : [
            `expected the gradient at ${at} to be the expected one (|chainrule − expected| ≤ ${tol.atol} + ${tol.rtol}·|expected|): ${worst.length} of ${entries.length} entries differ`,
            '',
            formatTable(entries, labels),
            '',
            formatWorst(worst[0], labels),
          ].join('\n'),
  }
}

/** The matchers, for `expect.extend(derivativeMatchers)`. */
export const derivativeMatchers = {
  toHaveGradientAt(this: State, received: unknown, point: Point | TensorPoint | readonly number[], expected: Readonly<Record<string, number>> | TensorPoint | readonly number[], options: GradientOptions = {}): Result {
    const bad = optionsError('toHaveGradientAt', options, { atol: given, rtol: given })
    // A usage error throws: returned as a failure, `.not` would turn it into a pass.
    if (bad !== undefined) throw new TypeError(bad.message)
    if (!isProgram(received) && typeof received !== 'function') return notACheckable(received)
    if (isProgram(received) && isTensorProgram(received)) {
      const t = tensorGradientOf(received, point as unknown as TensorPoint, expected)
      if (typeof t === 'string') throw new TypeError(t)
      return verdict(compareGradient(t.want, t, options), t.gradient, expected, showPoint(point as unknown as Readonly<Record<string, unknown>>), options)
    }
    const got = gradientOf(received as Program | GenericFunction, point as Point | readonly number[])
    if (typeof got === 'string') throw new TypeError(`chainrule could not compute the gradient: ${got}`)
    return verdict(compareGradient(expected as Readonly<Record<string, number>> | readonly number[], got, options), got.gradient, expected, showPoint(got.point), options)
  },

  toPassGradcheck(this: State, received: unknown, point: Point | TensorPoint | readonly number[], options: GradcheckOptions = {}): Result {
    if (!isProgram(received) && typeof received !== 'function') return notACheckable(received)
    const r: E.Either<{ readonly message: string }, { readonly point: Readonly<Record<string, unknown>>; readonly entries: number }> =
      typeof received === 'function' ? gradcheck(received as GenericFunction, point as readonly number[], options) : gradcheck(received as Program, point as TensorPoint, options)
    if (E.isLeft(r)) {
      // Only a disagreement fails the check. A derivative that could not be computed (an unknown or
      // missing variable, a bad wrt, an operation without a derivative) is an error: as a failure,
      // `.not.toPassGradcheck` would pass it.
      if ((r.left as { _tag?: string })._tag !== 'GradcheckFailure') throw new TypeError(r.left.message)
      return { pass: false, message: () => r.left.message }
    }
    return { pass: true, message: () => `expected gradcheck to fail at ${showPoint(r.right.point)}, but all ${r.right.entries} derivatives agree with central differences` }
  },
}

/** The matchers' signatures, as vitest's `expect(f)` sees them. */
export interface DerivativeMatchers<R = unknown> {
  /**
   * The toolkit's gradient of the received program (or function over M<T>) at `point` is `expected`,
   * within atol + rtol·|expected|; for a tensor program, a record of tensors (nested arrays).
   */
  toHaveGradientAt(point: Point | TensorPoint | readonly number[], expected: Readonly<Record<string, number>> | TensorPoint | readonly number[], options?: GradientOptions): R
  /** `gradcheck(received, point, options)` is Right (a tensor program at a point of tensors too). */
  toPassGradcheck(point: Point | TensorPoint | readonly number[], options?: GradcheckOptions): R
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends DerivativeMatchers<T> {}
}
