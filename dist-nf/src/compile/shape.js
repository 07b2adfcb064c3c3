/**
 * Shapes: the structure of a tree with its leaves replaced by holes. Trees with the same shape
 * (same operations, same wiring, same kinds of holes) are instances of one template and run
 * through one compiled function, called in a loop over their holes' slots.
 *
 * A hole is a slot the tree reads but does not compute: a variable, a constant, or another tree's
 * root. Holes are numbered by first occurrence, so `x·x` and `x·y` are different shapes. Each hole
 * has a kind: `a` (active: depends on a variable we differentiate by), `i` (inactive) or `c`
 * (a constant). A constant with the same value in every instance is baked into the template.
 *
 * A tree need not be a tree: a node read twice inside it (a named temporary, `t·t`) is computed
 * once. And a block of a reduction's chain (a few consecutive links `s = s + a`, `s = s − b` with
 * their terms' trees, see `plan.ts`) is a shape too, whose hole 0 has the kind `s`: the sum so far,
 * which the template's summing forms keep in a local variable.
 *
 * Grouping is by a numeric hash of each tree's encoding (per member: op and two references; then
 * the hole kinds), checked against the group's first tree, so no string or object is made per
 * tree: a `Shape` with its key string is built only for the groups that become templates.
 *
 * @example
 * const shapes = new ShapeTable(tape, parts)
 * const g = shapes.add(root)     // group of the tree rooted at `root`
 * shapes.shape(g).key            // '2(h0,h1);7(n0)|ai': mul(h0, h1) then log(n0); h0 active, h1 inactive
 */
import { Ints } from '../tape/ints.js';
import { CONST } from '../tape/tape.js';
/** A reference in an encoding: member index k ≥ 0, hole h as −1 − h; no second argument: NONE. */
const NONE = -0x80000000;
const kindChar = ['c', 'a', 'i', 's'];
const SUM_SO_FAR = 3;
/**
 * The shapes of the trees of one partition, grouped. `add(root)` encodes a tree and returns its
 * group; groups are numbered in order of first appearance. Hole slots of every added tree are
 * kept in one array (`holes`, from `holeStart[root]`, `holeCount(group)` of them).
 */
