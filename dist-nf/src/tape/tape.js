import { rulesByCode } from '../ops/table.js';
import { layout } from './layout.js';
export { CONST, VAR } from './layout.js';
/**
 * Lays out the ancestors of `outputs`, marking the descendants of the variables named in `wrt`.
 * Iterative and linear in the number of nodes.
 */
export function linearize(outputs, wrt = []) {
    const { size, leaves, nodes, op, a0, a1, init, variables, outputs: outputSlots } = layout(outputs);
    const wrtSlots = Int32Array.from(wrt, (name) => variables.get(name) ?? -1);
    const active = new Uint8Array(size);
    for (const s of wrtSlots)
        if (s >= 0)
            active[s] = 1;
    let nActive = 0;
    for (let i = leaves; i < size; i++) {
        if (active[a0[i]] === 1 || (a1[i] >= 0 && active[a1[i]] === 1)) {
            active[i] = 1;
            nActive++;
        }
    }
    const activeOrder = new Int32Array(nActive);
    const kinks = [];
    const singular = [];
    let edges = 0;
    for (let i = leaves, k = 0; i < size; i++) {
        if (active[i] === 0)
            continue;
        activeOrder[k++] = i;
        edges += active[a0[i]] + (a1[i] >= 0 ? active[a1[i]] : 0);
        if (rulesByCode[op[i]].kink !== undefined)
            kinks.push(i);
        if (rulesByCode[op[i]].singular === true)
            singular.push(i);
    }
    return {
        size,
        leaves,
        nodes,
        op,
        a0,
        a1,
        init,
        variables,
        outputs: outputSlots,
        wrt: Object.freeze(wrt.slice()),
        wrtSlots,
        active,
        activeOrder,
        edges,
        kinkSlots: Int32Array.from(kinks),
        singularSlots: Int32Array.from(singular),
    };
}
export const noNames = Object.freeze([]);
const cache = new WeakMap();
const byIdentity = new WeakMap();
/**
 * `linearize(outputs, wrt)`, remembered per outputs array and `wrt` list, so that evaluating the
 * same program at many points lays it out once.
 */
export function tapeFor(outputs, wrt = noNames) {
    // The same wrt array as last time (the common case: the program's own `variables`) is found
    // without building a key from all its names.
    let same = byIdentity.get(outputs);
    const hit = same?.get(wrt);
    if (hit !== undefined)
        return hit;
    if (same === undefined) {
        same = new WeakMap();
        byIdentity.set(outputs, same);
    }
    let byWrt = cache.get(outputs);
    if (byWrt === undefined) {
        byWrt = new Map();
        cache.set(outputs, byWrt);
    }
    const key = wrt.join('\u0000');
    let tape = byWrt.get(key);
    if (tape === undefined) {
        tape = linearize(outputs, wrt);
        byWrt.set(key, tape);
    }
    same.set(wrt, tape);
    return tape;
}
