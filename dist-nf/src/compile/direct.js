/**
 * Direct inputs: when the wrt variables occupy the plan's leading slots in order, the templates
 * read the caller's input vector and add into the caller's gradient (or tangent) arrays at the
 * same index, so that a call copies nothing in or out.
 *
 * On the extended Rosenbrock function (n = 10^5) the three copies a `grad` call made otherwise
 * (x into the slot array, adjoints zeroed, gradient out) cost about a third of the hand-written
 * gradient's time (`npm run bench`, compile group).
 *
 * A batch's row position is direct when it holds only variables. Variables read anywhere else (by
 * a tape node, a reduction's plain term, a segment, an output, or a row position that mixes
 * variables with other slots) are `shared`: a call copies their values and tangents into the slot
 * arrays and, after the reverse sweep, adds their slot adjoints to the caller's gradient. (Adjoints
 * then sum in a different order than in the interpreted sweep; values are unchanged, bit for bit.)
 * A direct position that is the only writer of its slots assigns its adjoints (`sole`).
 *
 * @example
 * const { plan, shared } = withDirectInputs(buildPlan(tape, options))
 * plan.steps  // batches over x1..xn carry `direct: [true, true]`
 */
import { rowWidth } from './template.js';
/** Per row position of `batch`: 1 when every slot is below n, 0 when none is, −1 when mixed. */
function sides(batch, width, n) {
    const side = new Int8Array(width);
    const { idx, count } = batch;
    for (let p = 0; p < width; p++) {
        if (batch.addressing === 'affine') {
            const first = idx[2 * p];
            const last = first + (count - 1) * idx[2 * p + 1];
            const below = (first < n ? 1 : 0) + (last < n ? 1 : 0);
            side[p] = below === 2 ? 1 : below === 0 ? 0 : -1;
            continue;
        }
        let below = 0;
        for (let j = 0; j < count; j++)
            if (idx[j * width + p] < n)
                below++;
        side[p] = below === count ? 1 : below === 0 ? 0 : -1;
    }
    return side;
}
/** Calls `f` with the slot of row position p in each instance of `batch` (rows of `width`). */
export function eachSlot(batch, width, p, f) {
    const { idx, count } = batch;
    if (batch.addressing === 'affine')
        for (let j = 0; j < count; j++)
            f(idx[2 * p] + j * idx[2 * p + 1]);
    else
        for (let j = 0; j < count; j++)
            f(idx[j * width + p]);
}
/** Marks the row positions that read variables only, when the wrt variables lead in order. */
export function withDirectInputs(plan) {
    const { wrtSlots, outputs, a0, a1 } = plan;
    const n = wrtSlots.length;
    const unchanged = { plan, direct: false, shared: new Int32Array() };
    if (n === 0 || !wrtSlots.every((s, j) => s === j))
        return unchanged;
    const isShared = new Uint8Array(n);
    const share = (s) => {
        if (s >= 0 && s < n)
            isShared[s] = 1;
    };
    for (const s of outputs)
        share(s);
    const marks = new Map();
    let any = false;
    const mark = (batch) => {
        const width = rowWidth(plan.templates[batch.template]);
        const side = sides(batch, width, n);
        marks.set(batch, Array.from(side, (s) => s === 1));
        if (side.includes(1))
            any = true;
        side.forEach((s, p) => s === -1 && eachSlot(batch, width, p, share));
    };
    for (const step of plan.steps) {
        switch (step._tag) {
            case 'tape':
                for (const s of step.order) {
                    share(a0[s]);
                    share(a1[s]);
                }
                break;
            case 'template':
                mark(step.batch);
                break;
            case 'reduce':
                for (const part of step.parts) {
                    if (part._tag === 'slots')
                        part.slots.forEach(share);
                    else
                        mark(part.batch);
                }
                break;
            case 'segment': {
                const c = plan.segments;
                for (let k = step.from; k < step.to; k++)
                    for (let j = 0; j < c.holeCount[k]; j++)
                        share(c.holes[c.holeAt[k] + j]);
                break;
            }
        }
    }
    if (!any)
        return unchanged;
    // Sole writers: a direct position whose slots no other position or instance writes, and that no
    // other code reads (not shared), assigns its adjoint instead of adding it. The caller's array is
    // zeroed first either way; assigning saves reading it back (Rosenbrock: grad 1.25× → 1.13× hand
    // in a one-off timing).
    const writes = new Uint8Array(n);
    const slotsOf = (batch, p, f) => eachSlot(batch, rowWidth(plan.templates[batch.template]), p, f);
    for (const [batch, d] of marks)
        d.forEach((isDirect, p) => isDirect && slotsOf(batch, p, (s) => (writes[s] = Math.min(2, writes[s] + 1))));
    const soleAt = (batch, p) => {
        let sole = true;
        slotsOf(batch, p, (s) => (sole &&= writes[s] === 1 && isShared[s] === 0));
        return sole;
    };
    const direct = (batch) => {
        const d = marks.get(batch);
        return d.includes(true) ? { ...batch, direct: d, sole: d.map((isDirect, p) => isDirect && soleAt(batch, p)) } : batch;
    };
    const steps = plan.steps.map((step) => {
        switch (step._tag) {
            case 'tape':
            case 'segment':
                return step;
            case 'template':
                return { ...step, batch: direct(step.batch) };
            case 'reduce':
                return { ...step, parts: step.parts.map((part) => (part._tag === 'batch' ? { ...part, batch: direct(part.batch) } : part)) };
        }
    });
    const shared = Int32Array.from(isShared.keys()).filter((s) => isShared[s] === 1);
    return { plan: { ...plan, steps }, direct: true, shared };
}
