/**
 * Sum trees: the sum nodes (a + b, a − b) of a large sum that is not a chain (the balanced tree of
 * `sum(...)`), evaluated over the stored values of its terms in their own association, so that
 * the sum is bit-for-bit the interpreted one.
 *
 * The nodes are stored by height (terms are height 0, a node is one more than its highest
 * operand) and, within a height, in slot order, which is left to right for the trees `sum` builds.
 * Then a height of a balanced tree is one run of nodes whose result and operand slots advance by
 * fixed strides (out = o + k, left = l + 2k, right = l + 2k + 1), and the whole tree is a few
 * tight loops (`runs`), not a loop over index arrays. Terms of one template are stored
 * consecutively (see `schedule.ts`), so the first height runs the same way.
 *
 * The adjoint of every term is ± the root's, exactly (the partials of a sum are ±1), so
 * the reverse sweep needs nothing from here: each batch of terms back-propagates ±g[root].
 *
 * @example
 * const order = byHeight(tape, interior, scratch)     // interior nodes, the root last
 * const runs = sumRuns(tape, order, slotOf)          // [count, sub, out, dOut, left, dLeft, right, dRight, …]
 * sumValues(v, runs)                                 // v[slotOf[root]] is the sum
 */
import { sumSignByCode as sumSign } from '../ops/table.js';
/** Fields of one run in `runs`. */
const RUN = 8;
/**
 * The interior nodes (in slot order, the root last) ordered by height, then slot: the order in
 * which they get their stored slots and are evaluated. `height` is scratch of the tape's size,
 * all zero, and is left so.
 */
export function byHeight(tape, interior, height) {
    const { a0, a1 } = tape;
    let tallest = 0;
    for (let k = 0; k < interior.length; k++) {
        const s = interior[k];
        height[s] = 1 + Math.max(height[a0[s]], height[a1[s]]);
        tallest = Math.max(tallest, height[s]);
    }
    // A counting sort by height keeps slot order within a height.
    const at = new Int32Array(tallest + 2);
    for (let k = 0; k < interior.length; k++)
        at[height[interior[k]] + 1]++;
    for (let h = 1; h <= tallest + 1; h++)
        at[h] += at[h - 1];
    const order = new Int32Array(interior.length);
    for (let k = 0; k < interior.length; k++)
        order[at[height[interior[k]]]++] = interior[k];
    for (let k = 0; k < interior.length; k++)
        height[interior[k]] = 0;
    return order;
}
/** The runs of `order` (nodes in evaluation order) over the stored slots `slotOf`. */
export function sumRuns(tape, order, slotOf) {
    const { a0, a1, op } = tape;
    const runs = [];
    let k = 0;
    while (k < order.length) {
        const s = order[k];
        const sub = sumSign[op[s]] === -1 ? 1 : 0;
        const o = slotOf[s];
        const l = slotOf[a0[s]];
        const r = slotOf[a1[s]];
        let count = 1;
        let dOut = 0;
        let dLeft = 0;
        let dRight = 0;
        if (k + 1 < order.length && (sumSign[op[order[k + 1]]] === -1 ? 1 : 0) === sub) {
            const t = order[k + 1];
            dOut = slotOf[t] - o;
            dLeft = slotOf[a0[t]] - l;
            dRight = slotOf[a1[t]] - r;
            // Nodes run in order, after every node they read (lower heights come first).
            count = 2;
            while (k + count < order.length) {
                const u = order[k + count];
                if ((sumSign[op[u]] === -1 ? 1 : 0) !== sub)
                    break;
                if (slotOf[u] !== o + count * dOut || slotOf[a0[u]] !== l + count * dLeft || slotOf[a1[u]] !== r + count * dRight)
                    break;
                count++;
            }
        }
        runs.push(count, sub, o, dOut, l, dLeft, r, dRight);
        k += count;
    }
    return Int32Array.from(runs);
}
/** Evaluates the runs over `v` (values, or tangents: the tangent of l ± r is ṫl ± ṫr). */
export function sumValues(v, runs) {
    for (let q = 0; q < runs.length; q += RUN) {
        const count = runs[q];
        let o = runs[q + 2];
        let l = runs[q + 4];
        let r = runs[q + 6];
        const dOut = runs[q + 3];
        const dLeft = runs[q + 5];
        const dRight = runs[q + 7];
        if (runs[q + 1] === 1)
            for (let k = 0; k < count; k++, o += dOut, l += dLeft, r += dRight)
                v[o] = v[l] - v[r];
        else
            for (let k = 0; k < count; k++, o += dOut, l += dLeft, r += dRight)
                v[o] = v[l] + v[r];
    }
}
/**
 * A sum tree's terms computed by templates, grouped by template and sign (groups in order of
 * first appearance, terms in order within each): the indices into `keys`.
 */
export function termGroups(red) {
    const groups = new Map();
    for (let j = 0; j < red.keys.length; j++) {
        const t = red.template[j];
        if (t < 0)
            continue;
        const g = 2 * t + red.negative[j];
        const group = groups.get(g);
        if (group === undefined)
            groups.set(g, [j]);
        else
            group.push(j);
    }
    return [...groups.values()];
}
