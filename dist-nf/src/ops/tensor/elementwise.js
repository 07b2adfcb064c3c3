import { times } from '../math.js';
import { table } from '../table.js';
import { sameShape } from './shape.js';
/** The tangent of op(args) for the tangents `dots` (null: zero); null when every tangent is. */
export function elementwiseJvp(t, op, args, dots, out) {
    if (dots.every((d) => d === null))
        return null;
    const partials = table[op].partials(t, args, out);
    let acc = null;
    partials.forEach((p, i) => {
        const d = dots[i];
        if (p === null || d === null || d === undefined)
            return;
        const term = times(t.num, p, d);
        acc = acc === null ? term : t.add(acc, term);
    });
    if (acc === null)
        return null;
    const shape = t.shapeOf(out);
    return sameShape(t.shapeOf(acc), shape) ? acc : t.broadcastTo(acc, shape);
}
/** The adjoints of op's arguments for the adjoint `cot` of its result (only those `wanted`). */
export function elementwiseVjp(t, op, args, cot, out, wanted) {
    const partials = table[op].partials(t, args, out);
    return partials.map((p, i) => (p === null || !wanted[i] ? null : t.sumTo(times(t.num, p, cot), t.shapeOf(args[i]))));
}
