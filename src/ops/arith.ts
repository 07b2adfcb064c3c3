/**
 * Arithmetic: + − × ÷, negation and power, and two algebraic helpers written for accuracy: hypot
 * and the difference of squares. The micrograd gates of the document's §2.3:
 * the add gate passes the adjoint unchanged to both inputs, the multiply gate swaps its inputs.
 */
import { anywhere, call, infix, positive, squareOutOfRange, type Rule } from './rule.js'

/** The smallest normal double (ops/math.ts's MIN_NORMAL: math.ts imports the table, which imports this file). */
const MIN_NORMAL = 2.2250738585072014e-308

/** a² − b² as (a − b)(a + b); halved first where a + b alone would overflow. */
function diffsq(a: number, b: number): number {
  const s = a + b
  if (Number.isFinite(s) || !Number.isFinite(a) || !Number.isFinite(b)) return (a - b) * s
  return 4 * ((a / 2 - b / 2) * (a / 2 + b / 2))
}

export const arith = {
  add: {
    arity: 2, fn: (a, b) => a + b, syntax: infix('+', 1),
    partials: (m) => [m.c(1), m.c(1)],
    domain: [anywhere, anywhere],
    // −0 is the identity of IEEE addition: x + (+0) is +0 at x = −0, so x + 0 is not folded to x
    // (atan2(x + 0, −1) at x = −0 is π, and 1/(x + 0) is +∞).
    identity: { left: -0, right: -0 },
    sum: { right: 1 },
  },
  sub: {
    arity: 2, fn: (a, b) => a - b, syntax: infix('-', 1),
    partials: (m) => [m.c(1), m.c(-1)],
    domain: [anywhere, anywhere],
    identity: { right: 0 },
    sum: { right: -1 },
  },
  mul: {
    arity: 2, fn: (a, b) => a * b, syntax: infix('*', 2),
    partials: (_m, [a, b]) => [b, a],
    domain: [anywhere, anywhere],
    identity: { left: 1, right: 1 },
    negation: { left: -1, right: -1 },
  },
  div: {
    // d(a/b) = 1/b, −(a/b)/b: reuse the output; both are quotients, so a tangent ḃ is divided by
    // b before it meets −y (−y·ḃ/b², whose factor y/b alone may underflow).
    arity: 2, fn: (a, b) => a / b, syntax: infix('/', 2),
    partials: (m, [_a, b], y) => [m.over(m.c(1), b), m.over(m.neg(y), b)],
    domain: [anywhere, [0.5, 3]],
    identity: { right: 1 },
    singular: true,
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
    power: true,
    singular: true,
    // Past 2^53 every double is an even integer and b − 1 rounds to one: a^(b−1) then has the
    // sign of a^b, and for a < 0 the true a^(b−1) has the other (JAX and PyTorch do the same).
    caveat: [
      {
        possible: ([a, b]) => (a === undefined || a < 0) && (b === undefined || !(Math.abs(b) < 2 ** 53)),
        where: ([a, b]) => a < 0 && Math.abs(b) >= 2 ** 53 && Number.isFinite(b) && Number.isFinite(b * Math.pow(a, b - 1)) && b * Math.pow(a, b - 1) !== 0,
        message: 'with a negative base and an exponent of magnitude 2^53 or more, b − 1 is not representable (it rounds to an even number), so the derivatives through b·a^(b−1) come out with the wrong sign',
      },
      {
        // ∂b = xlogy(a^b, a) is formed from the value: where a^b underflows, its derivative in a
        // loses the term a^(b−1), which may well be representable (a = 1e-300, b = 1.5).
        order: 2,
        mixed: true,
        // Only where neither is a constant: there is no mixed derivative otherwise.
        possible: ([a, b]) => a === undefined && b === undefined,
        // ∂²/∂a∂b = a^(b−1)(1 + b·log a) is formed as (b·a^(b−1))·log a + a^b/a: the second term
        // has the relative error of a^b (5e-324/a^b when subnormal, all of it at 0).
        where: ([a, b]) => {
          if (!(a > 0) || !Number.isFinite(b)) return false
          const y = Math.pow(a, b)
          const inner = Math.pow(a, b - 1)
          // a^(b−1) itself may be subnormal: the term is then its share of a normal result all the
          // same (a = 8.9e-78, b = 5: 6.3e-309 of −5.58e-306, 1.1e-3 of it).
          if (!(y < MIN_NORMAL) || !(inner > 0) || !Number.isFinite(inner)) return false
          const share = 1 / Math.abs(1 + b * Math.log(a))
          return y === 0 ? share > 1e-13 : (Number.MIN_VALUE / y) * share > 1e-13
        },
        message: 'a^b underflows there, and the mixed second derivative ∂²/∂a∂b, formed from it, loses its term a^(b−1)',
      },
    ],
  },
  hypot: {
    // √(a² + b²) without overflow or underflow; ∂a = a/h, ∂b = b/h. Not differentiable at the
    // origin (a cone): the partials are 0/0 there.
    arity: 2, fn: Math.hypot, syntax: call('hypot'),
    partials: (m, [a, b], h) => [m.over(a, h), m.over(b, h)],
    domain: [anywhere, anywhere],
    kink: { distance: ([a, b]) => Math.hypot(a, b), convention: 'hypot is not differentiable at (0, 0); its partials a/hypot and b/hypot are NaN there' },
    singular: true,
    // The second partials come out of differentiating a/h as (a′h − a·h′)/h²: where h² leaves the
    // normal range, H·v is off by orders of magnitude (hypot(2y, y) at y = 1e-200: 1.7e184 for 0).
    caveat: [
      {
        order: 2,
        possible: ([a, b]) => a === undefined || b === undefined,
        where: ([a, b]) => squareOutOfRange(Math.hypot(a, b)),
        message: "hypot's second derivatives divide by hypot², which under- or overflows there (|(a, b)| below 1.5e-154 or above 1.3e154), so Hessians and H·v are not reliable",
      },
      {
        // ∂²/∂b² = a²/h³ comes out of (h − b·(b/h))/h², which cancels where |a| ≪ |b|: its relative
        // error is about 2^-52·(b/a)² (hypot(1e-160, 2e-23): 8388608 for 1.2e-252).
        order: 2,
        possible: ([a, b]) => a === undefined || b === undefined,
        where: ([a, b]) => {
          const lo = Math.min(Math.abs(a), Math.abs(b))
          const hi = Math.max(Math.abs(a), Math.abs(b))
          return lo > 0 && Number.isFinite(hi) && (lo / hi) ** 2 < Number.EPSILON / 1e-13
        },
        message: "one argument of hypot is more than 20 times the other there, and its second derivative along the larger one (a²/hypot³) is formed as a difference that cancels: that Hessian entry, and H·v through it, keep only about 16 − 2·log10(larger/smaller) digits",
      },
    ],
  },
  diffsq: {
    // a² − b², computed as (a − b)(a + b), which is accurate to a few ulps where a² − b² cancels
    // (1 − x² near x = 1); its partials 2a and −2b are exact. Rules use it where a derivative
    // needs 1 − x²: written as (1 − x)(1 + x), the product rule would cancel instead.
    arity: 2, fn: diffsq, syntax: call('diffsq'),
    partials: (m, [a, b]) => [m.mul(m.c(2), a), m.mul(m.c(-2), b)],
    domain: [anywhere, anywhere],
  },
} satisfies Record<string, Rule>
