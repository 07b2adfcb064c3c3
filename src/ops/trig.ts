/** Trigonometric functions and their inverses. */
import { anywhere, call, unitOpen, squareOutOfRange, type Rule } from './rule.js'

export const trig = {
  sin: {
    arity: 1, fn: Math.sin, syntax: call('sin'),
    partials: (m, [x]) => [m.cos(x)],
    domain: [anywhere],
  },
  cos: {
    arity: 1, fn: Math.cos, syntax: call('cos'),
    partials: (m, [x]) => [m.neg(m.sin(x))],
    domain: [anywhere],
  },
  tan: {
    // tan′ = 1 + tan², from the output.
    arity: 1, fn: Math.tan, syntax: call('tan'),
    partials: (m, _args, y) => [m.add(m.c(1), m.mul(y, y))],
    domain: [[-1.2, 1.2]],
  },
  asin: {
    // asin′ = 1/√(1 − x²), with 1 − x² as diffsq(1, x) = (1 − x)(1 + x): accurate near ±1, where
    // 1 − x·x cancels, and its own derivative −2x is exact, so asin″ is accurate near 0 too.
    arity: 1, fn: Math.asin, syntax: call('asin'),
    partials: (m, [x]) => [m.over(m.c(1), m.sqrt(m.diffsq(m.c(1), x)))],
    domain: [unitOpen],
    singular: true,
  },
  acos: {
    arity: 1, fn: Math.acos, syntax: call('acos'),
    partials: (m, [x]) => [m.over(m.c(-1), m.sqrt(m.diffsq(m.c(1), x)))],
    domain: [unitOpen],
    singular: true,
  },
  atan: {
    // atan′ = 1/(1 + x²) = (1/h)/h with h = hypot(1, x): 1 + x² overflows from |x| ≈ 1.3e154,
    // while atan′(1e160) = 1e-320 is representable.
    arity: 1, fn: Math.atan, syntax: call('atan'),
    partials: (m, [x]) => {
      const h = m.hypot(m.c(1), x)
      return [m.over(m.div(m.c(1), h), h)]
    },
    domain: [anywhere],
  },
  atan2: {
    // atan2(y, x): ∂y = x/r², ∂x = −y/r² with r = hypot(x, y), as (x/r)/r: r² overflows at
    // (1e200, 1e200) and underflows at (1e-200, 1e-200), where the partials are ∓5e-201, ∓5e199.
    arity: 2, fn: Math.atan2, syntax: call('atan2'),
    partials: (m, [y, x]) => {
      const r = m.hypot(x, y)
      return [m.over(m.div(x, r), r), m.over(m.neg(m.div(y, r)), r)]
    },
    domain: [[0.3, 3], [0.3, 3]],
    // The branch cut: atan2 jumps from π to −π as y crosses 0 with x < 0; and the origin.
    kink: {
      distance: ([y, x]) => (x < 0 ? Math.abs(y) : Math.hypot(x, y)),
      convention:
        'atan2 is not differentiable at the origin or across its branch cut (x < 0, y = ±0, where it jumps by 2π); used the one-sided derivative (∂y = 1/x, ∂x = 0) on the cut, NaN at the origin',
    },
    singular: true,
    // Past |(x, y)| = 1.8e308, r overflows and the partials (about 1e-309, subnormal) come out 0.
    caveat: [
      {
        possible: () => true,
        where: ([y, x]) => Math.hypot(x, y) === Infinity && Number.isFinite(x) && Number.isFinite(y),
        message: 'hypot(x, y) overflows there, so its partials x/r² and −y/r² (subnormal, about 1e-309) come out 0',
      },
      {
        // The second partials differentiate (x/r)/r: r² in a denominator again.
        order: 2,
        possible: ([y, x]) => y === undefined || x === undefined,
        where: ([y, x]) => squareOutOfRange(Math.hypot(x, y)),
        message: "atan2's second derivatives divide by r² = x² + y², which under- or overflows there (|(x, y)| below 1.5e-154 or above 1.3e154), so Hessians and H·v are not reliable",
      },
    ],
  },
} satisfies Record<string, Rule>
