/**
 * Segments: checkpointed stretches of a program without repeated structure. A segment is a tree
 * of single-use nodes whose values are not stored: the forward sweep computes them into a small
 * scratch array and keeps only the root; the reverse sweep recomputes them from the segment's
 * holes (the stored values it reads) and back-propagates through the scratch arrays (the
 * document's trade of recomputation for memory). The sweeps are the tape kernels' segment forms
 * (the `…At` kernels of each mode), so no code is generated per segment.
 *
 * A segment's instructions are local: its holes take local indices 0 … H−1 and its nodes H … L−1
 * (the root last), and they sit at offset `base` in the plan-wide arrays `op/a0/a1` of a
 * `SegmentCode`. Per stored value, a segment costs 12 bytes of instructions instead of 28 bytes of
 * stored values, adjoints and instructions.
 *
 * @example
 * const code = new SegmentBuilder(tape)
 * const k = code.add(members, slotOf)   // members: the tree's tape slots in topological order
 */
import { getForwardKernels } from '../forward/kernels.js';
import { getHvpKernels } from '../hvp/kernels.js';
import { getReverseKernels } from '../reverse/kernels.js';
import { getValueKernels } from '../tape/kernels.js';
import { CONST, VAR } from '../tape/tape.js';
const none = new Int32Array(0);
/** A plan without segments. */
export const noSegments = { op: none, a0: none, a1: none, base: none, holeCount: none, length: none, holeAt: none, holes: none, longest: 0 };
/** Collects segments: each `add` appends one tree's instructions. */
export class SegmentBuilder {
    tape;
    op = [];
    a0 = [];
    a1 = [];
    base = [];
    holeCount = [];
    length = [];
    holeAt = [];
    holes = [];
    // Local index of a tape slot while a segment is being added (−1: none).
    local;
    constructor(tape) {
        this.tape = tape;
        this.local = new Int32Array(tape.size).fill(-1);
    }
    /** Segments added so far. */
    get size() {
        return this.base.length;
    }
    /**
     * Appends the tree whose nodes are `members` (tape slots, topological, root last) and returns
     * its index. Holes are recorded as tape slots; `finish` maps them to stored slots.
     */
    add(members) {
        const { tape, local } = this;
        const k = this.base.length;
        const base = this.op.length;
        const holeAt = this.holes.length;
        for (let m = 0; m < members.length; m++)
            local[members[m]] = -2;
        // Holes: the distinct slots the members read that are not members.
        for (let m = 0; m < members.length; m++) {
            const s = members[m];
            for (const a of [tape.a0[s], tape.a1[s]]) {
                if (a < 0 || local[a] !== -1)
                    continue;
                local[a] = this.holes.length - holeAt;
                this.holes.push(a);
                this.op.push(tape.op[a] === CONST ? CONST : VAR);
                this.a0.push(-1);
                this.a1.push(-1);
            }
        }
        const h = this.holes.length - holeAt;
        for (let m = 0; m < members.length; m++)
            local[members[m]] = h + m;
        for (let m = 0; m < members.length; m++) {
            const s = members[m];
            this.op.push(tape.op[s]);
            this.a0.push(local[tape.a0[s]]);
            this.a1.push(tape.a1[s] >= 0 ? local[tape.a1[s]] : -1);
        }
        for (let m = 0; m < members.length; m++)
            local[members[m]] = -1;
        for (let j = holeAt; j < this.holes.length; j++)
            local[this.holes[j]] = -1;
        this.base.push(base);
        this.holeCount.push(h);
        this.length.push(h + members.length);
        this.holeAt.push(holeAt);
        return k;
    }
    /** The segments, with holes renumbered to stored slots. */
    finish(slotOf) {
        return {
            op: Int32Array.from(this.op),
            a0: Int32Array.from(this.a0),
            a1: Int32Array.from(this.a1),
            base: Int32Array.from(this.base),
            holeCount: Int32Array.from(this.holeCount),
            length: Int32Array.from(this.length),
            holeAt: Int32Array.from(this.holeAt),
            holes: Int32Array.from(this.holes, (s) => slotOf[s]),
            longest: this.length.reduce((a, b) => Math.max(a, b), 0),
        };
    }
}
/** Scratch arrays for one plan's segments: values, tangents, adjoints, adjoint tangents. */
export class SegmentScratch {
    v;
    t;
    g;
    h;
    constructor(longest) {
        this.v = new Float64Array(longest);
        this.t = new Float64Array(longest);
        this.g = new Float64Array(longest);
        this.h = new Float64Array(longest);
    }
}
/** Loads segment k's hole values (and tangents) and recomputes its nodes into the scratch arrays. */
function recompute(c, k, io, s, tangents) {
    const base = c.base[k];
    const hc = c.holeCount[k];
    const at = c.holeAt[k];
    for (let j = 0; j < hc; j++)
        s.v[j] = io.v[c.holes[at + j]];
    if (!tangents) {
        getValueKernels().forwardAt(c.op, c.a0, c.a1, s.v, base + hc, base + c.length[k], base);
        return;
    }
    for (let j = 0; j < hc; j++)
        s.t[j] = io.t[c.holes[at + j]];
    getForwardKernels().jvpAt(c.op, c.a0, c.a1, s.v, s.t, base + hc, base + c.length[k], base);
}
/** Values of the segments [from, to) at their roots. */
export function forwardSegments(c, from, to, roots, io, s) {
    for (let k = from; k < to; k++) {
        recompute(c, k, io, s, false);
        io.v[roots[k - from]] = s.v[c.length[k] - 1];
    }
}
/** Values and tangents of the segments [from, to) at their roots. */
export function jvpSegments(c, from, to, roots, io, s) {
    for (let k = from; k < to; k++) {
        recompute(c, k, io, s, true);
        io.v[roots[k - from]] = s.v[c.length[k] - 1];
        io.t[roots[k - from]] = s.t[c.length[k] - 1];
    }
}
/** Back-propagates the roots' adjoints through the segments to - 1 … from, recomputing each. */
export function reverseSegments(c, from, to, roots, io, s) {
    const L = getReverseKernels();
    for (let k = to - 1; k >= from; k--) {
        const gr = io.g[roots[k - from]];
        if (gr === 0)
            continue;
        recompute(c, k, io, s, false);
        const len = c.length[k];
        const hc = c.holeCount[k];
        s.g.fill(0, 0, len);
        s.g[len - 1] = gr;
        L.reverseAt(c.op, c.a0, c.a1, s.v, s.g, c.base[k] + hc, c.base[k] + len, c.base[k]);
        const at = c.holeAt[k];
        for (let j = 0; j < hc; j++)
            io.g[c.holes[at + j]] += s.g[j];
    }
}
/** Forward-over-reverse through the segments to − 1 … from: adjoints and their tangents. */
export function hvpSegments(c, from, to, roots, io, s) {
    const L = getHvpKernels();
    for (let k = to - 1; k >= from; k--) {
        const gr = io.g[roots[k - from]];
        const hr = io.h[roots[k - from]];
        if (gr === 0 && hr === 0)
            continue;
        recompute(c, k, io, s, true);
        const len = c.length[k];
        const hc = c.holeCount[k];
        s.g.fill(0, 0, len);
        s.h.fill(0, 0, len);
        s.g[len - 1] = gr;
        s.h[len - 1] = hr;
        L.hvpAt(c.op, c.a0, c.a1, s.v, s.t, s.g, s.h, c.base[k] + hc, c.base[k] + len, c.base[k]);
        const at = c.holeAt[k];
        for (let j = 0; j < hc; j++) {
            io.g[c.holes[at + j]] += s.g[j];
            io.h[c.holes[at + j]] += s.h[j];
        }
    }
}
/** Instances of each template over the plan's steps (standalone and inside reductions). */
function instanceCounts(plan) {
    const counts = new Int32Array(plan.templates.length);
    for (const step of plan.steps) {
        if (step._tag === 'template')
            counts[step.batch.template] += step.batch.count;
        else if (step._tag === 'reduce')
            for (const part of step.parts)
                if (part._tag === 'batch')
                    counts[part.batch.template] += part.batch.count;
    }
    return counts;
}
/**
 * The plan with the standalone instances of rare templates (fewer than `rareBelow` instances in the
 * whole plan) turned into segments, which run on the segment kernels instead of a generated
 * function. A generated function called a few times per sweep never leaves V8's slower tiers:
 * the large unique trees an explicit checkpoint interval asks for, or the many shapes of a chain
 * without repeated structure cut into small trees. Each tree is read back from the tape: the
 * nodes its root reaches through values the plan does not store.
 */
