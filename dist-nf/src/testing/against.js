/**
 * `checkAgainst`: a fast-check property that a hand-written gradient or Jacobian agrees with the
 * toolkit's at random points. The toolkit differentiates the program in reverse mode; the
 * hand-written function returns the gradient (a record by variable, or a list in `wrt` order) of a
 * program with one output, or the Jacobian (rows by output, columns in `wrt` order) of a program
 * with several. When they disagree, the property throws an error whose message shows the point,
 * both derivatives side by side, the errors and the worst entry; fast-check shrinks the point and
 * prints that message for the smallest counterexample.
 *
 * @example
 * import fc from 'fast-check'
 * import { parse, orThrow } from 'chainrule'
 * import { arbitraryPoint, checkAgainst } from 'chainrule/testing'
 * const f = orThrow(parse('x*x*y'))
 * const mine = ({ x = 0, y = 0 }) => ({ x: 2 * x * y, y: x * x })
 * fc.assert(checkAgainst(mine, f, arbitraryPoint(['x', 'y'])))    // passes: the hand-written gradient is right
 */
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { jacobian } from '../jacobian/index.js';
import { compareEntry, formatTable, formatWorst, showPoint, toleranceOf, worstEntries } from './compare.js';
/** Compares `handWritten(point)` with the toolkit's derivative; the failure message when they differ, else undefined. */
export function compareAgainst(handWritten, program, point, options = {}) {
    const tol = toleranceOf(options);
    const wrt = options.wrt ?? program.variables;
    const J = jacobian(program, point, { wrt, mode: 'reverse', sparse: false });
    if (E.isLeft(J))
        return `chainrule could not differentiate the program at ${showPoint(point)}: ${J.left.message}`;
    const theirs = J.right.jacobian;
    const yours = rowsOf(handWritten(point), wrt, program.outputs.length);
    if (typeof yours === 'string')
        return `the hand-written derivative at ${showPoint(point)} ${yours}`;
    const entries = [];
    theirs.forEach((row, i) => row.forEach((t, j) => entries.push(compareEntry({ output: i, variable: wrt[j], index: [i, j], mode: 'reverse' }, yours[i][j], t, tol))));
    const worst = worstEntries(entries, options.show ?? 5);
    if (worst.length === 0)
        return undefined;
    const labels = ['yours', 'chainrule'];
    const what = program.outputs.length === 1 ? 'gradient' : 'Jacobian';
    return [
        `the hand-written ${what} differs from chainrule's at ${showPoint(point)}: ${entries.filter((e) => !e.ok).length} of ${entries.length} entries`,
        `(|yours − chainrule| ≤ ${tol.atol} + ${tol.rtol}·|chainrule|)`,
        '',
        formatTable(worst, labels),
        '',
        formatWorst(worst[0], labels),
    ].join('\n');
}
/** The hand-written result as rows × wrt, or what is wrong with it. */
function rowsOf(r, wrt, outputs) {
    const isNumber = (v) => typeof v === 'number';
    if (Array.isArray(r)) {
        if (r.every(Array.isArray)) {
            const rows = r;
            if (rows.length !== outputs || rows.some((row) => row.length !== wrt.length || !row.every(isNumber)))
                return `should be ${outputs} rows of ${wrt.length} numbers`;
            return rows.map((row) => [...row]);
        }
        if (outputs !== 1 || r.length !== wrt.length || !r.every(isNumber))
            return `should be a list of ${wrt.length} numbers (in the order ${wrt.join(', ')})`;
        return [[...r]];
    }
    if (typeof r !== 'object' || r === null || outputs !== 1)
        return outputs === 1 ? 'should be a record of the gradient or a list of numbers' : `should be ${outputs} rows (a Jacobian)`;
    const rec = r;
    const missing = wrt.filter((n) => !isNumber(rec[n]));
    if (missing.length > 0)
        return `has no number for ${missing.join(', ')}`;
    return [wrt.map((n) => rec[n])];
}
/**
 * A fast-check property: at every point `arbitraryPoint` draws, `handWritten` agrees with the
 * toolkit's gradient (one output) or Jacobian (several) of `program`. Run it with `fc.assert`.
 */
export function checkAgainst(handWritten, program, arbitraryPoint, options = {}) {
    toleranceOf(options);
    return fc.property(arbitraryPoint, (point) => {
        const failure = compareAgainst(handWritten, program, point, options);
        if (failure !== undefined)
            throw new Error(failure);
    });
}
