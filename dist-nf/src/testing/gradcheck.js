/**
 * `gradcheck`: the toolkit's derivatives of a function, checked against central finite
 * differences, in each mode (what `torch.autograd.gradcheck` and JAX's `check_grads` do).
 *
 * The function may be a `Program` (a parsed or built one, or a traced function: a `Traced` is a
 * `Program`), checked at a point given as a record; or a function written over the number system
 * `M<T>`, checked at a point given as a list of numbers, one per argument. A program's forward and
 * reverse Jacobians come from `jacobian` in each mode; a generic function's forward derivatives
 * come from running it on dual numbers, its reverse ones from tracing it. With `order: 2`, second
 * derivatives too: the Hessian of each output (forward over reverse for a program, nested dual
 * numbers for a function) against central differences of its gradient.
 *
 * The result is an `Either`: `Right` a summary when every entry is within atol + rtol·|numeric|,
 * `Left` a report of the worst entries (a `GradcheckFailure`, whose message prints the point, both
 * derivatives side by side, the errors and the worst entry, and names any operation whose own local
 * partials disagree with differences of its own evaluation), or a `GradcheckError` when a
 * derivative could not be computed at all (an operation without a derivative, a bad point).
 *
 * @example
 * import { parse, orThrow, isRight } from 'chainrule'
 * import { gradcheck } from 'chainrule/testing'
 * const r = gradcheck(orThrow(parse('x*sin(y)')), { x: 2, y: 1 })
 * isRight(r)                                      // → true
 * isRight(r) && r.right.entries                   // → 4   two variables, two modes
 *
 * @example
 * import { isRight, type M } from 'chainrule'
 * import { gradcheck } from 'chainrule/testing'
 * const f = <T>(m: M<T>, x: T, y: T): T => m.mul(m.exp(x), m.cos(y))
 * isRight(gradcheck(f, [0.5, 2], { order: 2 }))   // → true
 */
