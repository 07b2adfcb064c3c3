/**
 * Number systems. `mathOf(num)` turns a `Num<T>` into the `M<T>` the rules are written in; the
 * plain-number system `numbers` is the reference interpretation.
 */
import type { M, Num } from './rule.js'
import { table } from './table.js'
import { opTags, type OpTag } from './tags.js'

const cache = new WeakMap<Num<unknown>, M<unknown>>()

/** The rule-writing view of a number system: one method per primitive, plus `c` for constants. */
export function mathOf<T>(num: Num<T>): M<T> {
  const hit = cache.get(num as Num<unknown>)
  if (hit !== undefined) return hit as M<T>
  const m: Record<string, unknown> = { c: num.constant, num }
  for (const tag of opTags) m[tag] = (...args: T[]) => num.apply(tag, args)
  Object.freeze(m)
  cache.set(num as Num<unknown>, m as M<unknown>)
  return m as M<T>
}

/** Plain IEEE doubles. */
export const numbers: Num<number> = {
  constant: (c) => c,
  apply: (op: OpTag, args) => table[op].fn(args[0], args[1]),
  isZero: (t) => t === 0,
  scale: (p, t) => (t === 0 ? 0 : p * t),
}

/**
 * The local partials of `op` at `args` (with output `out`) in the number system `num`; `null`
 * entries are structural zeros.
 */
export function partialsIn<T>(num: Num<T>, op: OpTag, args: readonly T[], out: T): readonly (T | null)[] {
  return table[op].partials(mathOf(num), args, out)
}
