/**
 * Benchmark (issue 4): Jacobians through `compile(p).jacobian(x)` on the dense shapes of
 * `jacobian.ts` ((n, m) = (1000,10), (10,1000), (300,300), (1,1000), (1000,1)): the default mode
 * (`textbookChoice`: n jvp passes against one value pass and m reverse passes, each estimated
 * by the compiled passes' constants of `jacobian/cost.ts`) against the same program compiled with `mode: 'forward'` and
 * `mode: 'reverse'`, all three timed in the same interleaved rounds. Target: auto within 1.15× of
 * the better forced mode. The interpreted `jacobian(p, point)` of issue 3 (auto mode, 16-lane
 * sweeps) is timed beside them.
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js compile
 */
import { jacobian } from '../src/jacobian/index.js';
import { bounded, compare, count, figure, ratio, seconds } from './harness.js';
import { compiled } from './compile-util.js';
import { denseProgram } from './jacobian.js';
import { namesOf } from './programs.js';
const group = 'compile';
function shape(n, m, settings) {
    const c = `jacobian (${n},${m})`;
    settings.log(`compile: ${c}`);
    const p = denseProgram(n, m);
    const names = namesOf('x', n);
    const { f, seconds: compileTime } = compiled(p, { wrt: names });
    const { f: fwd } = compiled(p, { wrt: names, mode: 'forward' });
    const { f: rev } = compiled(p, { wrt: names, mode: 'reverse' });
    const x = Float64Array.from({ length: n }, (_, j) => Math.cos(j + 1));
    const point = Object.fromEntries(names.map((name, j) => [name, x[j]]));
    const J = new Float64Array(m * n);
    const JF = new Float64Array(m * n);
    const JR = new Float64Array(m * n);
    const values = new Float64Array(m);
    const auto = () => f.jacobian(x, J, values).mode;
    const forward = () => fwd.jacobian(x, JF, values).mode;
    const reverse = () => rev.jacobian(x, JR, values).mode;
    const interpreted = () => {
        const r = jacobian(p, point);
        if (r._tag === 'Left')
            throw new Error(r.left.message);
        return r.right;
    };
    const mode = auto();
    forward();
    reverse();
    let diff = 0;
    for (let k = 0; k < m * n; k++)
        diff = Math.max(diff, Math.abs(J[k] - JF[k]), Math.abs(J[k] - JR[k]));
    // The wrong mode takes up to a thousand passes per call: fewer rounds, and no untimed call before
    // each sample (the caches matter little at that length).
    const [tAuto, tFwd, tRev, tInt] = compare([
        { name: 'auto', run: auto },
        { name: 'forward', run: forward },
        { name: 'reverse', run: reverse },
        { name: 'interpreted jacobian', run: interpreted },
    ], { ...settings.timing, minTime: 0.5, minSamples: 5, rewarm: false });
    const best = Math.min(tFwd.median, tRev.median);
    const faster = tFwd.median <= tRev.median ? 'forward' : 'reverse';
    return [
        figure(group, c, 'nodes; stored, templates, steps', `${count(f.stats.nodes)}; ${count(f.stats.stored)}, ${f.stats.templates}, ${count(f.stats.steps)}`),
        figure(group, c, 'compile (first call, with tapeFor)', seconds(compileTime)),
        figure(group, c, 'auto vs forced modes, max |diff|', diff.toExponential(1)),
        figure(group, c, 'auto chose; faster forced', `${mode}; ${faster}`),
        figure(group, c, 'auto, forward, reverse', `${seconds(tAuto.median)}, ${seconds(tFwd.median)}, ${seconds(tRev.median)}`),
        bounded(group, c, 'auto/best', tAuto.median / best, 1.15),
        figure(group, c, 'wrong/best', ratio(Math.max(tFwd.median, tRev.median) / best)),
        figure(group, c, 'interpreted jacobian (auto); /compiled auto', `${seconds(tInt.median)}; ${ratio(tInt.median / tAuto.median)}`),
    ];
}
/** Every shape of issue 3 (smaller with `--quick`). */
export function runCompiledJacobian(settings) {
    const shapes = settings.quick
        ? [[300, 10], [10, 300], [100, 100], [1, 300], [300, 1]]
        : [[1000, 10], [10, 1000], [300, 300], [1, 1000], [1000, 1]];
    return shapes.flatMap(([n, m]) => shape(n, m, settings));
}
