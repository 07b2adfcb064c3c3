/**
 * Cones of the reverse sweeps. A reverse sweep that carries the adjoint rows of a few outputs only
 * does work at the ancestors of those outputs (the kernel skips a node whose adjoints are all
 * zero), so its cost is the size of their cone, not of the whole graph. Programs whose outputs
 * are separate expressions make this a large saving, and the cost model must see it.
 *
 * `reverseCones` counts, for every chunk of rows (one reverse sweep each), the active applications
 * and the edges in the chunk's cone, by propagating 32 chunks at a time as bits of an integer per
 * slot, backwards over the tape: one linear pass per 32 sweeps. Cones up to `coneShare` of G′
 * are listed in topological order (within a memory cap), so that their sweep visits only them;
 * a sweep that visits all of G′ pays for checking the nodes outside its cone.
 *
 * @example
 * // outputs [sin(x), cos(y)], one row per sweep: each cone holds one application and one edge
 * reverseCones(facts, Int32Array.of(0, 1), 2, false).edges  // Float64Array [1, 1]
 */
import { coneListSlots, coneShare } from './cost.js';
/** Marks, for the chunks [base, base + 32), the slots in each chunk's cone (bit c: chunk base + c). */
function markBlock(facts, chunkOf, base, mark) {
    const { tape, flows } = facts;
    const { a0, a1, activeOrder } = tape;
    mark.fill(0);
    tape.outputs.forEach((slot, r) => {
        const c = chunkOf[r] - base;
        if (c >= 0 && c < 32)
            mark[slot] |= 1 << c;
    });
    for (let k = activeOrder.length - 1; k >= 0; k--) {
        const i = activeOrder[k];
        const bits = mark[i];
        if (bits === 0)
            continue;
        if ((flows[i] & 1) !== 0)
            mark[a0[i]] |= bits;
        if ((flows[i] & 2) !== 0)
            mark[a1[i]] |= bits;
    }
}
/**
 * The cones of `chunks` reverse sweeps; `chunkOf[r]` is the sweep that seeds output r (−1: none).
 * With `list`, the cones of the listed sweeps are returned in topological order.
 */
export function reverseCones(facts, chunkOf, chunks, list) {
    const { tape, touches } = facts;
    const { activeOrder } = tape;
    const count = activeOrder.length;
    const nodes = new Float64Array(chunks);
    const edges = new Float64Array(chunks);
    const mark = new Int32Array(tape.size);
    for (let base = 0; base < chunks; base += 32) {
        markBlock(facts, chunkOf, base, mark);
        for (let k = 0; k < count; k++) {
            const i = activeOrder[k];
            for (let bits = mark[i]; bits !== 0; bits &= bits - 1) {
                const c = base + 31 - Math.clz32(bits & -bits);
                nodes[c]++;
                edges[c] += touches[i];
            }
        }
    }
    const listed = new Uint8Array(chunks);
    let room = coneListSlots * tape.size;
    for (let c = 0; c < chunks; c++) {
        if (nodes[c] > coneShare * count || nodes[c] > room)
            continue;
        listed[c] = 1;
        room -= nodes[c];
    }
    const orders = new Array(chunks).fill(null);
    if (!list)
        return { nodes, edges, listed, orders };
    for (let base = 0; base < chunks; base += 32) {
        let want = 0;
        for (let c = 0; c < 32 && base + c < chunks; c++) {
            if (listed[base + c] === 0)
                continue;
            want |= 1 << c;
            orders[base + c] = new Int32Array(nodes[base + c]);
        }
        if (want === 0)
            continue;
        markBlock(facts, chunkOf, base, mark);
        const fill = new Int32Array(32);
        for (let k = 0; k < count; k++) {
            const i = activeOrder[k];
            for (let bits = mark[i] & want; bits !== 0; bits &= bits - 1) {
                const c = 31 - Math.clz32(bits & -bits);
                orders[base + c][fill[c]++] = i;
            }
        }
    }
    return { nodes, edges, listed, orders };
}