import * as E from 'fp-ts/lib/Either.js';
import { topoOrder } from '../expr/graph.js';
import { program as makeProgram } from '../expr/program.js';
import { evaluate } from '../forward/index.js';
import { hessian } from '../hvp/index.js';
import { jacobian } from '../jacobian/index.js';
import { nodes } from '../ops/build.js';
import { dual, dualOf } from '../ops/dual.js';
import { mathOf, numbers, partialsIn, partialValue } from '../ops/math.js';
import { grad } from '../reverse/index.js';
import { trace } from '../trace/index.js';
import { compareEntry, formatTable, formatWorst, largestExcess, show, showPoint, toleranceOf, worstEntries } from './compare.js';
import { ruleNamed } from './rules.js';
export function gradcheck(f, point, options = {}) {
    const settings = settingsOf(options);
    if (typeof f === 'function') {
        if (!Array.isArray(point))
            throw new RangeError('a function over M<T> is checked at a list of numbers, one per argument');
        return checkFunction(f, point, settings);
    }
    if (Array.isArray(point))
        throw new RangeError('a program is checked at a point given as a record of its variables');
    return checkProgram(f, point, settings);
}
function settingsOf(o) {
    const eps = o.eps ?? 1e-6;
    if (!(Number.isFinite(eps) && eps > 0))
        throw new RangeError(`eps must be a finite number > 0, not ${String(eps)}`);
    const order = o.order ?? 1;
    if (order !== 1 && order !== 2)
        throw new RangeError(`order must be 1 or 2, not ${String(order)}`);
    const modes = o.modes ?? ['forward', 'reverse'];
    if (modes.length === 0 || modes.some((m) => m !== 'forward' && m !== 'reverse'))
        throw new RangeError(`modes must be some of 'forward' and 'reverse', not ${JSON.stringify(modes)}`);
    return { tol: toleranceOf(o), eps, order, modes, wrt: o.wrt, show: o.show ?? 5 };
}
const stepAt = (x, eps) => eps * Math.max(1, Math.abs(x));
function conclude(s, c) {
    if (E.isLeft(c))
        return c;
    const { entries, point } = c.right;
    const failing = entries.filter((e) => !e.ok);
    if (failing.length === 0) {
        return E.right({
            _tag: 'GradcheckSummary',
            point,
            order: s.order,
            modes: s.modes,
            entries: entries.length,
            maxAbsError: Math.max(0, ...entries.map((e) => e.absError)),
            maxRelError: Math.max(0, ...entries.map((e) => e.relError)),
            closest: largestExcess(entries),
        });
    }
    const worst = worstEntries(entries, s.show);
    const suspects = localSuspects(c.right.program, point, s);
    const failure = { _tag: 'GradcheckFailure', point, order: s.order, tolerance: s.tol, eps: s.eps, worst, entries: entries.length, failed: failing.length, suspects };
    return E.left({ ...failure, message: formatFailure(failure) });
}
const cannotRun = (point, error) => {
    const typed = typedErrorOf(error);
    const message = `gradcheck could not differentiate at ${showPoint(point)}: ${typed?.message ?? (error instanceof Error ? error.message : String(error))}`;
    return typed === undefined ? { _tag: 'GradcheckError', point, message } : { _tag: 'GradcheckError', point, error: typed, message };
};
/** The typed error carried by a value or a thrown error (a `ChainruleError`'s `.error`), if any. */
function typedErrorOf(e) {
    const carried = typeof e === 'object' && e !== null && 'error' in e ? e.error : e;
    if (typeof carried === 'object' && carried !== null && typeof carried._tag === 'string' && typeof carried.message === 'string')
        return carried;
    return undefined;
}
// -------------------------------------------------------------------------------------------------
// Programs
// -------------------------------------------------------------------------------------------------
function checkProgram(p, point, s) {
    return conclude(s, programEntries(p, point, s));
}
function programEntries(p, point, s) {
    const wrt = s.wrt ?? p.variables;
    const fail = (e) => E.left(cannotRun(point, e));
    const base = evaluate(p, point);
    if (E.isLeft(base))
        return fail(base.left);
    const valuesAt = (name, x) => {
        const r = evaluate(p, { ...point, [name]: x });
        return E.isLeft(r) ? r.left : r.right.values;
    };
    // Central differences, one column per variable.
    const numeric = p.outputs.map(() => []);
    for (const [j, name] of wrt.entries()) {
        const x = point[name] ?? 0;
        const h = stepAt(x, s.eps);
        const plus = valuesAt(name, x + h);
        const minus = valuesAt(name, x - h);
        if (!Array.isArray(plus))
            return fail(plus);
        if (!Array.isArray(minus))
            return fail(minus);
        p.outputs.forEach((_, i) => (numeric[i][j] = (plus[i] - minus[i]) / (2 * h)));
    }
    const entries = [];
    for (const mode of s.modes) {
        const J = jacobian(p, point, { wrt, mode, sparse: false });
        if (E.isLeft(J))
            return fail(J.left);
        J.right.jacobian.forEach((row, i) => row.forEach((a, j) => entries.push(compareEntry({ output: i, variable: wrt[j], index: [i, j], mode }, a, numeric[i][j], s.tol))));
    }
    if (s.order === 2) {
        for (const [i, out] of p.outputs.entries()) {
            const pi = makeProgram([out], { variables: p.variables });
            const H = hessian(pi, point, { wrt });
            if (E.isLeft(H))
                return fail(H.left);
            for (const [c, col] of wrt.entries()) {
                const x = point[col] ?? 0;
                const h = stepAt(x, s.eps);
                const gPlus = grad(pi, { ...point, [col]: x + h }, wrt);
                const gMinus = grad(pi, { ...point, [col]: x - h }, wrt);
                if (E.isLeft(gPlus))
                    return fail(gPlus.left);
                if (E.isLeft(gMinus))
                    return fail(gMinus.left);
                for (const [r, row] of wrt.entries()) {
                    const fd = ((gPlus.right.gradient[row] ?? 0) - (gMinus.right.gradient[row] ?? 0)) / (2 * h);
                    entries.push(compareEntry({ output: i, variable: `${row}, ${col}`, index: [i, r, c], mode: 'forward-over-reverse' }, H.right.hessian[r][c], fd, s.tol));
                }
            }
        }
    }
    return E.right({ entries, program: p, point });
}
// -------------------------------------------------------------------------------------------------
// Functions over M<T>
// -------------------------------------------------------------------------------------------------
const asList = (r) => (Array.isArray(r) ? r : [r]);
const D1 = dualOf(numbers);
const D2 = dualOf(D1);
/** Traces `f` with one scalar argument per entry of `xs` (named x, y, z, or x0, x1, … for four or more). */
export function traceFunction(f, xs) {
    const traced = trace((...args) => asList(f(mathOf(nodes), ...args)), { args: xs.map(() => []) });
    if (E.isLeft(traced))
        return traced;
    const names = traced.right.args;
    return E.right({ traced: traced.right, names, point: Object.fromEntries(names.map((n, i) => [n, xs[i]])) });
}
/** The point of a traced function restricted to the variables its program reads. */
export const programPoint = (t) => Object.fromEntries(t.traced.variables.map((n) => [n, t.point[n]]));
function checkFunction(f, xs, s) {
    const t = traceFunction(f, xs);
    if (E.isLeft(t))
        return E.left(cannotRun({}, t.left));
    try {
        return conclude(s, functionEntries(f, t.right, xs, s));
    }
    catch (e) {
        return E.left(cannotRun(t.right.point, e));
    }
}
function functionEntries(f, t, xs, s) {
    const { traced, names, point } = t;
    const run = (num, args) => asList(f(mathOf(num), ...args));
    const shifted = (j, d) => xs.map((x, k) => (k === j ? x + d : x));
    // Forward mode on the function itself: one dual evaluation per argument.
    const forwardColumn = (at, j) => run(D1, at.map((x, k) => dual(x, k === j ? 1 : 0))).map((d) => d.tangent);
    const numeric = xs.map((x, j) => {
        const h = stepAt(x, s.eps);
        const plus = run(numbers, shifted(j, h));
        const minus = run(numbers, shifted(j, -h));
        return plus.map((v, i) => (v - minus[i]) / (2 * h));
    });
    const entries = [];
    const outputs = traced.outputs.length;
    for (const mode of s.modes) {
        let column;
        if (mode === 'forward')
            column = (j) => forwardColumn(xs, j);
        else {
            // Reverse mode on the traced program; an argument the function never reads has derivative 0.
            const wrt = traced.variables;
            const J = jacobian(traced, programPoint(t), { wrt, mode: 'reverse', sparse: false });
            if (E.isLeft(J))
                return E.left(cannotRun(point, J.left));
            const rows = J.right.jacobian;
            column = (j) => rows.map((row) => (wrt.includes(names[j]) ? row[wrt.indexOf(names[j])] : 0));
        }
        xs.forEach((_, j) => column(j).forEach((a, i) => entries.push(compareEntry({ output: i, variable: names[j], index: [i, j], mode }, a, numeric[j][i], s.tol))));
    }
    if (s.order === 2) {
        // Nested duals: the inner tangent along `r`, the outer along `c`; against central differences
        // (along c) of the forward-mode gradient.
        xs.forEach((_, r) => xs.forEach((xc, c) => {
            const nested = run(D2, xs.map((x, k) => dual(dual(x, k === r ? 1 : 0), dual(k === c ? 1 : 0, 0))));
            const h = stepAt(xc, s.eps);
            const plus = forwardColumn(shifted(c, h), r);
            const minus = forwardColumn(shifted(c, -h), r);
            for (let i = 0; i < outputs; i++) {
                const fd = (plus[i] - minus[i]) / (2 * h);
                entries.push(compareEntry({ output: i, variable: `${names[r]}, ${names[c]}`, index: [i, r, c], mode: 'nested duals' }, nested[i].tangent.tangent, fd, s.tol));
            }
        }));
    }
    return E.right({ entries, program: traced, point });
}
// -------------------------------------------------------------------------------------------------
// Suspects: each operation's own partials against differences of its own evaluation
// -------------------------------------------------------------------------------------------------
/**
 * The operations of `p` whose local partial at the arguments they see at `point` disagrees with
 * central differences of the operation's evaluation: one suspect per (operation, argument), the
 * worst. Operations at (or within a few steps of) a kink are skipped, as are tensor operations.
 */
