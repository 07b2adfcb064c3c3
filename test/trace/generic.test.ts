/**
 * The other route for a user's own code: a function written once over the generic number system,
 * `<T>(m: M<T>, …) => T`, run over plain numbers (its value), over dual numbers (forward mode,
 * without building a graph; duals of duals for second derivatives) and over nodes (a program, then
 * every mode of the toolkit). The three agree: values bit for bit, derivatives with the interpreted
 * `grad` and `hvp` of the traced program.
 *
 * @example
 * const f = <T>(m: M<T>, x: T, y: T): T => m.mul(m.add(x, y), m.sin(x))
 * f(mathOf(numbers), 1, 2)                            // 2.5244
 * f(mathOf(dualOf(numbers)), dual(1, 1), dual(2, 0))  // { value: 2.5244, tangent: ∂f/∂x }
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dual, dualOf, grad, hvp, mathOf, nodes, numbers, orThrow, trace, type Dual, type M } from '../../src/index.js'

/** A function of the kind people write: a softplus-smoothed loss with a log-sum-exp and a ratio. */
function loss<T>(m: M<T>, x: T, y: T): T {
  const s = m.log(m.add(m.exp(x), m.exp(m.mul(m.c(0.5), y))))
  const r = m.div(m.sin(m.mul(x, y)), m.add(m.c(2), m.cos(x)))
  return m.add(m.softplus(m.sub(s, r)), m.mul(m.c(0.1), m.pow(y, m.c(2))))
}

const coord = fc.integer({ min: -2000, max: 2000 }).map((i) => i / 1000)

describe('one function, three number systems', () => {
  const program = orThrow(trace((x, y) => loss(mathOf(nodes), x, y)))
  const N = mathOf(numbers)
  const D = mathOf(dualOf(numbers))
  const DD = mathOf(dualOf(dualOf(numbers)))

  it('numbers give the value; duals the value and a directional derivative; nodes a program with the same values and gradient', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, (x, y, u, v) => {
        const value = loss(N, x, y)
        const g = orThrow(grad(program, { x, y }))
        expect(g.value).toBe(value)
        const d = loss(D, dual(x, u), dual(y, v))
        expect(d.value).toBe(value)
        const directional = (g.gradient.x ?? NaN) * u + (g.gradient.y ?? NaN) * v
        expect(Math.abs(d.tangent - directional)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(directional), Math.abs(g.gradient.x ?? 0) * Math.abs(u) + Math.abs(g.gradient.y ?? 0) * Math.abs(v)))
      }),
      { numRuns: 200 },
    )
  })

  it('duals of duals give second derivatives: uᵀH·v agrees with hvp of the traced program', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, (x, y, u, v) => {
        // x + ε₁u + ε₂v…: the tangent of the tangent is the second derivative along (u, v) twice.
        const at = (a: number, da: number): Dual<Dual<number>> => dual(dual(a, da), dual(da, 0))
        const dd = loss(DD, at(x, u), at(y, v))
        const h = orThrow(hvp(program, { x, y }, { x: u, y: v })).hvp
        const want = (h.x ?? NaN) * u + (h.y ?? NaN) * v
        expect(Math.abs(dd.tangent.tangent - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)))
      }),
      { numRuns: 100 },
    )
  })
})
