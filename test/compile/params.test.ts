/**
 * Params: inputs that are not differentiated and are given at call time (`compile(p, { wrt,
 * params })`, then `withParams(values)`). A program compiled once with params gives, in every mode
 * and for any values, exactly the numbers of the same program compiled with those values `fixed`
 * (bit for bit: params are slots like fixed variables, never literals in a template); changing the
 * values between calls needs no new compile. Wrong names are typed errors naming them.
 *
 * @example
 * const fit = orThrow(compile(p, { wrt: ['a', 'b'], params: ['t1', 'y1'] }))
 * fit.withParams(data).grad(x)   // = compile(p, { wrt: ['a', 'b'], fixed: { t1, y1 } }).grad(x)
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compile, type Compiled } from '../../src/compile/index.js'
import { variable } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { parse } from '../../src/lang/index.js'
import { grad } from '../../src/reverse/index.js'
import { randomCases, sumCases, vectorCases, type Case } from './gen.js'
import { agree, expectSame, record, splitWrt, unwrap } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })


/** Every function of `f` at case `c`, as plain arrays (with both Jacobian modes from `g`). */
function everything(f: Compiled, c: Case): Record<string, number[]> {
  const m = c.program.outputs.length
  const out: Record<string, number[]> = {
    values: [...f.values(c.x)],
    jvp: [...f.jvp(c.x, c.dir).tangents],
    vjp: [...f.vjp(c.x, c.weights).vjp],
    jacobian: [...f.jacobian(c.x).jacobian],
  }
  if (m === 1) {
    const g = f.grad(c.x)
    const h = f.hvp(c.x, c.dir)
    Object.assign(out, { value: [f.value(c.x)], grad: [g.value, ...g.gradient], hvp: [h.value, ...h.hvp] })
  }
  return out
}

const expectEverythingSame = (got: Record<string, number[]>, want: Record<string, number[]>): void => {
  expect(Object.keys(got)).toEqual(Object.keys(want))
  for (const k of Object.keys(want)) expectSame(k, got[k] ?? [], want[k] ?? [])
}

/** The values of the params of `c` (its fixed variables, in `names` order), shifted by `shift`. */
const valuesOf = (c: Case, names: readonly string[], shift: number): Float64Array => Float64Array.from(names, (n, k) => (c.fixed[n] ?? 0) + shift * Math.sin(k + 1))

