/**
 * Benchmark (issue 9): a curve fit whose data change every call.
 *
 * The least-squares loss Σᵢ (a·exp(b·tᵢ) + c − yᵢ)² over 200 points (tᵢ, yᵢ), differentiated with
 * respect to a, b, c, at one of 16 data sets per call, in turn (as a mini-batch optimiser sees
 * them). Variants, each a gradient at new data:
 *
 * - **params**: compiled once with the data as `params`; a call copies the data set into the
 *   params array bound by `withParams` and calls `grad(x, out)`;
 * - **params, bound views**: one `withParams` view per data set, made once (no copy per call);
 * - **recompile, fixed**: `compile(program, { wrt, fixed: data })` then `grad`, per call (the
 *   program, and so its tape, is the same: this is the compile itself);
 * - **rebuild and compile**: the data written into the graph as constants, as before `fixed` and
 *   `params`: the graph built, compiled and differentiated per call;
 * - **interpreted grad**: `grad(program, point, wrt)` with the data in the point record.
 *
 * and, for the cost of params against fixed values, **fixed, same data**: compiled once with one
 * data set fixed, `grad(x, out)` (no new data). Every variant's gradient is checked against the
 * interpreted one.
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js compile
 */
import { compile } from '../src/compile/index.js';
import { variable } from '../src/expr/node.js';
import { program } from '../src/expr/program.js';
import { build } from '../src/ops/build.js';
import { grad } from '../src/reverse/index.js';
import { maxRelError } from './compile-util.js';
import { bounded, compare, figure, ratio, seconds } from './harness.js';
const group = 'compile';
const wrt = ['a', 'b', 'c'];
/** The loss over n points: with the data as variables t0…, y0… (`data` undefined), or as constants. */
function loss(n, data) {
    const [a, b, c] = wrt.map((name) => variable(name));
    const at = (k, name) => (data === undefined ? variable(`${name}${k}`) : data[name === 't' ? k : n + k]);
    const term = (k) => build.pow(build.sub(build.add(build.mul(a, build.exp(build.mul(b, at(k, 't')))), c), at(k, 'y')), 2);
    let s = term(0);
    for (let k = 1; k < n; k++)
        s = build.add(s, term(k));
    return program([s]);
}
/** Data set j: tᵢ spread over [0, 2], yᵢ a noisy 2·exp(−0.7 t) + 0.3, differing per set. */
function dataSet(n, j) {
    const d = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
        const t = (2 * k) / n + 0.01 * j;
        d[k] = t;
        d[n + k] = 2 * Math.exp(-0.7 * t) + 0.3 + 0.05 * Math.sin(7 * k + j);
    }
    return d;
}
const unwrap = (r) => {
    if (r._tag === 'Left')
        throw new Error(r.left.message);
    return r.right;
};
export function runParams(settings) {
    const n = 200;
    const c = `curve fit, ${n} points, new data per call`;
    settings.log(`compile: ${c}`);
    const p = loss(n);
    const names = [...Array.from({ length: n }, (_, k) => `t${k}`), ...Array.from({ length: n }, (_, k) => `y${k}`)];
    const sets = Array.from({ length: 16 }, (_, j) => dataSet(n, j));
    const records = sets.map((d) => Object.fromEntries(names.map((name, k) => [name, d[k]])));
    const x = Float64Array.of(1.8, -0.6, 0.25);
    const out = new Float64Array(3);
    const family = unwrap(compile(p, { wrt, params: names }));
    const buffer = new Float64Array(2 * n);
    const bound = family.withParams(buffer);
    const views = sets.map((d) => family.withParams(d));
    const fixed = unwrap(compile(p, { wrt, fixed: records[0] }));
    // Every variant agrees with the interpreted gradient, at every data set.
    let worst = 0;
    for (let j = 0; j < sets.length; j++) {
        const ref = unwrap(grad(p, { ...records[j], a: x[0], b: x[1], c: x[2] }, wrt));
        const want = wrt.map((name) => ref.gradient[name]);
        buffer.set(sets[j]);
        const got = [bound.grad(x).gradient, views[j].grad(x).gradient, unwrap(compile(p, { wrt, fixed: records[j] })).grad(x).gradient, unwrap(compile(loss(n, sets[j]), { wrt })).grad(x).gradient];
        for (const g of got)
            worst = Math.max(worst, maxRelError(g, want));
    }
    let j = 0;
    const next = () => (j = (j + 1) % sets.length);
    const [tParams, tViews, tRecompile, tRebuild, tInterpreted, tFixed] = compare([
        {
            name: 'params',
            run: () => {
                buffer.set(sets[next()]);
                return bound.grad(x, out);
            },
        },
        { name: 'params, bound views', run: () => views[next()].grad(x, out) },
        { name: 'recompile, fixed', run: () => unwrap(compile(p, { wrt, fixed: records[next()] })).grad(x, out) },
        { name: 'rebuild and compile', run: () => unwrap(compile(loss(n, sets[next()]), { wrt })).grad(x, out) },
        { name: 'interpreted grad', run: () => grad(p, { ...records[next()], a: x[0], b: x[1], c: x[2] }, wrt) },
        { name: 'fixed, same data', run: () => fixed.grad(x, out) },
    ], settings.timing);
    const params = tParams.median;
    return [
        figure(group, c, 'gradients vs interpreted: max rel error', worst.toExponential(1)),
        figure(group, c, 'params: copy data + grad; bound views: grad', `${seconds(params)}; ${seconds(tViews.median)}`),
        figure(group, c, 'recompile with fixed + grad; /params', `${seconds(tRecompile.median)}; ${ratio(tRecompile.median / params)}`),
        figure(group, c, 'rebuild graph + compile + grad; /params', `${seconds(tRebuild.median)}; ${ratio(tRebuild.median / params)}`),
        figure(group, c, 'interpreted grad (record point); /params', `${seconds(tInterpreted.median)}; ${ratio(tInterpreted.median / params)}`),
        figure(group, c, 'fixed, same data: grad', seconds(tFixed.median)),
        bounded(group, c, 'params (with the copy) / fixed grad', params / tFixed.median, 1.5),
    ];
}
