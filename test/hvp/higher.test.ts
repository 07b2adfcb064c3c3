/**
 * Derivatives of order k = 1..6 along one variable, by repeated symbolic differentiation
 * (`derivative` then `evaluate`) and by nested dual numbers (`derivativesAt`), against closed
 * forms:
 * - sin⁽ᵏ⁾(x) = sin(x + kπ/2);
 * - (eˣ sin x)⁽ᵏ⁾ = 2^(k/2) eˣ sin(x + kπ/4)   (eˣ sin x = Im e^{(1+i)x}, and 1 + i = √2 e^{iπ/4});
 * - (x+1)/(x−2) = 1 + 3/(x−2), so its k-th derivative is 3(−1)ᵏ k!/(x−2)^{k+1};
 * - 1/(1+x²) = Im 1/(x−i) (partial fractions over ℂ), so with x − i = r e^{−iθ}, r = √(1+x²),
 *   θ = atan2(1, x): its k-th derivative is (−1)ᵏ k! sin((k+1)θ) / r^{k+1}.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { evaluate } from '../../src/forward/index.js'
import { derivative, derivativesAt } from '../../src/hvp/index.js'
import { build } from '../../src/ops/build.js'
import { close, unwrap } from './gen.js'
import { getForwardKernels } from '../../src/forward/kernels.js'
import { getHvpKernels } from '../../src/hvp/kernels.js'
import { linearize } from '../../src/tape/tape.js'
import { evalTape } from '../core/helpers.js'

const { add, div, exp, mul, pow, sin, sub } = build
const x = variable('x')
const y = variable('y')

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1))

/** The k-th derivative of 1/(1+x²). */
const invSquare = (t: number, k: number): number =>
  ((-1) ** k * factorial(k) * Math.sin((k + 1) * Math.atan2(1, t))) / (1 + t * t) ** ((k + 1) / 2)

interface Case {
  readonly name: string
  readonly f: Node
  readonly closed: (x: number, k: number) => number
  readonly at: readonly number[]
}

const cases: readonly Case[] = [
  { name: 'sin(x)', f: sin(x), closed: (t, k) => Math.sin(t + (k * Math.PI) / 2), at: [-2.5, 0, 0.7, 3] },
  {
    name: 'exp(x)*sin(x)',
    f: mul(exp(x), sin(x)),
    closed: (t, k) => 2 ** (k / 2) * Math.exp(t) * Math.sin(t + (k * Math.PI) / 4),
    at: [-1.3, 0, 0.4, 2],
  },
  {
    name: '(x+1)/(x-2)',
    f: div(add(x, 1), sub(x, 2)),
    closed: (t, k) => (k === 0 ? (t + 1) / (t - 2) : (3 * (-1) ** k * factorial(k)) / (t - 2) ** (k + 1)),
    at: [-3, 0.5, 2.7, 5],
  },
  { name: '1/(1+x*x)', f: div(1, add(1, mul(x, x))), closed: invSquare, at: [-1.7, 0, 0.3, 2.2] },
  // Written with pow, sampled away from 0: at x = 0 the nested duals meet pow's base partial
  // b·a^(b−1) at a = 0, b = 0 (from differentiating x^1), which is 0·∞ = NaN in the table.
  { name: '1/(1+x^2)', f: div(1, add(1, pow(x, 2))), closed: invSquare, at: [-1.7, 0.3, 2.2] },
]

describe.each(cases)('$name: k = 1..6', ({ f, closed, at }) => {
  const p = program([f])

  it('nested duals give every order 0..6 at once, matching the closed form', () => {
    for (const t of at) {
      const r = unwrap(derivativesAt(p, { x: t }, 'x', 6))
      expect(r.derivatives).toHaveLength(7)
      r.derivatives.forEach((d, k) => {
        if (!close(d, closed(t, k), 1e-11)) throw new Error(`order ${k} at ${t}: ${d} vs ${closed(t, k)}`)
      })
      expect(r.derivative).toBe(r.derivatives[6])
      expect(r.value).toBe(r.derivatives[0])
    }
  })

  it('repeated symbolic differentiation matches the closed form and the nested duals', () => {
    for (let k = 1; k <= 6; k++) {
      const dk = unwrap(derivative(p, 'x', k))
      expect(dk.outputs).toHaveLength(1)
      expect(dk.vector).toBe(false)
      for (const t of at) {
        const symbolic = unwrap(evaluate(dk, { x: t })).values[0]
        const dual = unwrap(derivativesAt(p, { x: t }, 'x', k)).derivative
        if (!close(symbolic, closed(t, k), 1e-11)) throw new Error(`order ${k} at ${t}: ${symbolic} vs ${closed(t, k)}`)
        expect(close(symbolic, dual, 1e-11)).toBe(true)
      }
    }
  })
})

