/**
 * Benchmark (issue 3): Jacobians in auto, forward and reverse mode.
 *
 * Dense shapes (n inputs, m outputs) ∈ {(1000,10), (10,1000), (300,300), (1,1000), (1000,1)}: a
 * small two-layer "network" whose Jacobian is dense (every output depends on every input),
 *
 *   z_k = Σ_j c_kj·x_j            (k = 1..8, pseudo-random constants c)
 *   h_k = sin(z_k)·exp(z_k / 4)
 *   f_i = x_{i'}·Σ_k d_ik·h_k + sin(x_{i''})   (i', i'' inputs picked per output)
 *
 * timed with `mode: 'auto'`, `'forward'` and `'reverse'` in interleaved rounds. The issue's target:
 * auto ≤ 1.15× the faster forced mode on every shape; the slower forced mode is printed beside it
 * (the price of choosing wrong).
 *
 * Sparse case: Broyden tridiagonal, f_i = (3 − 2x_i)·x_i − x_{i−1} − 2·x_{i+1} + 1, n = m = 10^4
 * (and 10^3, where the auto mode's look for sparsity has a smaller budget):
 * the auto mode (which looks for sparsity on its own) against forward and reverse mode with
 * `sparse: true` (auto/best as above), and dense forward mode (two calls only: it takes seconds at
 * n = 10^4), with sweep and colour counts.
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js jacobian --quick
 */
import { variable } from '../src/expr/node.js';
import { program } from '../src/expr/program.js';
import { isDense, jacobian, toCsr } from '../src/jacobian/index.js';
import { build } from '../src/ops/build.js';
import { tapeFor } from '../src/tape/tape.js';
import { bounded, compare, count, figure, once, ratio, seconds } from './harness.js';
const group = 'jacobian';
// -------------------------------------------------------------------------------------------------
// Programs
// -------------------------------------------------------------------------------------------------
/** A deterministic stream of numbers in [−1, 1) (a linear congruential generator). */
function randoms(seed) {
    let s = seed >>> 0;
    return () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 31 - 1;
    };
}
const hidden = 8;
/** The dense mixing program with n inputs and m outputs (see the module comment). */
export function denseProgram(n, m) {
    const rand = randoms(n * 7919 + m);
    const x = Array.from({ length: n }, (_, j) => variable(`x${j + 1}`));
    const h = [];
    for (let k = 0; k < hidden; k++) {
        let z = build.mul(rand(), x[0]);
        for (let j = 1; j < n; j++)
            z = build.add(z, build.mul(rand() / Math.sqrt(n), x[j]));
        h.push(build.mul(build.sin(z), build.exp(build.div(z, 4))));
    }
    const outputs = [];
    for (let i = 0; i < m; i++) {
        let s = build.mul(rand(), h[0]);
        for (let k = 1; k < hidden; k++)
            s = build.add(s, build.mul(rand(), h[k]));
        outputs.push(build.add(build.mul(x[i % n], s), build.sin(x[(i * 7 + 3) % n])));
    }
    return program(outputs, { vector: true });
}
/** Broyden tridiagonal residuals over x1..xn. */
export function broyden(n) {
    const x = (i) => variable(`x${i}`);
    const outputs = [];
    for (let i = 1; i <= n; i++) {
        let f = build.mul(build.sub(3, build.mul(2, x(i))), x(i));
        if (i > 1)
            f = build.sub(f, x(i - 1));
        if (i < n)
            f = build.sub(f, build.mul(2, x(i + 1)));
        outputs.push(build.add(f, 1));
    }
    return program(outputs, { vector: true });
}
const pointOf = (n, value) => {
    const p = {};
    for (let j = 0; j < n; j++)
        p[`x${j + 1}`] = value(j);
    return p;
};
function run(p, point, options) {
    const r = jacobian(p, point, options);
    if (r._tag === 'Left')
        throw new Error(r.left.message);
    return r.right;
}
/**
 * Auto, forced forward and forced reverse on one program: the first auto call timed alone (it
 * builds the plan), one checked result each, then the three timed side by side.
 */
