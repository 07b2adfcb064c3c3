/**
 * User-defined primitives: `defineOp` adds an operation to the derivative table at run time (the
 * document's "to add your own back-propagation, define op.bprop"). Its record is the table's own:
 * a name, an arity, its evaluation on numbers and its local partials written once over the number
 * system `M<T>`, so that it works in every mode like the table's primitives: forward mode (dual
 * numbers and the generated forward sweeps), reverse mode, the symbolic derivative (hence
 * Jacobians, Hessian-vector products and higher orders, when its partials are themselves built from
 * primitives over `m`), and compiled programs.
 *
 * An operation defined without `partials` has no derivative: evaluating it is fine; differentiating
 * through it (any mode, any entry point) is a `NotDifferentiable` error that names it. Running its
 * partials on numbers or dual numbers directly throws a `NotDifferentiableError` carrying that error.
 *
 * Safety: the name must be an identifier, and it never reaches generated code (kernels call the
 * operation's function as `F[code]`); the partials, run over generated code, may only combine what
 * `m` and the arguments give them (anything else throws when the kernels are generated).
 *
 * @example
 * import { defineOp, variable, program, grad, orThrow } from 'chainrule'
 * const cube = defineOp({ name: 'cube', arity: 1, fn: (x) => x * x * x, partials: (m, [x]) => [m.mul(m.c(3), m.mul(x!, x!))] })
 * const x = variable('x')
 * orThrow(grad(program([cube(x)]), { x: 2 })).gradient   // → { x: 12 }
 */
import { type Builder, builderOf } from './build.js'
import { Quotient, type Interval, type Kink, type M, type Num, type Partial, type Partials, type Rule } from './rule.js'
import { given, optionsProblem } from '../expr/options.js'
import { Code, compileFunction } from './codegen.js'
import { mathOf, mMembers, numbers, partialValue } from './math.js'
import { appendRule, callNames } from './table.js'
import { isOpTag, type OpTag } from './tags.js'
import { tensorSugar, tensorTags } from './tensor/rule.js'

// -------------------------------------------------------------------------------------------------
// Definitions
// -------------------------------------------------------------------------------------------------

export interface OpDefinition<N extends 1 | 2 = 1 | 2> {
  /** An identifier (letters, digits, `_`, not starting with a digit), not the name of an existing operation. */
  readonly name: string
  readonly arity: N
  /** Evaluation on plain numbers (the second argument is NaN for a unary operation). */
  readonly fn: (a: number, b: number) => number
  /**
   * The local partials, one per argument, written over `m` (as the table's rules are: see `Rule`).
   * Leave out for an operation without a derivative.
   */
  readonly partials?: Partials
  /** Where tests sample each argument (default [−3, 3]). */
  readonly domain?: readonly Interval[]
  /** A point where it is not differentiable, and the convention used there. */
  readonly kink?: Kink
}

/** Differentiating through an operation defined without partials. */
export interface NotDifferentiable {
  readonly _tag: 'NotDifferentiable'
  readonly op: string
  readonly message: string
}

export const notDifferentiable = (op: string): NotDifferentiable => ({
  _tag: 'NotDifferentiable',
  op,
  message: `operation '${op}' has no derivative (it was defined without partials), so nothing that depends on a differentiated variable through it can be differentiated`,
})

/** Thrown where no `Either` can carry the error: an operation without a derivative run on dual numbers. */
export class NotDifferentiableError extends Error {
  override readonly name = 'NotDifferentiableError'
  constructor(readonly error: NotDifferentiable) {
    super(error.message)
  }
}

/** Op codes of the operations defined without partials. */
const withoutDerivative = new Set<number>()

/** Names of the operations `defineOp` registered with partials. */
const userDefined = new Set<string>()

/** Whether `op` was defined by `defineOp` with partials (its rule is the user's, not the table's own). */
export const isUserDefined = (op: string): boolean => userDefined.has(op)

