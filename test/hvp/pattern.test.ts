/**
 * The Hessian's sparsity pattern read from the graph, and its colouring: the per-op structure
 * derived from the rule table, hand-checked patterns, the number of colours on banded Hessians,
 * and the fall-back to a dense pattern when listing the couplings would cost more than n².
 */
import { describe, expect, it } from 'vitest'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { distance2Colouring, hessian, hessianPattern, isStructurallyOrthogonal, opStructure, patternSize, sparseHessian } from '../../src/hvp/index.js'
import { build } from '../../src/ops/build.js'
import { opCode } from '../../src/ops/table.js'
import type { OpTag } from '../../src/ops/tags.js'
import { tapeFor } from '../../src/tape/tape.js'
import { close, maxAbs, unwrap } from './gen.js'

const { add, exp, mul, sin, stop_gradient } = build
const x = variable('x')
const y = variable('y')
const z = variable('z')

const structureOf = (op: OpTag) => opStructure()[opCode[op]]
const rows = (f: Node, wrt: readonly string[]): number[][] => {
  const p = hessianPattern(tapeFor([f], wrt))
  return Array.from({ length: p.n }, (_, i) => Array.from(p.cols.subarray(p.rowStart[i], p.rowStart[i + 1])))
}

describe('op structure, derived from the rule table', () => {
  it('linear and piecewise-linear ops couple nothing', () => {
    for (const op of ['add', 'sub', 'neg', 'relu', 'abs', 'max', 'min'] as const) expect(structureOf(op).second).toEqual([])
  })
  it('x·y couples its two arguments only; x/y also y with itself', () => {
    expect(structureOf('mul')).toEqual({ first: [true, true], second: [[0, 1], [1, 0]] })
    expect(structureOf('div').second).toEqual([[0, 1], [1, 0], [1, 1]])
  })
  it('smooth unary ops couple their argument with itself', () => {
    for (const op of ['sin', 'exp', 'log', 'tanh', 'sigmoid'] as const) expect(structureOf(op)).toEqual({ first: [true], second: [[0, 0]] })
  })
  it('stop_gradient and sign cut the dependence', () => {
    expect(structureOf('stop_gradient')).toEqual({ first: [false], second: [] })
    expect(structureOf('sign')).toEqual({ first: [false], second: [] })
  })
})

describe('hessianPattern', () => {
  it('(x+y)·z: x and y couple with z only', () => {
    expect(rows(mul(add(x, y), z), ['x', 'y', 'z'])).toEqual([[2], [2], [0, 1]])
  })
  it('sin(x·y) + exp(z): a 2×2 block and a diagonal entry', () => {
    expect(rows(add(sin(mul(x, y)), exp(z)), ['x', 'y', 'z'])).toEqual([[0, 1], [0, 1], [2]])
  })
  it('stop_gradient hides its argument: x·stop_gradient(x·y)', () => {
    expect(rows(mul(x, stop_gradient(mul(x, y))), ['x', 'y'])).toEqual([[], []])
  })
  it('wrt restricts the pattern to its variables, in its order', () => {
    expect(rows(mul(add(x, y), z), ['z', 'x'])).toEqual([[1], [0]])
  })
})

/** Σᵢ sin(xᵢ·xᵢ₊₁) + xᵢ³: a tridiagonal Hessian. */
function tridiagonal(n: number) {
  const xs = Array.from({ length: n }, (_, i) => variable(`t${String(i).padStart(4, '0')}`))
  let f: Node = constant(0)
  for (let i = 0; i < n; i++) {
    f = add(f, mul(xs[i], mul(xs[i], xs[i])))
    if (i + 1 < n) f = add(f, sin(mul(xs[i], xs[i + 1])))
  }
  const point = Object.fromEntries(xs.map((v, i) => [(v as { name: string }).name, Math.cos(i)]))
  return { p: program([f]), point }
}

describe('colouring', () => {
  it('a tridiagonal Hessian takes 3 passes and equals the dense one', () => {
    const { p, point } = tridiagonal(100)
    const pattern = hessianPattern(tapeFor(p.outputs, p.variables))
    expect(patternSize(pattern)).toBe(100 + 2 * 99)
    const colouring = distance2Colouring(pattern)
    expect(colouring.count).toBe(3)
    expect(isStructurallyOrthogonal(pattern, colouring)).toBe(true)
    const dense = unwrap(hessian(p, point, { sparse: false }))
    const sparse = unwrap(hessian(p, point, { sparse: true }))
    expect(dense.sweeps).toBe(100)
    expect(sparse.sweeps).toBe(3)
    // Without the option, hessian looks for the pattern itself (from 8 variables on), as jacobian does.
    expect(unwrap(hessian(p, point)).sweeps).toBe(3)
    expect(unwrap(hessian(tridiagonal(5).p, tridiagonal(5).point)).sweeps).toBe(5)
    const scale = maxAbs(dense.hessian)
    dense.hessian.forEach((row, i) => row.forEach((v, j) => expect(close(sparse.hessian[i][j], v, 1e-14, scale)).toBe(true)))
  })

  it('coordinates list the pattern row by row', () => {
    const { p, point } = tridiagonal(5)
    const r = unwrap(sparseHessian(p, point))
    expect(r.rows).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4])
    expect(r.cols).toEqual([0, 1, 0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4])
    expect(r.sweeps).toBe(3)
  })

  it('a dense Hessian is not coloured: n passes', () => {
    const xs = ['a', 'b', 'c', 'd'].map((n) => variable(n))
    const p = program([exp(xs.reduce<Node>((s, v) => add(s, v), constant(0)))])
    const r = unwrap(hessian(p, { a: 0.1, b: 0.2, c: 0.3, d: 0.4 }, { sparse: true }))
    expect(r.sweeps).toBe(4)
    r.hessian.flat().forEach((v) => expect(close(v, Math.exp(1), 1e-15)).toBe(true))
  })

  it('when listing the couplings would cost more than n², the pattern is dense', () => {
    // Σₖ exp(x₀ + … + xₖ): each exp couples k² pairs, n³/3 in all.
    const xs = Array.from({ length: 60 }, (_, i) => variable(`s${String(i).padStart(2, '0')}`))
    let sum: Node = constant(0)
    let f: Node = constant(0)
    for (const v of xs) {
      sum = add(sum, v)
      f = add(f, exp(mul(0.01, sum)))
    }
    const pattern = hessianPattern(tapeFor([f], xs.map((v) => (v as { name: string }).name)))
    expect(pattern.dense).toBe(true)
    expect(patternSize(pattern)).toBe(3600)
  })

  it('when the variable sets alone would outgrow the graph, the pattern is dense', () => {
    // sₖ = sin(sₖ₋₁ + xₖ): every sₖ depends on k variables, n²/2 set entries in all.
    const n = 3000
    const names = Array.from({ length: n }, (_, i) => `c${String(i).padStart(4, '0')}`)
    let s: Node = constant(0)
    for (const name of names) s = sin(add(s, variable(name)))
    expect(hessianPattern(tapeFor([s], names)).dense).toBe(true)
  })
})
