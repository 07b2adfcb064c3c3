/**
 * Benchmark (issue 4): a micrograd-style scalar graph, compiled here and run through
 * `@tensorflow/tfjs-core` scalar tensors (CPU backend), gradient per call. Target: ours ≥ 50×
 * faster.
 *
 * The graph is micrograd's demo model: an MLP of scalar neurons, act(b_i + Σ_j w_ij·x_j) (in
 * micrograd's order: the bias first, then one product at a time), relu on the first layer, tanh on
 * the others, a linear output, and the mean squared error over a batch of data points. One generic
 * function (`mlpLoss`) builds it over our nodes and over tfjs tensors, so both run exactly the same
 * operations. The data are constants of the graph (tensors made once, outside the timing, for
 * tfjs); the parameters are the variables (`tf.variable`s).
 *
 * Per call, ours is `compiled.grad(w, out)`; tfjs's is `tf.tidy(() => tf.variableGrads(loss,
 * vars))` with every gradient read out into a `Float64Array` (`dataSync`), what a training loop
 * needs. Both gradients are checked against each other first (tfjs computes in float32).
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js compile
 */
import { compile } from '../src/compile/index.js';
import { constant, variable } from '../src/expr/node.js';
import { program } from '../src/expr/program.js';
import { build } from '../src/ops/build.js';
import { tapeFor } from '../src/tape/tape.js';
import { compare, count, figure, once, ratio, seconds } from './harness.js';
import { uniform } from './programs.js';
import { loadTf } from './tfjs.js';
const group = 'compile';
/** The model with `sizes` (inputs first) on `batch` data points, parameters uniform in [−1, 1). */
export function mlp(sizes, batch, seed) {
    const rand = uniform(seed);
    const names = [];
    for (let l = 1; l < sizes.length; l++)
        for (let i = 0; i < sizes[l]; i++) {
            for (let j = 0; j < sizes[l - 1]; j++)
                names.push(`w${l}_${i}_${j}`);
            names.push(`b${l}_${i}`);
        }
    const params = Float64Array.from(names, () => 2 * rand() - 1);
    const xs = Array.from({ length: batch }, () => Array.from({ length: sizes[0] }, () => 2 * rand() - 1));
    const ys = xs.map((x) => (x.reduce((s, v) => s + v, 0) > 0 ? 1 : -1));
    return { sizes, xs, ys, params, names };
}
/** (1/B)·Σ_b (mlp(x_b) − y_b)² over any number system; `xs`, `ys` and `scale` are its constants. */
export function mlpLoss(ops, sizes, params, xs, ys, scale) {
    let loss;
    xs.forEach((x, b) => {
        let input = x;
        let p = 0;
        for (let l = 1; l < sizes.length; l++) {
            const out = [];
            for (let i = 0; i < sizes[l]; i++) {
                let s = params[p + sizes[l - 1]];
                for (let j = 0; j < sizes[l - 1]; j++)
                    s = ops.add(s, ops.mul(params[p + j], input[j]));
                p += sizes[l - 1] + 1;
                out.push(l === sizes.length - 1 ? s : l === 1 ? ops.relu(s) : ops.tanh(s));
            }
            input = out;
        }
        const d = ops.sub(input[0], ys[b]);
        const sq = ops.mul(d, d);
        loss = loss === undefined ? sq : ops.add(loss, sq);
    });
    if (loss === undefined)
        throw new RangeError('empty batch');
    return ops.mul(loss, scale);
}
const nodeOps = { add: build.add, sub: build.sub, mul: build.mul, relu: build.relu, tanh: build.tanh };
/** Largest |a − b| over the largest |b| (a gradient's error relative to its scale; `mlp.ts` uses it too). */
export function relError(a, b) {
    let diff = 0;
    let scale = 0;
    for (let j = 0; j < b.length; j++) {
        diff = Math.max(diff, Math.abs(a[j] - b[j]));
        scale = Math.max(scale, Math.abs(b[j]));
    }
    return diff / scale;
}
/** The micrograd benchmark: about 10^4 nodes (3·10^3 with `--quick`). */
export async function runMicrograd(settings) {
    const batch = settings.quick ? 4 : 15;
    const model = mlp([3, 16, 16, 1], batch, 7);
    const c = `micrograd MLP 3-16-16-1 ×${batch}`;
    settings.log(`compile: ${c}`);
    const ours = program([
        mlpLoss(nodeOps, model.sizes, model.names.map((n) => variable(n)), model.xs.map((x) => x.map((v) => constant(v))), model.ys.map((v) => constant(v)), constant(1 / batch)),
    ]);
    const nodes = tapeFor(ours.outputs).size;
    const made = once(() => compile(ours, { wrt: model.names }));
    if (made.result._tag === 'Left')
        throw new Error(made.result.left.message);
    const f = made.result.right;
    const g = new Float64Array(model.names.length);
    const value = f.grad(model.params, g).value;
    const tf = await loadTf();
    const vars = model.names.map((n, k) => tf.tidy(() => tf.variable(tf.scalar(model.params[k]), true, `mg_${n}`)));
    const xs = model.xs.map((x) => x.map((v) => tf.scalar(v)));
    const ys = model.ys.map((v) => tf.scalar(v));
    const scale = tf.scalar(1 / batch);
    const tfOps = { add: tf.add, sub: tf.sub, mul: tf.mul, relu: tf.relu, tanh: tf.tanh };
    const tg = new Float64Array(model.names.length);
    const tfGrad = () => tf.tidy(() => {
        const r = tf.variableGrads(() => mlpLoss(tfOps, model.sizes, vars, xs, ys, scale), vars);
        vars.forEach((v, k) => {
            tg[k] = r.grads[v.name].dataSync()[0];
        });
        return r.value.dataSync()[0];
    });
    const tfValue = tfGrad();
    const error = relError(tg, g);
    const before = tf.memory().numTensors;
    const [tOurs, tTf] = compare([
        { name: 'compiled grad', run: () => f.grad(model.params, g) },
        { name: 'tfjs grad', run: tfGrad },
    ], 
    // tfjs takes a large fraction of a second per call: few rounds, no untimed call before each.
    { minTime: 0, minSamples: settings.quick ? 3 : 5, maxSamples: settings.quick ? 3 : 5, rewarm: false });
    const leaked = tf.memory().numTensors - before;
    for (const t of [...vars, ...xs.flat(), ...ys, scale])
        t.dispose();
    const speedup = tTf.median / tOurs.median;
    return [
        figure(group, c, 'nodes, parameters (wrt)', `${count(nodes)}, ${count(model.names.length)}`),
        figure(group, c, 'compile; stored, templates, steps', `${seconds(made.seconds)}; ${count(f.stats.stored)}, ${f.stats.templates}, ${f.stats.steps}`),
        figure(group, c, 'loss ours, tfjs (float32)', `${value.toPrecision(8)}, ${tfValue.toPrecision(8)}`),
        { group, case: c, measure: 'gradient vs tfjs: max |diff| / max |g|', value: error.toExponential(1), target: '≤ 1e-5', ok: error <= 1e-5 },
        figure(group, c, 'tfjs tensors left over after the timed calls', count(leaked)),
        figure(group, c, 'compiled grad per call', seconds(tOurs.median)),
        figure(group, c, 'tfjs-core grad per call (cpu)', `${seconds(tTf.median)} (${tTf.samples} samples)`),
        figure(group, c, 'per node: compiled, tfjs', `${seconds(tOurs.median / nodes)}, ${seconds(tTf.median / nodes)}`),
        { group, case: c, measure: 'tfjs / compiled (speed-up)', value: ratio(speedup), target: '≥ 50', ok: speedup >= 50 },
    ];
}
