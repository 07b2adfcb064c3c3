/**
 * Benchmark (issue 2): the extended Rosenbrock function as a program over scalar variables,
 *
 *   f(x1..xn) = Σ_{i = 1, 3, 5, ..., n−1} 100·(x_{i+1} − x_i²)² + (1 − x_i)²,
 *
 * evaluated and differentiated through four layers, each timed in the same interleaved rounds:
 * - api: `evaluate` / `grad` (point records in, result records and warnings out); `grad` again
 *   with a sealed point, which `loadPoint` checks once instead of listing its keys every call;
 * - raw: `tapeFor` once, then `loadPoint` + the compiled `forward` (+ `reverse`) kernels over a
 *   preallocated adjoint array: what the sweeps cost once the point is read from a record;
 * - kernels: the sweeps alone, the variables copied from a `Float64Array` into the value array;
 * - hand: the same function and gradient written by hand over a `Float64Array`.
 * The gaps between layers show where the time goes. Targets: grad/eval ≤ 4, grad/hand ≤ 30 at
 * n = 10^5.
 *
 * @example
 * const p = rosenbrock(1000)          // built with the builders, memoised per n
 * handGradient(startArray(1000), g)   // 12100, g filled in
 */
import { structurallyEqual, topoOrder } from '../src/expr/graph.js';
import { variable } from '../src/expr/node.js';
import { program } from '../src/expr/program.js';
import { evaluate } from '../src/forward/index.js';
import { parse } from '../src/lang/index.js';
import { build } from '../src/ops/build.js';
import { grad } from '../src/reverse/index.js';
import { getReverseKernels } from '../src/reverse/kernels.js';
import { getValueKernels } from '../src/tape/kernels.js';
import { loadPoint } from '../src/tape/point.js';
import { tapeFor } from '../src/tape/tape.js';
import { bounded, compare, count, figure, once, ratio, seconds } from './harness.js';
// -------------------------------------------------------------------------------------------------
// The function, four ways
// -------------------------------------------------------------------------------------------------
/** The extended Rosenbrock function over `prefix`1 .. `prefix`n, built with the builders. */
export function buildRosenbrock(n, prefix = 'x') {
    let sum;
    for (let i = 1; i < n; i += 2) {
        const a = variable(`${prefix}${i}`);
        const b = variable(`${prefix}${i + 1}`);
        const term = build.add(build.mul(100, build.pow(build.sub(b, build.pow(a, 2)), 2)), build.pow(build.sub(1, a), 2));
        sum = sum === undefined ? term : build.add(sum, term);
    }
    if (sum === undefined)
        throw new RangeError('n must be at least 2');
    return program([sum]);
}
/** The same function as program text, one statement per term (the same graph: `s = s + term`). */
export function rosenbrockText(n, prefix = 'x') {
    const lines = [];
    for (let i = 1; i < n; i += 2) {
        const term = `100*(${prefix}${i + 1} - ${prefix}${i}^2)^2 + (1 - ${prefix}${i})^2`;
        lines.push(i === 1 ? `s = ${term}` : `s = s + (${term})`);
    }
    return lines.join('\n');
}
const built = new Map();
/** The program for n (built once per process; the first build is timed). */
export function rosenbrock(n) {
    let hit = built.get(n);
    if (hit === undefined) {
        const { seconds, result } = once(() => buildRosenbrock(n));
        hit = { program: result, seconds };
        built.set(n, hit);
    }
    return hit;
}
/** Drops the memoised programs, so that later benchmarks run on a small heap. */
export const forgetPrograms = () => built.clear();
/** The standard starting point (−1.2, 1, −1.2, 1, ...), as a record. */
export function startPoint(n) {
    const point = {};
    for (let i = 1; i <= n; i++)
        point[`x${i}`] = i % 2 === 1 ? -1.2 : 1;
    return point;
}
/** The same point as an array (index i − 1 holds x_i). */
export const startArray = (n) => Float64Array.from({ length: n }, (_, j) => (j % 2 === 0 ? -1.2 : 1));
/** f(x), by hand. */
export function handValue(x) {
    let f = 0;
    for (let i = 0; i + 1 < x.length; i += 2) {
        const a = x[i];
        const d = x[i + 1] - a * a;
        const e = 1 - a;
        f += 100 * d * d + e * e;
    }
    return f;
}
/** f(x), with ∇f(x) written into `g`, by hand. */
export function handGradient(x, g) {
    let f = 0;
    for (let i = 0; i + 1 < x.length; i += 2) {
        const a = x[i];
        const d = x[i + 1] - a * a;
        const e = 1 - a;
        f += 100 * d * d + e * e;
        g[i] = -400 * d * a - 2 * e;
        g[i + 1] = 200 * d;
    }
    return f;
}
/** The tape's variables, copied from an array in x1..xn order: the kernels' own input. */
export function scatter(tape, x) {
    const slots = Int32Array.from({ length: x.length }, (_, j) => tape.variables.get(`x${j + 1}`) ?? -1);
    return (v) => {
        v.set(tape.init);
        for (let j = 0; j < slots.length; j++)
            v[slots[j]] = x[j];
    };
}
/**
 * The interpreted path without records, over preallocated arrays: `value()` loads the variables
 * and runs the forward kernel; `grad()` also runs the reverse kernel from output 0 over G′, with
 * the adjoints in `g`. Each returns a number of its result (a sink for the timing loop).
 */
