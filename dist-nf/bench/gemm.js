/**
 * Benchmark (issue 10): the matrix product of the tensor engine (`src/ops/tensor/gemm.ts`) on the
 * shapes of one minibatch step of the §3.4 network (X 256×784, W₁ 784×256, W₂ 256×10), in
 * GFLOP/s (2·m·n·k flops per product), float64, one core:
 *
 * | case   | product            | op(A)·op(B) | m   | k   | n   |
 * |--------|--------------------|-------------|-----|-----|-----|
 * | X·W1   | hidden layer       | (F, F)      | 256 | 784 | 256 |
 * | Xᵀ·G   | ∇W₁                | (T, F)      | 784 | 256 | 256 |
 * | X·W1ᵀ  | X·W1, W1 stored ᵀ  | (F, T)      | 256 | 784 | 256 |
 * | H·W2   | logits             | (F, F)      | 256 | 256 | 10  |
 * | Hᵀ·G   | ∇W₂                | (T, F)      | 256 | 256 | 10  |
 * | G·W2ᵀ  | ∇H                 | (F, T)      | 256 | 10  | 256 |
 *
 * Each product is timed three ways in the same interleaved rounds: ours with the default backend
 * (`auto`: WebAssembly SIMD here), ours forced to the JavaScript kernel, and a naive loop over the
 * same arrays (i-k-j: C's row i += a_ip · B's row p; with B transposed, i-j-k dot products, which
 * read both operands in order). The targets: ≥ 4 GFLOP/s on the three large products; on the
 * three small ones (n or k = 10), not slower than the naive loop. Both backends are checked
 * against the naive loop first.
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js gemm
 */
import { gemm, gemmBackend, setGemmBackend } from '../src/ops/tensor/gemm.js';
import { compare, figure, ratio } from './harness.js';
const group = 'gemm';
const shapes = [
    { name: 'X·W1', transA: false, transB: false, m: 256, k: 784, n: 256, gflops: 4 },
    { name: 'Xᵀ·G', transA: true, transB: false, m: 784, k: 256, n: 256, gflops: 4 },
    { name: 'X·W1ᵀ', transA: false, transB: true, m: 256, k: 784, n: 256, gflops: 4 },
    { name: 'H·W2', transA: false, transB: false, m: 256, k: 256, n: 10 },
    { name: 'Hᵀ·G', transA: true, transB: false, m: 256, k: 256, n: 10 },
    { name: 'G·W2ᵀ', transA: false, transB: true, m: 256, k: 10, n: 256 },
];
/** The operands of a shape, stored tightly (leading dimension = row length), numbers in [−1, 1). */
function operands(s) {
    let seed = 1;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    return {
        A: Float64Array.from({ length: s.m * s.k }, next),
        lda: s.transA ? s.m : s.k,
        B: Float64Array.from({ length: s.k * s.n }, next),
        ldb: s.transB ? s.k : s.n,
    };
}
/** C = op(A)·op(B), naively: i-k-j (rows of B in order), or i-j-k dot products when B is transposed. */
function naive(s, A, lda, B, ldb, C) {
    const { m, n, k, transA, transB } = s;
    if (transB) {
        for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
                let sum = 0;
                for (let p = 0; p < k; p++)
                    sum += (transA ? A[p * lda + i] : A[i * lda + p]) * B[j * ldb + p];
                C[i * n + j] = sum;
            }
        }
        return;
    }
    C.fill(0);
    for (let i = 0; i < m; i++) {
        for (let p = 0; p < k; p++) {
            const a = transA ? A[p * lda + i] : A[i * lda + p];
            const row = p * ldb;
            const out = i * n;
            for (let j = 0; j < n; j++)
                C[out + j] += a * B[row + j];
        }
    }
}
/** Largest |ours − naive| / max(1, |naive|). */
function maxError(ours, want) {
    let worst = 0;
    for (let i = 0; i < want.length; i++)
        worst = Math.max(worst, Math.abs(ours[i] - want[i]) / Math.max(1, Math.abs(want[i])));
    return worst;
}
export function runGemm(settings) {
    const rows = [];
    const backend = gemmBackend();
    for (const s of shapes) {
        const c = `${s.name} (${s.transA ? 'T' : 'F'},${s.transB ? 'T' : 'F'}) m=${s.m} k=${s.k} n=${s.n}`;
        settings.log(`gemm: ${c}`);
        const { A, lda, B, ldb } = operands(s);
        const C = new Float64Array(s.m * s.n);
        const product = () => {
            gemm(s.transA, s.transB, s.m, s.n, s.k, A, 0, lda, B, 0, ldb, C, 0, s.n, false);
            return C;
        };
        const ours = () => {
            setGemmBackend('auto');
            return product();
        };
        const js = () => {
            setGemmBackend('js');
            return product();
        };
        const want = new Float64Array(s.m * s.n);
        naive(s, A, lda, B, ldb, want);
        const error = Math.max(maxError(ours().slice(), want), maxError(js().slice(), want));
        const [tOurs, tJs, tNaive] = compare([
            { name: 'ours', run: ours },
            { name: 'js', run: js },
            { name: 'naive', run: () => naive(s, A, lda, B, ldb, C) },
        ], settings.timing);
        setGemmBackend('auto');
        const gflops = (seconds) => (2 * s.m * s.n * s.k) / seconds / 1e9;
        const [ours1, js1, naive1] = [gflops(tOurs.median), gflops(tJs.median), gflops(tNaive.median)];
        const fixed = (x) => x.toFixed(2);
        rows.push({ group, case: c, measure: 'ours vs naive: max rel. error', value: error.toExponential(1), target: '≤ 1e-12', ok: error <= 1e-12 }, s.gflops === undefined
            ? figure(group, c, `ours (${backend}) GFLOP/s`, fixed(ours1))
            : { group, case: c, measure: `ours (${backend}) GFLOP/s`, value: fixed(ours1), target: `≥ ${s.gflops}`, ok: ours1 >= s.gflops }, figure(group, c, 'ours (js) GFLOP/s', fixed(js1)), figure(group, c, 'naive loop GFLOP/s', fixed(naive1)), s.gflops === undefined
            ? { group, case: c, measure: `ours (${backend}) / naive`, value: ratio(ours1 / naive1), target: '≥ 1', ok: ours1 >= naive1 }
            : figure(group, c, `ours (${backend}) / naive`, ratio(ours1 / naive1)), figure(group, c, 'ours (js) / naive', ratio(js1 / naive1)));
    }
    return rows;
}
