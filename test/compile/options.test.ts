/**
 * The options of `compile`: `wrt` (order, names the program declares but does not use, the
 * default; any other name is an error), `fixed` (values of the variables not differentiated; a
 * missing one, an extra one or one that is not a number is an error that names it) and
 * `checkpoint` (any positive interval gives the same results).
 *
 * @example
 * compile(p, { wrt: ['x'], fixed: { y: 2 } })  // Right: f(x) with y = 2
 * compile(p, { wrt: ['x'] })                   // Left: names y
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { variable } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { evaluate } from '../../src/forward/index.js'
import { build } from '../../src/ops/build.js'
import { grad } from '../../src/reverse/index.js'
import { randomCases, sumCases, vectorCases, type Case } from './gen.js'
import { agree, expectClose, expectSame, splitWrt, unwrap } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

const [alpha, beta, gamma, delta] = ['alpha', 'beta', 'gamma', 'delta'].map((n) => variable(n))
/** Σ of 12 terms over four variables (so templates are used). */
const p = program([
  Array.from({ length: 12 }, (_, i) => build.mul(build.sin(build.add(alpha, i)), build.add(build.mul(beta, gamma), build.mul(delta, 0.1 * i)))).reduce((a, b) => build.add(a, b)),
])


describe('fixed', () => {
  it('variables not in wrt take their fixed values, in every mode (random subsets of wrt)', () => {
    fc.assert(
      fc.property(fc.oneof(randomCases(), sumCases(), vectorCases()), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (c, mask) => {
        agree(splitWrt(c, mask))
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('a missing fixed variable is an error naming every missing one, and only those', () => {
    const r = compile(p, { wrt: ['alpha'], fixed: { gamma: 1 } })
    expect(r._tag).toBe('Left')
    if (r._tag !== 'Left') return
    expect(r.left.message).toContain('beta')
    expect(r.left.message).toContain('delta')
    expect(r.left.message).not.toContain('gamma')
    expect(r.left.message).not.toContain('alpha')
  })

  it('with no options at all, every variable is an input, sorted', () => {
    const f = unwrap(compile(p))
    expect(f.names).toEqual(['alpha', 'beta', 'delta', 'gamma'])
    expect(f.inputs).toBe(4)
    expect(f.outputs).toBe(1)
  })

  it('a fixed entry that is not a number is an error naming it', () => {
    for (const [name, value, got] of [['beta', undefined, 'undefined'], ['gamma', '2', 'a string']] as const) {
      const fixed = { beta: 1, gamma: 2, delta: 1, [name]: value } as unknown as Record<string, number>
      expect(compile(p, { wrt: ['alpha'], fixed })).toMatchObject({ _tag: 'Left', left: { _tag: 'NotANumber', name, argument: 'fixed', got } })
    }
  })

  it('an extra fixed name, or a name both in wrt and fixed, is an error; inherited values do not count', () => {
    expect(compile(p, { wrt: ['alpha', 'beta'], fixed: { gamma: 0.5, delta: -2, unrelated: 7 } })).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'unrelated' } })
    expect(compile(p, { wrt: ['alpha', 'beta'], fixed: { beta: 100, gamma: 0.5, delta: -2 } })).toMatchObject({ _tag: 'Left', left: { _tag: 'DuplicateName', name: 'beta', also: 'wrt' } })
    expect(compile(p, { wrt: ['alpha', 'beta'], fixed: Object.assign(Object.create({ gamma: 0.5 }) as object, { delta: -2 }) })).toMatchObject({ _tag: 'Left', left: { _tag: 'MissingVariable', names: ['gamma'] } })
    const f = unwrap(compile(p, { wrt: ['alpha', 'beta'], fixed: { gamma: 0.5, delta: -2 } }))
    const x = Float64Array.of(0.3, -0.7)
    const point = { alpha: 0.3, beta: -0.7, gamma: 0.5, delta: -2 }
    expectSame('value', [f.value(x)], unwrap(evaluate(p, point)).values)
    const g = unwrap(grad(p, point, ['alpha', 'beta']))
    expectClose('grad', f.grad(x).gradient, [g.gradient.alpha, g.gradient.beta])
  })

  it('fixed values may be any number, NaN and infinities included', () => {
    for (const v of [NaN, Infinity, -0, 1e300]) {
      const f = unwrap(compile(p, { wrt: ['alpha', 'beta', 'gamma'], fixed: { delta: v } }))
      const x = Float64Array.of(0.1, 0.2, 0.3)
      expectSame(`value with delta = ${v}`, [f.value(x)], unwrap(evaluate(p, { alpha: 0.1, beta: 0.2, gamma: 0.3, delta: v })).values)
    }
  })

  it('two compiles with different fixed values do not share them', () => {
    const f1 = unwrap(compile(p, { wrt: ['alpha'], fixed: { beta: 1, gamma: 2, delta: 3 } }))
    const f2 = unwrap(compile(p, { wrt: ['alpha'], fixed: { beta: -1, gamma: 0.5, delta: 0 } }))
    const x = Float64Array.of(0.4)
    expectSame('f1', [f1.value(x)], unwrap(evaluate(p, { alpha: 0.4, beta: 1, gamma: 2, delta: 3 })).values)
    expectSame('f2', [f2.value(x)], unwrap(evaluate(p, { alpha: 0.4, beta: -1, gamma: 0.5, delta: 0 })).values)
    expectSame('f1 again', [f1.value(x)], unwrap(evaluate(p, { alpha: 0.4, beta: 1, gamma: 2, delta: 3 })).values)
  })
})

describe('wrt and checkpoint', () => {
  it('a wrt name the program does not have is an error; one it declares but does not use gets zero derivatives and ignores its input', () => {
    expect(compile(p, { wrt: ['ghost', 'alpha', 'beta', 'gamma', 'delta'] })).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'ghost' } })
    const declared = program(p.outputs, { variables: ['ghost'] })
    const f = unwrap(compile(declared, { wrt: ['ghost', 'alpha', 'beta', 'gamma', 'delta'] }))
    const x = Float64Array.of(123, 0.1, 0.2, 0.3, 0.4)
    const y = Float64Array.of(-5, 0.1, 0.2, 0.3, 0.4)
    expect(f.value(x)).toBe(f.value(y))
    expect(f.grad(x).gradient[0]).toBe(0)
    expect(f.hvp(x, x).hvp[0]).toBe(0)
    expect([...f.jacobian(x).jacobian].slice(0, 1)).toEqual([0])
  })

  it('checkpoint values of any size (and non-integers, rounded down) give the same results', () => {
    const x = Float64Array.of(0.1, 0.2, 0.3, 0.4)
    const want = unwrap(compile(p)).grad(x).gradient
    for (const k of [1, 2, 3, 4.5, 7, 32, 1000, 1e9]) {
      const f = unwrap(compile(p, { checkpoint: k }))
      expect([...f.grad(x).gradient].every((g, j) => Math.abs(g - want[j]) <= 1e-14 * Math.max(1, Math.abs(g)))).toBe(true)
    }
  })
})