export function kernelSweeps(tape, load) {
    const K = { ...getValueKernels(), ...getReverseKernels() };
    const v = new Float64Array(tape.size);
    const g = new Float64Array(tape.size);
    const out = tape.outputs[0];
    const value = () => {
        load(v);
        K.forward(tape.op, tape.a0, tape.a1, v, tape.leaves, tape.size);
        return v[out];
    };
    const grad = () => {
        value();
        g.fill(0);
        g[out] = 1;
        K.reverse(tape.op, tape.a0, tape.a1, v, g, tape.activeOrder, tape.activeOrder.length);
        return g[tape.wrtSlots[0]];
    };
    return { v, g, value, grad };
}
/** Largest |a − b| / max(1, |b|) over x1..xn, with `a` read from a gradient record. */
function maxError(gradient, expected) {
    let worst = 0;
    for (let j = 0; j < expected.length; j++) {
        const e = Math.abs(gradient[`x${j + 1}`] - expected[j]) / Math.max(1, Math.abs(expected[j]));
        worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    }
    return worst;
}
// -------------------------------------------------------------------------------------------------
// The benchmark
// -------------------------------------------------------------------------------------------------
const group = 'rosenbrock';
/** Build, parse and tape costs; api, raw, kernel and hand timings; their ratios. */
function atSize(n, settings) {
    const c = `n=${count(n)}`;
    const rows = [];
    const { program: p, seconds: buildTime } = rosenbrock(n);
    // Parse the same function over fresh names, so that parsing creates its nodes as building did.
    const text = rosenbrockText(n, 'y');
    const parsed = once(() => parse(text));
    if (parsed.result._tag === 'Left')
        throw new Error(`parse failed: ${parsed.result.left.message}`);
    const first = once(() => tapeFor(p.outputs, p.variables));
    const tape = first.result;
    rows.push(figure(group, c, 'nodes (tape slots)', count(tape.size)));
    rows.push(figure(group, c, "edges of G'", count(tape.edges)));
    rows.push(figure(group, c, 'build (builders, first time)', seconds(buildTime)));
    rows.push(figure(group, c, 'parse (text, fresh nodes)', seconds(parsed.seconds)));
    rows.push(figure(group, c, 'tapeFor (first call)', seconds(first.seconds)));
    if (n <= 1000) {
        // A parse is a build of its own: its graph equals the builders', node for node.
        const again = parse(rosenbrockText(n, 'x'));
        const same = again._tag === 'Right' && structurallyEqual(again.right.outputs[0], p.outputs[0]) && topoOrder(again.right.outputs).length === topoOrder(p.outputs).length;
        rows.push(figure(group, c, 'parse gives the built graph', String(same)));
    }
    const point = startPoint(n);
    const x = startArray(n);
    const expected = new Float64Array(n);
    handGradient(x, expected);
    const api = grad(p, point);
    if (api._tag === 'Left')
        throw new Error(api.left.message);
    const valueError = Math.abs(api.right.value - handValue(x)) / Math.abs(handValue(x));
    rows.push(figure(group, c, 'grad vs hand: rel error value, max gradient', `${valueError.toExponential(1)}, ${maxError(api.right.gradient, expected).toExponential(1)}`));
    const K = { ...getValueKernels(), ...getReverseKernels() };
    const out = tape.outputs[0];
    const order = tape.activeOrder;
    const g = new Float64Array(tape.size);
    const load = scatter(tape, x);
    const hg = new Float64Array(n);
    const rawValue = () => {
        const r = loadPoint(tape, point);
        if (r._tag === 'Left')
            throw new Error(r.left.message);
        K.forward(tape.op, tape.a0, tape.a1, r.right, tape.leaves, tape.size);
        return r.right[out];
    };
    const rawGrad = () => {
        const r = loadPoint(tape, point);
        if (r._tag === 'Left')
            throw new Error(r.left.message);
        K.forward(tape.op, tape.a0, tape.a1, r.right, tape.leaves, tape.size);
        g.fill(0);
        g[out] = 1;
        K.reverse(tape.op, tape.a0, tape.a1, r.right, g, order, order.length);
        return g[tape.wrtSlots[0]];
    };
    const { value: kernelValue, grad: kernelGrad } = kernelSweeps(tape, load);
    const sealed = Object.seal(startPoint(n));
    const [eEval, eGrad, eSealed, eRawV, eRawG, eKerV, eKerG, eHandV, eHandG] = compare([
        { name: 'evaluate', run: () => evaluate(p, point) },
        { name: 'grad', run: () => grad(p, point) },
        { name: 'grad, sealed point', run: () => grad(p, sealed) },
        { name: 'raw value', run: rawValue },
        { name: 'raw grad', run: rawGrad },
        { name: 'kernel value', run: kernelValue },
        { name: 'kernel grad', run: kernelGrad },
        { name: 'hand value', run: () => handValue(x) },
        { name: 'hand grad', run: () => handGradient(x, hg) },
    ], settings.timing);
    const big = n >= 100_000;
    rows.push(figure(group, c, 'evaluate (api)', seconds(eEval.median)));
    rows.push(figure(group, c, 'grad (api)', seconds(eGrad.median)));
    rows.push(figure(group, c, 'grad (api, sealed point)', seconds(eSealed.median)));
    rows.push(bounded(group, c, 'grad/eval (api)', eGrad.median / eEval.median, 4));
    rows.push(figure(group, c, 'loadPoint+forward (raw)', seconds(eRawV.median)));
    rows.push(figure(group, c, 'loadPoint+forward+reverse (raw)', seconds(eRawG.median)));
    rows.push(figure(group, c, 'grad/eval (raw)', ratio(eRawG.median / eRawV.median)));
    rows.push(figure(group, c, 'forward (kernel)', seconds(eKerV.median)));
    rows.push(figure(group, c, 'forward+reverse (kernel)', seconds(eKerG.median)));
    rows.push(figure(group, c, 'grad/eval (kernel)', ratio(eKerG.median / eKerV.median)));
    rows.push(figure(group, c, 'hand value', seconds(eHandV.median)));
    rows.push(figure(group, c, 'hand gradient', seconds(eHandG.median)));
    const vsHand = eGrad.median / eHandG.median;
    rows.push(big ? bounded(group, c, 'grad/hand (api)', vsHand, 30) : figure(group, c, 'grad/hand (api)', ratio(vsHand)));
    rows.push(figure(group, c, 'grad/hand (raw)', ratio(eRawG.median / eHandG.median)));
    rows.push(figure(group, c, 'grad/hand (kernel)', ratio(eKerG.median / eHandG.median)));
    rows.push(figure(group, c, 'eval/hand value (api)', ratio(eEval.median / eHandV.median)));
    rows.push(figure(group, c, 'api share of grad time', `${(100 * (1 - eKerG.median / eGrad.median)).toFixed(0)}%`));
    rows.push(figure(group, c, 'per node: forward, fwd+rev', `${seconds(eKerV.median / tape.size)}, ${seconds(eKerG.median / tape.size)}`));
    return rows;
}
/** Every size of the benchmark (n = 10^3, 10^4, 10^5; 10^3 and 10^4 with `--quick`). */
export function runRosenbrock(settings) {
    const sizes = settings.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
    return sizes.flatMap((n) => {
        settings.log(`rosenbrock n=${n}`);
        return atSize(n, settings);
    });
}
