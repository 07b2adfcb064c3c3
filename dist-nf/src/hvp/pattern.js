/**
 * The sparsity pattern of a Hessian, read from the graph (no numbers involved).
 *
 * The Hessian of f is Σᵢ ḡᵢ Σⱼₖ ∂²φᵢ/∂uⱼ∂uₖ · ∇uⱼ ∇uₖᵀ over the nodes φᵢ(u₀, u₁): only nodes
 * whose op has a non-zero second partial couple variables, and they couple exactly the
 * variables that reach their arguments. So:
 * 1. for each op, which arguments its value depends on (first order) and which pairs of
 *    arguments have a second partial that is not structurally zero: derived once from the rule
 *    table by differentiating each partial symbolically (`opStructure`), so `x + y`, `relu` and
 *    `max` couple nothing, `x·y` couples x with y only, `sin` its argument with itself;
 * 2. for each slot, the set of `wrt` variables that reach it through non-zero partials
 *    (stop_gradient and sign cut the path), computed only for slots that feed a coupling node;
 * 3. every coupling node that reaches the output through non-zero partials (its adjoint ḡᵢ is
 *    not a structural zero) adds (variables of uⱼ) × (variables of uₖ) to the pattern.
 *
 * The result is a SUPERSET of the true pattern: it never looks at values, so a coupling that
 * cancels (x·y − y·x built without sharing), a zero adjoint, or a second derivative that happens
 * to vanish at the point still count as non-zeros. A pattern whose construction would cost much
 * more than a dense n×n one (or than a multiple of the graph) is reported as dense.
 *
 * @example
 * hessianPattern(tapeFor([f], ['x', 'y', 'z']))  // f = (x + y)·z: rows x:{z}, y:{z}, z:{x, y}
 */
import { variable } from '../expr/node.js';
import { program } from '../expr/program.js';
import { nodes } from '../ops/build.js';
import { partialsIn, partialValue } from '../ops/math.js';
import { isDifferentiable } from '../ops/registry.js';
import { rulesByCode } from '../ops/table.js';
import { opTags } from '../ops/tags.js';
import { gradExpr } from '../reverse/index.js';
let structures;
/** Per op code, from the table: each partial built as an expression and differentiated again. */
export function opStructure() {
    if (structures?.length !== rulesByCode.length)
        structures = undefined;
    structures ??= rulesByCode.map((rule, code) => {
        if (!isDifferentiable(code))
            return { first: [false, false].slice(0, rule.arity), second: [] };
        const argNames = ['a', 'b'].slice(0, rule.arity);
        const args = argNames.map((n) => variable(n));
        const out = nodes.apply(opTags[code], args);
        const ps = partialsIn(nodes, opTags[code], args, out).map((p) => (p === null ? null : partialValue(nodes, p)));
        const first = ps.map((p) => p !== null && !nodes.isZero(p));
        const second = [];
        ps.forEach((p, j) => {
            if (p === null || p._tag === 'const')
                return;
            const d = gradExpr(program([p], { variables: argNames }), argNames);
            if (d._tag === 'Left')
                return;
            d.right.outputs.forEach((dk, k) => {
                if (!nodes.isZero(dk))
                    second.push([j, k]);
            });
        });
        return { first, second };
    });
    return structures;
}
const empty = new Int32Array(0);
/** The union of two sorted sets (shared, not copied, when one contains the other trivially). */
function union(a, b) {
    if (a === b || b.length === 0)
        return a;
    if (a.length === 0)
        return b;
    const out = new Int32Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < b.length) {
        if (a[i] < b[j])
            out[k++] = a[i++];
        else if (a[i] > b[j])
            out[k++] = b[j++];
        else {
            out[k++] = a[i++];
            j++;
        }
    }
    while (i < a.length)
        out[k++] = a[i++];
    while (j < b.length)
        out[k++] = b[j++];
    return k === a.length ? a : k === b.length ? b : out.subarray(0, k);
}
/** Growable pair list. */
class Pairs {
    rows = new Int32Array(64);
    cols = new Int32Array(64);
    length = 0;
    push(r, c) {
        if (this.length === this.rows.length) {
            const grow = (a) => {
                const b = new Int32Array(a.length * 2);
                b.set(a);
                return b;
            };
            this.rows = grow(this.rows);
            this.cols = grow(this.cols);
        }
        this.rows[this.length] = r;
        this.cols[this.length++] = c;
    }
}
/** Compressed rows from a pair list, each row sorted with duplicates removed. */
function compress(n, pairs) {
    const count = new Int32Array(n + 1);
    for (let k = 0; k < pairs.length; k++)
        count[pairs.rows[k] + 1]++;
    for (let i = 0; i < n; i++)
        count[i + 1] += count[i];
    const fill = count.slice(0, n);
    const raw = new Int32Array(pairs.length);
    for (let k = 0; k < pairs.length; k++)
        raw[fill[pairs.rows[k]]++] = pairs.cols[k];
    const rowStart = new Int32Array(n + 1);
    const cols = [];
    for (let i = 0; i < n; i++) {
        const row = raw.subarray(count[i], count[i + 1]).sort();
        for (let k = 0; k < row.length; k++)
            if (k === 0 || row[k] !== row[k - 1])
                cols.push(row[k]);
        rowStart[i + 1] = cols.length;
    }
    return { n, dense: false, rowStart, cols: Int32Array.from(cols) };
}
/** The dense pattern (every entry), without listing n² entries. */
export const densePattern = (n) => ({ n, dense: true, rowStart: new Int32Array(n + 1), cols: empty });
/**
 * The Hessian pattern of the tape's (single) output with respect to its `wrt` variables, a
 * superset of the true one (see the module comment). Linear in the graph plus the pattern size;
 * gives up and answers "dense" once the variable sets or the couplings it lists (duplicates
 * included) exceed min(4n² + 4·size, 2²² + 16·size) entries, which bounds its memory by a
 * multiple of the graph's.
 */
