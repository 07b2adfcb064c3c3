/**
 * Issue 8, finding 1: second derivatives through a quotient partial. In the dual-number sweep the
 * partial of 1/s with respect to s used to be formed as a number, −(1/s)/s, before it met the
 * tangent, and underflowed to 0 although the product is an ordinary number. Partials written as
 * quotients (`m.over`) are now multiplied in by dividing the tangent first.
 */
import { describe, expect, it } from 'vitest'
import { parse } from '../../src/lang/index.js'
import { hessian, hvp } from '../../src/hvp/index.js'
import { cliJson } from '../cli/helpers.js'
import { unwrap } from '../core/helpers.js'

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))

/** Every entry within `tol` relative (exact zeros compare exactly). */
function expectMatrix(got: readonly (readonly number[])[], want: readonly (readonly number[])[], tol = 1e-13): void {
  want.forEach((row, i) => row.forEach((w, j) => expect(rel(got[i][j], w), `[${i}][${j}] = ${got[i][j]}, want ${w}`).toBeLessThanOrEqual(tol)))
}

describe('Hessians whose intermediate partials underflow', () => {
  it('chainrule hessian "log(exp(x)+exp(y))" --at x=700,y=700 is [[0.25,-0.25],[-0.25,0.25]] (was [[0.5,0],[0,0.5]])', () => {
    const r = cliJson(['hessian', 'log(exp(x)+exp(y))', '--at', 'x=700,y=700'])
    expectMatrix(r.hessian as number[][], [[0.25, -0.25], [-0.25, 0.25]])
    expect(r.warnings).toBeUndefined()
  })

  it('log-sum-exp at x = y = 370 (error 9e-3 before) and along the diagonal up to 709', () => {
    const p = unwrap(parse('log(exp(x)+exp(y))'))
    for (const t of [370, 400, 500, 600, 700, 709]) {
      const h = unwrap(hessian(p, { x: t, y: t }))
      expectMatrix(h.hessian, [[0.25, -0.25], [-0.25, 0.25]])
      expect(h.warnings).toEqual([])
    }
  })

  it('log-sum-exp off the diagonal: H = σ′(x − y)·[[1, −1], [−1, 1]]', () => {
    const p = unwrap(parse('log(exp(x)+exp(y))'))
    // σ′(1) = e/(1 + e)², computed once by hand in high precision.
    const s1 = 0.19661193324148185
    const h = unwrap(hessian(p, { x: 701, y: 700 }))
    expectMatrix(h.hessian, [[s1, -s1], [-s1, s1]], 1e-12)
  })

  it('exp(x)/(exp(x)+exp(y)) at (400, 399): H = σ″(1)·[[1, −1], [−1, 1]]', () => {
    // σ″(1) = σ′(1)(1 − 2σ(1)), in high precision.
    const s2 = -0.09085774767294841
    const h = unwrap(hessian(unwrap(parse('exp(x)/(exp(x)+exp(y))')), { x: 400, y: 399 }))
    expectMatrix(h.hessian, [[s2, -s2], [-s2, s2]], 1e-12)
  })

  it("log(cosh(x))'' at x = 400 is sech²(400) = 0 to double precision (was 1)", () => {
    const p = unwrap(parse('log(cosh(x))'))
    expect(unwrap(hessian(p, { x: 400 })).hessian[0][0]).toBe(0)
    // At moderate x the chain rule itself computes cosh·(1/cosh) − sinh·(sinh/cosh²) = 1 − tanh²,
    // a difference of two terms near 1 (as every AD system does for this program): the error is
    // absolute, a few ulps of 1, not relative to sech² x.
    for (const x of [1, 5, 10, 20]) expect(Math.abs(unwrap(hessian(p, { x })).hessian[0][0] - 1 / Math.cosh(x) ** 2)).toBeLessThan(4e-16)
  })

  it('the sparse Hessian and hvp give the same numbers', () => {
    const p = unwrap(parse('log(exp(x)+exp(y))'))
    expectMatrix(unwrap(hessian(p, { x: 700, y: 700 }, { sparse: true })).hessian, [[0.25, -0.25], [-0.25, 0.25]])
    const hv = unwrap(hvp(p, { x: 700, y: 700 }, { x: 1, y: 0 })).hvp
    expect([hv.x, hv.y]).toEqual([0.25, -0.25])
  })
})
