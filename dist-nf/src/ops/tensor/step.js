import { isOpTag } from '../tags.js';
import { elementwiseJvp, elementwiseVjp } from './elementwise.js';
import { dataCount, isTensorTag } from './rule.js';
import { tensors } from './systems.js';
import { tensorTable } from './table.js';
/** The step of the application `n`. */
export function stepOf(n) {
    if (isTensorTag(n.op)) {
        const rule = tensorTable[n.op];
        const k = dataCount(rule.arity, n.args.length);
        const attrs = n.args.slice(k).map((a) => (a._tag === 'const' ? a.value : NaN));
        return { _tag: 'structural', op: n.op, rule, args: n.args.slice(0, k), attrs, shape: n.shape };
    }
    if (isOpTag(n.op))
        return { _tag: 'entrywise', op: n.op, args: n.args };
    throw new RangeError(`unknown operation ${n.op}`);
}
/** Whether argument i of the step carries a derivative (labels and indices do not). */
export const differentiableArg = (s, i) => s._tag === 'entrywise' || !(s.rule.constantArgs ?? []).includes(i);
/** The step's value on tensors of numbers. */
export function valueAt(s, args) {
    switch (s._tag) {
        case 'entrywise':
            return tensors.apply(s.op, args);
        case 'structural':
            return s.rule.kernel(args, s.attrs, s.shape);
    }
}
/** The step's tangent for the arguments' tangents `dots` (null: zero). */
export function jvpAt(t, s, args, dots, out) {
    const live = dots.map((d, i) => (differentiableArg(s, i) ? d : null));
    switch (s._tag) {
        case 'entrywise':
            return elementwiseJvp(t, s.op, args, live, out);
        case 'structural':
            return live.every((d) => d === null) ? null : s.rule.jvp(t, args, live, out, s.attrs);
    }
}
/** The adjoints of the step's arguments for the adjoint `cot` of its value (only those `wanted`). */
export function vjpAt(t, s, args, cot, out, wanted) {
    const live = wanted.map((w, i) => w && differentiableArg(s, i));
    if (!live.some((w) => w))
        return live.map(() => null);
    switch (s._tag) {
        case 'entrywise':
            return elementwiseVjp(t, s.op, args, cot, out, live);
        case 'structural':
            return s.rule.vjp(t, args, cot, out, s.attrs, live);
    }
}