export function hessianPattern(tape) {
    const n = tape.wrt.length;
    const ops = opStructure();
    const { op, a0, a1, active } = tape;
    const argOf = (i, j) => (j === 0 ? a0[i] : a1[i]);
    // Reverse topological order sees every user before its arguments. `live`: the output depends
    // on the slot through non-zero partials (its adjoint is not a structural zero), so the slot
    // may couple. `needed`: the slot's variable set is wanted, as an argument of a live coupling
    // node, or (recursively) as an argument through which such a set flows.
    const live = new Uint8Array(tape.size);
    const needed = new Uint8Array(tape.size);
    live[tape.outputs[0]] = 1;
    for (let i = tape.size - 1; i >= tape.leaves; i--) {
        if (active[i] === 0 || live[i] === 0)
            continue;
        const s = ops[op[i]];
        for (const [j, k] of s.second) {
            needed[argOf(i, j)] = 1;
            needed[argOf(i, k)] = 1;
        }
        for (let j = 0; j < s.first.length; j++) {
            if (!s.first[j])
                continue;
            live[argOf(i, j)] = 1;
            if (needed[i] === 1)
                needed[argOf(i, j)] = 1;
        }
    }
    const budget = Math.min(4 * n * n + 4 * tape.size, (1 << 22) + 16 * tape.size);
    let stored = 0;
    const sets = new Array(tape.size).fill(empty);
    tape.wrtSlots.forEach((slot, j) => {
        if (slot >= 0)
            sets[slot] = union(sets[slot], Int32Array.of(j));
    });
    for (let i = tape.leaves; i < tape.size; i++) {
        if (needed[i] === 0 || active[i] === 0)
            continue;
        const s = ops[op[i]];
        let set = empty;
        for (let j = 0; j < s.first.length; j++)
            if (s.first[j])
                set = union(set, sets[argOf(i, j)]);
        sets[i] = set;
        if (set !== sets[a0[i]] && (a1[i] < 0 || set !== sets[a1[i]]))
            stored += set.length;
        if (stored > budget)
            return densePattern(n);
    }
    const pairs = new Pairs();
    for (const i of tape.activeOrder) {
        if (live[i] === 0)
            continue;
        for (const [j, k] of ops[op[i]].second) {
            const left = sets[argOf(i, j)];
            const right = sets[argOf(i, k)];
            if (pairs.length + 2 * left.length * right.length > budget)
                return densePattern(n);
            for (const r of left) {
                for (const c of right) {
                    pairs.push(r, c);
                    pairs.push(c, r);
                }
            }
        }
    }
    return compress(n, pairs);
}
/** The number of structural non-zeros. */
export const patternSize = (p) => (p.dense ? p.n * p.n : p.cols.length);
