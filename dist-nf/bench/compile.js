/**
 * Benchmark (issue 4): `compile(program, { wrt })`, evaluated many times over `Float64Array`s.
 *
 * - Extended Rosenbrock, n = 10^5 (the builder of `rosenbrock.ts`, wrt = x1..xn in order):
 *   compiled value, grad and hvp against the hand-written value, gradient and H·v, and against the
 *   interpreted tape kernels (forward + reverse). Targets: grad/hand ≤ 1.5, grad/value ≤ 3,
 *   hvp/grad ≤ 4. The same program compiled with the default wrt (names sorted as strings: x1,
 *   x10, x100, …, so the templates read their operands through index arrays) is timed beside it.
 * - A random DAG of 10^5 nodes without repeated structure (`programs.ts`): compiled grad/value
 *   (target ≤ 4), nanoseconds per node, and the interpreted kernels for comparison.
 * - The micrograd-style MLP against tfjs-core (`micrograd.ts`), the Jacobian shapes of issue 3
 *   (`compile-jacobian.ts`), compile time against size and checkpointing (`compile-cost.ts`).
 * - A curve fit whose data change every call, with the data as params, recompiled with `fixed`,
 *   rebuilt, or interpreted (issue 9, `compile-params.ts`).
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js compile --quick
 */
