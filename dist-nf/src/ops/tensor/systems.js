/**
 * The two tensor number systems the tensor rules run over: `tensors`, whose values are tensors of
 * numbers (the sweeps), and `tensorNodes`, whose values are graph nodes (symbolic derivatives,
 * hence second order). `tensorMathOf` gives either one the method-per-operation view `TM<T>`
 * the rules are written against.
 *
 * @example
 * const t = tensorMathOf(tensors)
 * t.sum(t.mul(tensorOf([2], [1, 2]), t.c(3)), [0]).data   // → Float64Array [9]
 */
import { applyRaw, constant } from '../../expr/node.js';
import { nodes } from '../build.js';
import { mathOf, quotientProduct } from '../math.js';
import { table } from '../table.js';
import { arithmetic, map1, map2, map3, scalarTensor } from './array.js';
import { tensorTable } from './table.js';
import { broadcastAxes, broadcastShapes, keptShape, sameShape } from './shape.js';
/** Tensors of numbers: entrywise scalar rules with broadcasting, and the kernels of the table. */
export const tensors = {
    constant: scalarTensor,
    apply: (op, args) => {
        const fn = table[op].fn;
        const [a, b] = args;
        if (b === undefined)
            return map1((x) => fn(x, 0), a);
        const shape = broadcastShapes(op, a.shape, b.shape);
        return ((op === 'add' || op === 'sub' || op === 'mul') && arithmetic(op, a, b, shape)) || map2(fn, a, b, shape);
    },
    isZero: (t) => t.data.length === 1 && t.data[0] === 0,
    // The toolkit's convention for zeros, entry by entry: 0·∞ = 0.
    scale: (p, t) => {
        const shape = broadcastShapes('mul', p.shape, t.shape);
        return arithmetic('scale', p, t, shape) ?? map2((x, y) => (x === 0 || y === 0 ? 0 : x * y), p, t, shape);
    },
    quotient: (num, den, t) => map3((n, d, x) => (x === 0 || n === 0 ? 0 : quotientProduct(x, n, d)), num, den, t, broadcastShapes('div', num.shape, den.shape, t.shape)),
    shapeOf: (t) => t.shape,
    structural: (op, args, attrs) => {
        const rule = tensorTable[op];
        return rule.kernel(args, attrs, rule.shape(args.map((a) => a.shape), attrs));
    },
};
/**
 * The node of the structural operation `op` on `args` with attributes `attrs`, its shape checked
 * (a `ShapeError` when it does not fit), and trivial cases folded (a reshape or broadcast to the
 * same shape, an identity permutation, a sum over no axes).
 */
export function tensorApply(op, args, attrs) {
    const shape = tensorTable[op].shape(args.map((a) => a.shape), attrs);
    const a = args[0];
    const identity = ((op === 'reshape' || op === 'broadcast_to') && sameShape(a.shape, shape)) ||
        (op === 'transpose' && attrs.every((p, i) => p === i)) ||
        ((op === 'sum' || op === 'amax' || op === 'logsumexp') && attrs.length === 0);
    if (identity)
        return a;
    // A constant broadcast stays the constant where its users broadcast it anyway.
    return applyRaw(op, [...args, ...attrs.map(constant)], shape);
}
/** Graph nodes: entrywise ops build elementwise nodes (see `applyCode`), structural ones `tensorApply`. */
export const tensorNodes = {
    ...nodes,
    shapeOf: (n) => n.shape,
    structural: tensorApply,
};
const cache = new WeakMap();
/** The rules' view of a tensor number system: one method per operation. */
export function tensorMathOf(sys) {
    const hit = cache.get(sys);
    if (hit !== undefined)
        return hit;
    const s = (op, args, attrs) => sys.structural(op, args, attrs);
    const t = {
        ...mathOf(sys),
        tensors: sys,
        shapeOf: sys.shapeOf,
        matmul: (a, b, ta = false, tb = false) => s('matmul', [a, b], [ta ? 1 : 0, tb ? 1 : 0]),
        transpose: (a, perm) => s('transpose', [a], perm),
        reshape: (a, shape) => s('reshape', [a], shape),
        broadcastTo: (a, shape) => s('broadcast_to', [a], shape),
        sum: (a, axes) => s('sum', [a], axes),
        amax: (a, axes) => s('amax', [a], axes),
        logsumexp: (a, axes) => s('logsumexp', [a], axes),
        softmax: (a, axis) => s('softmax', [a], [axis]),
        softmaxCrossEntropy: (l, y) => s('softmax_cross_entropy', [l, y], []),
        oneHot: (y, classes) => s('one_hot', [y], [classes]),
        take: (a, idx, axis) => s('take', [a, idx], [axis]),
        scatterAdd: (y, idx, axis, n) => s('scatter_add', [y, idx], [axis, n]),
        concat: (parts, axis) => s('concat', parts, [axis]),
        slice: (a, axis, start, end) => s('slice', [a], [axis, start, end]),
        pad: (a, axis, before, after) => s('pad', [a], [axis, before, after]),
        zeros: (shape) => s('broadcast_to', [sys.constant(0)], shape),
        sumTo: (a, shape) => {
            const from = sys.shapeOf(a);
            if (sameShape(from, shape))
                return a;
            return s('reshape', [s('sum', [a], broadcastAxes(shape, from))], shape);
        },
        expand: (a, shape, axes) => s('broadcast_to', [s('reshape', [a], keptShape(shape, axes))], shape),
    };
    Object.freeze(t);
    cache.set(sys, t);
    return t;
}
