/**
 * Known Jacobians: residual functions of the Moré–Garbow–Hillstrom test set at their standard
 * starting points, with the Jacobians derived by hand, checked in every mode, dense and
 * compressed.
 */
import { describe, expect, it } from 'vitest'
import { variable } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { jacobian, toDense, type JacobianOptions } from '../../src/jacobian/index.js'
import { parse } from '../../src/lang/index.js'
import { build } from '../../src/ops/build.js'
import { broyden, mismatch, unwrap } from './gen.js'

const variants: readonly JacobianOptions[] = [
  { mode: 'auto' },
  { mode: 'forward' },
  { mode: 'reverse' },
  { mode: 'auto', sparse: true },
  { mode: 'forward', sparse: true },
  { mode: 'reverse', sparse: true },
  { mode: 'auto', sparse: false },
]

/** Checks values and Jacobian in every variant, to 1e-14 relative. */
function check(p: Program, point: Record<string, number>, values: readonly number[], J: readonly (readonly number[])[], wrt?: readonly string[]): void {
  for (const options of variants) {
    const r = unwrap(jacobian(p, point, { ...options, wrt }))
    r.values.forEach((v, i) => expect(v).toBeCloseTo(values[i], 13))
    const bad = mismatch(toDense(r.jacobian), J, 1e-14)
    if (bad !== undefined) throw new Error(`${JSON.stringify(options)}: ${bad}`)
  }
}

const parsed = (source: string): Program => unwrap(parse(source))

describe('Moré–Garbow–Hillstrom residuals at their starting points', () => {
  it('Rosenbrock: f₁ = 10(x₂ − x₁²), f₂ = 1 − x₁ at (−1.2, 1)', () => {
    // ∂f₁ = (−20x₁, 10) = (24, 10); ∂f₂ = (−1, 0). Values: 10(1 − 1.44) = −4.4, 2.2.
    check(parsed('[10*(x2 - x1^2), 1 - x1]'), { x1: -1.2, x2: 1 }, [-4.4, 2.2], [
      [24, 10],
      [-1, 0],
    ])
  })

  it('Powell singular at (3, −1, 0, 1)', () => {
    // f₁ = x₁ + 10x₂, f₂ = √5(x₃ − x₄), f₃ = (x₂ − 2x₃)², f₄ = √10(x₁ − x₄)².
    // ∂f₃ = (0, 2(x₂ − 2x₃), −4(x₂ − 2x₃), 0) = (0, −2, 4, 0); ∂f₄ = 2√10(x₁ − x₄)(1, 0, 0, −1), x₁ − x₄ = 2.
    const s5 = Math.sqrt(5)
    const s10 = Math.sqrt(10)
    check(
      parsed('[x1 + 10*x2, sqrt(5)*(x3 - x4), (x2 - 2*x3)^2, sqrt(10)*(x1 - x4)^2]'),
      { x1: 3, x2: -1, x3: 0, x4: 1 },
      [-7, -s5, 1, 4 * s10],
      [
        [1, 10, 0, 0],
        [0, 0, s5, -s5],
        [0, -2, 4, 0],
        [4 * s10, 0, 0, -4 * s10],
      ],
    )
  })

  it('Helical valley at (−1, 0, 0)', () => {
    // θ = atan(x₂/x₁)/2π + 1/2 for x₁ < 0 (= atan2(x₂, x₁)/2π there, away from the cut's jump).
    // f₁ = 10(x₃ − 10θ): ∂θ/∂x₁ = −x₂/(2πr²) = 0, ∂θ/∂x₂ = x₁/(2πr²) = −1/2π, so ∂f₁ = (0, 50/π, 10).
    // f₂ = 10(r − 1), r = √(x₁² + x₂²): ∂f₂ = 10(x₁, x₂, 0)/r = (−10, 0, 0). f₃ = x₃: (0, 0, 1).
    const p = parsed('theta = atan(x2/x1)/(2*pi) + 0.5\n[10*(x3 - 10*theta), 10*(sqrt(x1^2 + x2^2) - 1), x3]')
    check(p, { x1: -1, x2: 0, x3: 0 }, [-50, 0, 0], [
      [0, 50 / Math.PI, 10],
      [-10, 0, 0],
      [0, 0, 1],
    ])
  })

  it('Broyden tridiagonal, n = 5, at x = −1', () => {
    // ∂fᵢ/∂xᵢ = 3 − 4xᵢ = 7, ∂fᵢ/∂xᵢ₋₁ = −1, ∂fᵢ/∂xᵢ₊₁ = −2. Values: (3 + 2)(−1) + 1 = −4, then +1 for xᵢ₋₁ and +2 for xᵢ₊₁ where they exist.
    const p = broyden(5)
    const x = Object.fromEntries(p.variables.map((v) => [v, -1]))
    check(p, x, [-2, -1, -1, -1, -3], [
      [7, -2, 0, 0, 0],
      [-1, 7, -2, 0, 0],
      [0, -1, 7, -2, 0],
      [0, 0, -1, 7, -2],
      [0, 0, 0, -1, 7],
    ])
  })
})

describe('other known Jacobians', () => {
  it('an arrowhead: one dense row needs n column colours but only 2 row colours', () => {
    // f₀ = Σ xᵢ², fᵢ = sin(xᵢ): column colours = 40 (3 forward sweeps), row colours = 2.
    const n = 40
    const x = Array.from({ length: n }, (_, i) => variable(`a${String(i).padStart(2, '0')}`))
    const p = program([x.map((xi) => build.mul(xi, xi)).reduce((a, b) => build.add(a, b)), ...x.map((xi) => build.sin(xi))])
    const point = Object.fromEntries(x.map((_, i) => [`a${String(i).padStart(2, '0')}`, 0.1 * i]))
    const J = [x.map((_, i) => 0.2 * i), ...x.map((_, i) => x.map((__, j) => (i === j ? Math.cos(0.1 * i) : 0)))]
    check(p, point, [x.reduce((s, _, i) => s + (0.1 * i) ** 2, 0), ...x.map((_, i) => Math.sin(0.1 * i))], J)
    const fwd = unwrap(jacobian(p, point, { mode: 'forward', sparse: true }))
    expect([fwd.sweeps, fwd.colours]).toEqual([3, 40])
    const rev = unwrap(jacobian(p, point, { mode: 'reverse', sparse: true }))
    expect([rev.sweeps, rev.colours]).toEqual([1, 2])
  })

  it('the document’s (x + y)·z as a 1 × 3 Jacobian', () => {
    const p = parsed('(x + y)*z')
    check(p, { x: -2, y: 5, z: -4 }, [-12], [[-4, -4, 3]])
  })
})
