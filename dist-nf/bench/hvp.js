import { hvp } from '../src/hvp/index.js';
import { grad } from '../src/reverse/index.js';
import { getForwardKernels } from '../src/forward/kernels.js';
import { getHvpKernels } from '../src/hvp/kernels.js';
import { tapeFor } from '../src/tape/tape.js';
import { bounded, compare, count, figure, seconds } from './harness.js';
import { kernelSweeps, rosenbrock, scatter, startArray } from './rosenbrock.js';
const group = 'hvp';
/** H(x)·u for the extended Rosenbrock function, by hand. */
export function handHvp(x, u, out) {
    for (let i = 0; i + 1 < x.length; i += 2) {
        const a = x[i];
        const b = x[i + 1];
        const haa = 1200 * a * a - 400 * b + 2;
        const hab = -400 * a;
        out[i] = haa * u[i] + hab * u[i + 1];
        out[i + 1] = hab * u[i] + 200 * u[i + 1];
    }
}
/** `{x1: a[0], ...}`. */
function recordFrom(a) {
    const out = {};
    for (let j = 0; j < a.length; j++)
        out[`x${j + 1}`] = a[j];
    return out;
}
/** Largest |a − b| / max(1, |b|); Infinity when an entry is NaN. */
function maxError(get, expected) {
    let worst = 0;
    for (let j = 0; j < expected.length; j++) {
        const e = Math.abs(get(j) - expected[j]) / Math.max(1, Math.abs(expected[j]));
        worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    }
    return worst;
}
/** The api's H·u at x against the hand-written one. */
function apiError(p, x, u) {
    const expected = new Float64Array(x.length);
    handHvp(x, u, expected);
    const r = hvp(p, recordFrom(x), recordFrom(u));
    if (r._tag === 'Left')
        throw new Error(r.left.message);
    return maxError((j) => r.right.hvp[`x${j + 1}`], expected);
}
function atSize(n, settings) {
    const p = rosenbrock(n).program;
    const tape = tapeFor(p.outputs, p.variables);
    const K = { ...getForwardKernels(), ...getHvpKernels() };
    const u = Float64Array.from({ length: n }, (_, j) => Math.sin(j + 1));
    const start = startArray(n);
    const startError = apiError(p, start, u);
    const x = startError <= 1e-12 ? start : start.map(Math.abs);
    const c = `n=${count(n)}${x === start ? '' : ', x=(1.2,1,..)'}`;
    const rows = [figure(group, c, 'hvp (api) vs hand at (-1.2,1,..), max rel error', startError.toExponential(1))];
    if (x !== start)
        rows.push(figure(group, c, 'hvp (api) vs hand at (1.2,1,..), max rel error', apiError(p, x, u).toExponential(1)));
    const varSlots = Int32Array.from({ length: n }, (_, j) => tape.variables.get(`x${j + 1}`) ?? -1);
    const load = scatter(tape, x);
    const out = tape.outputs[0];
    const order = tape.activeOrder;
    const v = new Float64Array(tape.size);
    const t = new Float64Array(tape.size);
    const g = new Float64Array(tape.size);
    const h = new Float64Array(tape.size);
    const { grad: kernelGrad } = kernelSweeps(tape, load);
    const kernelHvp = () => {
        load(v);
        for (let j = 0; j < n; j++)
            t[varSlots[j]] = u[j];
        K.jvp(tape.op, tape.a0, tape.a1, v, t, tape.leaves, tape.size);
        g.fill(0);
        h.fill(0);
        g[out] = 1;
        K.hvp(tape.op, tape.a0, tape.a1, v, t, g, h, order, order.length);
        return h[varSlots[0]];
    };
    const expected = new Float64Array(n);
    handHvp(x, u, expected);
    kernelHvp();
    rows.push(figure(group, c, 'hvp (kernel) vs hand, max rel error', maxError((j) => h[varSlots[j]], expected).toExponential(1)));
    const point = recordFrom(x);
    const direction = recordFrom(u);
    const [aGrad, aHvp, kGrad, kHvp] = compare([
        { name: 'grad', run: () => grad(p, point) },
        { name: 'hvp', run: () => hvp(p, point, direction) },
        { name: 'kernel grad', run: kernelGrad },
        { name: 'kernel hvp', run: kernelHvp },
    ], settings.timing);
    rows.push(figure(group, c, 'grad (api)', seconds(aGrad.median)), figure(group, c, 'hvp (api)', seconds(aHvp.median)), bounded(group, c, 'hvp/grad (api)', aHvp.median / aGrad.median, 4), figure(group, c, 'forward+reverse (kernel)', seconds(kGrad.median)), figure(group, c, 'jvp+hvp sweeps (kernel)', seconds(kHvp.median)), bounded(group, c, 'hvp/grad (kernel)', kHvp.median / kGrad.median, 4));
    return rows;
}
/** hvp against grad at two sizes. */
export function runHvp(settings) {
    const sizes = settings.quick ? [1_000, 10_000] : [10_000, 100_000];
    return sizes.flatMap((n) => {
        settings.log(`hvp n=${n}`);
        return atSize(n, settings);
    });
}