export function withSegments(plan, tape, rareBelow) {
    const counts = instanceCounts(plan);
    const rare = (step) => step._tag === 'template' && counts[step.batch.template] < rareBelow;
    if (!plan.steps.some(rare))
        return plan;
    const tapeSlot = new Int32Array(plan.size);
    plan.slotOf.forEach((s, i) => {
        if (s >= 0)
            tapeSlot[s] = i;
    });
    const builder = new SegmentBuilder(tape);
    const seen = new Uint8Array(tape.size);
    const members = [];
    const treeOf = (root) => {
        members.length = 0;
        const stack = [root];
        seen[root] = 1;
        while (stack.length > 0) {
            const s = stack.pop();
            members.push(s);
            for (const a of [tape.a0[s], tape.a1[s]]) {
                if (a < 0 || seen[a] === 1 || plan.slotOf[a] >= 0)
                    continue;
                seen[a] = 1;
                stack.push(a);
            }
        }
        for (const m of members)
            seen[m] = 0;
        return members.sort((a, b) => a - b);
    };
    const steps = plan.steps.map((step) => {
        if (step._tag !== 'template' || !rare(step))
            return step;
        const from = builder.size;
        for (const r of step.out)
            builder.add(treeOf(tapeSlot[r]));
        return { _tag: 'segment', from, to: builder.size, roots: step.out };
    });
    return { ...plan, steps, segments: builder.finish(plan.slotOf) };
}
