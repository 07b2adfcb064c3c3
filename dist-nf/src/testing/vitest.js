/**
 * Vitest matchers for derivatives (`chainrule/vitest`). Register them once, in a test file or a
 * setup file, with `expect.extend(derivativeMatchers)`; importing this module has no other effect
 * and needs vitest only for its types.
 *
 * - `expect(f).toHaveGradientAt(point, expected, { atol, rtol })`: the toolkit's gradient of `f`
 *   (a program with one output, at a record point; or a function over `M<T>`, at a list of
 *   numbers) equals `expected` (a record of some of the variables, or a list of all of them in
 *   argument order).
 * - `expect(f).toPassGradcheck(point, options)`: `gradcheck(f, point, options)` is `Right`.
 *
 * A failure prints the point, the expected and the computed gradient side by side, the absolute
 * and relative errors, and the worst entry (or `gradcheck`'s report).
 *
 * @example
 * // in a test file:  expect.extend(derivativeMatchers)
 * import { parse, orThrow } from 'chainrule'
 * import { derivativeMatchers } from 'chainrule/vitest'
 * const r = derivativeMatchers.toHaveGradientAt.call({ isNot: false }, orThrow(parse('x*y')), { x: 2, y: 3 }, { x: 3, y: 2 })
 * r.pass   // → true
 */
import * as E from 'fp-ts/lib/Either.js';
import { grad } from '../reverse/index.js';
import { compareEntry, formatTable, formatWorst, showPoint, toleranceOf, worstEntries } from './compare.js';
import { gradcheck, programPoint, traceFunction } from './gradcheck.js';
const isProgram = (x) => typeof x === 'object' && x !== null && x._tag === 'program';
const notACheckable = (received) => ({
    pass: false,
    message: () => `expected a chainrule Program or a function over M<T>, got ${received === null ? 'null' : typeof received}`,
});
/** The gradient of `f` at `point`, by name, and the point as a record. */
function gradientOf(f, point) {
    if (typeof f === 'function') {
        if (!Array.isArray(point))
            return 'a function over M<T> takes its point as a list of numbers';
        const t = traceFunction(f, point);
        if (E.isLeft(t))
            return t.left.message;
        const g = grad(t.right.traced, programPoint(t.right));
        // An argument the function never reads has derivative 0.
        return E.isLeft(g) ? g.left.message : { gradient: Object.fromEntries(t.right.names.map((n) => [n, g.right.gradient[n] ?? 0])), point: t.right.point };
    }
    if (Array.isArray(point))
        return 'a program takes its point as a record of its variables';
    const g = grad(f, point);
    return E.isLeft(g) ? g.left.message : { gradient: { ...g.right.gradient }, point: point };
}
function compareGradient(expected, got, options) {
    const tol = toleranceOf(options);
    const names = Object.keys(got.gradient);
    const want = Array.isArray(expected) ? Object.fromEntries(names.map((n, i) => [n, expected[i] ?? NaN])) : { ...expected };
    const extra = Object.keys(want).filter((n) => !names.includes(n));
    if (extra.length > 0)
        return { entries: [], problem: `expected names ${extra.join(', ')}, which are not variables (the variables: ${names.join(', ')})` };
    if (Array.isArray(expected) && expected.length !== names.length)
        return { entries: [], problem: `expected ${expected.length} numbers, but the gradient has ${names.length} (${names.join(', ')})` };
    // A record checks the variables it names; a list, all of them.
    return { entries: names.flatMap((n, j) => (n in want ? [compareEntry({ output: 0, variable: n, index: [0, j], mode: 'reverse' }, got.gradient[n], want[n], tol)] : [])) };
}
/** The matchers, for `expect.extend(derivativeMatchers)`. */
export const derivativeMatchers = {
    toHaveGradientAt(received, point, expected, options = {}) {
        if (!isProgram(received) && typeof received !== 'function')
            return notACheckable(received);
        const got = gradientOf(received, point);
        if (typeof got === 'string')
            return { pass: false, message: () => `chainrule could not compute the gradient: ${got}` };
        const { entries, problem } = compareGradient(expected, got, options);
        if (problem !== undefined)
            return { pass: false, message: () => problem };
        const worst = worstEntries(entries, entries.length);
        const pass = worst.length === 0;
        const labels = ['chainrule', 'expected'];
        const tol = toleranceOf(options);
        return {
            pass,
            actual: got.gradient,
            expected,
            message: () => pass
                ? `expected the gradient at ${showPoint(got.point)} not to be ${JSON.stringify(expected)} (within atol ${tol.atol}, rtol ${tol.rtol}), but it is`
                : [
                    `expected the gradient at ${showPoint(got.point)} to be the expected one (|chainrule − expected| ≤ ${tol.atol} + ${tol.rtol}·|expected|): ${worst.length} of ${entries.length} entries differ`,
                    '',
                    formatTable(entries, labels),
                    '',
                    formatWorst(worst[0], labels),
                ].join('\n'),
        };
    },
    toPassGradcheck(received, point, options = {}) {
        if (!isProgram(received) && typeof received !== 'function')
            return notACheckable(received);
        const r = typeof received === 'function' ? gradcheck(received, point, options) : gradcheck(received, point, options);
        if (E.isLeft(r))
            return { pass: false, message: () => r.left.message };
        return { pass: true, message: () => `expected gradcheck to fail at ${showPoint(r.right.point)}, but all ${r.right.entries} derivatives agree with central differences` };
    },
};
