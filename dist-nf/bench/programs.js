/**
 * Programs without repeated structure for the compile benchmarks, all seeded and deterministic:
 *
 * - `randomDag(nodes, seed)`: a random DAG drawn from the rule table, in the manner of the
 *   property-test generator of the core issue. A pool starts with V variables; each step applies a
 *   random op of `opTags` to random entries (one per argument) among the newest `window` (now and
 *   then a variable), each argument mapped into the op's sample domain with `lo + (hi − lo)·sigmoid(s)`.
 *   Ops whose output is never larger in magnitude than their inputs (bounded ones such as `sin`,
 *   or `relu`, `max`, …) take an argument with an unrestricted domain raw half of the time, so
 *   values stay finite however deep the graph. The output is the sum of the newest `tail` nodes.
 * - `singleUseChain(nodes, seed)`: t = op_k(t), ops drawn from {sin, tanh, atan, sinh, expm1,
 *   log1p}: every link is read once, so the checkpoint interval decides what is stored. The ops
 *   are balanced so that |t| stays below 2 and every adjoint stays a normal number.
 * - `rereadChain(nodes, seed)`: t = t + 0.1·op_k(t), op_k ∈ {sin, cos, tanh, atan, sigmoid}: each
 *   t is read twice, by the next link, which holds it in its tree when the interval leaves room
 *   (one such t per tree: every other t is stored).
 *
 * Why not t = 0.9·op_k(t) + 0.1·t: each link multiplies the adjoint by 0.9·op′ + 0.1 < 1, and over
 * 3·10^4 links the adjoint of the early links falls to about 10^−8000: zero after a stretch of
 * subnormal numbers, so a reverse sweep would skip most of the chain (and run slowly through the
 * subnormals). The links above keep every adjoint between 10^−22 and 10^1.
 *
 * @example
 * const p = randomDag(100_000, 1)   // about 10^5 tape slots over 32 variables
 */
import { variable } from '../src/expr/node.js';
import { program } from '../src/expr/program.js';
import { apply, build } from '../src/ops/build.js';
import { table } from '../src/ops/table.js';
import { opTags } from '../src/ops/tags.js';
/** A deterministic stream of numbers in [0, 1) (a linear congruential generator). */
export function uniform(seed) {
    let s = (seed * 2654435761) >>> 0;
    return () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}
/** `prefix`1 .. `prefix`n, in that order (the order of an input vector). */
export const namesOf = (prefix, n) => Array.from({ length: n }, (_, j) => `${prefix}${j + 1}`);
// -------------------------------------------------------------------------------------------------
// Random DAG
// -------------------------------------------------------------------------------------------------
/** Ops whose output is no larger in magnitude than their arguments (or bounded): raw arguments are safe. */
const rawOk = new Set(['sin', 'cos', 'atan', 'tanh', 'sigmoid', 'sign', 'relu', 'abs', 'neg', 'max', 'min', 'stop_gradient']);
/**
 * A random DAG of about `nodes` applications over `variables` inputs x1..xV (the benchmarks print
 * the exact tape size). No node is left unread: an entry about to leave the window is taken as
 * the first argument of the next step, so the whole DAG is live.
 */
export function randomDag(nodes, seed, options = {}) {
    const vars = options.variables ?? 32;
    const window = options.window ?? 50;
    const tail = options.tail ?? 100;
    const rand = uniform(seed);
    const pick = (k) => Math.floor(rand() * k);
    const xs = namesOf('x', vars).map((n) => variable(n));
    const pool = [...xs];
    const read = xs.map(() => true);
    // Distinct applications made so far (the mapping nodes of an entry are shared by its readers).
    const made = new Set();
    const note = (n) => {
        if (n._tag === 'apply')
            made.add(n.id);
        return n;
    };
    const into = (n, lo, hi) => note(build.add(lo, note(build.mul(hi - lo, note(build.sigmoid(n))))));
    while (made.size < nodes) {
        const tag = opTags[pick(opTags.length)];
        const rule = table[tag];
        const edge = pool.length - window;
        const args = [];
        for (let k = 0; k < rule.arity; k++) {
            const i = k === 0 && edge >= 0 && !read[edge] ? edge : rand() < 0.05 ? pick(vars) : pool.length - 1 - pick(Math.min(window, pool.length));
            read[i] = true;
            const [lo, hi] = rule.domain[k];
            args.push(lo <= -3 && hi >= 3 && rawOk.has(tag) && rand() < 0.5 ? pool[i] : into(pool[i], lo, hi));
        }
        pool.push(note(apply(tag, args)));
        read.push(false);
    }
    let sum = pool[pool.length - 1];
    for (let k = 2; k <= Math.min(tail, pool.length - vars); k++)
        sum = build.add(sum, pool[pool.length - k]);
    // A function of x1..x_vars, even when a small DAG reads only some of them.
    return program([sum], { variables: namesOf('x', vars) });
}
// -------------------------------------------------------------------------------------------------
// Chains
// -------------------------------------------------------------------------------------------------
const singleUseOps = ['sin', 'tanh', 'atan', 'sinh', 'sinh', 'sinh', 'expm1', 'log1p'];
/** t = op_k(t) from t = 0.5·x, `nodes` links, each read once. */
export function singleUseChain(nodes, seed) {
    const rand = uniform(seed);
    let t = build.mul(0.5, variable('x'));
    for (let k = 1; k < nodes; k++)
        t = build[singleUseOps[Math.floor(rand() * singleUseOps.length)]](t);
    return program([t]);
}
const rereadOps = ['sin', 'cos', 'tanh', 'atan', 'sigmoid'];
/** t = t + 0.1·op_k(t) from t = 0.5·x, about `nodes` nodes (three per link; t read twice). */
export function rereadChain(nodes, seed) {
    const rand = uniform(seed);
    let t = build.mul(0.5, variable('x'));
    for (let k = 0; k < nodes / 3; k++)
        t = build.add(t, build.mul(0.1, build[rereadOps[Math.floor(rand() * rereadOps.length)]](t)));
    return program([t]);
}
