/**
 * The toolkit's convention for zeros in compiled programs. Compiled sweeps are the fast ones (IEEE
 * products; zero adjoints and tangents skipped). Where their result is finite it is the careful
 * result too; where it is not (an infinite or NaN partial met a zero: 0·∞), the call is redone by
 * the interpreted careful sweeps, so that a compiled program gives the numbers every other mode
 * gives (0·∞ = 0 in every product of the chain rule). That costs one scan of the result per call,
 * except for the gradient entries that `grad`'s templates check as they assign them
 * (`gradientFinite` in `bind.ts`).
 *
 * @example
 * const f = withCarefulFallback(bound, program, wrt, fixed, params, p)
 * f.grad(x)   // never NaN where the interpreted grad is finite
 */
import * as E from 'fp-ts/lib/Either.js';
import { jvp as interpretedJvp } from '../forward/index.js';
import { hvp as interpretedHvp } from '../hvp/index.js';
import { jacobian as interpretedJacobian } from '../jacobian/index.js';
import { grad as interpretedGrad, vjp as interpretedVjp } from '../reverse/index.js';
import { recordOf } from '../tape/point.js';
import { finite } from './finite.js';
/** The interpreted result, which cannot be a Left here: the names were checked at compile time. */
export function right(r) {
    if (E.isLeft(r))
        throw new RangeError(r.left.message);
    return r.right;
}
export function pointAtOf(wrt, fixed, params) {
    // recordOf defines `__proto__` as an own property, where assigning it would set the prototype.
    const fixedNames = Object.keys(fixed);
    const fixedValues = fixedNames.map((n) => fixed[n]);
    return (x, p) => recordOf([...fixedNames, ...params, ...wrt], [...fixedValues, ...p, ...x]);
}
/**
 * `compiled` with every derivative redone by the careful interpreted sweeps where it is not
 * finite, at the points `pointAt` gives for the call's x and the params `p`. (`grad` and `hvp`
 * of a compiled program refuse several outputs before this runs, so `program` has one there.)
 */
export function withCarefulFallback(compiled, program, wrt, pointAt, p) {
    const { gradientFinite, ...functions } = compiled;
    const record = (v) => Object.fromEntries(wrt.map((name, j) => [name, v[j]]));
    const write = (out, r) => {
        wrt.forEach((name, j) => {
            out[j] = r[name] ?? 0;
        });
    };
    /** `a` itself, or a copy when the call may overwrite it (an output sharing its memory). */
    const keep = (a, ...outs) => (outs.some((o) => o !== undefined && o.buffer === a.buffer) ? a.slice() : a);
    return {
        ...functions,
        grad(x, out) {
            const [x0, p0] = [keep(x, out), keep(p, out)];
            const r = compiled.grad(x, out);
            if (!gradientFinite(r.gradient))
                write(r.gradient, right(interpretedGrad(program, pointAt(x0, p0), wrt)).gradient);
            return r;
        },
        jvp(x, v, out, valuesOut) {
            const [x0, v0, p0] = [keep(x, out, valuesOut), keep(v, out, valuesOut), keep(p, out, valuesOut)];
            const r = compiled.jvp(x, v, out, valuesOut);
            if (!finite(r.tangents))
                r.tangents.set(right(interpretedJvp(program, pointAt(x0, p0), record(v0))).tangents);
            return r;
        },
        vjp(x, w, out, valuesOut) {
            const [x0, w0, p0] = [keep(x, out, valuesOut), keep(w, out, valuesOut), keep(p, out, valuesOut)];
            const r = compiled.vjp(x, w, out, valuesOut);
            if (!finite(r.vjp))
                write(r.vjp, right(interpretedVjp(program, pointAt(x0, p0), Array.from(w0), wrt)).vjp);
            return r;
        },
        jacobian(x, out, valuesOut) {
            const [x0, p0] = [keep(x, out, valuesOut), keep(p, out, valuesOut)];
            const r = compiled.jacobian(x, out, valuesOut);
            if (!finite(r.jacobian)) {
                const rows = right(interpretedJacobian(program, pointAt(x0, p0), { wrt, mode: r.mode, format: 'dense' })).jacobian;
                rows.forEach((row, i) => r.jacobian.set(row, i * wrt.length));
            }
            return r;
        },
        hvp(x, v, out) {
            const [x0, v0, p0] = [keep(x, out), keep(v, out), keep(p, out)];
            const r = compiled.hvp(x, v, out);
            if (!finite(r.hvp))
                write(r.hvp, right(interpretedHvp(program, pointAt(x0, p0), record(v0), { wrt })).hvp);
            return r;
        },
    };
}