export function localSuspects(p, point, s) {
    const value = new Map();
    const found = new Map();
    for (const n of topoOrder(p.outputs)) {
        if (n._tag === 'var')
            value.set(n, point[n.name] ?? NaN);
        else if (n._tag === 'const')
            value.set(n, n.value);
        else {
            const rule = ruleNamed(n.op);
            if (rule === undefined || n.shape.length !== 0)
                return [...found.values()].map((f) => f.suspect);
            const args = n.args.map((a) => value.get(a) ?? NaN);
            const out = rule.fn(args[0], args[1]);
            value.set(n, out);
            if (!args.every(Number.isFinite) || !Number.isFinite(out))
                continue;
            const h = Math.max(...args.map((a) => stepAt(a, s.eps)));
            if (rule.kink !== undefined && rule.kink.distance(args) <= 10 * h)
                continue;
            let partials;
            try {
                partials = partialsIn(numbers, n.op, args, out);
            }
            catch {
                continue;
            }
            partials.forEach((p_, j) => {
                if (p_ === null)
                    return;
                const hj = stepAt(args[j], s.eps);
                const at = (d) => rule.fn(...args.map((a, k) => (k === j ? a + d : a)));
                const fd = (at(hj) - at(-hj)) / (2 * hj);
                const e = compareEntry({ output: 0, variable: String(j), index: [j], mode: n.op }, partialValue(numbers, p_), fd, s.tol);
                const key = `${n.op}#${j}`;
                const prev = found.get(key);
                if (!e.ok && (prev === undefined || e.excess > prev.excess))
                    found.set(key, { suspect: { op: n.op, argument: j, at: args, partial: e.analytic, numeric: fd }, excess: e.excess });
            });
        }
    }
    return [...found.values()].map((f) => f.suspect);
}
// -------------------------------------------------------------------------------------------------
// The message
// -------------------------------------------------------------------------------------------------
/** The failure as people read it: the point, the table of worst entries, the worst one, the suspects. */
export function formatFailure(f) {
    const labels = ['analytic', 'numeric'];
    const what = f.order === 2 ? 'first and second derivatives' : 'first derivatives';
    const lines = [
        `gradcheck failed at ${showPoint(f.point)}: ${f.failed} of ${f.entries} ${what} differ from central differences`,
        `(step ${show(f.eps)}·max(1, |x|), |analytic − numeric| ≤ ${show(f.tolerance.atol)} + ${show(f.tolerance.rtol)}·|numeric|)`,
        '',
        formatTable(f.worst, labels),
        '',
        formatWorst(f.worst[0], labels),
    ];
    for (const s of f.suspects) {
        lines.push(`operation '${s.op}': its partial with respect to argument ${s.argument} at (${s.at.map(show).join(', ')}) is ${show(s.partial)}, but central differences of '${s.op}' itself give ${show(s.numeric)}: its derivative rule is wrong`);
    }
    return lines.join('\n');
}
