/**
 * Sparse Jacobians: the pattern read off the graph (bitsets and index lists agree), colourings,
 * compressed sweeps, and Broyden tridiagonal with n = 10⁴ in one sweep of 3 colours.
 */
import { describe, expect, it } from 'vitest'
import { isLeft } from 'fp-ts/lib/Either.js'
import { colourColumns, colourRows, groupsOf } from '../../src/jacobian/colour.js'
import { factsOf } from '../../src/jacobian/facts.js'
import { jacobian, sparsityPattern, toCoo, toCsr, toDense } from '../../src/jacobian/index.js'
import { bitsetBytes, columnView, patternOf } from '../../src/jacobian/pattern.js'
import { parse } from '../../src/lang/index.js'
import { tapeFor } from '../../src/tape/tape.js'
import { broyden, unwrap } from './gen.js'

describe('the sparsity pattern', () => {
  it('lists which inputs reach which outputs', () => {
    const p = unwrap(parse('[x*y, sin(z), 2, x]'))
    const s = unwrap(sparsityPattern(p, ['x', 'y', 'z']))
    expect(s.shape).toEqual([4, 3])
    expect(Array.from(s.rowPtr)).toEqual([0, 2, 3, 3, 4])
    expect(Array.from(s.colIdx)).toEqual([0, 1, 2, 0])
    expect(s.nnz).toBe(4)
  })

  it('is the same from bitsets and from index lists, with or without a budget', () => {
    for (const p of [broyden(50), unwrap(parse('a = x*y; b = a + z; [a*b, sin(b) + w, w*w, x]'))]) {
      const f = factsOf(tapeFor(p.outputs, p.variables))
      const bits = patternOf(f)
      const lists = patternOf(f, 1e9)
      expect(lists).toEqual(bits)
      expect(patternOf(f, 3)).toBeUndefined()
    }
  })

  it('refuses a name repeated in wrt, or one the program does not have', () => {
    const p = unwrap(parse('[x*y, y]'))
    expect(sparsityPattern(p, ['y', 'x', 'y'])).toMatchObject({ _tag: 'Left', left: { _tag: 'DuplicateName', name: 'y' } })
    expect(sparsityPattern(p, ['x', 'w'])).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'w' } })
  })
})

describe('colouring', () => {
  it('tridiagonal columns take 3 colours: j, j + 3, j + 6, ... share one', () => {
    const q = broyden(30)
    const tape = tapeFor(q.outputs, q.variables)
    const p = unwrap(sparsityPattern(q))
    const view = columnView(p)
    const cols = colourColumns(p, view, tape.wrtSlots)
    expect(cols?.colours).toBe(3)
    const rows = colourRows(p, view, tape.outputs)
    expect(rows?.colours).toBe(3)
    const groups = groupsOf(cols!)
    expect(groups.ptr[groups.ptr.length - 1]).toBe(30)
  })

  it('gives up when the work would exceed the budget', () => {
    const p = unwrap(sparsityPattern(broyden(30)))
    expect(colourColumns(p, columnView(p), new Int32Array(30), 10)).toBeUndefined()
  })
})

describe('Broyden tridiagonal with n = 10,000', () => {
  const n = 10_000
  const p = broyden(n)
  const x = Object.fromEntries(p.variables.map((v) => [v, -1]))

  it('finds the pattern with index lists: bitsets would take more than their memory cap', () => {
    const f = factsOf(tapeFor(p.outputs, p.variables))
    expect(f.tape.size * Math.ceil(n / 32) * 4).toBeGreaterThan(bitsetBytes)
    const s = patternOf(f)
    expect(s?.nnz).toBe(3 * n - 2)
    expect(Array.from(s?.colIdx.subarray(s.rowPtr[4999], s.rowPtr[5000]) ?? [])).toEqual([4998, 4999, 5000])
  })

  it('takes one sweep of 3 colours; at this size the default dense format is refused, with the way out', () => {
    const dense = jacobian(p, x, { sparse: true })
    expect(isLeft(dense) && dense.left.message).toMatch(/10000×10000 with 29998 structural non-zeros: ask for format: 'csr'/)
    const r = unwrap(jacobian(p, x, { sparse: true, format: 'csr' }))
    expect([r.mode, r.sweeps, r.colours]).toEqual(['forward', 1, 3])
    expect(r.cost.sparse).toEqual({ nnz: 3 * n - 2, columnColours: 3, rowColours: 3, used: true })
    const J = toCsr(r.jacobian)
    expect(J.shape).toEqual([n, n])
    expect(J.values.length).toBe(3 * n - 2)
    expect(J.colIdx.slice(0, 5)).toEqual([0, 1, 0, 1, 2])
    expect(J.values.slice(0, 5)).toEqual([7, -2, -1, 7, -2])
    expect(J.values.slice(-2)).toEqual([-1, 7])
  })

  it('the auto mode finds the sparsity by itself; reverse mode colours the rows', () => {
    const auto = unwrap(jacobian(p, x, { format: 'coo' }))
    expect([auto.sweeps, auto.colours]).toEqual([1, 3])
    expect(auto.jacobian.values.length).toBe(3 * n - 2)
    const rev = unwrap(jacobian(p, x, { mode: 'reverse', sparse: true, format: 'csr' }))
    expect([rev.mode, rev.sweeps, rev.colours]).toEqual(['reverse', 1, 3])
    expect(rev.jacobian).toEqual(toCsr(auto.jacobian))
  })

  it('colours well whatever the variable order (names that scatter the neighbours)', () => {
    const q = broyden(200, (i) => `x${(i * 37) % 200}`) // neighbours are 37 apart in wrt (37 is prime to 200)
    const pt = Object.fromEntries(q.variables.map((v) => [v, -1]))
    const r = unwrap(jacobian(q, pt, { sparse: true }))
    expect(r.colours).toBe(3)
    const dense = toDense(unwrap(jacobian(q, pt, { sparse: false })).jacobian)
    expect(toDense(r.jacobian)).toEqual(dense)
  })
})

describe('formats', () => {
  it('dense, COO and CSR hold the same matrix', () => {
    const p = unwrap(parse('[x*y, sin(z), 2*x + z]'))
    const pt = { x: 1, y: 2, z: 0 }
    const dense = unwrap(jacobian(p, pt, { format: 'dense' })).jacobian
    const coo = unwrap(jacobian(p, pt, { format: 'coo' })).jacobian
    const csr = unwrap(jacobian(p, pt, { format: 'csr' })).jacobian
    expect(coo).toEqual({ format: 'coo', shape: [3, 3], rows: [0, 0, 1, 2, 2], cols: [0, 1, 2, 0, 2], values: [2, 1, 1, 2, 1] })
    expect(csr).toEqual({ format: 'csr', shape: [3, 3], rowPtr: [0, 2, 3, 5], colIdx: [0, 1, 2, 0, 2], values: [2, 1, 1, 2, 1] })
    expect(toDense(coo)).toEqual(dense)
    expect(toDense(csr)).toEqual(dense)
    expect(toCoo(csr)).toEqual(coo)
    expect(toCsr(coo)).toEqual(csr)
  })

  it('a compressed Jacobian keeps structural zeros in sparse form', () => {
    const p = unwrap(parse('[x*y, y]'))
    const r = unwrap(jacobian(p, { x: 1, y: 0 }, { sparse: true, format: 'coo' }))
    expect(r.jacobian).toEqual({ format: 'coo', shape: [2, 2], rows: [0, 0, 1], cols: [0, 1, 1], values: [0, 1, 1] })
  })
})
