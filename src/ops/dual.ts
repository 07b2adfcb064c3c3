/**
 * Dual numbers: a value and a tangent, over any base number system. `dualOf(numbers)` is
 * ordinary forward mode; `dualOf(dualOf(numbers))` nests it for second derivatives.
 *
 * The tangent of `op(a, b)` is Σᵢ ∂ᵢ·ȧᵢ with the partials from the one table; zero tangents are
 * skipped rather than multiplied (an infinite partial times a zero tangent contributes nothing).
 *
 * @example
 * import { dual, dualOf, numbers } from 'chainrule'
 * const D = dualOf(numbers)
 * D.apply('sin', [dual(2, 1)])  // → { value: 0.9093, tangent: -0.4161 }   sin 2 and cos 2
 */
import type { Num } from './rule.js'
import { partialsIn } from './math.js'
import type { OpTag } from './tags.js'

export interface Dual<T> {
  readonly value: T
  readonly tangent: T
}

export const dual = <T>(value: T, tangent: T): Dual<T> => ({ value, tangent })

const cache = new WeakMap<Num<unknown>, Num<Dual<unknown>>>()

/** The dual numbers over `base`. */
export function dualOf<T>(base: Num<T>): Num<Dual<T>> {
  const hit = cache.get(base as Num<unknown>)
  if (hit !== undefined) return hit as unknown as Num<Dual<T>>
  const zero = base.constant(0)
  const D: Num<Dual<T>> = {
    constant: (c) => ({ value: base.constant(c), tangent: zero }),
    isZero: (d) => base.isZero(d.value) && base.isZero(d.tangent),
    apply: (op: OpTag, args) => {
      const values = args.map((a) => a.value)
      const value = base.apply(op, values)
      let tangent: T | null = null
      let ps: readonly (T | null)[] | null = null
      for (let i = 0; i < args.length; i++) {
        const t = args[i].tangent
        if (base.isZero(t)) continue
        ps ??= partialsIn(base, op, values, value)
        const p = ps[i]
        if (p === null) continue
        const term = base.scale !== undefined ? base.scale(p, t) : base.apply('mul', [p, t])
        tangent = tangent === null ? term : base.apply('add', [tangent, term])
      }
      return { value, tangent: tangent ?? zero }
    },
  }
  const scale = base.scale
  const result: Num<Dual<T>> =
    scale === undefined
      ? D
      : {
          ...D,
          // (p·t) with run-time zeros of t skipped term by term: value p·t, tangent ṗ·t + p·ṫ.
          scale: (p, t) => ({ value: scale(p.value, t.value), tangent: base.apply('add', [scale(p.tangent, t.value), scale(p.value, t.tangent)]) }),
        }
  cache.set(base as Num<unknown>, result as unknown as Num<Dual<unknown>>)
  return result
}
