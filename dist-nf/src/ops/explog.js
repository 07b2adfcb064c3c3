/** Exponentials and logarithms. Rules reuse the output where it is the derivative (exp, sqrt). */
import { anywhere, call, positive } from './rule.js';
/** x·log(y), defined as 0 when x is 0 (so 0·log 0 = 0), as scipy's and JAX's xlogy. */
const xlogy = (x, y) => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log(y));
export const explog = {
    exp: {
        arity: 1, fn: Math.exp, syntax: call('exp'),
        partials: (_m, _args, y) => [y],
        domain: [anywhere],
    },
    log: {
        arity: 1, fn: Math.log, syntax: call('log'),
        partials: (m, [x]) => [m.over(m.c(1), x)],
        domain: [positive],
        singular: true,
    },
    sqrt: {
        arity: 1, fn: Math.sqrt, syntax: call('sqrt'),
        partials: (m, _args, y) => [m.over(m.c(0.5), y)],
        domain: [positive],
        singular: true,
    },
    log1p: {
        arity: 1, fn: Math.log1p, syntax: call('log1p'),
        partials: (m, [x]) => [m.over(m.c(1), m.add(m.c(1), x))],
        domain: [[-0.8, 3]],
        singular: true,
    },
    expm1: {
        arity: 1, fn: Math.expm1, syntax: call('expm1'),
        partials: (m, [x]) => [m.exp(x)],
        domain: [anywhere],
    },
    xlogy: {
        arity: 2, fn: xlogy, syntax: call('xlogy'),
        partials: (m, [x, y]) => [m.log(y), m.over(x, y)],
        domain: [anywhere, positive],
        singular: true,
    },
};
