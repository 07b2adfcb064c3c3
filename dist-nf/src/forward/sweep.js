import { opTags } from '../ops/tags.js';
import { CONST } from '../tape/tape.js';
/**
 * Values of every slot in `num`. `leaf(slot)` gives each variable's value; constants come from
 * the tape.
 */
export function forwardSweep(num, tape, leaf) {
    const values = new Array(tape.size);
    for (let i = 0; i < tape.leaves; i++)
        values[i] = tape.op[i] === CONST ? num.constant(tape.init[i]) : leaf(i);
    for (let i = tape.leaves; i < tape.size; i++) {
        const args = tape.a1[i] >= 0 ? [values[tape.a0[i]], values[tape.a1[i]]] : [values[tape.a0[i]]];
        values[i] = num.apply(opTags[tape.op[i]], args);
    }
    return values;
}
