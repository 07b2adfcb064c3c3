/**
 * The shape of one entry of the derivative table, and the generic number
 * system the entries are written over.
 *
 * A rule is written once. Its local partial derivatives are a function of a
 * number system `M<T>`: the same code computes plain numbers (`T = number`),
 * dual numbers (forward mode), expression nodes (symbol-to-symbol
 * differentiation, hence higher order) and JavaScript source text (the
 * compiled sweeps). Forward mode computes Σᵢ ∂ᵢ·ẋᵢ from these partials and
 * reverse mode adds ∂ᵢ·ȳ into x̄ᵢ; no other code knows about particular ops.
 *
 * A partial that is a quotient is returned as `m.over(num, den)`, never divided out: the sweeps
 * multiply it into a tangent or adjoint t as (t / den)·num, so that t·num/den is right whenever it
 * is representable, even where num/den alone underflows or overflows (the second derivative of
 * log s at s = 1e304 is −(1/s)/s, which underflows; −(ṡ/s)·(1/s) does not).
 *
 * @example
 * import { mathOf, numbers, type Rule } from 'chainrule'
 * // sin: value Math.sin, local partial cos(x) (in the table, `call('sin')` and `[anywhere]`)
 * const sin: Rule = {
 *   arity: 1, fn: Math.sin, syntax: { _tag: 'call', name: 'sin' },
 *   partials: (m, [x]) => [m.cos(x!)], domain: [[-3, 3]],
 * }
 * sin.partials(mathOf(numbers), [0], 0)   // → [1]
 */
import type { OpTag } from './tags.js'

// -------------------------------------------------------------------------------------------------
// The generic number system
// -------------------------------------------------------------------------------------------------

/**
 * A number system: how to make a constant and how to apply a primitive. Every interpretation of
 * a program (numbers, duals, nodes, code) is one of these.
 */
export interface Num<T> {
  /** Lift a constant written by the toolkit (never user text). */
  readonly constant: (c: number) => T
  /** Apply the primitive `op` to `args`. */
  readonly apply: (op: OpTag, args: readonly T[]) => T
  /** True when `t` is known to be exactly zero (explicit zeros let sweeps skip work). */
  readonly isZero: (t: T) => boolean
  /**
   * `p·t` for a partial p and a tangent or adjoint t, with the toolkit's convention for zeros: when
   * either factor is zero the product is exactly zero, even if the other is infinite or NaN
   * (explicit zeros, decided at run time). Systems that know every zero statically (`isZero`) can
   * leave it out: it defaults to `mul`. Use `times` (math.ts), which also handles quotients.
   */
  readonly scale?: (p: T, t: T) => T
  /**
   * `t·num/den` for a quotient partial, computed as (t / den)·num (divide the tangent first), zero
   * when t or num is zero. Defaults to `scale(num, div(t, den))`.
   */
  readonly quotient?: (num: T, den: T, t: T) => T
}

/**
 * A local partial written as the quotient num/den and kept apart, so that a sweep can divide the
 * tangent or adjoint first (see `times`). Built by `m.over(num, den)` in a rule.
 */
export class Quotient<T> {
  constructor(
    readonly num: T,
    readonly den: T,
  ) {}
}

/** One local partial: a number of the system, a quotient, or `null` for a structural zero. */
export type Partial<T> = T | Quotient<T> | null

/** The number system with one method per primitive, for writing rules that read like math. */
export type M<T> = { readonly [K in OpTag]: (...args: T[]) => T } & {
  /** A constant. */
  readonly c: (x: number) => T
  /** The partial num/den, kept as a quotient (see `Quotient`). */
  readonly over: (num: T, den: T) => Quotient<T>
  readonly num: Num<T>
}

// -------------------------------------------------------------------------------------------------
// Rules
// -------------------------------------------------------------------------------------------------

/** How a primitive is written in the program language. */
export type Syntax =
  | { readonly _tag: 'infix'; readonly symbol: '+' | '-' | '*' | '/' | '^'; readonly prec: number }
  | { readonly _tag: 'prefix'; readonly symbol: '-' }
  | { readonly _tag: 'call'; readonly name: string }

/** A closed interval from which the tests sample an argument. */
export type Interval = readonly [lo: number, hi: number]

