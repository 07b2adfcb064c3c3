/**
 * The document's back-propagation (§2.2) over any number system: `gradTable[output] = seed`,
 * then, for the active slots in reverse topological order, add `adjoint × local partial` into each
 * active argument's entry. One accumulator per slot; cost proportional to the edges of G′.
 *
 * With `nodes` as the number system this is symbol-to-symbol differentiation (the gradient is
 * new nodes of the same graph); with `dualOf(numbers)` it is forward-over-reverse.
 */
import type { Num } from '../ops/rule.js'
import { partialsIn, plus, times } from '../ops/math.js'
import { opTags } from '../ops/tags.js'
import type { Tape } from '../tape/tape.js'

/**
 * The gradient table: `gradTable[slot]` is ∂(Σ seeds)/∂slot, or `null` where it is a structural
 * zero. `values` are the slot values in the same number system.
 */
export function reverseSweep<T>(num: Num<T>, tape: Tape, values: readonly T[], seeds: readonly (readonly [slot: number, seed: T])[]): (T | null)[] {
  const gradTable = new Array<T | null>(tape.size).fill(null)
  const accumulate = (slot: number, term: T): void => {
    const prev = gradTable[slot]
    gradTable[slot] = prev === null ? term : plus(num, prev, term)
  }
  for (const [slot, seed] of seeds) accumulate(slot, seed)
  const order = tape.activeOrder
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]
    const g = gradTable[i]
    if (g === null || num.isZero(g)) continue
    const argSlots = tape.a1[i] >= 0 ? [tape.a0[i], tape.a1[i]] : [tape.a0[i]]
    const partials = partialsIn(num, opTags[tape.op[i]], argSlots.map((s) => values[s]), values[i])
    for (let j = 0; j < argSlots.length; j++) {
      const p = partials[j]
      if (p === null || tape.active[argSlots[j]] === 0) continue
      accumulate(argSlots[j], times(num, p, g))
    }
  }
  return gradTable
}
