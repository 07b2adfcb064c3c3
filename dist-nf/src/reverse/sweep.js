import { partialsIn, plus, times } from '../ops/math.js';
import { opTags } from '../ops/tags.js';
/**
 * The gradient table: `gradTable[slot]` is ∂(Σ seeds)/∂slot, or `null` where it is a structural
 * zero. `values` are the slot values in the same number system.
 */
export function reverseSweep(num, tape, values, seeds) {
    const gradTable = new Array(tape.size).fill(null);
    const accumulate = (slot, term) => {
        const prev = gradTable[slot];
        gradTable[slot] = prev === null ? term : plus(num, prev, term);
    };
    for (const [slot, seed] of seeds)
        accumulate(slot, seed);
    const order = tape.activeOrder;
    for (let k = order.length - 1; k >= 0; k--) {
        const i = order[k];
        const g = gradTable[i];
        if (g === null || num.isZero(g))
            continue;
        const argSlots = tape.a1[i] >= 0 ? [tape.a0[i], tape.a1[i]] : [tape.a0[i]];
        const partials = partialsIn(num, opTags[tape.op[i]], argSlots.map((s) => values[s]), values[i]);
        for (let j = 0; j < argSlots.length; j++) {
            const p = partials[j];
            if (p === null || tape.active[argSlots[j]] === 0)
                continue;
            accumulate(argSlots[j], times(num, p, g));
        }
    }
    return gradTable;
}
