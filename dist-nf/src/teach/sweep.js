/**
 * The sweeps as the document writes them, one step at a time: the Wengert list of a scalar
 * program (every node once, inputs first, then each operation in topological order), the forward
 * sweep that fills in values and tangents, and the reverse sweep that fills the grad_table from
 * the output back (grad_table[uₙ] = 1; each step adds ∂uᵢ/∂uⱼ · grad_table[uᵢ] into the entry of
 * every input uⱼ of uᵢ). This is for reading, not speed: the engine's sweeps run on typed-array
 * tapes (`src/tape`); these walk the nodes and ask the same derivative table for the same
 * partials, so the numbers agree.
 *
 * An operation whose two inputs are one node (x·x) contributes to its entry twice, one step each,
 * as bprop treats them (§3.2). A structurally zero partial (stop_gradient) contributes nothing.
 *
 * @example
 * import { wengert, reverseTrace, parse, orThrow } from 'chainrule'
 * const list = orThrow(wengert(orThrow(parse('q = x + y; f = q * z')), { x: -2, y: 5, z: -4 }))
 * list.entries.map((e) => `${e.label}=${e.value}`)            // → ['x=-2', 'y=5', 'z=-4', 'q=3', 'f=-12']
 * const steps = reverseTrace(list)
 * steps.map((s) => s.changes.map((c) => `${c.label}:${c.total}`).join(' '))   // → ['q:-4 z:3', 'x:-4 y:-4']
 */
import * as E from 'fp-ts/lib/Either.js';
import { topoOrder } from '../expr/graph.js';
import { numbers, partialsIn, partialValue, times } from '../ops/math.js';
import { isOpTag } from '../ops/tags.js';
import { table } from '../ops/table.js';
import { wrtTape } from '../tape/names.js';
import { badArgument, loadPoint } from '../tape/point.js';
const symbols = { add: '+', sub: '−', mul: '×', div: '÷', neg: '−', pow: '^' };
/** The operation as the figures write it: `+`, `×`, or the function's name. */
export function symbolOf(op) {
    if (!isOpTag(op))
        return op;
    const s = symbols[op];
    if (s !== undefined)
        return s;
    const syntax = table[op].syntax;
    return syntax._tag === 'call' ? syntax.name : op;
}
/**
 * The Wengert list of `program` at `point`: each node once, in topological order with the inputs
 * first, with its value and its local partials. The point must give a number for every variable
 * (as every evaluator checks); `wrt` (default: every variable) must name distinct variables.
 * Tensor programs are refused.
 */
export function wengert(program, point, wrt = program.variables) {
    const checked = wrtTape(program, wrt);
    if (E.isLeft(checked))
        return checked;
    const loaded = loadPoint(checked.right, point, program);
    if (E.isLeft(loaded))
        return loaded;
    const order = topoOrder(program.outputs);
    const inputsFirst = [...order.filter((n) => n._tag !== 'apply'), ...order.filter((n) => n._tag === 'apply')];
    const index = new Map();
    const entries = [];
    const local = [];
    let k = 0;
    for (const node of inputsFirst) {
        const i = entries.length;
        index.set(node, i);
        local[i] = [];
        const given = program.names.get(node);
        switch (node._tag) {
            case 'var': {
                const value = point[node.name];
                entries.push({ index: i, label: node.name, kind: 'variable', op: 'variable', symbol: node.name, args: [], value, partials: [] });
                break;
            }
            case 'const':
                entries.push({ index: i, label: given ?? String(node.value), kind: 'constant', op: 'constant', symbol: String(node.value), args: [], value: node.value, partials: [] });
                break;
            case 'apply': {
                if (!isOpTag(node.op))
                    return E.left(badArgument(`the operation ${node.op} has no scalar rule (tensor programs are not traced)`));
                const args = node.args.map((a) => index.get(a));
                const xs = args.map((a) => entries[a].value);
                const value = table[node.op].fn(xs[0], xs[1]);
                const raw = partialsIn(numbers, node.op, xs, value);
                local[i] = raw;
                const partials = raw.map((p) => (p === null ? null : partialValue(numbers, p)));
                entries.push({ index: i, label: given ?? `v${++k}`, kind: 'operation', op: node.op, symbol: symbolOf(node.op), args, value, partials });
                break;
            }
        }
    }
    const byName = new Map(entries.filter((e) => e.kind === 'variable').map((e) => [e.label, e.index]));
    return E.right({
        entries,
        outputs: program.outputs.map((n) => index.get(n)),
        wrt,
        wrtEntries: wrt.map((name) => byName.get(name) ?? -1),
        local,
    });
}
/**
 * Forward sweeps, one per seed direction (a tangent per wrt variable, or the given directions),
 * run side by side: step k computes entry k's value and its tangent Σ ∂ᵢ·ẋᵢ in every sweep. Input
 * entries come first, their tangents the seeds.
 */
export function forwardTrace(list, seeds = unitSeeds(list.wrt)) {
    const t = list.entries.map(() => new Float64Array(seeds.length));
    const steps = [];
    for (const e of list.entries) {
        const mine = t[e.index];
        if (e.kind === 'variable')
            seeds.forEach((seed, s) => (mine[s] = list.wrt.includes(e.label) ? (seed[e.label] ?? 0) : 0));
        e.args.forEach((a, k) => {
            const p = list.local[e.index]?.[k];
            if (p === null || p === undefined)
                return;
            const ta = t[a];
            // Explicit zeros: a zero tangent contributes nothing, even through an infinite partial.
            for (let s = 0; s < seeds.length; s++)
                if (ta[s] !== 0)
                    mine[s] += times(numbers, p, ta[s]);
        });
        steps.push({ entry: e.index, tangents: Array.from(mine) });
    }
    return steps;
}
/** One seed per variable: ẋ = 1 for that variable, 0 for the others. */
export const unitSeeds = (wrt) => wrt.map((name) => ({ [name]: 1 }));
/**
 * The reverse sweep of output `output` (default the first): grad_table[output] = 1, then the
 * operations in reverse order, each adding its contributions into its inputs' entries. Operations
 * whose adjoint is still 0 contribute nothing and are skipped; so are the entries nothing depends
 * on through a derivative.
 */
export function reverseTrace(list, output = list.outputs[0] ?? 0) {
    const g = new Float64Array(list.entries.length);
    g[output] = 1;
    const steps = [];
    for (let i = list.entries.length - 1; i >= 0; i--) {
        const e = list.entries[i];
        if (e.kind !== 'operation' || g[i] === 0)
            continue;
        const changes = [];
        e.args.forEach((a, k) => {
            const p = list.local[i]?.[k];
            if (p === null || p === undefined)
                return;
            const added = times(numbers, p, g[i]);
            g[a] = g[a] + added;
            changes.push({ entry: a, label: list.entries[a].label, partial: e.partials[k] ?? 0, added, total: g[a] });
        });
        steps.push({ entry: i, adjoint: g[i], changes });
    }
    return steps;
}
/** grad_table after the first `k` steps of a reverse sweep (all of them by default); the output's entry is 1. */
export function gradTableAfter(list, steps, k = steps.length, output = list.outputs[0] ?? 0) {
    const g = list.entries.map(() => undefined);
    g[output] = 1;
    for (const step of steps.slice(0, k))
        for (const c of step.changes)
            g[c.entry] = c.total;
    return g;
}
