/**
 * Piecewise and activation functions. The non-differentiable points follow JAX and PyTorch:
 * relu′(0) = 0, abs′(0) = 0, and a tie in max/min splits the adjoint evenly. Each such point is
 * declared as a `kink`, so the evaluators can warn when they meet one. The partials are written
 * with `sign` so that they are expressions again (and can be differentiated once more).
 */
import { anywhere, call, type Rule } from './rule.js'

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
/** log(1 + eˣ) without overflow for large x or loss of precision for very negative x. */
const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)))
const half = 0.5

export const piecewise = {
  relu: {
    // relu′(x) = step(x): 1 for x > 0, and 0 for x ≤ 0 (the convention at 0). Written with the
    // argument, not the output: sign(relu(x)) would sit on sign's jump for every x ≤ 0.
    arity: 1, fn: (x) => (x > 0 ? x : x <= 0 ? 0 : x), syntax: call('relu'),
    partials: (m, [x]) => [m.step(x)],
    domain: [anywhere],
    kink: { distance: ([x]) => Math.abs(x), convention: "relu is not differentiable at 0; used relu'(0) = 0" },
  },
  abs: {
    arity: 1, fn: Math.abs, syntax: call('abs'),
    partials: (m, [x]) => [m.sign(x)],
    domain: [anywhere],
    kink: { distance: ([x]) => Math.abs(x), convention: "abs is not differentiable at 0; used abs'(0) = 0" },
  },
  sign: {
    // Piecewise constant: derivative 0 everywhere it exists (a structural zero).
    arity: 1, fn: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), syntax: call('sign'),
    partials: () => [null],
    domain: [anywhere],
    kink: { distance: ([x]) => Math.abs(x), convention: "sign jumps at 0; used sign'(0) = 0" },
  },
  step: {
    // Heaviside's step with step(0) = 0 (so that relu′(0) = 0); derivative a structural zero.
    arity: 1, fn: (x) => (x > 0 ? 1 : x <= 0 ? 0 : x), syntax: call('step'),
    partials: () => [null],
    domain: [anywhere],
    kink: { distance: ([x]) => Math.abs(x), convention: "step jumps at 0; used step'(0) = 0" },
  },
  max: {
    // ∂a = (1 + sign(a − b))/2: 1 if a wins, 0 if b wins, 1/2 on a tie.
    arity: 2, fn: Math.max, syntax: call('max'),
    partials: (m, [a, b]) => {
      const s = m.sign(m.sub(a, b))
      return [m.mul(m.c(half), m.add(m.c(1), s)), m.mul(m.c(half), m.sub(m.c(1), s))]
    },
    domain: [anywhere, anywhere],
    kink: { distance: ([a, b]) => Math.abs(a - b), convention: 'max has a tie; the derivative is split evenly between its inputs (each gets half)' },
  },
  min: {
    arity: 2, fn: Math.min, syntax: call('min'),
    partials: (m, [a, b]) => {
      const s = m.sign(m.sub(a, b))
      return [m.mul(m.c(half), m.sub(m.c(1), s)), m.mul(m.c(half), m.add(m.c(1), s))]
    },
    domain: [anywhere, anywhere],
    kink: { distance: ([a, b]) => Math.abs(a - b), convention: 'min has a tie; the derivative is split evenly between its inputs (each gets half)' },
  },
  sigmoid: {
    // σ′ = σ(1 − σ) = ¼ sech²(x/2), written as (¼/c)/c with c = cosh(x/2): σ(1 − σ) loses all
    // relative accuracy as σ → 1 (σ′(40) = 4.2e-18 would be 0), and the product rule on σ(x)σ(−x)
    // would cancel in σ″ near 0.
    arity: 1, fn: sigmoid, syntax: call('sigmoid'),
    partials: (m, [x]) => {
      const c = m.cosh(m.mul(m.c(half), x))
      return [m.over(m.div(m.c(0.25), c), c)]
    },
    domain: [anywhere],
  },
  softplus: {
    arity: 1, fn: softplus, syntax: call('softplus'),
    partials: (m, [x]) => [m.sigmoid(x)],
    domain: [anywhere],
  },
} satisfies Record<string, Rule>
