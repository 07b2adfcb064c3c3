/**
 * Forward-over-reverse on a tape: the shared engine of `hvp` and `hessian`.
 *
 * One compiled `jvp` sweep carries the values v and the tangents t = ∂v/∂x · d along a direction
 * d (seeded on the `wrt` slots); then one compiled `hvp` sweep runs back-propagation over dual
 * numbers: the adjoints g (with g[output] = 1) and their tangents h (h[output] = 0). Afterwards
 * g at the `wrt` slots is the gradient and h there is H·d, the document's
 * H v = ∇ₓ[(∇ₓ f)ᵀ v]. Both sweeps are a small constant times one gradient, whatever n is.
 *  *
 * @example
 * const r = prepare(program, { x: 1, y: 2 }, ['x', 'y'])   // Right({ tape, values })
 * const work = workspace(tape)
 * hvpSweep(tape, values, Float64Array.of(1, 0), work)
 * atWrt(tape, work.h)   // the first column of the Hessian
 */
import * as E from 'fp-ts/lib/Either.js';
import { getForwardKernels } from '../forward/kernels.js';
import { getValueKernels } from '../tape/kernels.js';
import { wrtTape } from '../tape/names.js';
import { badArgument, loadPoint } from '../tape/point.js';
import { getHvpKernels } from './kernels.js';
/** Fresh arrays for `tape`. */
export const workspace = (tape) => ({
    t: new Float64Array(tape.size),
    g: new Float64Array(tape.size),
    h: new Float64Array(tape.size),
});
/**
 * Checks that `program` is scalar and that `wrt` names distinct variables of it (see
 * `checkWrt`), and loads `point`. `what` names the caller in the error message.
 */
export function prepare(program, point, wrt, what) {
    if (program.outputs.length !== 1) {
        return E.left(badArgument(`${what} needs a program with one output; this one has ${program.outputs.length}`));
    }
    return E.chain((tape) => E.map((values) => ({ tape, values }))(loadPoint(tape, point, program)))(wrtTape(program, wrt));
}
/**
 * One Hessian-vector product: `direction` has one entry per `wrt` name. Writes the values into
 * `values` and the sweeps' arrays into `work`; read the results with `atWrt(tape, work.g)`
 * (gradient) and `atWrt(tape, work.h)` (H·direction). The fast sweeps first; when the gradient or
 * the product is not finite, the careful ones (0·∞ = 0 in every product), as every mode does.
 */
export function hvpSweep(tape, values, direction, work) {
    sweepOnce(tape, values, direction, work, false);
    if (!finiteAtWrt(tape, work.g) || !finiteAtWrt(tape, work.h))
        sweepOnce(tape, values, direction, work, true);
}
function sweepOnce(tape, values, direction, work, careful) {
    const forward = getForwardKernels(careful);
    const reverse = getHvpKernels(careful);
    const { t, g, h } = work;
    t.fill(0);
    g.fill(0);
    h.fill(0);
    const slots = tape.wrtSlots;
    for (let j = 0; j < slots.length; j++)
        if (slots[j] >= 0)
            t[slots[j]] = direction[j];
    forward.jvp(tape.op, tape.a0, tape.a1, values, t, tape.leaves, tape.size);
    g[tape.outputs[0]] = 1;
    reverse.hvp(tape.op, tape.a0, tape.a1, values, t, g, h, tape.activeOrder, tape.activeOrder.length);
}
function finiteAtWrt(tape, a) {
    for (const s of tape.wrtSlots)
        if (s >= 0 && !Number.isFinite(a[s]))
            return false;
    return true;
}
/** Values from the compiled forward sweep only (when no Hessian-vector product is needed). */
export function forwardOnly(tape, values) {
    getValueKernels().forward(tape.op, tape.a0, tape.a1, values, tape.leaves, tape.size);
}
/** The entries of a slot-indexed array at the `wrt` slots (0 for names not in the program). */
export function atWrt(tape, a) {
    const out = new Float64Array(tape.wrtSlots.length);
    for (let j = 0; j < out.length; j++)
        out[j] = tape.wrtSlots[j] >= 0 ? a[tape.wrtSlots[j]] : 0;
    return out;
}
