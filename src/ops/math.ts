/**
 * Number systems. `mathOf(num)` turns a `Num<T>` into the `M<T>` the rules are written in; the
 * plain-number system `numbers` is the reference interpretation. `times` is the one place where a
 * local partial meets a tangent or an adjoint, in every number system.
 */
import { Quotient, type M, type Num, type Partial } from './rule.js'
import { table } from './table.js'
import { opTags, type OpTag } from './tags.js'

/** Per number system, its M and how many operations the table had then (`defineOp` adds more). */
const cache = new WeakMap<Num<unknown>, { readonly m: M<unknown>; readonly ops: number }>()

/** The members of `M<T>` besides its operations: no operation may take their names. */
export const mMembers = ['c', 'over', 'num'] as const

/** The rule-writing view of a number system: one method per primitive, plus `c` for constants. */
export function mathOf<T>(num: Num<T>): M<T> {
  // An operation defined since the view was made must be a method of it too (m.cube(x)).
  const hit = cache.get(num as Num<unknown>)
  if (hit !== undefined && hit.ops === opTags.length) return hit.m as M<T>
  const m: Record<string, unknown> = {}
  for (const tag of opTags) m[tag] = (...args: T[]) => num.apply(tag, args)
  // Its own members last, so that nothing can shadow them.
  const own: Record<(typeof mMembers)[number], unknown> = { c: num.constant, over: (a: T, b: T) => new Quotient(a, b), num }
  Object.assign(m, own)
  Object.freeze(m)
  cache.set(num as Num<unknown>, { m: m as M<unknown>, ops: opTags.length })
  return m as M<T>
}

/** The smallest normal double: below it a product has lost bits to underflow. */
export const MIN_NORMAL = 2.2250738585072014e-308
const isNormal = (x: number): boolean => x - x === 0 && (x >= MIN_NORMAL || x <= -MIN_NORMAL)

/**
 * t·n/d for nonzero t and n, in the order that keeps it representable: (t/d)·n first (the tangent
 * divided by its own variable is usually O(1)); where that overflows, underflows or goes subnormal,
 * (t·n)/d, then (n/d)·t; where none is a normal double, the finite one of largest magnitude (the
 * least lost to underflow). Each order is two roundings, so any normal result is accurate.
 */
export function quotientProduct(t: number, n: number, d: number): number {
  const a = (t / d) * n
  if (isNormal(a) || a !== a) return a
  const b = (t * n) / d
  if (isNormal(b)) return b
  const c = (n / d) * t
  if (isNormal(c)) return c
  let best = a
  for (const r of [b, c]) if (r - r === 0 && (!(best - best === 0) || Math.abs(r) > Math.abs(best))) best = r
  return best
}


/**
 * Plain IEEE doubles, with the toolkit's convention for the chain rule's products: a zero factor
 * (tangent, adjoint or partial) gives exactly zero, whatever the other factor (0·∞ = 0·NaN = 0).
 */
export const numbers: Num<number> = {
  constant: (c) => c,
  apply: (op: OpTag, args) => table[op].fn(args[0], args[1]),
  isZero: (t) => t === 0,
  scale: (p, t) => (p === 0 || t === 0 ? 0 : p * t),
  quotient: (num, den, t) => (num === 0 || t === 0 ? 0 : quotientProduct(t, num, den)),
}

/**
 * The local partials of `op` at `args` (with output `out`) in the number system `num`; `null`
 * entries are structural zeros, `Quotient`s are num/den (multiply them in with `times`).
 */
export function partialsIn<T>(num: Num<T>, op: OpTag, args: readonly T[], out: T): readonly Partial<T>[] {
  return table[op].partials(mathOf(num), args, out)
}

/**
 * `p·t`: a (non-structural) local partial times a tangent or adjoint, in any number system. A
 * quotient num/den is applied as (t / den)·num, so the product is right whenever it is
 * representable; a zero factor gives zero (see `numbers`).
 */
export function times<T>(sys: Num<T>, p: T | Quotient<T>, t: T): T {
  if (p instanceof Quotient) {
    if (sys.quotient !== undefined) return sys.quotient(p.num, p.den, t)
    if (sys.isZero(t) || sys.isZero(p.num)) return sys.constant(0)
    return times(sys, p.num, sys.apply('div', [t, p.den]))
  }
  if (sys.scale !== undefined) return sys.scale(p, t)
  return sys.apply('mul', [t, p])
}

/**
 * `a + b` in any number system: where the chain rule adds up the contributions of the paths
 * through a node (the adjoint of a value used twice is the sum of its uses' adjoints).
 */
export function plus<T>(sys: Num<T>, a: T, b: T): T {
  return sys.apply('add', [a, b])
}

/** A partial as one number of its system (num/den for a quotient): for display and checks. */
export function partialValue<T>(sys: Num<T>, p: T | Quotient<T>): T {
  return p instanceof Quotient ? sys.apply('div', [p.num, p.den]) : p
}

/**
 * True when a numeric partial is singular: infinite or NaN, or a quotient whose denominator is 0
 * or NaN or whose numerator is not finite. (A quotient with a representable product need not have
 * a representable ratio: 1/x at x = 1e-310 overflows, t/x for t = 1e-5 does not.)
 */
export function singularPartial(p: number | Quotient<number>): boolean {
  if (p instanceof Quotient) return !Number.isFinite(p.num) || p.den === 0 || Number.isNaN(p.den)
  return !Number.isFinite(p)
}
