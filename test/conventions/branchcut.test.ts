/**
 * Issue 8, finding 6: atan2 jumps by 2π across its branch cut (x < 0, y = ±0) and is not
 * differentiable at the origin; like sign's jump, both are declared kinks, so the evaluators warn
 * where they meet them, and nowhere else.
 */
import { describe, expect, it } from 'vitest'
import { derivativeAt } from '../../src/forward/index.js'
import { parse } from '../../src/lang/index.js'
import { table } from '../../src/ops/table.js'
import { grad } from '../../src/reverse/index.js'
import { cliJson } from '../cli/helpers.js'
import { unwrap } from '../core/helpers.js'

const p = unwrap(parse('atan2(y, x)'))
const kinked = (at: Record<string, number>): boolean => unwrap(grad(p, at)).warnings.some((w) => w._tag === 'NonDifferentiable')

describe('atan2 branch cut', () => {
  it('is a declared kink of the table', () => {
    const k = table.atan2.kink
    expect(k).toBeDefined()
    expect(k?.distance([0, -1])).toBe(0)
    expect(k?.distance([-0, -3])).toBe(0)
    expect(k?.distance([0, 0])).toBe(0)
    expect(k?.distance([1e-300, -1])).toBeGreaterThan(0)
    expect(k?.distance([0, 1])).toBeGreaterThan(0)
  })

  it('grad "atan2(y,x)" --at x=-1,y=0 warns (the value jumps from π to −π)', () => {
    const r = cliJson(['grad', 'atan2(y,x)', '--at', 'x=-1,y=0'])
    expect(r.value).toBe(Math.PI)
    // The one-sided derivative: ∂y = x/r² = −1, ∂x = −y/r² = 0.
    expect(r.gradient).toEqual({ x: 0, y: -1 })
    expect(r.warnings).toEqual([expect.stringContaining('branch cut')])
  })

  it('warns on the cut (y = ±0, x < 0) and at the origin, and nowhere near them', () => {
    expect(kinked({ x: -1, y: 0 })).toBe(true)
    expect(kinked({ x: -1e300, y: -0 })).toBe(true)
    expect(kinked({ x: 0, y: 0 })).toBe(true)
    expect(kinked({ x: -1, y: 1e-300 })).toBe(false)
    expect(kinked({ x: 1, y: 0 })).toBe(false)
    expect(kinked({ x: 0, y: 1 })).toBe(false)
    // Forward mode warns too.
    expect(unwrap(derivativeAt(p, { x: -2, y: 0 }, 'y')).warnings.some((w) => w._tag === 'NonDifferentiable')).toBe(true)
  })
})
