/**
 * The sweep of forward-over-reverse over a tape: a reverse sweep over dual numbers, whose adjoint
 * tangents at the inputs are the Hessian-vector product. Each case's dual partials are generated
 * from the rule table over dual numbers of `Code` (see `tape/kernels.ts` for how kernels are
 * written); the forward sweep that must run first is forward mode's `jvp`.
 *
 * Calling conventions (all arrays indexed by slot):
 * - hvp(op, a0, a1, v, t, g, h, order, count): reverse sweep of the dual adjoints (g, h) given
 *   dual values (v, t); h at the inputs is the Hessian-vector product
 * - hvpAt(op, a0, a1, v, t, g, h, from, to, base): the same over a segment, i = to − 1 … from
 *
 * `careful`: as in the other modes, every product of a partial and an adjoint is zero when either
 * factor is zero (0·∞ = 0), with run-time tests; the evaluators use it when the fast result is not
 * finite.
 *
 * @example
 * getForwardKernels().jvp(op, a0, a1, v, t, leaves, size)
 * g[output] = 1
 * getHvpKernels().hvp(op, a0, a1, v, t, g, h, activeOrder, activeOrder.length)   // h[x] = (H·t)ₓ
 */
import { dual, dualOf } from '../ops/dual.js';
import { partialsIn, times } from '../ops/math.js';
import { rulesByCode } from '../ops/table.js';
import { opTags } from '../ops/tags.js';
import { Code } from '../ops/codegen.js';
import { argNames, argSlots, cases, loads, makeKernel, onTape, kernelCache } from '../tape/kernels.js';
function hvpCase(careful) {
    return (k) => {
        const arity = rulesByCode[k].arity;
        const code = new Code('p', { careful });
        const D = dualOf(code.num);
        const args = argNames.slice(0, arity).map((a) => dual(a, `t${a}`));
        const ps = partialsIn(D, opTags[k], args, dual('o', 'to'));
        const updates = [];
        ps.forEach((p, j) => {
            if (p === null)
                return;
            // The dual adjoint (gi, hi) times the dual partial: g gets gi·p, h gets hi·p + gi·ṗ.
            const term = times(D, p, dual('gi', 'hi'));
            updates.push(`g[${argSlots[j]}] += ${term.value}; h[${argSlots[j]}] += ${term.tangent};`);
        });
        const body = [...code.lines, ...updates];
        return `case ${k}: { ${loads(body, arity, [['o', 'v[s]'], ['to', 't[s]']])} ${body.join(' ')} break; }`;
    };
}
const kernelSets = kernelCache();
/** The forward-over-reverse sweeps, fast or careful (generated on first use, and again after `defineOp`). */
export function getHvpKernels(careful = false) {
    return kernelSets(careful ? 'careful' : 'fast', () => ({
        hvp: makeKernel('op, a0, a1, v, t, g, h, order, count', `${onTape} for (let k = count - 1; k >= 0; k--) { const i = order[k], s = i; const gi = g[s], hi = h[s]; if (gi === 0 && hi === 0) continue; switch (op[i]) {\n${cases(hvpCase(careful))}\n} }`),
        hvpAt: makeKernel('op, a0, a1, v, t, g, h, from, to, base', `for (let i = to - 1; i >= from; i--) { const s = i - base; const gi = g[s], hi = h[s]; if (gi === 0 && hi === 0) continue; switch (op[i]) {\n${cases(hvpCase(careful))}\n} }`),
    }));
}
