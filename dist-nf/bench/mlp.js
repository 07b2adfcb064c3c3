/**
 * Benchmark (issue 10, "Speed"): the minibatch gradient of the document's §3.4 network,
 *
 *     H = relu(X W₁),   logits = H W₂,   J = softmax_cross_entropy(logits, y) + λ(ΣW₁² + ΣW₂²),
 *
 * with X 256×784, W₁ 784×256, W₂ 256×10, measured side by side in one process:
 *
 * - the toolkit's forward sweep (`tensorEvaluate`) and value-and-gradient (`tensorGrad` with
 *   respect to W1 and W2), on one program built once, as `examples/mlp.ts` uses it;
 * - the matrix products of that step alone, through the toolkit's own `gemm` into preallocated
 *   buffers: the toolkit's time less this one is what the engine spends outside the kernel;
 * - a naive hand-written value-and-gradient over `Float64Array`s (i-k-j loops);
 * - `@tensorflow/tfjs-core` on its CPU backend (float32), `tf.variableGrads` on the same network
 *   with the value and both gradients read out (`dataSync`), what a training loop needs.
 *
 * The first three run in the harness's usual interleaved rounds; the last two take most of a
 * second a call, so they run a few rounds together with the toolkit's gradient, which their
 * ratios are taken against.
 *
 * Throughput counts 2·m·n·k flops for each matrix product the step needs: X W₁ and H W₂ forward,
 * XᵀG′, HᵀG and G W₂ᵀ backward (the gradient with respect to X is not computed); the entrywise
 * work is not counted. Every gradient is checked against the hand-written one first.
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js mlp
 */
