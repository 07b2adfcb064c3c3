/** A tensor operation refused the shapes of its arguments. Thrown by the builders, caught by the parser. */
export class ShapeError extends Error {
    op;
    shapes;
    reason;
    _tag = 'ShapeError';
    constructor(
    /** The operation, as the language names it (`matmul`, `add`). */
    op, 
    /** The shapes it was given. */
    shapes, 
    /** Why they do not fit, without the op and shapes (`inner dimensions 3 and 4 differ`). */
    reason) {
        super(`${op}: ${shapes.length === 1 ? 'shape' : 'shapes'} ${shapes.map(showShape).join(' and ')} ${reason}`);
        this.op = op;
        this.shapes = shapes;
        this.reason = reason;
        this.name = 'ShapeError';
    }
}
/** `[2,3]`; a scalar is `[]`. */
export const showShape = (s) => `[${s.join(',')}]`;
/** The number of entries of a tensor of shape `s` (1 for a scalar). */
export function sizeOf(s) {
    let n = 1;
    for (let i = 0; i < s.length; i++)
        n *= s[i];
    return n;
}
/** Row-major strides of `s`, in entries. */
export function stridesOf(s) {
    const st = new Array(s.length);
    let k = 1;
    for (let i = s.length - 1; i >= 0; i--) {
        st[i] = k;
        k *= s[i];
    }
    return st;
}
export const sameShape = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);
/** The shape of a broadcast of `shapes` (NumPy's rules: align at the right; a 1 stretches). */
export function broadcastShapes(op, ...shapes) {
    const rank = Math.max(...shapes.map((s) => s.length));
    const out = new Array(rank).fill(1);
    for (const s of shapes) {
        for (let i = 0; i < s.length; i++) {
            const k = rank - s.length + i;
            const d = s[i];
            if (out[k] === 1)
                out[k] = d;
            else if (d !== 1 && d !== out[k]) {
                throw new ShapeError(op, shapes, `do not broadcast (axis ${k}: ${out[k]} against ${d})`);
            }
        }
    }
    return out;
}
/**
 * The axes a value of shape `from` was broadcast along to reach `to` (the leading new axes, and
 * the axes where `from` has a 1 and `to` does not): what the reverse sweep sums an adjoint over.
 */
export function broadcastAxes(from, to) {
    const lead = to.length - from.length;
    const axes = [];
    for (let k = 0; k < to.length; k++)
        if (k < lead || (from[k - lead] === 1 && to[k] !== 1))
            axes.push(k);
    return axes;
}
/** `axis` of a tensor of rank `rank`, negative counting from the end; throws when out of range. */
export function normalAxis(op, shape, axis) {
    const rank = shape.length;
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
        throw new ShapeError(op, [shape], `has no axis ${axis} (rank ${rank}${rank === 0 ? ': a scalar has no axes' : ''})`);
    }
    return axis < 0 ? axis + rank : axis;
}
/** Sorted, distinct, non-negative axes; every axis when `axes` is undefined. */
export function normalAxes(op, shape, axes) {
    if (axes === undefined)
        return shape.map((_, i) => i);
    const out = [...new Set(axes.map((a) => normalAxis(op, shape, a)))].sort((a, b) => a - b);
    return out;
}
/** `shape` without `axes`. */
export const reducedShape = (shape, axes) => shape.filter((_, i) => !axes.includes(i));
/** `shape` with `axes` kept as 1s (NumPy's keepdims). */
export const keptShape = (shape, axes) => shape.map((d, i) => (axes.includes(i) ? 1 : d));