/** A point where a primitive is not differentiable, and the convention used there. */
export interface Kink {
  /** Distance from the arguments to the non-differentiable set; 0 means "on it". */
  readonly distance: (args: readonly number[]) => number
  /** What the toolkit does there, in words ("used relu'(0) = 0"). */
  readonly convention: string
}

/**
 * The local partial derivatives of a primitive at `args` with output `out`, one per argument;
 * `null` is a structural zero (the argument has no influence, as for `stop_gradient`), and a
 * `Quotient` is num/den to be multiplied in by dividing first.
 */
export interface Caveat {
  readonly possible: (constants: readonly (number | undefined)[]) => boolean
  readonly where: (args: readonly number[]) => boolean
  readonly message: string
  /** 2: only second derivatives are affected (Hessians and H·v warn; gradients do not). Default 1. */
  readonly order?: 1 | 2
  /** Only the mixed second derivative is affected: it applies where every argument is differentiated. */
  readonly mixed?: true
}

/**
 * Whether r² leaves the normal range (r below 1.49e-154, or above 1.34e154): second derivatives of
 * hypot and atan2 divide by it (caveats of order 2 in their rules).
 */
export const squareOutOfRange = (r: number): boolean => r > 0 && Number.isFinite(r) && (r < 1.4916681462400413e-154 || r > 1.3407807929942596e154)

/** A rule's caveats as a list. */
export const caveatsOf = (c: Caveat | readonly Caveat[] | undefined): readonly Caveat[] => (c === undefined ? [] : Array.isArray(c) ? c : [c as Caveat])

export type Partials = <T>(m: M<T>, args: readonly T[], out: T) => readonly Partial<T>[]

export interface Rule {
  readonly arity: 1 | 2
  /** Evaluation on plain numbers. */
  readonly fn: (a: number, b: number) => number
  readonly syntax: Syntax
  readonly partials: Partials
  /** Where the tests sample each argument (the primitive's domain, away from singularities). */
  readonly domain: readonly Interval[]
  readonly kink?: Kink
  /**
   * The partials can be infinite or NaN where the arguments and the value are finite (sqrt′(0),
   * asin′(1), 1/x at a subnormal x, atan2 at the origin). The evaluators check such nodes at every
   * point, so that an infinite partial multiplied by a zero is reported, not silently dropped.
   */
  readonly singular?: true
  /**
   * Where the partials are finite but known to be wrong (not the value): every derivative entry
   * point that meets such a node warns with `message`. `possible` decides once per tape, from the
   * arguments that are constants (`undefined` for the others), whether a node can ever be there, so
   * that x² costs nothing; `where` decides at each point.
   */
  readonly caveat?: Caveat | readonly Caveat[]
  /** Identity elements, used for trivial simplification of expressions (`x + 0 → x`, `1·x → x`). */
  readonly identity?: { readonly left?: number; readonly right?: number }
  /** `op(op(x)) = x` (negation), also used for simplification. */
  readonly involution?: true
  /** `op(x, right) = value` for every x, NaN and ∞ included (x⁰ = 1): folded when building nodes and code. */
  readonly constantWhen?: { readonly right: number; readonly value: number }
  /**
   * `op(left, x) = op(x, right) = −x` for every x, bit for bit (x·(−1)): the code generators write
   * a unary minus.
   */
  readonly negation?: { readonly left?: number; readonly right?: number }
  /**
   * `op(a, b) = a^b`: the code generators write a² as a·a (exact, and several times cheaper than
   * a call), and test for the exponents 2 and 1 when the exponent is known only at run time (x² in
   * a program gives 2·x¹ in its derivative).
   */
  readonly power?: true
  /**
   * `op(a, b) = a + right·b`, one IEEE addition or subtraction: a sum, whose partials are 1 and
   * `right`. The compiler turns long sums (chains s = s ± term, the balanced trees of `sum`) into
   * loops over their terms (see `compile/partition.ts`).
   */
  readonly sum?: { readonly right: 1 | -1 }
}

// -------------------------------------------------------------------------------------------------
// Helpers for writing table entries
// -------------------------------------------------------------------------------------------------

export const call = (name: string): Syntax => ({ _tag: 'call', name })
export const infix = (symbol: '+' | '-' | '*' | '/' | '^', prec: number): Syntax => ({ _tag: 'infix', symbol, prec })

/** A typical sample interval for an unrestricted argument. */
export const anywhere: Interval = [-3, 3]
export const positive: Interval = [0.2, 4]
export const unitOpen: Interval = [-0.9, 0.9]
