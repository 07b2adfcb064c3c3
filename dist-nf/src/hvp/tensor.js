/**
 * Hessian-vector products and Hessians of tensor programs with one scalar output: the gradient
 * is built as a graph by reverse mode over nodes (`tensorGradExpr`), then differentiated in
 * forward mode along v (forward-over-reverse, the document's R-operator), so H·v costs a small
 * multiple of the gradient. The Hessian is H·eⱼ for every input entry j, flattened row-major.
 *
 * @example
 * import { variable, mul, reduceSum, program, tensorHvp, orThrow, toNested } from 'chainrule'
 * const x = variable('x', [2])
 * const p = program([reduceSum(mul(mul(x, x), x))])     // Σ xᵢ³: H = diag(6xᵢ)
 * toNested(orThrow(tensorHvp(p, { x: [1, 2] }, { x: [1, 1] })).hvp.x!)   // → [6, 12]
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { sizeOf } from '../ops/tensor/shape.js';
import { tensorMathOf, tensors } from '../ops/tensor/systems.js';
import { jacobianColumns, pushforward } from '../forward/tensor.js';
import { tensorGrad, tensorGradExpr } from '../reverse/tensor.js';
import { nameError } from '../tape/point.js';
import { filled, loadTensorPoint, tensorSweep } from '../tape/tensor.js';
/** The gradient program's sweep at `point`: its tape, values, and the slots of the wrt variables in it. */
function gradientSweep(program, point, wrt) {
    return pipe(tensorGrad(program, point, wrt), E.chain((g) => pipe(tensorGradExpr(program, g.wrt), E.chain((gp) => tensorSweep(gp, point)), E.map((sweep) => ({ g, ...sweep })))));
}
/**
 * H·v for a tensor program with one scalar output; `v` gives a direction for some of `wrt` (the
 * rest are zero). A direction for a variable outside `wrt` is refused (`NotDifferentiated`), as
 * `hvp` refuses it: it would make a mixed second derivative.
 */
export function tensorHvp(program, point, v, options = {}) {
    return pipe(gradientSweep(program, point, options.wrt), E.chainFirst(({ g }) => {
        const outside = typeof v === 'object' && v !== null ? Object.keys(v).find((name) => !g.wrt.includes(name)) : undefined;
        return outside === undefined ? E.right(undefined) : E.left(nameError({ _tag: 'NotDifferentiated', name: outside, argument: 'direction', wrt: g.wrt }));
    }), E.chain(({ g, tape, values }) => pipe(loadTensorPoint(tape, v, { names: program.names, variables: program.variables }, 'direction'), E.map((dots) => {
        const tangents = pushforward(tensorMathOf(tensors), tape, values, dots);
        const hvp = Object.fromEntries(g.wrt.map((name, j) => [name, filled(tangents[tape.outputs[j]] ?? null, values[tape.outputs[j]])]));
        return { value: g.value, gradient: g.gradient, hvp, wrt: g.wrt, warnings: g.warnings };
    }))));
}
/** The Hessian of a tensor program with one scalar output, over the entries of `wrt` flattened in order. */
export function tensorHessian(program, point, options = {}) {
    return pipe(gradientSweep(program, point, options.wrt), E.map(({ g, tape, values }) => {
        const shapes = g.wrt.map((name) => g.gradient[name].shape);
        const n = shapes.reduce((s, sh) => s + sizeOf(sh), 0);
        // The Jacobian of the gradient, by forward mode: a variable the gradient does not depend on
        // (no slot in its tape) has a zero column.
        const slots = g.wrt.map((name) => tape.variables.get(name)?.slot ?? -1);
        const hessian = jacobianColumns(tape, values, slots, shapes, n);
        return { value: g.value, hessian, size: n, wrt: g.wrt, shapes: Object.fromEntries(g.wrt.map((name, i) => [name, shapes[i]])), warnings: g.warnings };
    }));
}