describe('derivative and derivativesAt in general', () => {
  it('k = 0 is the program itself; other variables are held fixed', () => {
    const p = program([mul(sin(x), pow(y, 3))])
    expect(unwrap(derivative(p, 'x', 0))).toBe(p)
    const r = unwrap(derivativesAt(p, { x: 0.5, y: 2 }, 'y', 3))
    expect(r.derivatives).toEqual([8 * Math.sin(0.5), 12 * Math.sin(0.5), 12 * Math.sin(0.5), 6 * Math.sin(0.5)])
  })

  it('a name that is not a variable is an error; a declared variable the program does not use: every derivative is 0', () => {
    expect(derivativesAt(program([sin(x)]), { x: 1 }, 'q', 2)).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'q' } })
    expect(derivative(program([sin(x)]), 'q', 2)).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'q' } })
    const p = program([sin(x)], { variables: ['q'] })
    expect(unwrap(derivativesAt(p, { x: 1 }, 'q', 2)).derivatives).toEqual([Math.sin(1), 0, 0])
    const d = unwrap(derivative(p, 'q', 2))
    expect(d.variables).toEqual(['q', 'x'])
    expect(unwrap(evaluate(d, { x: 1 })).values).toEqual([0])
  })

  it('bad orders and vector programs are errors', () => {
    const p = program([sin(x)])
    for (const k of [-1, 1.5, NaN]) {
      expect(derivative(p, 'x', k)).toMatchObject({ _tag: 'Left', left: { _tag: 'BadArgument' } })
      expect(derivativesAt(p, { x: 1 }, 'x', k)).toMatchObject({ _tag: 'Left', left: { _tag: 'BadArgument' } })
    }
    const two = program([x, y], { vector: true })
    expect(derivative(two, 'x', 1)).toMatchObject({ _tag: 'Left', left: { _tag: 'BadArgument' } })
    expect(derivativesAt(program([sin(x)]), {}, 'x', 1)).toMatchObject({ _tag: 'Left', left: { _tag: 'MissingVariable' } })
  })

  it('polynomials: the k-th derivative of x^n is n!/(n−k)! x^(n−k), and 0 past n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: -2, max: 2, noNaN: true }), (n, k, t) => {
        let f: Node = constant(1)
        for (let i = 0; i < n; i++) f = mul(f, x)
        const expected = k > n ? 0 : (factorial(n) / factorial(n - k)) * t ** (n - k)
        const r = unwrap(derivativesAt(program([f], { variables: ['x'] }), { x: t }, 'x', k))
        expect(close(r.derivative, expected, 1e-12)).toBe(true)
      }),
    )
  })
})

describe('the fast H·v sweep at a constant exponent (session 11 trial)', () => {
  it('(x − 1)^2 · y at x < 1 gives a finite H·v without the careful sweeps', () => {
    // ∂(∂f/∂d)/∂(exponent) is d^1·log d, NaN at d < 0; the exponent's tangent is 0, and the fast
    // sweep multiplied them (NaN), so every H·v through x^2 at a negative base fell back to the
    // careful sweeps (compiled Rosenbrock at its standard start point: 18 ms for 0.1 ms).
    const tape = linearize([mul(pow(sub(x, 1), 2), y)], ['x', 'y'])
    const v = evalTape(tape, (name) => (name === 'x' ? -0.5 : 3))
    const t = new Float64Array(tape.size)
    const dir = { x: 1, y: 2 }
    tape.wrt.forEach((name, j) => (t[tape.wrtSlots[j] as number] = dir[name as 'x' | 'y']))
    getForwardKernels().jvp(tape.op, tape.a0, tape.a1, v, t, tape.leaves, tape.size)
    const g = new Float64Array(tape.size)
    const h = new Float64Array(tape.size)
    g[tape.outputs[0] as number] = 1
    getHvpKernels().hvp(tape.op, tape.a0, tape.a1, v, t, g, h, tape.activeOrder, tape.activeOrder.length)
    // f = (x − 1)²·y: H = [[2y, 2(x − 1)], [2(x − 1), 0]] at (−0.5, 3): H·(1, 2) = (6 − 6, −3) = (0, −3).
    const [hx, hy] = tape.wrtSlots
    expect([h[hx as number], h[hy as number]]).toEqual([0, -3])
  })
})
