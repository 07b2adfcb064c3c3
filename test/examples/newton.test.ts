/**
 * `npm run example:newton`, checked: Newton's method on the Broyden tridiagonal system of 1,000
 * unknowns converges quadratically, and the toolkit's sparse Jacobian is the tridiagonal matrix
 * written by hand, entry for entry.
 */
import { describe, expect, it } from 'vitest'
import { bandOf, broyden, residualAndJacobian, solve, solveBanded } from '../../examples/newton.js'
import type { CsrMatrix } from '../../src/index.js'

describe('example: Newton on the Broyden tridiagonal system', () => {
  it('converges to ‖F‖∞ ≤ 1e-10 in at most 10 steps at n = 1000, quadratically', () => {
    const r = solve(1000)
    expect(r.converged).toBe(true)
    expect(r.residuals.at(-1)).toBeLessThanOrEqual(1e-10)
    expect(r.residuals.length - 1).toBeLessThanOrEqual(10)
    // The order of convergence p in r(k+1) ≈ C·r(k)^p, estimated from three successive residuals
    // above round-off: log(r(k+1)/r(k)) / log(r(k)/r(k−1)) → 2 for Newton's method.
    const above = r.residuals.filter((v) => v > 1e-13)
    const orders = above.slice(2).map((v, k) => Math.log(v / above[k + 1]) / Math.log(above[k + 1] / above[k]))
    expect(orders.length).toBeGreaterThanOrEqual(2)
    for (const p of orders.slice(-2)) expect(p).toBeGreaterThan(1.8)
    expect(r).toMatchObject({ band: { lower: 1, upper: 1 }, nonZeros: 3 * 1000 - 2, mode: 'forward', sweeps: 1, colours: 3 })
  })

  it('computes the Jacobian J = tridiag(−1, 3 − 4xᵢ, −2) exactly', () => {
    const n = 1000
    // Multiples of 1/8: every product and sum below is exact in floating point.
    const x = Float64Array.from({ length: n }, (_, i) => ((i % 7) - 3) / 8)
    const rowPtr = [0]
    const colIdx: number[] = []
    const values: number[] = []
    for (let i = 0; i < n; i++) {
      if (i > 0) colIdx.push(i - 1), values.push(-1)
      colIdx.push(i), values.push(3 - 4 * x[i])
      if (i < n - 1) colIdx.push(i + 1), values.push(-2)
      rowPtr.push(colIdx.length)
    }
    const F = Array.from(x, (xi, i) => (3 - 2 * xi) * xi - (x[i - 1] ?? 0) - 2 * (x[i + 1] ?? 0) + 1)
    const r = residualAndJacobian(broyden(n), x)
    expect(r.jacobian).toEqual({ format: 'csr', shape: [n, n], rowPtr, colIdx, values })
    expect(r.values).toEqual(F)
  })

  it('solves a banded system wider than tridiagonal (2 below, 1 above)', () => {
    const n = 7
    const rowPtr = [0]
    const colIdx: number[] = []
    const values: number[] = []
    for (let i = 0; i < n; i++) {
      for (let j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 1); j++) colIdx.push(j), values.push(i === j ? 6 + i : i - j + 0.5 * j)
      rowPtr.push(colIdx.length)
    }
    const a: CsrMatrix = { format: 'csr', shape: [n, n], rowPtr, colIdx, values }
    const band = bandOf(rowPtr, colIdx)
    expect(band).toEqual({ lower: 2, upper: 1 })
    const want = Float64Array.from({ length: n }, (_, i) => i - 3)
    const b = new Float64Array(n)
    for (let i = 0; i < n; i++) for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) b[i] += values[k] * want[colIdx[k]]
    const got = solveBanded(a, band, b)
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i], 12)
    expect(() => solveBanded(a, { lower: 1, upper: 1 }, b)).toThrow(/outside the band/)
  })
})
