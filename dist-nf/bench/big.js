/**
 * Benchmark (issue 4), opt-in: a graph of 10^7 nodes must fit and run on the project machine.
 * Extended Rosenbrock with n = 2·10^6 (5n + 2 ≈ 10^7 nodes) is built with the builders,
 * compiled, evaluated and differentiated once (and H·v once), the gradient and H·v checked
 * against the hand-written ones; the table gives the times, the memory after each stage
 * (`process.memoryUsage()`: V8 heap used, typed-array buffers, resident set) and bytes per node.
 * The last memory row is taken after the graph itself is dropped: what a long optimisation keeps.
 *
 * Not part of the default run (it takes about a minute and several GB):
 *
 *   node --expose-gc --max-old-space-size=16000 dist-bench/bench/index.js big
 *
 * (`--quick`: n = 2·10^5, 10^6 nodes.)
 */
import { compile } from '../src/compile/index.js';
import { maxRelError } from './compile-util.js';
import { collect, count, figure, once, seconds } from './harness.js';
import { handHvp } from './hvp.js';
import { namesOf } from './programs.js';
import { buildRosenbrock, handGradient, handValue, startArray } from './rosenbrock.js';
const group = 'big';
const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
/** Heap used, typed-array buffers and resident set, after a full collection. */
function memory() {
    collect();
    const m = process.memoryUsage();
    return `heap ${gib(m.heapUsed)}, buffers ${gib(m.arrayBuffers)}, rss ${gib(m.rss)}`;
}
export async function runBig(settings) {
    const n = settings.quick ? 200_000 : 2_000_000;
    const c = `rosenbrock n=${count(n)}`;
    const rows = [figure(group, c, 'memory at start', memory())];
    settings.log(`big: building n=${n}`);
    const t0 = performance.now();
    let p = buildRosenbrock(n);
    rows.push(figure(group, c, 'build (builders)', seconds((performance.now() - t0) / 1000)));
    rows.push(figure(group, c, 'memory after build', memory()));
    settings.log('big: compiling');
    const names = namesOf('x', n);
    const made = once(() => compile(p, { wrt: names }));
    if (made.result._tag === 'Left')
        throw new Error(made.result.left.message);
    const f = made.result.right;
    rows.push(figure(group, c, 'nodes; stored values; bytes per node', `${count(f.stats.nodes)}; ${count(f.stats.stored)}; ${f.stats.bytesPerNode.toFixed(1)}`));
    rows.push(figure(group, c, 'compile (with tapeFor)', seconds(made.seconds)));
    rows.push(figure(group, c, 'memory after compile (graph, tape, plan)', memory()));
    settings.log('big: value, grad, hvp');
    const x = startArray(n);
    const u = Float64Array.from({ length: n }, (_, j) => Math.sin(j + 1));
    const g = new Float64Array(n);
    const hv = new Float64Array(n);
    const hg = new Float64Array(n);
    const hh = new Float64Array(n);
    // Six calls each: the first runs cold (code not yet optimised, pages not yet touched).
    const timed = (run) => {
        const times = [];
        let result;
        for (let k = 0; k < 6; k++) {
            const t = performance.now();
            const r = run();
            times.push((performance.now() - t) / 1000);
            result ??= r;
        }
        return { result: result, text: `${seconds(times[0])}, ${seconds(Math.min(...times.slice(1)))}` };
    };
    const value = timed(() => f.value(x));
    const first = timed(() => f.grad(x, g));
    const hvp = timed(() => f.hvp(x, u, hv));
    const hand = timed(() => handGradient(x, hg));
    handHvp(x, u, hh);
    const valueError = Math.abs(value.result - handValue(x)) / Math.abs(handValue(x));
    rows.push(figure(group, c, 'value: 1st call, best of 5 more', value.text), figure(group, c, 'grad: 1st call, best of 5 more', first.text), figure(group, c, 'hvp: 1st call, best of 5 more', hvp.text), figure(group, c, 'hand gradient: 1st call, best of 5 more', hand.text), figure(group, c, 'rel error: value; gradient, hvp vs hand', `${valueError.toExponential(1)}; ${maxRelError(g, hg).toExponential(1)}, ${maxRelError(hv, hh).toExponential(1)}`));
    // Drop the graph: the compiled functions keep only the plan's typed arrays. WeakRef targets
    // (the intern table's nodes) stay alive until the current job ends: let it end first.
    p = undefined;
    await new Promise((resolve) => setImmediate(resolve));
    rows.push(figure(group, c, 'memory with only the compiled object', memory()));
    const check = f.grad(x, g).value;
    rows.push(figure(group, c, 'grad after dropping the graph: same value', String(check === first.result.value)));
    // resourceUsage().maxRSS is in kilobytes.
    rows.push(figure(group, c, 'peak resident set (maxRSS) of the process', gib(process.resourceUsage().maxRSS * 1024)));
    return rows;
}