function threeModes(p, point, opts, names, settings) {
    const first = once(() => run(p, point, opts.auto));
    const fwd = run(p, point, opts.forward);
    const rev = run(p, point, opts.reverse);
    const [tAuto, tFwd, tRev] = compare([
        { name: 'auto', run: () => run(p, point, opts.auto) },
        { name: names[0], run: () => run(p, point, opts.forward) },
        { name: names[1], run: () => run(p, point, opts.reverse) },
    ], settings.timing);
    return { first, auto: first.result, fwd, rev, tAuto, tFwd, tRev, best: Math.min(tFwd.median, tRev.median) };
}
/** Largest |a − b| between two Jacobians (either format). */
function maxDiff(a, b) {
    const A = toCsr(a.jacobian);
    const B = toCsr(b.jacobian);
    const dense = (M, i, j) => {
        for (let k = M.rowPtr[i]; k < M.rowPtr[i + 1]; k++)
            if (M.colIdx[k] === j)
                return M.values[k];
        return 0;
    };
    let worst = 0;
    for (let i = 0; i < A.shape[0]; i++) {
        for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++)
            worst = Math.max(worst, Math.abs(A.values[k] - dense(B, i, A.colIdx[k])));
        for (let k = B.rowPtr[i]; k < B.rowPtr[i + 1]; k++)
            worst = Math.max(worst, Math.abs(B.values[k] - dense(A, i, B.colIdx[k])));
    }
    return worst;
}
// -------------------------------------------------------------------------------------------------
// Dense shapes
// -------------------------------------------------------------------------------------------------
function denseShape(n, m, settings) {
    const c = `(n,m)=(${n},${m})`;
    const made = once(() => denseProgram(n, m));
    const p = made.result;
    const tape = tapeFor(p.outputs, p.variables);
    const point = pointOf(n, (j) => Math.cos(j + 1));
    const { first, auto, fwd, rev, tAuto, tFwd, tRev, best } = threeModes(p, point, { auto: { mode: 'auto' }, forward: { mode: 'forward' }, reverse: { mode: 'reverse' } }, ['forward', 'reverse'], settings);
    const worst = Math.max(tFwd.median, tRev.median);
    const faster = tFwd.median <= tRev.median ? 'forward' : 'reverse';
    return [
        figure(group, c, 'nodes, edges of G\'', `${count(tape.size)}, ${count(tape.edges)}`),
        figure(group, c, 'build, first auto call (plan + sweeps)', `${seconds(made.seconds)}, ${seconds(first.seconds)}`),
        figure(group, c, 'sweeps forward, reverse', `${fwd.sweeps}, ${rev.sweeps}`),
        figure(group, c, 'forward vs reverse, max |diff|', maxDiff(fwd, rev).toExponential(1)),
        figure(group, c, 'auto chose; faster forced', `${auto.mode}${auto.colours !== undefined ? ` (${auto.colours} colours)` : ''}; ${faster}`),
        figure(group, c, 'auto, forward, reverse', `${seconds(tAuto.median)}, ${seconds(tFwd.median)}, ${seconds(tRev.median)}`),
        bounded(group, c, 'auto/best', tAuto.median / best, 1.15),
        figure(group, c, 'wrong/best', ratio(worst / best)),
    ];
}
// -------------------------------------------------------------------------------------------------
// Broyden tridiagonal
// -------------------------------------------------------------------------------------------------
/** The Broyden Jacobian by hand: diagonal 3 − 4x_i, sub-diagonal −1, super-diagonal −2. */
function broydenError(r, x, n) {
    const J = toCsr(r.jacobian);
    // Column c is r.wrt[c], and the default wrt is sorted by name (x1, x10, x100, ...).
    const index = r.wrt.map((name) => Number(name.slice(1)) - 1);
    let worst = 0;
    let nnz = 0;
    for (let i = 0; i < n; i++) {
        for (let k = J.rowPtr[i]; k < J.rowPtr[i + 1]; k++) {
            const j = index[J.colIdx[k]];
            const expected = j === i ? 3 - 4 * x(i) : j === i - 1 ? -1 : j === i + 1 ? -2 : 0;
            worst = Math.max(worst, Math.abs(J.values[k] - expected));
            if (expected !== 0 && J.values[k] !== 0)
                nnz++;
        }
    }
    return nnz === 3 * n - 2 ? worst : Infinity;
}
const describeRun = (r) => `${r.mode}, ${r.sweeps} sweeps, ${r.colours ?? 'no'} colours, ${isDense(r.jacobian) ? 'dense' : r.jacobian.format}`;
function broydenCase(n, settings) {
    const c = `broyden n=${count(n)}`;
    const x0 = () => -1;
    const p = broyden(n);
    const point = pointOf(n, x0);
    const tape = tapeFor(p.outputs, p.variables);
    const { first, auto, fwd, rev, tAuto, tFwd, tRev, best } = threeModes(p, point, { auto: { format: 'csr' }, forward: { mode: 'forward', sparse: true, format: 'csr' }, reverse: { mode: 'reverse', sparse: true, format: 'csr' } }, ['forward, sparse', 'reverse, sparse'], settings);
    const rows = [
        figure(group, c, "nodes, edges of G'", `${count(tape.size)}, ${count(tape.edges)}`),
        figure(group, c, "auto (format: 'csr' only)", describeRun(auto)),
        figure(group, c, 'forward, sparse: true', describeRun(fwd)),
        figure(group, c, 'reverse, sparse: true', describeRun(rev)),
        figure(group, c, 'auto vs hand Jacobian, max |diff|', broydenError(auto, x0, n).toExponential(1)),
        figure(group, c, 'first auto call (plan + sweeps)', seconds(first.seconds)),
        figure(group, c, 'auto, forward sparse, reverse sparse', `${seconds(tAuto.median)}, ${seconds(tFwd.median)}, ${seconds(tRev.median)}`),
        bounded(group, c, 'auto/best', tAuto.median / best, 1.15),
        figure(group, c, 'wrong/best', ratio(Math.max(tFwd.median, tRev.median) / best)),
    ];
    // Dense forward mode takes seconds at n = 10^4 (n/16 sweeps and a 10^8-entry matrix): two calls,
    // each on a freshly collected heap, the result dropped in between.
    settings.log(`jacobian: broyden dense forward, n=${n} (two calls)`);
    const calls = [0, 1].map(() => {
        const t = once(() => run(p, point, { mode: 'forward', sparse: false }));
        return { seconds: t.seconds, sweeps: t.result.sweeps };
    });
    const dense = Math.min(...calls.map((t) => t.seconds));
    rows.push(figure(group, c, 'dense forward: sweeps', String(calls[0].sweeps)), figure(group, c, 'dense forward, 2 calls (min)', `${seconds(calls[0].seconds)}, ${seconds(calls[1].seconds)} (${seconds(dense)})`), figure(group, c, 'dense forward / sparse forward', ratio(dense / tFwd.median)));
    return rows;
}
/** Every shape, then the sparse case. */
export function runJacobian(settings) {
    const shapes = settings.quick
        ? [[300, 10], [10, 300], [100, 100], [1, 300], [300, 1]]
        : [[1000, 10], [10, 1000], [300, 300], [1, 1000], [1000, 1]];
    const rows = [];
    for (const [n, m] of shapes) {
        settings.log(`jacobian (n,m)=(${n},${m})`);
        rows.push(...denseShape(n, m, settings));
    }
    for (const n of settings.quick ? [1_000] : [1_000, 10_000]) {
        settings.log(`jacobian: broyden n=${n}`);
        rows.push(...broydenCase(n, settings));
    }
    return rows;
}
