import { byHeight, sumRuns, termGroups } from './sumtree.js';
import { loadedHoles, rowWidth } from './template.js';
const chunkSize = 1 << 16;
/** Fewest consecutive affine instances split off a batch as a batch of their own (see `pieces`). */
const minAffine = 8;
/** Hands out Int32Array views of shared chunks (arrays of more than a quarter chunk get their own). */
class Pool {
    chunk = new Int32Array(0);
    used = 0;
    take(n) {
        if (n > chunkSize >> 2)
            return new Int32Array(n);
        if (this.used + n > this.chunk.length) {
            this.chunk = new Int32Array(chunkSize);
            this.used = 0;
        }
        this.used += n;
        return this.chunk.subarray(this.used - n, this.used);
    }
}
export class Batches {
    tape;
    items;
    templates;
    slotOf;
    pool = new Pool();
    /** Row positions' holes, per template. */
    loaded;
    scratch = new Int32Array(1024);
    /** Scratch for `byHeight` (tape size, zero between uses). */
    height;
    constructor(tape, items, templates, slotOf) {
        this.tape = tape;
        this.items = items;
        this.templates = templates;
        this.slotOf = slotOf;
        this.loaded = templates.map((spec) => Int32Array.from(loadedHoles(spec)));
    }
    /** The instances of template t rooted at roots[from, to), in that order. */
    of(template, roots, from, to) {
        const width = this.rows(template, roots, from, to);
        const count = to - from;
        return count >= 2 && affine(this.scratch, 0, count, width) ? this.affineBatch(template, 0, count, width) : this.indexedBatch(template, 0, count, width);
    }
    /**
     * The same instances as consecutive batches, affine wherever at least `minAffine` consecutive
     * instances are (a chain whose first term or two sit apart, `s = t₂ + t₁` at the bottom of
     * `s = term + s`, still runs its other terms with running offsets); `[from, to)` of each batch.
     */
    pieces(template, roots, from, to) {
        const width = this.rows(template, roots, from, to);
        const count = to - from;
        const out = [];
        let pending = 0;
        let a = 0;
        const flush = (end) => {
            if (pending < end)
                out.push({ batch: this.indexedBatch(template, pending, end, width), from: from + pending, to: from + end });
        };
        while (a < count) {
            // Rows a, a + 1 set the strides; row e continues them when it is row a + (e − a)·stride.
            let e = Math.min(a + 2, count);
            while (e < count && continues(this.scratch, a, e, width))
                e++;
            if (e - a >= minAffine) {
                flush(a);
                out.push({ batch: this.affineBatch(template, a, e, width), from: from + a, to: from + e });
                pending = a = e;
            }
            else
                a++;
        }
        flush(count);
        return out;
    }
    /** Fills `scratch` with the rows of hole slots of roots[from, to); returns the row width. */
    rows(template, roots, from, to) {
        const { holes, holeStart } = this.items;
        const width = rowWidth(this.templates[template]);
        const loaded = this.loaded[template];
        const count = to - from;
        if (this.scratch.length < count * width)
            this.scratch = new Int32Array(2 * count * width);
        const idx = this.scratch;
        for (let j = 0; j < count; j++) {
            const at = holeStart[roots[from + j]];
            for (let p = 0; p < width; p++)
                idx[j * width + p] = this.slotOf[holes[at + loaded[p]]];
        }
        return width;
    }
    /** Rows [a, e) of `scratch` (affine) as base/stride pairs. */
    affineBatch(template, a, e, width) {
        const idx = this.scratch;
        const pairs = this.pool.take(2 * width);
        for (let p = 0; p < width; p++) {
            pairs[2 * p] = idx[a * width + p];
            pairs[2 * p + 1] = e - a >= 2 ? idx[(a + 1) * width + p] - idx[a * width + p] : 0;
        }
        return { template, count: e - a, addressing: 'affine', idx: pairs };
    }
    /** Rows [a, e) of `scratch` as an index array. */
    indexedBatch(template, a, e, width) {
        const own = this.pool.take((e - a) * width);
        own.set(this.scratch.subarray(a * width, e * width));
        return { template, count: e - a, addressing: 'indexed', idx: own };
    }
    /** The step of a reduction: a chain's units in order, or a sum tree's terms and runs. */
    reduction(root) {
        const red = this.items.reductions.get(root);
        return red.interior === undefined ? this.chain(root, red) : this.sumTree(root, red);
    }
    /** root = ±terms in order: runs of plain slots of one sign, and runs of instances of one template. */
    chain(root, { keys, template, negative }) {
        const parts = [];
        let k = 0;
        while (k < keys.length) {
            const t = template[k];
            let e = k + 1;
            while (e < keys.length && template[e] === t && (t >= 0 || negative[e] === negative[k]))
                e++;
            if (t < 0)
                parts.push(this.slots(keys, k, e, negative[k] === 1));
            else
                for (const piece of this.pieces(t, keys, k, e))
                    parts.push({ _tag: 'batch', batch: piece.batch });
            k = e;
        }
        return { _tag: 'reduce', root: this.slotOf[root], parts };
    }
    /**
     * A sum tree: a batch per template and sign storing its terms' values (at the slots `schedule`
     * gave them), the plain slots of each sign, and the runs over its interior nodes.
     */
    sumTree(root, red) {
        const { keys, template, negative } = red;
        const parts = [];
        const ordered = new Int32Array(keys.length);
        for (const group of termGroups(red)) {
            group.forEach((j, q) => (ordered[q] = keys[j]));
            for (const { batch, from, to } of this.pieces(template[group[0]], ordered, 0, group.length)) {
                const out = this.pool.take(to - from);
                for (let q = from; q < to; q++)
                    out[q - from] = this.slotOf[ordered[q]];
                parts.push({ _tag: 'batch', batch, out, negative: negative[group[0]] === 1 });
            }
        }
        for (const sign of [0, 1]) {
            let e = 0;
            for (let j = 0; j < keys.length; j++)
                if (template[j] < 0 && negative[j] === sign)
                    ordered[e++] = keys[j];
            if (e > 0)
                parts.push(this.slots(ordered, 0, e, sign === 1));
        }
        this.height ??= new Int32Array(this.slotOf.length);
        const runs = sumRuns(this.tape, byHeight(this.tape, red.interior, this.height), this.slotOf);
        return { _tag: 'reduce', root: this.slotOf[root], parts, runs };
    }
    slots(keys, from, to, negative) {
        const slots = this.pool.take(to - from);
        for (let j = from; j < to; j++)
            slots[j - from] = this.slotOf[keys[j]];
        return negative ? { _tag: 'slots', slots, negative } : { _tag: 'slots', slots };
    }
}
/** Whether every row position p of rows [a, e) of `idx` (rows of `width`) is idx[a·width + p] + j·stride. */
function affine(idx, a, e, width) {
    for (let j = a + 2; j < e; j++)
        if (!continues(idx, a, j, width))
            return false;
    return true;
}
/** Whether row e of `idx` continues the strides of rows a and a + 1 at every position. */
function continues(idx, a, e, width) {
    for (let p = 0; p < width; p++) {
        const base = idx[a * width + p];
        if (idx[e * width + p] !== base + (e - a) * (idx[(a + 1) * width + p] - base))
            return false;
    }
    return true;
}
