/**
 * Running a plan: the compiled vector sweeps, seeded lane by lane, and the Jacobian's entries
 * read back from them.
 *
 * Forward: lane c of a sweep seeds a tangent of 1 at every column of its group (one column when
 * dense, all the columns of one colour when compressed); `jvpVec` carries `width` tangents
 * through the active applications; the tangents at the output slots are the group's columns of J.
 * Reverse: one values sweep, then lane c seeds an adjoint of 1 at every output of its group, and
 * `reverseVec` carries `width` adjoint rows back over the sweep's cone; the adjoints at the wrt
 * slots are the group's rows of J. A compressed lane holds several columns (rows) that share no
 * row (column), so each entry is read from the one lane where it appears alone.
 *
 * Entries come out as dense rows or, when compressed, aligned with the pattern's CSR order.
 * Loops are plain typed-array loops; nothing is allocated per sweep, and the lane buffer is
 * reused from one computation to the next (`scratch.ts`).
 *
 * @example
 * const entries = forwardJacobian(plan, values)   // values: loadPoint(...) of the same tape
 */
import { getForwardKernels } from '../forward/kernels.js';
import { getReverseKernels } from '../reverse/kernels.js';
import { getValueKernels } from '../tape/kernels.js';
import { smallCone } from './cost.js';
import { giveBack, takeZeros } from './scratch.js';
function entriesFor(plan) {
    const { tape } = plan.facts;
    const c = plan.compression;
    if (c !== undefined)
        return { _tag: 'packed', pattern: c.pattern, values: new Float64Array(c.pattern.nnz) };
    const n = tape.wrt.length;
    const rows = [];
    for (let i = 0; i < tape.outputs.length; i++)
        rows.push(new Array(n).fill(0));
    return { _tag: 'dense', rows };
}
/**
 * Forward mode. `values` holds the loaded point; the sweeps fill in every other slot. `careful`:
 * the sweeps with 0·∞ = 0 in every product (see `getForwardKernels`).
 */
export function forwardJacobian(plan, values, careful = false) {
    const { tape, activeRuns, inactiveRuns } = plan.facts;
    const { op, a0, a1, outputs, wrtSlots } = tape;
    const V = getValueKernels();
    const F = getForwardKernels(careful);
    const out = entriesFor(plan);
    const { sweeps, width: w, groups, compression } = plan;
    if (sweeps === 0) {
        V.forward(op, a0, a1, values, tape.leaves, tape.size);
        return out;
    }
    // Inactive applications depend on no wrt variable: their values once, before the sweeps.
    for (let r = 0; r < inactiveRuns.length; r += 2)
        V.forward(op, a0, a1, values, inactiveRuns[r], inactiveRuns[r + 1]);
    const t = takeZeros(tape.size * w);
    const m = outputs.length;
    const lanes = groups.ptr.length - 1;
    for (let s = 0; s < sweeps; s++) {
        const first = s * w;
        const last = Math.min(first + w, lanes);
        // Lane g − first of sweep s carries the columns of group g: seeded before, cleared after.
        const seedColumns = (arr, v) => {
            for (let g = first; g < last; g++) {
                for (let k = groups.ptr[g]; k < groups.ptr[g + 1]; k++)
                    arr[wrtSlots[groups.items[k]] * w + g - first] = v;
            }
        };
        seedColumns(t, 1);
        for (let r = 0; r < activeRuns.length; r += 2)
            F.jvpVec(op, a0, a1, values, t, w, activeRuns[r], activeRuns[r + 1]);
        for (let g = first; g < last; g++) {
            const c = g - first;
            for (let k = groups.ptr[g]; k < groups.ptr[g + 1]; k++) {
                const j = groups.items[k];
                if (out._tag === 'dense') {
                    for (let i = 0; i < m; i++)
                        out.rows[i][j] = t[outputs[i] * w + c];
                }
                else if (compression !== undefined) {
                    const { colPtr, rowIdx, pos } = compression.view;
                    for (let p = colPtr[j]; p < colPtr[j + 1]; p++)
                        out.values[pos[p]] = t[outputs[rowIdx[p]] * w + c];
                }
            }
        }
        seedColumns(t, 0);
    }
    t.fill(0);
    giveBack(t);
    return out;
}
/** Zeroes the `w` lanes of `slot`. */
function clear(g, slot, w) {
    for (let c = 0, b = slot * w; c < w; c++)
        g[b + c] = 0;
}
/** Reverse mode. `values` must hold every slot's value (a values sweep has run). */
export function reverseJacobian(plan, values, careful = false) {
    const { tape } = plan.facts;
    const { op, a0, a1, outputs, wrtSlots, activeOrder } = tape;
    const R = getReverseKernels(careful);
    const out = entriesFor(plan);
    const { sweeps, width: w, groups, compression, orders } = plan;
    const g = takeZeros(tape.size * w);
    const n = wrtSlots.length;
    const lanes = groups.ptr.length - 1;
    for (let s = 0; s < sweeps; s++) {
        const first = s * w;
        const last = Math.min(first + w, lanes);
        for (let q = first; q < last; q++) {
            for (let k = groups.ptr[q]; k < groups.ptr[q + 1]; k++)
                g[outputs[groups.items[k]] * w + q - first] += 1;
        }
        const order = orders[s] ?? activeOrder;
        R.reverseVec(op, a0, a1, values, g, w, order, order.length);
        for (let q = first; q < last; q++) {
            const c = q - first;
            for (let k = groups.ptr[q]; k < groups.ptr[q + 1]; k++) {
                const i = groups.items[k];
                if (out._tag === 'dense') {
                    const row = out.rows[i];
                    for (let j = 0; j < n; j++)
                        row[j] = wrtSlots[j] >= 0 ? g[wrtSlots[j] * w + c] : 0;
                }
                else if (compression !== undefined) {
                    const { rowPtr, colIdx } = compression.pattern;
                    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
                        out.values[p] = g[wrtSlots[colIdx[p]] * w + c];
                }
            }
        }
        // Only the cone, its arguments and the seeds were written: clear those when the cone is tiny,
        // else clear everything (a memset is many times faster per lane than a loop of writes).
        const cone = orders[s];
        if (cone === null || cone === undefined || cone.length * smallCone >= tape.size) {
            g.fill(0);
            continue;
        }
        for (let k = 0; k < cone.length; k++) {
            const i = cone[k];
            clear(g, i, w);
            clear(g, a0[i], w);
            if (a1[i] >= 0)
                clear(g, a1[i], w);
        }
        for (let q = first; q < last; q++)
            for (let k = groups.ptr[q]; k < groups.ptr[q + 1]; k++)
                clear(g, outputs[groups.items[k]], w);
    }
    giveBack(g);
    return out;
}
