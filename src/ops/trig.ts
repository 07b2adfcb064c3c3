/** Trigonometric functions and their inverses. */
import { anywhere, call, unitOpen, type Rule } from './rule.js'

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
    arity: 1, fn: Math.asin, syntax: call('asin'),
    partials: (m, [x]) => [m.div(m.c(1), m.sqrt(m.sub(m.c(1), m.mul(x, x))))],
    domain: [unitOpen],
  },
  acos: {
    arity: 1, fn: Math.acos, syntax: call('acos'),
    partials: (m, [x]) => [m.neg(m.div(m.c(1), m.sqrt(m.sub(m.c(1), m.mul(x, x)))))],
    domain: [unitOpen],
  },
  atan: {
    arity: 1, fn: Math.atan, syntax: call('atan'),
    partials: (m, [x]) => [m.div(m.c(1), m.add(m.c(1), m.mul(x, x)))],
    domain: [anywhere],
  },
  atan2: {
    // atan2(y, x): ∂y = x/(x²+y²), ∂x = −y/(x²+y²).
    arity: 2, fn: Math.atan2, syntax: call('atan2'),
    partials: (m, [y, x]) => {
      const r2 = m.add(m.mul(x, x), m.mul(y, y))
      return [m.div(x, r2), m.neg(m.div(y, r2))]
    },
    domain: [[0.3, 3], [0.3, 3]],
  },
} satisfies Record<string, Rule>
