/**
 * Scheduling a plan's items: levels, stored slots, and steps.
 *
 * An item is a unit after classification: a template instance, a node on the tape kernels, or a
 * reduction. Items are held as parallel arrays (root slot and kind per item), not objects,
 * and a template instance's hole slots are a range of one shared array. Items are ordered by
 * level (one more than the deepest root they read), within a level tape nodes first, then
 * templates, then reductions; consecutive items of the same kind form one step.
 *
 * @example
 * const plan = schedule(tape, classify(...), templates)   // see buildPlan in plan.ts
 */
import { CONST } from '../tape/tape.js';
import { Batches } from './batches.js';
import { byHeight, termGroups } from './sumtree.js';
/** Orders items (by level when there are templates), renumbers the stored slots, and groups consecutive items into steps. */
export function schedule(tape, items, templates) {
    const { count, root, kind } = items;
    const { a0, a1 } = tape;
    // Without templates nothing needs grouping by level: the items keep their order, which is
    // topological and keeps each tree's nodes together (level order scatters them: on a random DAG
    // the reverse sweep ran 1.3× slower in it).
    const { order, position, sortedKind } = templates.length === 0 ? inOrder(kind, count) : byLevel(tape, items, templates);
    const slotOf = new Int32Array(tape.size).fill(-1);
    // Leaves first, the wrt variables leading in wrt order (so that an input vector is copied
    // straight in, and hole slots of instances over x1, x2, … tend to be affine).
    let next = 0;
    for (const s of tape.wrtSlots)
        if (s >= 0 && slotOf[s] < 0)
            slotOf[s] = next++;
    for (let i = 0; i < tape.leaves; i++)
        if (slotOf[i] < 0)
            slotOf[i] = next++;
    for (let k = 0; k < count; k++)
        slotOf[root[k]] = tape.leaves + position[k];
    const size = sumTreeSlots(tape, items, slotOf, tape.leaves + count);
    const init = new Float64Array(size);
    for (let i = 0; i < tape.leaves; i++)
        if (tape.op[i] === CONST)
            init[slotOf[i]] = tape.init[i];
    const op = new Int32Array(size).fill(-1);
    const pa0 = new Int32Array(size).fill(-1);
    const pa1 = new Int32Array(size).fill(-1);
    for (let i = 0; i < tape.leaves; i++)
        op[slotOf[i]] = tape.op[i];
    // The ops and argument slots of the tape nodes.
    for (let k = 0; k < count; k++) {
        if (kind[k]._tag !== 'node')
            continue;
        const r = root[k];
        const s = tape.leaves + position[k];
        op[s] = tape.op[r];
        pa0[s] = slotOf[a0[r]];
        pa1[s] = a1[r] >= 0 ? slotOf[a1[r]] : -1;
    }
    // Index arrays: tape steps run over the stored slots [from, to) in order, and template steps
    // write their roots to consecutive slots, so both are views of one array of slot numbers.
    const slots = new Int32Array(count);
    for (let n = 0; n < count; n++)
        slots[n] = tape.leaves + n;
    const batches = new Batches(tape, items, templates, slotOf);
    const runRoots = new Int32Array(count);
    const steps = [];
    let k = 0;
    while (k < count) {
        // Consecutive items of one kind (the same object) make one step; a reduction is a step alone.
        const kd = sortedKind[k];
        let e = k + 1;
        if (kd._tag !== 'reduce')
            while (e < count && sortedKind[e] === kd)
                e++;
        const from = tape.leaves + k;
        switch (kd._tag) {
            case 'node':
                steps.push({ _tag: 'tape', from, to: from + e - k, order: slots.subarray(k, e) });
                break;
            case 'instance':
                for (let n = k; n < e; n++)
                    runRoots[n] = root[order[n]];
                steps.push({ _tag: 'template', batch: batches.of(kd.template, runRoots, k, e), out: slots.subarray(k, e) });
                break;
            case 'reduce':
                steps.push(batches.reduction(root[order[k]]));
                break;
        }
        k = e;
    }
    const variables = new Map();
    for (const [name, s] of tape.variables)
        variables.set(name, slotOf[s]);
    return {
        size,
        init,
        slotOf,
        op,
        a0: pa0,
        a1: pa1,
        steps,
        templates,
        outputs: tape.outputs.map((s) => slotOf[s]),
        wrtSlots: tape.wrtSlots.map((s) => (s >= 0 ? slotOf[s] : -1)),
        variables,
    };
}
/** Items by level, then kind (tape nodes, then each template, then reductions), and positions. */
function byLevel(tape, items, templates) {
    const { count, root, kind, holes, holeStart } = items;
    const holeCount = Int32Array.from(templates, (t) => t.shape.holeKinds.length);
    const { a0, a1 } = tape;
    // Levels: leaves are 0; an item is one more than the deepest root it reads.
    const level = new Int32Array(tape.size);
    let maxLevel = 0;
    for (let k = 0; k < count; k++) {
        const r = root[k];
        const kd = kind[k];
        let l = 0;
        switch (kd._tag) {
            case 'node':
                l = level[a0[r]];
                if (a1[r] >= 0 && level[a1[r]] > l)
                    l = level[a1[r]];
                break;
            case 'instance':
                for (let h = holeStart[r], end = h + holeCount[kd.template]; h < end; h++)
                    if (level[holes[h]] > l)
                        l = level[holes[h]];
                break;
            case 'reduce': {
                const { keys, template } = items.reductions.get(r);
                for (let j = 0; j < keys.length; j++) {
                    if (template[j] < 0)
                        l = Math.max(l, level[keys[j]]);
                    else
                        for (let h = holeStart[keys[j]], end = h + holeCount[template[j]]; h < end; h++)
                            l = Math.max(l, level[holes[h]]);
                }
                break;
            }
        }
        level[r] = l + 1;
        if (l + 1 > maxLevel)
            maxLevel = l + 1;
    }
    // Items of one level do not depend on each other. Two stable counting sorts instead of a
    // comparison sort: by kind, then by level. The second also records each item's position and
    // the kinds in the final order, so that the loops below read the items in their own order
    // (near the tape slots they touch) rather than through the permutation.
    // Kinds in that order: tape nodes 0, template t 1 + t, reductions last.
    const reduceRank = 1 + templates.length;
    const rank = (kd) => {
        switch (kd._tag) {
            case 'node':
                return 0;
            case 'instance':
                return 1 + kd.template;
            case 'reduce':
                return reduceRank;
        }
    };
    const kindStart = new Int32Array(reduceRank + 2);
    for (let k = 0; k < count; k++)
        kindStart[rank(kind[k]) + 1]++;
    for (let d = 1; d <= reduceRank + 1; d++)
        kindStart[d] += kindStart[d - 1];
    const byKind = new Int32Array(count);
    for (let k = 0; k < count; k++)
        byKind[kindStart[rank(kind[k])]++] = k;
    const levelStart = new Int32Array(maxLevel + 2);
    for (let k = 0; k < count; k++)
        levelStart[level[root[k]] + 1]++;
    for (let l = 1; l <= maxLevel + 1; l++)
        levelStart[l] += levelStart[l - 1];
    const order = new Int32Array(count);
    const position = new Int32Array(count);
    const sortedKind = new Array(count);
    for (let j = 0; j < count; j++) {
        const it = byKind[j];
        const p = levelStart[level[root[it]]]++;
        order[p] = it;
        position[it] = p;
        sortedKind[p] = kind[it];
    }
    return { order, position, sortedKind };
}
/** Items in their own order. */
function inOrder(kind, count) {
    const order = new Int32Array(count);
    for (let k = 0; k < count; k++)
        order[k] = k;
    return { order, position: order, sortedKind: kind };
}
/**
 * Stored slots, from `next` on, for what the sum trees store besides their roots: their terms
 * computed by templates, grouped by template and sign in term order (so that each group's values
 * are consecutive), then their interior nodes by height (see `sumtree.ts`). Returns the plan's size.
 */
function sumTreeSlots(tape, items, slotOf, next) {
    let height;
    for (const [, red] of items.reductions) {
        if (red.interior === undefined)
            continue;
        for (const group of termGroups(red))
            for (const j of group)
                slotOf[red.keys[j]] = next++;
        height ??= new Int32Array(tape.size);
        const order = byHeight(tape, red.interior, height);
        for (let k = 0; k < order.length - 1; k++)
            slotOf[order[k]] = next++;
    }
    return next;
}