export class ShapeTable {
    tape;
    parts;
    /** Hole slots of the added trees, by first occurrence within each tree (grows as trees are added). */
    holeSlots;
    /** Per root slot: where its tree's holes start in `holes`. */
    holeStart;
    /** Per root slot: the group of its tree (−1: not added). */
    groupOf;
    /** Per group: instances, size, holes, where its first tree's encoding starts in `codes`. */
    count = new Ints(64);
    nodeCount = new Ints(64);
    holeCounts = new Ints(64);
    codeStart = new Ints(64);
    /** The first tree's encoding of each group, back to back. */
    codes = new Ints(1024);
    /** Groups by hash; groups with equal hashes are chained through `nextSameHash`. */
    byHash = new Map();
    nextSameHash = new Ints(64);
    /** The tree being encoded (reused). */
    enc;
    nHoles = 0;
    /** Scratch by slot, reset after each tree: member index or hole (see `add`), −1 neither. */
    mark;
    constructor(tape, parts) {
        this.tape = tape;
        this.parts = parts;
        const apps = tape.size - tape.leaves;
        this.holeSlots = new Int32Array(2 * apps + 2);
        this.holeStart = new Int32Array(tape.size);
        this.groupOf = new Int32Array(tape.size).fill(-1);
        this.mark = new Int32Array(tape.size).fill(-1);
        this.enc = new Int32Array(64);
    }
    /** Hole slots of the added trees, by first occurrence within each tree. */
    get holes() {
        return this.holeSlots;
    }
    /** Encodes the tree rooted at `root`, stores its holes, and returns its group. */
    add(root) {
        return this.encode(root, this.parts.members, this.parts.start[root], this.parts.treeSize[root], -1);
    }
    /**
     * Encodes a block of a chain, named by `key` (its top link): the nodes `members[0, n)` (links
     * and their terms' trees, in slot order), where `sum` is the sum so far (hole 0, kind `s`).
     */
    addBlock(key, members, n, sum) {
        return this.encode(key, members, 0, n, sum);
    }
    /** Takes the tree or block named `key` out of its group (it is part of something larger). */
    forget(key) {
        const g = this.groupOf[key];
        if (g < 0)
            return;
        this.count.data[g]--;
        this.groupOf[key] = -1;
    }
    encode(key, members, from, n, sum) {
        const { mark } = this;
        const { a0, a1, op, active } = this.tape;
        const h0 = this.nHoles;
        if (this.holeSlots.length < h0 + 2 * n + 1) {
            const grown = new Int32Array(2 * (h0 + 2 * n + 1));
            grown.set(this.holeSlots.subarray(0, h0));
            this.holeSlots = grown;
        }
        const holes = this.holeSlots;
        if (this.enc.length < 4 * n + 2)
            this.enc = new Int32Array(8 * n + 4);
        const enc = this.enc;
        for (let k = 0; k < n; k++)
            mark[members[from + k]] = k;
        // References: mark[a] is k ≥ 0 for member k, −2 − h for hole h (reference −1 − h).
        let nh = 0;
        if (sum >= 0) {
            mark[sum] = -2;
            holes[h0 + nh++] = sum;
        }
        let e = 0;
        let hash = n | 0;
        for (let k = 0; k < n; k++) {
            const s = members[from + k];
            const a = a0[s];
            if (mark[a] === -1) {
                mark[a] = -2 - nh;
                holes[h0 + nh++] = a;
            }
            const r0 = mark[a] >= 0 ? mark[a] : mark[a] + 1;
            let r1 = NONE;
            const b = a1[s];
            if (b >= 0) {
                if (mark[b] === -1) {
                    mark[b] = -2 - nh;
                    holes[h0 + nh++] = b;
                }
                r1 = mark[b] >= 0 ? mark[b] : mark[b] + 1;
            }
            const o = op[s];
            enc[e] = o;
            enc[e + 1] = r0;
            enc[e + 2] = r1;
            e += 3;
            hash = Math.imul(hash ^ o, 0x01000193) ^ Math.imul(r0, 0x5bd1e995) ^ Math.imul(r1, 0x27d4eb2d);
        }
        for (let j = h0; j < h0 + nh; j++) {
            const a = holes[j];
            const kind = a === sum ? SUM_SO_FAR : op[a] === CONST ? 0 : active[a] === 1 ? 1 : 2;
            enc[e++] = kind;
            hash = Math.imul(hash ^ kind, 0x01000193);
            mark[a] = -1;
        }
        for (let k = 0; k < n; k++)
            mark[members[from + k]] = -1;
        this.nHoles = h0 + nh;
        hash = (hash ^ (hash >>> 15)) & 0x3fffffff;
        let g = this.byHash.get(hash) ?? -1;
        let last = -1;
        while (g >= 0 && !this.same(g, n, nh, e)) {
            last = g;
            g = this.nextSameHash.data[g];
        }
        if (g < 0)
            g = this.newGroup(hash, last, n, nh, e);
        this.count.data[g]++;
        this.holeStart[key] = h0;
        this.groupOf[key] = g;
        return g;
    }
    same(g, n, nh, length) {
        if (this.nodeCount.data[g] !== n || this.holeCounts.data[g] !== nh)
            return false;
        const codes = this.codes.data;
        const at = this.codeStart.data[g];
        for (let j = 0; j < length; j++)
            if (codes[at + j] !== this.enc[j])
                return false;
        return true;
    }
    newGroup(hash, last, n, nh, length) {
        const g = this.count.length;
        this.count.push(0);
        this.nodeCount.push(n);
        this.holeCounts.push(nh);
        this.codeStart.push(this.codes.length);
        this.nextSameHash.push(-1);
        this.codes.append(this.enc, length);
        if (last < 0)
            this.byHash.set(hash, g);
        else
            this.nextSameHash.data[last] = g;
        return g;
    }
    get groups() {
        return this.count.length;
    }
    /** Number of trees added to group g. */
    instances(g) {
        return this.count.data[g];
    }
    /** Number of nodes of group g's trees. */
    size(g) {
        return this.nodeCount.data[g];
    }
    holeCount(g) {
        return this.holeCounts.data[g];
    }
    /** The shape of group g, with its key (the same key for the same shape in any plan). */
    shape(g) {
        const n = this.nodeCount.data[g];
        const nh = this.holeCounts.data[g];
        const at = this.codeStart.data[g];
        const codes = this.codes.data;
        const text = (r) => (r >= 0 ? `n${r}` : `h${-1 - r}`);
        const toRef = (r) => (r >= 0 ? { _tag: 'node', index: r } : { _tag: 'hole', index: -1 - r });
        let key = '';
        const nodes = [];
        for (let k = 0; k < n; k++) {
            const o = codes[at + 3 * k];
            const r0 = codes[at + 3 * k + 1];
            const r1 = codes[at + 3 * k + 2];
            key += r1 === NONE ? `${o}(${text(r0)});` : `${o}(${text(r0)},${text(r1)});`;
            nodes.push({ op: o, args: r1 === NONE ? [toRef(r0)] : [toRef(r0), toRef(r1)] });
        }
        const holeKinds = [];
        for (let h = 0; h < nh; h++)
            holeKinds.push(kindChar[codes[at + 3 * n + h]]);
        key += `|${holeKinds.join('')}`;
        return { key, nodes, holeKinds };
    }
    /**
     * For each template (`groups[t]`: its group), the constants that have the same value in every
     * instance: those are baked into the compiled template as literals; the others are read from
     * their slots. `roots` lists the added trees' roots (every instance is among them).
     */
    baked(groups, roots) {
        const { holes, holeStart, groupOf } = this;
        const init = this.tape.init;
        const codes = this.codes.data;
        const templateOf = new Int32Array(this.count.length).fill(-1);
        const offset = new Int32Array(groups.length + 1);
        for (let t = 0; t < groups.length; t++) {
            templateOf[groups[t]] = t;
            offset[t + 1] = offset[t] + this.holeCounts.data[groups[t]];
        }
        // Per template hole: the first instance's value, and whether every instance so far agrees.
        const first = new Float64Array(offset[groups.length]);
        const state = new Uint8Array(offset[groups.length]); // 0 unseen, 1 uniform, 2 varies
        for (let j = 0; j < roots.length; j++) {
            const g = groupOf[roots[j]];
            const t = templateOf[g];
            if (t < 0)
                continue;
            const kinds = this.codeStart.data[g] + 3 * this.nodeCount.data[g];
            const at = holeStart[roots[j]];
            for (let h = 0, b = offset[t]; h < this.holeCounts.data[g]; h++, b++) {
                if (codes[kinds + h] !== 0)
                    continue;
                const v = init[holes[at + h]];
                if (state[b] === 0) {
                    first[b] = v;
                    state[b] = 1;
                }
                else if (state[b] === 1 && !Object.is(v, first[b]))
                    state[b] = 2;
            }
        }
        return Array.from(groups, (g, t) => {
            const kinds = this.codeStart.data[g] + 3 * this.nodeCount.data[g];
            const out = [];
            for (let h = 0; h < this.holeCounts.data[g]; h++)
                out.push(codes[kinds + h] === 0 && state[offset[t] + h] === 1 ? first[offset[t] + h] : undefined);
            return out;
        });
    }
}
