/** Hyperbolic functions. */
import { anywhere, call, type Rule } from './rule.js'

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
    // tanh′ = 1 − tanh², from the output.
    arity: 1, fn: Math.tanh, syntax: call('tanh'),
    partials: (m, _args, y) => [m.sub(m.c(1), m.mul(y, y))],
    domain: [anywhere],
  },
} satisfies Record<string, Rule>