/** True when some operation has been defined with partials (gradcheck checks their partials only then). */
export const someUserDefined = (): boolean => userDefined.size > 0

/** False for an operation defined without partials. */
export const isDifferentiable = (code: number): boolean => !withoutDerivative.has(code)

/** True when some operation without a derivative has been defined (the entry points look only then). */
export const someWithoutDerivative = (): boolean => withoutDerivative.size > 0

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Names the language gives a meaning of its own. */
const reserved = new Set(['pi', 'e', 'inf', 'nan'])
/** The names of the program language's tensor functions: a call to one in a program means the language's function. */
const languageNames: ReadonlySet<string> = new Set<string>([...tensorTags, ...tensorSugar])

/**
 * Registers the operation `def` in the derivative table and returns its builder (numbers are
 * lifted to constants, as with every builder). Throws a RangeError for an invalid definition: a
 * name that is not an identifier or is taken, an arity other than 1 or 2, a missing `fn`.
 */
export function defineOp<N extends 1 | 2>(def: OpDefinition<N>): Builder<N> {
  if (typeof def !== 'object' || def === null) throw new RangeError(`defineOp takes a definition { name, arity, fn, partials? }, not ${def === null ? 'null' : typeof def}`)
  const { name, arity } = def
  if (typeof name !== 'string' || !identifier.test(name)) throw new RangeError(`defineOp: the name must be an identifier (letters, digits and _, not starting with a digit), not ${JSON.stringify(name)}`)
  const bad = optionsProblem('defineOp', def, { name: given, arity: given, fn: given, partials: given, domain: given, kink: given })
  if (bad !== undefined) throw new RangeError(`defineOp: ${bad}`)
  if (reserved.has(name)) throw new RangeError(`defineOp: '${name}' is a constant of the language, not a free name`)
  // The rule table is a record: '__proto__' would replace its prototype instead of adding an entry,
  // and every later kernel would be generated from the wrong table.
  if (name === '__proto__') throw new RangeError("defineOp: '__proto__' cannot name an operation (it is JavaScript's name for an object's prototype)")
  if (isOpTag(name) || callNames.has(name)) throw new RangeError(`defineOp: an operation named '${name}' already exists`)
  // The rules' view of a number system (`M<T>`) has a method per operation beside its own members:
  // an operation named 'over' would replace the quotient every rule's partials are written with.
  if ((mMembers as readonly string[]).includes(name)) throw new RangeError(`defineOp: '${name}' is a member of the number system m that partials are written with (${mMembers.join(', ')}), so it cannot name an operation`)
  if (languageNames.has(name)) throw new RangeError(`defineOp: '${name}' is a function of the program language (a call to it in a program would not reach your operation)`)
  if (arity !== 1 && arity !== 2) throw new RangeError(`defineOp(${name}): arity must be 1 or 2, not ${String(arity)}`)
  if (typeof def.fn !== 'function') throw new RangeError(`defineOp(${name}): fn must be a function on numbers`)
  if (def.partials !== undefined && typeof def.partials !== 'function') throw new RangeError(`defineOp(${name}): partials must be a function, or left out for an operation without a derivative`)
  const domain = def.domain ?? Array.from({ length: arity }, (): Interval => [-3, 3])
  if (!Array.isArray(domain) || domain.length !== arity) throw new RangeError(`defineOp(${name}): the domain needs one interval per argument (${arity})`)
  domain.forEach((interval: unknown, j) => {
    const ok = Array.isArray(interval) && interval.length === 2 && interval.every((b) => typeof b === 'number' && Number.isFinite(b)) && (interval[0] as number) <= (interval[1] as number)
    if (!ok) throw new RangeError(`defineOp(${name}): the domain of argument ${j + 1} must be [lo, hi] with finite lo ≤ hi, not ${JSON.stringify(interval)}`)
  })
  if (def.kink !== undefined) checkKink(name, def.kink, domain)
  const user = def.partials
  if (user !== undefined) checkDefinition(name, arity, def.fn, user, domain)
  const partials: Partials = <T>(m: M<T>, args: readonly T[], out: T): readonly Partial<T>[] => {
    if (isCode(out)) return user === undefined ? args.map(() => null) : checkedPartials(name, user, m, args, out)
    if (user === undefined) throw new NotDifferentiableError(notDifferentiable(name))
    return user(m, args, out)
  }
  const fn = def.fn
  const rule: Rule = {
    arity,
    fn: (a, b) => fn(a, b),
    syntax: { _tag: 'call', name },
    partials,
    domain,
    // The user's partials may be infinite where the arguments are finite (0.5/sqrt at 0), and the
    // toolkit cannot tell where: every node of it is scanned, so that 0·∞ = 0 is reported there as
    // for the table's sqrt (the scan is generated and costs a test per node).
    ...(user === undefined ? {} : { singular: true as const }),
    ...(def.kink === undefined ? {} : { kink: guardedKink(name, def.kink) }),
  }
  const code = appendRule(name, rule)
  if (user === undefined) withoutDerivative.add(code)
  else userDefined.add(name)
  return builderOf(name as OpTag) as Builder<N>
}