import { tensorOf } from '../src/ops/tensor/array.js';
import { gemm } from '../src/ops/tensor/gemm.js';
import { add, matmul, mul, orThrow, program, reduceSum, relu, softmaxCrossEntropy, tensorEvaluate, tensorGrad, variable } from '../src/index.js';
import { bounded, compare, figure, ratio, seconds } from './harness.js';
import { relError } from './micrograd.js';
import { uniform } from './programs.js';
import { loadTf } from './tfjs.js';
const group = 'mlp';
/** Sizes of the issue: batch, inputs, hidden units, classes; and λ. */
const [B, N, H, C] = [256, 784, 256, 10];
const lambda = 1e-4;
/** Flops of one value-and-gradient step: 2mnk for X W₁, H W₂ (forward) and XᵀG′, HᵀG, G W₂ᵀ (backward). */
export const stepFlops = (b, n, h, c) => 2 * (b * n * h + b * h * c) + 2 * (n * b * h + h * b * c + b * c * h);
// -------------------------------------------------------------------------------------------------
// The naive hand-written gradient
// -------------------------------------------------------------------------------------------------
/** C (m×n) += A (m×k) · B (k×n), i-k-j. */
function mulAdd(A, Bm, Cm, m, k, n) {
    for (let i = 0; i < m; i++)
        for (let p = 0; p < k; p++) {
            const a = A[i * k + p];
            for (let j = 0; j < n; j++)
                Cm[i * n + j] += a * Bm[p * n + j];
        }
}
/** C (m×n) += Aᵀ · B for A stored k×m and B k×n: the same loops, the row of A's transpose read down a column. */
function mulAddTransA(A, Bm, Cm, m, k, n) {
    for (let p = 0; p < k; p++)
        for (let i = 0; i < m; i++) {
            const a = A[p * m + i];
            for (let j = 0; j < n; j++)
                Cm[i * n + j] += a * Bm[p * n + j];
        }
}
/** J and its gradient with respect to W₁ and W₂, written out (the document's closed form). */
export function handGrad(X, y, W1, W2, b, n, h, c, lam) {
    const Z = new Float64Array(b * h);
    mulAdd(X, W1, Z, b, n, h);
    const Hd = Z.map((z) => (z > 0 ? z : 0));
    const L = new Float64Array(b * c);
    mulAdd(Hd, W2, L, b, h, c);
    // G = (softmax(L) − onehot(y)) / B, and the mean cross-entropy.
    const G = new Float64Array(b * c);
    let J = 0;
    for (let i = 0; i < b; i++) {
        let m = -Infinity;
        for (let j = 0; j < c; j++)
            m = Math.max(m, L[i * c + j]);
        let s = 0;
        for (let j = 0; j < c; j++)
            s += Math.exp(L[i * c + j] - m);
        J += m + Math.log(s) - L[i * c + y[i]];
        for (let j = 0; j < c; j++)
            G[i * c + j] = (Math.exp(L[i * c + j] - m) / s - (j === y[i] ? 1 : 0)) / b;
    }
    let sq = 0;
    for (let k = 0; k < W1.length; k++)
        sq += W1[k] * W1[k];
    for (let k = 0; k < W2.length; k++)
        sq += W2[k] * W2[k];
    J = J / b + lam * sq;
    // ∇W₂ = HᵀG + 2λW₂; G′ = (G W₂ᵀ) ⊙ 1[Z > 0]; ∇W₁ = XᵀG′ + 2λW₁.
    const dW2 = W2.map((w) => 2 * lam * w);
    mulAddTransA(Hd, G, dW2, h, b, c);
    const Gp = new Float64Array(b * h);
    for (let i = 0; i < b; i++)
        for (let j = 0; j < h; j++) {
            if (Z[i * h + j] <= 0)
                continue;
            let s = 0;
            for (let k = 0; k < c; k++)
                s += G[i * c + k] * W2[j * c + k];
            Gp[i * h + j] = s;
        }
    const dW1 = W1.map((w) => 2 * lam * w);
    mulAddTransA(X, Gp, dW1, n, b, h);
    return { J, dW1, dW2 };
}
// -------------------------------------------------------------------------------------------------
// The benchmark
// -------------------------------------------------------------------------------------------------
/** The rows of the mlp group (see the top of this file). */
export async function runMlp(settings) {
    const c = `§3.4 MLP, X ${B}×${N}, W₁ ${N}×${H}, W₂ ${H}×${C}`;
    settings.log(`mlp: ${c}`);
    const rand = uniform(10);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    // Pixels in [0, 1), random labels, He-initialised weights: the example's data, made up.
    const X = tensorOf([B, N], Float64Array.from({ length: B * N }, () => rand()));
    const y = tensorOf([B], Float64Array.from({ length: B }, () => Math.floor(rand() * C)));
    const W1 = tensorOf([N, H], Float64Array.from({ length: N * H }, () => Math.sqrt(2 / N) * gauss()));
    const W2 = tensorOf([H, C], Float64Array.from({ length: H * C }, () => Math.sqrt(2 / H) * gauss()));
    const vX = variable('X', [B, N]);
    const vW1 = variable('W1', [N, H]);
    const vW2 = variable('W2', [H, C]);
    const J = add(softmaxCrossEntropy(matmul(relu(matmul(vX, vW1)), vW2), variable('y', [B])), mul(lambda, add(reduceSum(mul(vW1, vW1)), reduceSum(mul(vW2, vW2)))));
    const p = program([J]);
    const point = { X, y, W1, W2 };
    const forward = () => orThrow(tensorEvaluate(p, point)).values[0];
    const gradient = () => orThrow(tensorGrad(p, point, ['W1', 'W2']));
    const hand = () => handGrad(X.data, y.data, W1.data, W2.data, B, N, H, C, lambda);
    // The step's products alone, through the same kernel: Z = X W₁, L = H W₂, ∇W₂ ← HᵀG, G′ ← G W₂ᵀ, ∇W₁ ← XᵀG′.
    const [Z, L, dW2, Gp, dW1] = [B * H, B * C, H * C, B * H, N * H].map((k) => new Float64Array(k));
    const G = Float64Array.from({ length: B * C }, () => rand() - 0.5);
    const products = () => {
        gemm(false, false, B, H, N, X.data, 0, N, W1.data, 0, H, Z, 0, H, false);
        gemm(false, false, B, C, H, Z, 0, H, W2.data, 0, C, L, 0, C, false);
        gemm(true, false, H, C, B, Z, 0, H, G, 0, C, dW2, 0, C, false);
        gemm(false, true, B, H, C, G, 0, C, W2.data, 0, C, Gp, 0, H, false);
        gemm(true, false, N, H, B, X.data, 0, N, Gp, 0, H, dW1, 0, H, false);
        return dW1;
    };
    // Checks first: the toolkit against the hand-written gradient.
    const want = hand();
    const got = gradient();
    const valueError = Math.abs(got.value.data[0] - want.J) / Math.abs(want.J);
    const gradError = Math.max(relError(got.gradient.W1.data, want.dW1), relError(got.gradient.W2.data, want.dW2));
    const forwardError = Math.abs(forward().data[0] - want.J) / Math.abs(want.J);
    // tfjs on the same network and data, in float32.
    const tf = await loadTf();
    const f32 = (t, shape) => tf.tensor2d(Float32Array.from(t.data), shape);
    const tX = f32(X, [B, N]);
    const tY = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(y.data), 'int32'), C), 'float32'));
    const tW1 = tf.variable(f32(W1, [N, H]), true, 'mlp_W1');
    const tW2 = tf.variable(f32(W2, [H, C]), true, 'mlp_W2');
    const tLambda = tf.scalar(lambda);
    const tMean = tf.scalar(1 / B);
    const tfLoss = () => {
        const logits = tf.matMul(tf.relu(tf.matMul(tX, tW1)), tW2);
        const ce = tf.mul(tf.losses.softmaxCrossEntropy(tY, logits, undefined, undefined, tf.Reduction.SUM), tMean);
        return tf.add(ce, tf.mul(tLambda, tf.add(tf.sum(tf.mul(tW1, tW1)), tf.sum(tf.mul(tW2, tW2)))));
    };
    const tfGrad = () => tf.tidy(() => {
        const r = tf.variableGrads(tfLoss, [tW1, tW2]);
        return { J: r.value.dataSync()[0], dW1: r.grads[tW1.name].dataSync(), dW2: r.grads[tW2.name].dataSync() };
    });
    const tfr = tfGrad();
    const tfError = Math.max(relError(tfr.dW1, want.dW1), relError(tfr.dW2, want.dW2));
    // The toolkit's variants take tens of milliseconds: the usual rounds. The hand-written gradient and
    // tfjs take most of a second: a few rounds, with the toolkit's gradient again in the same rounds,
    // so that each ratio compares figures measured side by side.
    settings.log('mlp: timing forward, gradient, products alone');
    const [tForward, tGrad, tProducts] = compare([
        { name: 'toolkit forward', run: forward },
        { name: 'toolkit value+gradient', run: gradient },
        { name: 'gemm alone', run: products },
    ], settings.timing);
    settings.log('mlp: timing gradient, hand-written, tfjs');
    const rounds = settings.quick ? 3 : 7;
    const [tGrad2, tHand, tTf] = compare([
        { name: 'toolkit value+gradient', run: gradient },
        { name: 'hand value+gradient', run: hand },
        { name: 'tfjs value+gradient', run: tfGrad },
    ], { ...settings.timing, minTime: 0, minSamples: rounds, maxSamples: rounds });
    for (const t of [tX, tY, tW1, tW2, tLambda, tMean])
        t.dispose();
    const flops = stepFlops(B, N, H, C);
    const gflops = (s) => flops / s / 1e9;
    const speedup = tTf.median / tGrad2.median;
    const outside = tGrad.median - tProducts.median;
    return [
        figure(group, c, 'flops per step (2mnk: XW₁, HW₂, XᵀG′, HᵀG, GW₂ᵀ)', `${(flops / 1e6).toFixed(1)} M`),
        { group, case: c, measure: 'value, gradient vs hand-written: max rel. error', value: `${Math.max(valueError, forwardError).toExponential(1)}, ${gradError.toExponential(1)}`, target: '≤ 1e-12', ok: Math.max(valueError, forwardError, gradError) <= 1e-12 },
        { group, case: c, measure: 'tfjs (float32) gradient vs hand-written', value: tfError.toExponential(1), target: '≤ 1e-4', ok: tfError <= 1e-4 },
        figure(group, c, 'toolkit forward (tensorEvaluate)', seconds(tForward.median)),
        figure(group, c, 'toolkit value+gradient (tensorGrad)', seconds(tGrad.median)),
        bounded(group, c, 'toolkit gradient / forward', tGrad.median / tForward.median, 3),
        { group, case: c, measure: 'toolkit value+gradient GFLOP/s', value: gflops(tGrad.median).toFixed(2), target: '≥ 4', ok: gflops(tGrad.median) >= 4 },
        figure(group, c, "the step's 5 products alone (gemm), GFLOP/s", `${seconds(tProducts.median)}, ${gflops(tProducts.median).toFixed(2)}`),
        figure(group, c, 'toolkit outside gemm (value+gradient − products)', `${seconds(outside)} (${((100 * outside) / tGrad.median).toFixed(0)}%)`),
        figure(group, c, 'naive hand-written value+gradient, GFLOP/s', `${seconds(tHand.median)}, ${gflops(tHand.median).toFixed(2)}`),
        figure(group, c, 'toolkit value+gradient in the rounds below', seconds(tGrad2.median)),
        figure(group, c, 'toolkit / hand-written', ratio(tGrad2.median / tHand.median)),
        figure(group, c, 'tfjs-core value+gradient (cpu, float32), GFLOP/s', `${seconds(tTf.median)}, ${gflops(tTf.median).toFixed(2)}`),
        { group, case: c, measure: 'tfjs / toolkit (speed-up)', value: ratio(speedup), target: '≥ 2', ok: speedup >= 2 },
    ];
}
