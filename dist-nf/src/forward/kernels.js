/**
 * The sweeps of forward mode over a tape: values with tangents (dual numbers in two arrays), each
 * case's partials generated from the rule table over `Code` (see `tape/kernels.ts` for how kernels
 * are written, and for the value sweep).
 *
 * Calling conventions (all arrays indexed by slot):
 * - jvp(op, a0, a1, v, t, from, to): values and tangents, t[i] = Σⱼ ∂ᵢ/∂argⱼ·t[argⱼ], skipping
 *   zero tangents
 * - jvpVec(op, a0, a1, v, t, w, from, to): values and w tangents per slot at once (t[i·w + c]),
 *   the partials computed once per node and shared by the w directions (ForwardDiff's chunks): w
 *   columns of a Jacobian per sweep
 * - jvpAt(op, a0, a1, v, t, from, to, base): `jvp` over a segment
 *
 * The fast kernels are IEEE arithmetic; the `careful` ones also make every product of a partial
 * and a tangent zero when either factor is zero (0·∞ = 0), with run-time tests. Where the fast
 * sweep gives a finite result it is the careful one; evaluators rerun the careful sweep only when
 * a fast result is not finite.
 *
 * @example
 * getForwardKernels().jvp(tape.op, tape.a0, tape.a1, values, tangents, tape.leaves, tape.size)
 */
import { partialsIn, times } from '../ops/math.js';
import { rulesByCode } from '../ops/table.js';
import { opTags } from '../ops/tags.js';
import { Code } from '../ops/codegen.js';
import { argNames, argSlots, cases, laneProduct, loads, makeKernel, onTape, kernelCache } from '../tape/kernels.js';
function jvpCase(careful) {
    return (k) => {
        const arity = rulesByCode[k].arity;
        const value = new Code('u');
        const out = value.num.apply(opTags[k], argNames.slice(0, arity));
        const body = [...value.lines, `const o = ${out};`, 'v[s] = o;', 'let d = 0;'];
        for (let j = 0; j < arity; j++) {
            // Each partial is computed only when its argument's tangent is non-zero (explicit zeros).
            const tj = `t${argNames[j]}`;
            const code = new Code(`p${j}_`, { careful, nonzero: [tj] });
            const p = partialsIn(code.num, opTags[k], argNames.slice(0, arity), 'o')[j];
            if (p === null)
                continue;
            const term = times(code.num, p, tj);
            body.push(`if (${tj} !== 0) { ${code.lines.join(' ')} d += ${term}; }`);
        }
        body.push('t[s] = d;');
        return `case ${k}: { ${loads(body, arity)} ${body.join(' ')} break; }`;
    };
}
/** Vector tangents: partials once, then a loop over the w directions. */
function jvpVecCase(careful) {
    return (k) => {
        const arity = rulesByCode[k].arity;
        const value = new Code('u');
        const out = value.num.apply(opTags[k], argNames.slice(0, arity));
        const code = new Code('p', { careful });
        const ps = partialsIn(code.num, opTags[k], argNames.slice(0, arity), 'o');
        const terms = [];
        ps.forEach((p, j) => {
            if (p === null)
                return;
            terms.push(`const s${j} = t[b${j} + c]; if (s${j} !== 0) d += ${laneProduct(code, p, `s${j}`, careful)};`);
        });
        const bases = argSlots.slice(0, arity).map((a, j) => `b${j} = ${a} * w`).join(', ');
        const body = [...value.lines, `const o = ${out};`, 'v[s] = o;', ...code.lines];
        const loop = terms.length === 0 ? 'for (let c = 0; c < w; c++) t[bi + c] = 0;' : `const ${bases}; for (let c = 0; c < w; c++) { let d = 0; ${terms.join(' ')} t[bi + c] = d; }`;
        return `case ${k}: { ${loads(body, arity)} ${body.join(' ')} ${loop} break; }`;
    };
}
const kernelSets = kernelCache();
/** The forward-mode sweeps, fast or careful (generated on first use, and again after `defineOp`). */
export function getForwardKernels(careful = false) {
    return kernelSets(careful ? 'careful' : 'fast', () => ({
        jvp: makeKernel('op, a0, a1, v, t, from, to', `${onTape} for (let i = from; i < to; i++) { const s = i; switch (op[i]) {\n${cases(jvpCase(careful))}\n} }`),
        jvpVec: makeKernel('op, a0, a1, v, t, w, from, to', `${onTape} for (let i = from; i < to; i++) { const s = i, bi = i * w; switch (op[i]) {\n${cases(jvpVecCase(careful))}\n} }`),
        jvpAt: makeKernel('op, a0, a1, v, t, from, to, base', `for (let i = from; i < to; i++) { const s = i - base; switch (op[i]) {\n${cases(jvpCase(careful))}\n} }`),
    }));
}
