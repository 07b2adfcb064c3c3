import { grad } from '../src/reverse/index.js';
import { compiled, fresh, maxRelError } from './compile-util.js';
import { collect, compare, count, figure, once, ratio, seconds } from './harness.js';
import { namesOf, randomDag, rereadChain, singleUseChain } from './programs.js';
import { buildRosenbrock } from './rosenbrock.js';
const group = 'compile';
const families = [
    {
        label: 'rosenbrock',
        build: (nodes) => {
            const n = 2 * Math.round(nodes / 10);
            return { program: buildRosenbrock(n), wrt: namesOf('x', n), x: Float64Array.from({ length: n }, (_, j) => (j % 2 === 0 ? -1.2 : 1)) };
        },
    },
    {
        label: 'random DAG',
        build: (nodes) => ({ program: randomDag(nodes, 2), wrt: namesOf('x', 32), x: Float64Array.from({ length: 32 }, (_, j) => Math.sin(j + 1)) }),
    },
];
function timeAt(family, nodes, previous, settings) {
    const c = `compile time: ${family.label}`;
    settings.log(`compile: ${c}, ${count(nodes)} nodes`);
    const made = once(() => family.build(nodes));
    const { program: p, wrt, x } = made.result;
    const first = compiled(p, { wrt });
    const size = first.f.stats.nodes;
    const call = once(() => first.f.grad(x));
    const second = compiled(fresh(p), { wrt });
    const best = Math.min(first.seconds, second.seconds);
    const before = previous.get(family.label);
    previous.set(family.label, best);
    const rows = [
        figure(group, c, `N=${count(nodes)}: nodes; build (not timed in compile)`, `${count(size)}; ${seconds(made.seconds)}`),
        figure(group, c, `N=${count(nodes)}: compile 1st, 2nd; first grad`, `${seconds(first.seconds)}, ${seconds(second.seconds)}; ${seconds(call.seconds)}`),
        figure(group, c, `N=${count(nodes)}: per node (best of 2); time vs N/10`, `${seconds(best / size)}; ${before === undefined ? '-' : ratio(best / before)}`),
    ];
    if (nodes >= 1_000_000)
        rows.push({ group, case: c, measure: `N=${count(nodes)}: compile (1st call)`, value: seconds(first.seconds), target: '≤ 2 s', ok: first.seconds <= 2 });
    return rows;
}
/** Compile time for each family at each size; the graphs are dropped between sizes. */
export function runCompileTime(settings) {
    const sizes = settings.quick ? [1_000, 10_000, 100_000] : [10_000, 100_000, 1_000_000];
    const previous = new Map();
    const rows = [];
    for (const family of families)
        for (const nodes of sizes) {
            rows.push(...timeAt(family, nodes, previous, settings));
            collect();
        }
    return rows;
}
// -------------------------------------------------------------------------------------------------
// Checkpointing
// -------------------------------------------------------------------------------------------------
const intervals = [1, 4, 16, 64, undefined];
function chainCase(label, p, settings) {
    const c = `checkpoint: ${label}`;
    settings.log(`compile: ${c}`);
    const x = Float64Array.of(1);
    const ref = grad(p, { x: 1 });
    if (ref._tag === 'Left')
        throw new Error(ref.left.message);
    const expected = [ref.right.gradient.x];
    const variants = intervals.map((k) => {
        const made = compiled(p, { wrt: ['x'], checkpoint: k });
        const out = new Float64Array(1);
        const first = once(() => made.f.grad(x, out));
        return { k, f: made.f, compileSeconds: made.seconds, firstSeconds: first.seconds, out, error: maxRelError(out, expected) };
    });
    const timings = compare(variants.map((v) => ({ name: `checkpoint ${v.k ?? 'default'}`, run: () => v.f.grad(x, v.out) })), settings.timing);
    const rows = [figure(group, c, "nodes; d/dx (interpreted)", `${count(variants[0].f.stats.nodes)}; ${expected[0].toExponential(3)}`)];
    const base = variants[0];
    variants.forEach((v, i) => {
        const k = v.k === undefined ? 'default' : String(v.k);
        rows.push(figure(group, c, `k=${k}: stored, bytes/node`, `${count(v.f.stats.stored)}, ${v.f.stats.bytesPerNode.toFixed(1)}`), figure(group, c, `k=${k}: templates, segments, steps`, `${count(v.f.stats.templates)}, ${count(v.f.stats.segments)}, ${count(v.f.stats.steps)}`), figure(group, c, `k=${k}: compile; first grad`, `${seconds(v.compileSeconds)}; ${seconds(v.firstSeconds)}`), figure(group, c, `k=${k}: grad; vs k=1: time, memory`, `${seconds(timings[i].median)}; ${ratio(timings[i].median / timings[0].median)}, ${ratio(v.f.stats.bytesPerNode / base.f.stats.bytesPerNode)}`), figure(group, c, `k=${k}: rel error vs interpreted`, v.error.toExponential(1)));
    });
    return rows;
}
/** Both chains at 10^5 nodes (10^4 with `--quick`). */
export function runCheckpoint(settings) {
    const nodes = settings.quick ? 10_000 : 100_000;
    const rows = chainCase('t = op_k(t)', singleUseChain(nodes, 3), settings);
    collect();
    rows.push(...chainCase('t = t + 0.1·op_k(t)', rereadChain(nodes, 4), settings));
    return rows;
}
