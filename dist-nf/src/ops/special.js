/** Special cases that are not mathematical functions of their argument's derivative. */
import { anywhere, call } from './rule.js';
export const special = {
    stop_gradient: {
        // The value passes through; the derivative is a structural zero, so nothing upstream of it is
        // differentiated (the document's closing note on Hessian-vector products).
        arity: 1, fn: (x) => x, syntax: call('stop_gradient'),
        partials: () => [null],
        domain: [anywhere],
    },
};