describe('params agree with fixed, bit for bit, in every mode', () => {
  it('over random DAGs, sums and vector programs, both Jacobian modes, values changed between calls', () => {
    fc.assert(
      fc.property(fc.oneof(randomCases(), sumCases(), vectorCases()), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.constantFrom<'forward' | 'reverse'>('forward', 'reverse'), (c0, mask, mode) => {
        const c = splitWrt(c0, mask)
        const names = Object.keys(c.fixed)
        const family = unwrap(compile(c.program, { wrt: c.wrt, params: names, mode }))
        expect(family.params).toEqual(names)
        // The same compiled functions at three sets of values: the case's, and two others.
        for (const shift of [0, 0.5, -0.25]) {
          const p = valuesOf(c, names, shift)
          const fixed = record(names, p)
          const want = unwrap(compile(c.program, { wrt: c.wrt, fixed, mode }))
          expectEverythingSame(everything(family.withParams(p), c), everything(want, c))
        }
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('the compiled functions at the case values agree with the interpreted evaluators (the oracle)', () => {
    fc.assert(
      fc.property(fc.oneof(sumCases(), vectorCases()), (c) => {
        // agree() compiles with fixed; the params view is bit-equal to it (above), checked here once more.
        const f = agree(c)
        const names = Object.keys(c.fixed)
        const viaParams = unwrap(compile(c.program, { wrt: c.wrt, params: names })).withParams(Float64Array.from(names, (n) => c.fixed[n] ?? 0))
        expectEverythingSame(everything(viaParams, c), everything(f, c))
      }),
      { numRuns: 60 },
    )
  })
})

// -------------------------------------------------------------------------------------------------
// A curve fit whose data change every call
// -------------------------------------------------------------------------------------------------

/** Σᵢ (a·exp(b·tᵢ) + c − yᵢ)² over `n` points, the data tᵢ, yᵢ as variables. */
function fit(n: number) {
  const [a, b, c] = ['a', 'b', 'c'].map((name) => variable(name))
  const ts = Array.from({ length: n }, (_, i) => variable(`t${i}`))
  const ys = Array.from({ length: n }, (_, i) => variable(`y${i}`))
  let s = build.pow(build.sub(build.add(build.mul(a, build.exp(build.mul(b, ts[0]))), c), ys[0]), 2)
  for (let i = 1; i < n; i++) s = build.add(s, build.pow(build.sub(build.add(build.mul(a, build.exp(build.mul(b, ts[i]))), c), ys[i]), 2))
  const names = [...ts.map((t) => t.name), ...ys.map((y) => y.name)]
  return { p: program([s]), names }
}

describe('data that change every call', () => {
  const { p, names } = fit(40)
  const family = unwrap(compile(p, { wrt: ['a', 'b', 'c'], params: names }))
  const data = new Float64Array(names.length)
  const f = family.withParams(data)
  const x = Float64Array.of(1.5, -0.7, 0.2)

  it('uses templates (the data are not baked into them), and each batch gives the interpreted gradient', () => {
    expect(f.stats.templates).toBeGreaterThan(0)
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 40; i++) {
        data[i] = 0.05 * i + batch
        data[40 + i] = Math.cos(i + 3 * batch)
      }
      const r = f.grad(x)
      const ref = unwrap(grad(p, { ...record(names, data), a: x[0], b: x[1], c: x[2] }, ['a', 'b', 'c']))
      expect(r.value).toBe(ref.value)
      for (const [j, name] of ['a', 'b', 'c'].entries()) expect(Math.abs((r.gradient[j] ?? NaN) - (ref.gradient[name] ?? NaN))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.gradient[name] ?? 0)))
    }
  })

  it('two views of one compiled program keep their own data, called in turn', () => {
    const d1 = Float64Array.from(names, (_, k) => Math.sin(k))
    const d2 = Float64Array.from(names, (_, k) => Math.cos(k))
    const [v1, v2] = [family.withParams(d1), family.withParams(d2)]
    const alone1 = unwrap(compile(p, { wrt: ['a', 'b', 'c'], fixed: record(names, d1) })).grad(x).gradient
    const alone2 = unwrap(compile(p, { wrt: ['a', 'b', 'c'], fixed: record(names, d2) })).grad(x).gradient
    for (let k = 0; k < 3; k++) {
      expectSame('view 1', v1.grad(x).gradient, alone1)
      expectSame('view 2', v2.grad(x).gradient, alone2)
    }
  })

  it('an output array may share memory with the params (they are read before anything is written)', () => {
    const d = Float64Array.from(names, (_, k) => 0.1 * k)
    const want = [...family.withParams(d).values(x)]
    const shared = new Float64Array(names.length)
    shared.set(d)
    const out = shared.subarray(0, 1)
    expect([...family.withParams(shared).values(x, out)]).toEqual(want)
  })
})

describe('the careful fallback (0·∞ = 0) reads the params too', () => {
  it('sqrt(x)·q + y at x = 0 with the param q = 0: the compiled ∞·0 is redone by the interpreted sweep', () => {
    const p = unwrap(parse('sqrt(x)*q + y'))
    const f = unwrap(compile(p, { wrt: ['x', 'y'], params: ['q'] })).withParams(Float64Array.of(0))
    expect([...f.grad(Float64Array.of(0, 1)).gradient]).toEqual([0, 1])
    expect(f.warnings(Float64Array.of(0, 1)).length).toBeGreaterThan(0)
    const g = unwrap(compile(p, { wrt: ['x', 'y'], params: ['q'] })).withParams(Float64Array.of(2))
    expect(g.grad(Float64Array.of(0, 1)).gradient[0]).toBe(Infinity)
  })
})

describe('names and calls', () => {
  const p = unwrap(parse('a*t + b*u + c'))

  it('params are given by name, in the order of the params vector; fixed still works beside them', () => {
    const f = unwrap(compile(p, { wrt: ['a', 'b'], params: ['u', 't'], fixed: { c: 10 } }))
    expect(f.names).toEqual(['a', 'b'])
    expect(f.params).toEqual(['u', 't'])
    expect(f.withParams(Float64Array.of(3, 2)).value(Float64Array.of(1, 1))).toBe(2 + 3 + 10)
  })

  it('a compiled program without params: params is empty and withParams takes an empty array', () => {
    const f = unwrap(compile(p, { fixed: {} }))
    expect(f.params).toEqual([])
    expect(f.withParams(new Float64Array(0)).value(Float64Array.of(1, 2, 3, 4, 5))).toBe(f.value(Float64Array.of(1, 2, 3, 4, 5)))
    expect(() => f.withParams(Float64Array.of(1))).toThrow(new RangeError('expected 0 params, got 1'))
  })

  it('the functions of a program compiled with params throw until the params are given', () => {
    const f = unwrap(compile(p, { wrt: ['a', 'b', 'c'], params: ['t', 'u'] })) as unknown as Compiled
    const message = 'this program was compiled with params (t, u): give their values with withParams(p)'
    const x = Float64Array.of(1, 2, 3)
    for (const call of [() => f.value(x), () => f.grad(x), () => f.values(x), () => f.jvp(x, x), () => f.vjp(x, Float64Array.of(1)), () => f.jacobian(x), () => f.hvp(x, x), () => f.warnings(x)]) {
      expect(call).toThrow(new RangeError(message))
    }
    expect(() => f.withParams(Float64Array.of(1))).toThrow(new RangeError('expected 2 params (t, u), got 1'))
  })

  it('before the params are given the functions are not in the type (a Parametric); withParams gives a Compiled', () => {
    const family = unwrap(compile(p, { wrt: ['a', 'b', 'c'], params: ['t', 'u'] }))
    const typeErrors = (): void => {
      // @ts-expect-error grad is not there until the params are bound
      family.grad(Float64Array.of(1, 2, 3))
      // @ts-expect-error nor is value
      family.value(Float64Array.of(1, 2, 3))
    }
    expect(typeof typeErrors).toBe('function')
    const f: Compiled = family.withParams(Float64Array.of(1, 2))
    expect(f.value(Float64Array.of(1, 2, 3))).toBe(1 + 4 + 3)
  })

  it('wrong names are typed errors naming them', () => {
    const left = (options: Parameters<typeof compile>[1]): string => {
      const r = compile(p, options)
      return r._tag === 'Left' ? `${r.left._tag}: ${r.left.message}` : 'Right'
    }
    expect(left({ wrt: ['a', 'b', 'c'], params: ['t', 'u', 'a'] })).toBe("BadArgument: param 'a' is also in wrt (params are not differentiated)")
    expect(left({ wrt: ['a', 'b', 'c'], params: ['t', 'v'] })).toBe("BadArgument: param 'v' is not a variable of the program (did you mean 'u'?)")
    expect(left({ wrt: ['a', 'b', 'c'], params: ['t', 'zzz'] })).toBe("BadArgument: param 'zzz' is not a variable of the program")
    expect(left({ wrt: ['a', 'b', 'c'], params: ['t', 't', 'u'] })).toBe("BadArgument: param 't' is given twice")
    expect(left({ wrt: ['a', 'b', 'c'], params: ['t', 'u'], fixed: { t: 1 } })).toBe("BadArgument: param 't' is also fixed")
    expect(left({ wrt: ['a', 'b', 'c'], params: ['t'] })).toBe("MissingVariable: variable 'u' is neither in wrt, params nor fixed")
    expect(left({ wrt: ['a'], params: ['t'] })).toBe("MissingVariable: variables 'b', 'c', 'u' are neither in wrt, params nor fixed")
  })
})
