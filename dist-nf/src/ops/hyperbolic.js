/** Hyperbolic functions. */
import { anywhere, call } from './rule.js';
export const hyperbolic = {
    sinh: {
        arity: 1, fn: Math.sinh, syntax: call('sinh'),
        partials: (m, [x]) => [m.cosh(x)],
        domain: [anywhere],
    },
    cosh: {
        arity: 1, fn: Math.cosh, syntax: call('cosh'),
        partials: (m, [x]) => [m.sinh(x)],
        domain: [anywhere],
    },
    tanh: {
        // tanh′ = sech² x = (1/cosh x)/cosh x. Not 1 − tanh² (the usual form, from the output): it
        // loses all relative accuracy as tanh x → ±1 (tanh′(20) = 1.7e-17 would be 0).
        arity: 1, fn: Math.tanh, syntax: call('tanh'),
        partials: (m, [x]) => {
            const c = m.cosh(x);
            return [m.over(m.div(m.c(1), c), c)];
        },
        domain: [anywhere],
    },
};
