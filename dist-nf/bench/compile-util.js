/**
 * Helpers shared by the compile benchmarks: a timed `compile`, relative errors, the stats rows.
 *
 * @example
 * const { f, seconds } = compiled(p, { wrt: namesOf('x', n) })
 */
import { compile } from '../src/compile/index.js';
import { count, figure, once, seconds } from './harness.js';
const group = 'compile';
/** `compile`, timed, throwing on an error (the benchmarks' programs have no missing variables). */
export function compiled(p, options) {
    const r = once(() => compile(p, options));
    if (r.result._tag === 'Left')
        throw new Error(r.result.left.message);
    return { f: r.result.right, seconds: r.seconds };
}
/** Largest |a − b| / max(1, |b|). */
export function maxRelError(a, b) {
    let worst = 0;
    for (let j = 0; j < b.length; j++) {
        const e = Math.abs(a[j] - b[j]) / Math.max(1, Math.abs(b[j]));
        worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    }
    return worst;
}
/** The stats of a compiled program as rows. */
export function statsRows(c, f, compileSeconds) {
    const s = f.stats;
    return [
        figure(group, c, 'nodes; stored values', `${count(s.nodes)}; ${count(s.stored)}`),
        figure(group, c, 'templates, segments, steps', `${s.templates}, ${count(s.segments)}, ${count(s.steps)}`),
        figure(group, c, 'bytes per node', s.bytesPerNode.toFixed(1)),
        figure(group, c, 'templates read x in place; variables shared', `${s.direct ? 'yes' : 'no'}; ${count(s.shared)}`),
        figure(group, c, 'compile (first call, with tapeFor)', seconds(compileSeconds)),
    ];
}
/** The same program with a fresh outputs array: `tapeFor` misses its cache, so `compile` lays it out again. */
export const fresh = (p) => ({ ...p, outputs: Object.freeze(p.outputs.slice()) });
