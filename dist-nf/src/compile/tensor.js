/**
 * Tensor programs compiled: the program's tape (its topological order, each node's rule and
 * arguments) is planned once and kept with the program, `wrt` is checked when compiling (a
 * misspelt name fails here, not at the first call), and the returned functions run the tensor
 * sweeps at each call, with the matrix products on the blocked kernel.
 * Data that change per call (a minibatch, its labels) are simply part of each call's point.
 *
 * @example
 * import { variable, matmul, reduceSum, mul, program, compileTensor, toNested, orThrow } from 'chainrule'
 * const X = variable('X', [2, 2]), w = variable('w', [2])
 * const loss = orThrow(compileTensor(program([reduceSum(mul(matmul(X, w), matmul(X, w)))]), { wrt: ['w'] }))
 * const g = orThrow(loss.grad({ X: [[1, 0], [0, 1]], w: [1, 2] }))
 * toNested(g.gradient.w!)   // → [2, 4]
 */
import * as E from 'fp-ts/lib/Either.js';
import { tensorEvaluate, tensorJvp } from '../forward/tensor.js';
import { tensorGrad, tensorVjp, wrtSlots } from '../reverse/tensor.js';
import { tensorHvp } from '../hvp/tensor.js';
import { tensorTapeFor } from '../tape/tensor.js';
/** A tensor program planned once for repeated calls (see the module comment). */
export function compileTensor(program, options = {}) {
    const tape = tensorTapeFor(program);
    if (E.isLeft(tape))
        return tape;
    const checked = wrtSlots(tape.right, options.wrt);
    if (E.isLeft(checked))
        return checked;
    const wrt = Object.freeze(checked.right.names);
    return E.right(Object.freeze({
        wrt,
        evaluate: (point) => tensorEvaluate(program, point),
        grad: (point) => tensorGrad(program, point, wrt),
        vjp: (point, cotangents) => tensorVjp(program, point, cotangents, wrt),
        jvp: (point, tangent) => tensorJvp(program, point, tangent),
        hvp: (point, v) => tensorHvp(program, point, v, { wrt }),
    }));
}
