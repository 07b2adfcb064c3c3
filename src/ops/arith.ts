/**
 * Arithmetic: + − × ÷, negation and power. The micrograd gates of the document's §2.3:
 * the add gate passes the adjoint unchanged to both inputs, the multiply gate swaps its inputs.
 */
import { anywhere, infix, positive, type Rule } from './rule.js'

export const arith = {
  add: {
    arity: 2, fn: (a, b) => a + b, syntax: infix('+', 1),
    partials: (m) => [m.c(1), m.c(1)],
    domain: [anywhere, anywhere],
    identity: { left: 0, right: 0 },
  },
  sub: {
    arity: 2, fn: (a, b) => a - b, syntax: infix('-', 1),
    partials: (m) => [m.c(1), m.c(-1)],
    domain: [anywhere, anywhere],
    identity: { right: 0 },
  },
  mul: {
    arity: 2, fn: (a, b) => a * b, syntax: infix('*', 2),
    partials: (_m, [a, b]) => [b, a],
    domain: [anywhere, anywhere],
    identity: { left: 1, right: 1 },
  },
  div: {
    // d(a/b) = 1/b, −(a/b)/b: reuse the output.
    arity: 2, fn: (a, b) => a / b, syntax: infix('/', 2),
    partials: (m, [_a, b], y) => [m.div(m.c(1), b), m.neg(m.div(y, b))],
    domain: [anywhere, [0.5, 3]],
    identity: { right: 1 },
  },
  neg: {
    arity: 1, fn: (a) => -a, syntax: { _tag: 'prefix', symbol: '-' },
    partials: (m) => [m.c(-1)],
    domain: [anywhere],
    involution: true,
  },
  pow: {
    // Special case: ∂/∂b a^b = a^b·log a is written with xlogy, which is 0 when a^b is 0, so that
    // 0^b (b > 0) has a finite exponent partial, as in JAX.
    arity: 2, fn: Math.pow, syntax: infix('^', 4),
    partials: (m, [a, b], y) => [m.mul(b, m.pow(a, m.sub(b, m.c(1)))), m.xlogy(y, a)],
    domain: [positive, [-2, 2]],
    identity: { right: 1 },
    // x⁰ = 1 for every x: folding it also gives the right derivative 0 at x = 0, where the
    // partial b·a^(b−1) would be 0·∞ = NaN.
    constantWhen: { right: 0, value: 1 },
  },
} satisfies Record<string, Rule>
