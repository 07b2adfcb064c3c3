/**
 * The document's forward propagation (§2.1) over any number system: visit the slots in
 * topological order and compute each from its arguments. With `dualOf(numbers)` this is forward
 * mode; with a counting number system it shows that each node is evaluated exactly once.
 *
 * The fast path for plain numbers is the compiled `forward`/`jvp` kernel; this generic sweep is
 * the reference and serves nested duals.
 */
import type { Num } from '../ops/rule.js'
import { opTags } from '../ops/tags.js'
import { CONST, type Tape } from '../tape/tape.js'

/**
 * Values of every slot in `num`. `leaf(slot)` gives each variable's value; constants come from
 * the tape.
 */
export function forwardSweep<T>(num: Num<T>, tape: Tape, leaf: (slot: number) => T): T[] {
  const values = new Array<T>(tape.size)
  for (let i = 0; i < tape.leaves; i++) values[i] = tape.op[i] === CONST ? num.constant(tape.init[i]) : leaf(i)
  for (let i = tape.leaves; i < tape.size; i++) {
    const args = tape.a1[i] >= 0 ? [values[tape.a0[i]], values[tape.a1[i]]] : [values[tape.a0[i]]]
    values[i] = num.apply(opTags[tape.op[i]], args)
  }
  return values
}
