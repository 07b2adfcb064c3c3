/**
 * Elementwise operations on tensors are the scalar rules mapped: the partials a scalar rule
 * computes over a tensor number system are tensors (cos X for sin X), multiplied into tangents
 * entry by entry (`times`, with the toolkit's quotients and zeros). Broadcasting is the only
 * thing tensors add: a tangent is broadcast to the result, and an adjoint summed back over the
 * axes its argument was broadcast along.
 */
import type { OpTag } from '../tags.js'
import { times } from '../math.js'
import { table } from '../table.js'
import type { TM } from './rule.js'
import { sameShape } from './shape.js'

/** The tangent of op(args) for the tangents `dots` (null: zero); null when every tangent is. */
export function elementwiseJvp<T>(t: TM<T>, op: OpTag, args: readonly T[], dots: readonly (T | null)[], out: T): T | null {
  if (dots.every((d) => d === null)) return null
  const partials = table[op].partials(t, args, out)
  let acc: T | null = null
  partials.forEach((p, i) => {
    const d = dots[i]
    if (p === null || d === null || d === undefined) return
    const term = times(t.num, p, d)
    acc = acc === null ? term : t.add(acc, term)
  })
  if (acc === null) return null
  const shape = t.shapeOf(out)
  return sameShape(t.shapeOf(acc), shape) ? acc : t.broadcastTo(acc, shape)
}

/** The adjoints of op's arguments for the adjoint `cot` of its result (only those `wanted`). */
export function elementwiseVjp<T>(t: TM<T>, op: OpTag, args: readonly T[], cot: T, out: T, wanted: readonly boolean[]): readonly (T | null)[] {
  const partials = table[op].partials(t, args, out)
  return partials.map((p, i) => (p === null || !wanted[i] ? null : t.sumTo(times(t.num, p, cot), t.shapeOf(args[i] as T))))
}