import { grad } from '../src/reverse/index.js';
import { tapeFor } from '../src/tape/tape.js';
import { runCheckpoint, runCompileTime } from './compile-cost.js';
import { runCompiledJacobian } from './compile-jacobian.js';
import { runParams } from './compile-params.js';
import { compiled, maxRelError, statsRows } from './compile-util.js';
import { bounded, compare, count, figure, once, ratio, seconds } from './harness.js';
import { handHvp } from './hvp.js';
import { runMicrograd } from './micrograd.js';
import { namesOf, randomDag } from './programs.js';
import { forgetPrograms, handGradient, handValue, kernelSweeps, rosenbrock, scatter, startArray } from './rosenbrock.js';
const group = 'compile';
// -------------------------------------------------------------------------------------------------
// Extended Rosenbrock
// -------------------------------------------------------------------------------------------------
function rosenbrockCase(n, settings) {
    const c = `rosenbrock n=${count(n)}`;
    settings.log(`compile: ${c}`);
    const p = rosenbrock(n).program;
    const { f, seconds: compileTime } = compiled(p, { wrt: namesOf('x', n) });
    const { f: sorted, seconds: sortedTime } = compiled(p, {});
    const x = startArray(n);
    const u = Float64Array.from({ length: n }, (_, j) => Math.sin(j + 1));
    const g = new Float64Array(n);
    const hg = new Float64Array(n);
    const hv = new Float64Array(n);
    const hh = new Float64Array(n);
    const sg = new Float64Array(n);
    const first = once(() => f.grad(x, g));
    handGradient(x, hg);
    handHvp(x, u, hh);
    f.hvp(x, u, hv);
    const valueError = Math.abs(f.value(x) - handValue(x)) / Math.abs(handValue(x));
    // The default wrt is in natural order (x1..xn, as x here); map its gradient back by name anyway.
    const position = sorted.names.map((name) => Number(name.slice(1)) - 1);
    const xs = new Float64Array(n);
    position.forEach((j, k) => {
        xs[k] = x[j];
    });
    const sortedGrad = sorted.grad(xs, sg).gradient;
    const unsorted = new Float64Array(n);
    position.forEach((j, k) => {
        unsorted[j] = sortedGrad[k];
    });
    // The interpreted path: the tape kernels over the same graph (no records).
    const tape = tapeFor(p.outputs, p.variables);
    const { grad: kernelGrad } = kernelSweeps(tape, scatter(tape, x));
    const [tValue, tGrad, tHvp, tSorted, tKernel, tHandV, tHandG, tHandH] = compare([
        { name: 'compiled value', run: () => f.value(x) },
        { name: 'compiled grad', run: () => f.grad(x, g) },
        { name: 'compiled hvp', run: () => f.hvp(x, u, hv) },
        { name: 'compiled grad, sorted wrt', run: () => sorted.grad(xs, sg) },
        { name: 'kernel forward+reverse', run: kernelGrad },
        { name: 'hand value', run: () => handValue(x) },
        { name: 'hand gradient', run: () => handGradient(x, hg) },
        { name: 'hand hvp', run: () => handHvp(x, u, hh) },
    ], settings.timing);
    const big = n >= 100_000;
    const vsHand = tGrad.median / tHandG.median;
    return [
        ...statsRows(c, f, compileTime),
        figure(group, c, 'first grad (generates the templates)', seconds(first.seconds)),
        figure(group, c, 'rel error: value; gradient, hvp vs hand', `${valueError.toExponential(1)}; ${maxRelError(g, hg).toExponential(1)}, ${maxRelError(hv, hh).toExponential(1)}`),
        figure(group, c, 'compiled value, grad, hvp', `${seconds(tValue.median)}, ${seconds(tGrad.median)}, ${seconds(tHvp.median)}`),
        figure(group, c, 'hand value, gradient, hvp', `${seconds(tHandV.median)}, ${seconds(tHandG.median)}, ${seconds(tHandH.median)}`),
        big ? bounded(group, c, 'grad/hand gradient', vsHand, 1.5) : figure(group, c, 'grad/hand gradient', ratio(vsHand)),
        big ? bounded(group, c, 'grad/value', tGrad.median / tValue.median, 3) : figure(group, c, 'grad/value', ratio(tGrad.median / tValue.median)),
        big ? bounded(group, c, 'hvp/grad', tHvp.median / tGrad.median, 4) : figure(group, c, 'hvp/grad', ratio(tHvp.median / tGrad.median)),
        figure(group, c, 'value/hand value; hvp/hand hvp', `${ratio(tValue.median / tHandV.median)}; ${ratio(tHvp.median / tHandH.median)}`),
        figure(group, c, 'per node: value, grad, hvp', `${seconds(tValue.median / f.stats.nodes)}, ${seconds(tGrad.median / f.stats.nodes)}, ${seconds(tHvp.median / f.stats.nodes)}`),
        figure(group, c, 'interpreted kernels fwd+rev; /compiled grad', `${seconds(tKernel.median)}; ${ratio(tKernel.median / tGrad.median)}`),
        figure(group, c, 'default wrt (sorted names): stored, bytes/node', `${count(sorted.stats.stored)}, ${sorted.stats.bytesPerNode.toFixed(1)}`),
        figure(group, c, 'default wrt: compile; grad, /hand, error', `${seconds(sortedTime)}; ${seconds(tSorted.median)}, ${ratio(tSorted.median / tHandG.median)}, ${maxRelError(unsorted, hg).toExponential(1)}`),
    ];
}
// -------------------------------------------------------------------------------------------------
// A random DAG
// -------------------------------------------------------------------------------------------------
function dagCase(nodes, settings) {
    const vars = 32;
    const made = once(() => randomDag(nodes, 1, { variables: vars }));
    const p = made.result;
    const c = `random DAG ~${count(nodes)}`;
    settings.log(`compile: ${c}`);
    const wrt = namesOf('x', vars);
    const { f, seconds: compileTime } = compiled(p, { wrt });
    const x = Float64Array.from({ length: vars }, (_, j) => Math.sin(j + 1));
    const g = new Float64Array(vars);
    const first = once(() => f.grad(x, g));
    const ref = grad(p, Object.fromEntries(wrt.map((name, j) => [name, x[j]])), wrt);
    if (ref._tag === 'Left')
        throw new Error(ref.left.message);
    const expected = wrt.map((name) => ref.right.gradient[name]);
    const scale = Math.max(...expected.map(Math.abs));
    const worst = Math.max(...expected.map((e, j) => Math.abs(e - g[j]) / scale));
    // The variables are x1..x32, so `scatter` loads them.
    const tape = tapeFor(p.outputs, wrt);
    const { value: kernelValue, grad: kernelGrad } = kernelSweeps(tape, scatter(tape, x));
    const [tValue, tGrad, tKv, tKg] = compare([
        { name: 'compiled value', run: () => f.value(x) },
        { name: 'compiled grad', run: () => f.grad(x, g) },
        { name: 'kernel forward', run: kernelValue },
        { name: 'kernel forward+reverse', run: kernelGrad },
    ], settings.timing);
    const size = f.stats.nodes;
    return [
        figure(group, c, 'build (seeded generator), variables', `${seconds(made.seconds)}, ${vars}`),
        ...statsRows(c, f, compileTime),
        figure(group, c, 'first grad (generates the templates)', seconds(first.seconds)),
        figure(group, c, 'grad vs interpreted: value equal; max |diff|/max|g|', `${f.value(x) === ref.right.value}; ${worst.toExponential(1)}`),
        figure(group, c, 'compiled value, grad', `${seconds(tValue.median)}, ${seconds(tGrad.median)}`),
        bounded(group, c, 'grad/value', tGrad.median / tValue.median, 4),
        figure(group, c, 'per node: value, grad', `${seconds(tValue.median / size)}, ${seconds(tGrad.median / size)}`),
        figure(group, c, 'interpreted kernels: forward, fwd+rev', `${seconds(tKv.median)}, ${seconds(tKg.median)}`),
        figure(group, c, 'interpreted kernels per node: forward, fwd+rev', `${seconds(tKv.median / tape.size)}, ${seconds(tKg.median / tape.size)}`),
        figure(group, c, 'compiled / interpreted: value, grad', `${ratio(tValue.median / tKv.median)}, ${ratio(tGrad.median / tKg.median)}`),
    ];
}
// -------------------------------------------------------------------------------------------------
// The group
// -------------------------------------------------------------------------------------------------
/** Every part of the compile benchmark, the large graphs dropped between parts. */
export async function runCompile(settings) {
    const rows = [];
    rows.push(...rosenbrockCase(settings.quick ? 10_000 : 100_000, settings));
    forgetPrograms();
    rows.push(...dagCase(settings.quick ? 10_000 : 100_000, settings));
    rows.push(...(await runMicrograd(settings)));
    rows.push(...runCompiledJacobian(settings));
    rows.push(...runCompileTime(settings));
    rows.push(...runCheckpoint(settings));
    rows.push(...runParams(settings));
    return rows;
}
