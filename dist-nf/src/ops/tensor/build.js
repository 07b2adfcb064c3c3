/**
 * The builders of tensor operations: each checks its arguments' shapes when the graph is built
 * (a `ShapeError` naming the operation and the shapes), normalises its attributes (negative axes
 * count from the end; axes are sorted) and makes the hash-consed node. The entrywise operations
 * (`add`, `sin`, ...) are the scalar builders, which broadcast when given tensors.
 *
 * @example
 * import { variable, matmul, relu, reduceSum, add } from 'chainrule'
 * const X = variable('X', [4, 3]), W = variable('W', [3, 2]), b = variable('b', [2])
 * const H = relu(add(matmul(X, W), b))   // shape [4, 2]: b is broadcast along the rows
 * reduceSum(H, 0).shape                  // → [2]
 */
import { constant } from '../../expr/node.js';
import { applyOp } from '../build.js';
import { normalAxes, normalAxis, ShapeError, showShape, sizeOf } from './shape.js';
import { tensorApply } from './systems.js';
/** A builder argument as a node (numbers lifted to scalar constants). */
const node = (a) => (typeof a === 'number' ? constant(a) : a);
/** Axes given as one number, a list, or nothing (every axis). */
const axesOf = (op, a, axes) => normalAxes(op, a.shape, typeof axes === 'number' ? [axes] : axes);
/** The matrix product a·b of vectors and matrices (`a @ b` in the language). */
export const matmul = (a, b) => tensorApply('matmul', [node(a), node(b)], [0, 0]);
/** The axes of `a` permuted (reversed by default: the matrix transpose). */
export function transpose(a, perm) {
    const x = node(a);
    return tensorApply('transpose', [x], perm ?? x.shape.map((_, i) => x.shape.length - 1 - i));
}
/** The same entries in another shape of the same size; one entry may be −1 (inferred). */
export function reshape(a, shape) {
    const x = node(a);
    const known = shape.filter((d) => d !== -1);
    const target = shape.map((d) => (d === -1 && shape.indexOf(-1) === shape.lastIndexOf(-1) ? sizeOf(x.shape) / Math.max(1, sizeOf(known)) : d));
    return tensorApply('reshape', [x], target);
}
/** `a` repeated along new leading axes and axes of size 1 to `shape` (NumPy's broadcast_to). */
export const broadcastTo = (a, shape) => tensorApply('broadcast_to', [node(a)], shape);
/** Σ over `axes` (every axis by default). */
export const reduceSum = (a, axes) => {
    const x = node(a);
    return tensorApply('sum', [x], axesOf('sum', x, axes));
};
/** The mean over `axes` (every axis by default). */
export function reduceMean(a, axes) {
    const x = node(a);
    const ax = axesOf('mean', x, axes);
    const count = ax.reduce((n, k) => n * x.shape[k], 1);
    return applyOp('div', tensorApply('sum', [x], ax), constant(count));
}
/** The maximum over `axes` (every axis by default); ties share the derivative evenly. */
export const reduceMax = (a, axes) => {
    const x = node(a);
    return tensorApply('amax', [x], axesOf('amax', x, axes));
};
/** log Σ exp over `axes` (every axis by default), shifted by the maximum: it neither overflows nor underflows. */
export const logsumexp = (a, axes) => {
    const x = node(a);
    return tensorApply('logsumexp', [x], axesOf('logsumexp', x, axes));
};
/** exp(a) / Σ exp(a) along `axis` (the last by default), computed stably. */
export const softmax = (a, axis = -1) => {
    const x = node(a);
    return tensorApply('softmax', [x], [normalAxis('softmax', x.shape, axis)]);
};
/**
 * The mean over rows of the cross-entropy of softmax(logits) against integer class labels:
 * (1/N) Σᵢ (log Σⱼ exp Lᵢⱼ − L_{i,yᵢ}). Its gradient is (softmax − onehot)/N, by a rule of its own.
 */
export const softmaxCrossEntropy = (logits, labels) => tensorApply('softmax_cross_entropy', [node(logits), node(labels)], []);
/** One-hot rows for integer labels: shape [...labels, classes]. */
export const oneHot = (labels, classes) => tensorApply('one_hot', [node(labels)], [classes]);
/** The entries of `a` at integer `indices` along `axis` (NumPy's take; its derivative is a scatter-add). */
export function take(a, indices, axis = 0) {
    const x = node(a);
    return tensorApply('take', [x, node(indices)], [normalAxis('take', x.shape, axis)]);
}
/** The tensors joined along `axis`. */
export function concat(parts, axis = 0) {
    const xs = parts.map(node);
    if (xs.length === 0)
        throw new ShapeError('concat', [], 'cannot be joined: no tensors given');
    return tensorApply('concat', xs, [normalAxis('concat', xs[0].shape, axis)]);
}
/** The tensors (of one shape) stacked along a new axis `axis`. */
export function stack(parts, axis = 0) {
    const xs = parts.map(node);
    const first = xs[0];
    if (first === undefined)
        throw new ShapeError('stack', [], 'cannot be stacked: no tensors given');
    const rank = first.shape.length;
    const ax = axis < 0 ? axis + rank + 1 : axis;
    if (!Number.isInteger(ax) || ax < 0 || ax > rank)
        throw new ShapeError('stack', xs.map((x) => x.shape), `cannot be stacked along axis ${axis}`);
    for (const x of xs)
        if (showShape(x.shape) !== showShape(first.shape))
            throw new ShapeError('stack', xs.map((y) => y.shape), 'differ');
    const kept = [...first.shape.slice(0, ax), 1, ...first.shape.slice(ax)];
    return tensorApply('concat', xs.map((x) => tensorApply('reshape', [x], kept)), [ax]);
}
/** The entries start ≤ i < end along `axis`. */
export function slice(a, axis, start, end) {
    const x = node(a);
    return tensorApply('slice', [x], [normalAxis('slice', x.shape, axis), start, end]);
}