/** A kink must be `{ distance, convention }`, and its distance a number (≥ 0, or NaN) at the middle of the domain. */
function checkKink(name: string, kink: unknown, domain: readonly Interval[]): void {
  const k = kink as { readonly distance?: unknown; readonly convention?: unknown } | null
  if (typeof k !== 'object' || k === null || typeof k.distance !== 'function' || typeof k.convention !== 'string') {
    throw new RangeError(`defineOp(${name}): kink must be { distance: (args) => number, convention: string }, not ${typeof kink === 'function' ? 'a function' : JSON.stringify(kink)}`)
  }
  const args = domain.map(([lo, hi]) => (lo + hi) / 2)
  const d = distanceAt(name, k.distance as Kink['distance'], args)
  if (typeof d !== 'number' || d < 0) throw new RangeError(`defineOp(${name}): kink.distance must give a number ≥ 0, not ${typeof d === 'number' ? d : typeof d} at (${args.join(', ')})`)
}

/** What the user's kink distance gives at `args`; if it throws, a RangeError naming the operation and the point. */
function distanceAt(name: string, distance: Kink['distance'], args: readonly number[]): unknown {
  try {
    return distance(args)
  } catch (e) {
    throw new RangeError(`defineOp(${name}): kink.distance threw at (${args.join(', ')}): ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** The user's kink, whose distance names the operation if it throws or gives no number later on. */
function guardedKink(name: string, kink: Kink): Kink {
  const distance = (args: readonly number[]): number => {
    const d = distanceAt(name, kink.distance, args)
    if (typeof d !== 'number') throw new RangeError(`defineOp(${name}): kink.distance gave ${typeof d}, not a number, at (${args.join(', ')})`)
    return d
  }
  return { distance, convention: kink.convention }
}

/**
 * Runs the user's partials once on numbers (at the middle of the domain) and once over generated
 * code, before anything is registered: a partial too few or too many, a value that is not a number,
 * or a constant not made by `m` (`[3]` for `[m.c(3)]`) is refused here, with the operation's name,
 * instead of silently giving a zero or breaking the kernels every later derivative needs.
 */
function checkDefinition(name: string, arity: 1 | 2, fn: (a: number, b: number) => number, user: Partials, domain: readonly Interval[]): void {
  const refuse = (why: string): never => {
    throw new RangeError(`defineOp(${name}): ${why}`)
  }
  const said = (e: unknown): string => (e instanceof Error ? e.message : String(e))
  const args = domain.map(([lo, hi]) => (lo + hi) / 2)
  let ps: readonly Partial<number>[] = []
  try {
    ps = user(mathOf(numbers), args, fn(args[0], arity === 2 ? args[1] : NaN))
  } catch (e) {
    refuse(`its partials threw at (${args.join(', ')}): ${said(e)}`)
  }
  if (!Array.isArray(ps) || ps.length !== arity) refuse(`partials must give one partial per argument (${arity}), not ${Array.isArray(ps) ? ps.length : typeof ps}`)
  ps.forEach((p, j) => {
    if (p !== null && typeof p !== 'number' && !(p instanceof Quotient)) refuse(`partial ${j + 1} is ${p === undefined ? 'undefined' : typeof p}, not a value made by m`)
  })
  const code = new Code('p')
  let generated: readonly Partial<string>[] = []
  try {
    generated = checkedPartials(name, user, mathOf(code.num), ['x', 'y'].slice(0, arity), 'o')
  } catch (e) {
    refuse(said(e).replace(`defineOp(${name}): `, ''))
  }
  // The generated code must compute what the partials compute on numbers: a JavaScript branch or
  // Math call on an argument's value (`x > 0 ? m.c(1) : m.c(-1)`) is decided once, when the code
  // is written, and would be wrong on the other side. Checked at three points of the domain.
  const shown = generated.map((p) => (p === null ? '0' : p instanceof Quotient ? `(${p.num}) / (${p.den})` : p))
  const kernel = compileFunction<(x: number, y: number, o: number) => number[]>('x, y, o', `${code.lines.join(' ')} return [${shown.join(', ')}];`)
  const value = (p: Partial<number> | undefined): number => (p === null || p === undefined ? 0 : partialValue(numbers, p))
  for (const t of [0.25, 0.5, 0.8]) {
    const xs = domain.map(([lo, hi]) => lo + t * (hi - lo))
    const x = xs[0] as number
    const y = arity === 2 ? (xs[1] as number) : NaN
    const out = fn(x, y)
    const onNumbers = user(mathOf(numbers), xs, out).map(value)
    const onCode = kernel(x, y, out)
    onNumbers.forEach((a, j) => {
      const b = onCode[j] as number
      const same = a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
      if (!same) refuse(`partial ${j + 1} is ${a} at (${xs.join(', ')}) on numbers but ${b} in generated code: partials must be written with m alone (a JavaScript branch or Math call on an argument is decided once, when the code is generated)`)
    })
  }
}

// -------------------------------------------------------------------------------------------------
// Partials over generated code
// -------------------------------------------------------------------------------------------------

/** Generated code, or dual numbers of it: the number systems whose values become source text. */
function isCode(t: unknown): boolean {
  return typeof t === 'string' || (typeof t === 'object' && t !== null && 'value' in t && isCode((t as { value: unknown }).value))
}

/**
 * A user's partials run over generated code with every value checked: each argument of every
 * operation, and each partial returned, must be an argument, the output, or a value `m` made. So
 * nothing but the toolkit's own pieces (names it chose, numeric literals) becomes source text.
 */
function checkedPartials<T>(name: string, user: Partials, m: M<T>, args: readonly T[], out: T): readonly Partial<T>[] {
  const issued = new Set<unknown>([...args, out])
  const refuse = (): never => {
    throw new TypeError(`defineOp(${name}): partials may only combine the arguments, the output and values made by m`)
  }
  const known = (t: T): T => (issued.has(t) ? t : refuse())
  const issue = (t: T): T => (issued.add(t), t)
  const base: Num<T> = m.num
  const tracked: Num<T> = {
    constant: (c) => issue(base.constant(c)),
    apply: (op, xs) => issue(base.apply(op, xs.map(known))),
    isZero: (t) => base.isZero(known(t)),
    ...(base.scale === undefined ? {} : { scale: (p: T, t: T) => issue((base.scale as NonNullable<Num<T>['scale']>)(known(p), known(t))) }),
    ...(base.quotient === undefined ? {} : { quotient: (n: T, d: T, t: T) => issue((base.quotient as NonNullable<Num<T>['quotient']>)(known(n), known(d), known(t))) }),
  }
  return user(mathOf(tracked), args, out).map((p) => {
    if (p === null) return null
    if (p instanceof Quotient) return new Quotient(known(p.num), known(p.den))
    return known(p)
  })
}
