/**
 * Output buffers and state: a compiled object reuses the `out` buffer it is given (and returns
 * that very object), allocates fresh arrays otherwise (results of one call are not overwritten by
 * the next), leaves its inputs alone, and carries no state from one call to the next: any sequence
 * of calls at other points gives, at x₂, exactly what a fresh compile gives at x₂. Plans that read
 * x and write gradients in place (`stats.direct`) agree with the interpreted sweeps, and an output
 * array that shares memory with an input still gets the right result.
 *
 * @example
 * const out = new Float64Array(f.inputs)
 * f.grad(x, out).gradient === out  // true
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compile, type Compiled } from '../../src/compile/index.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { chainCases, randomCases, sumCases, vectorCases, type Case } from './gen.js'
import { agree, expectClose, hvpScale, reference, unwrap, vjpScale } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

/**
 * Every result of every mode at x, as plain arrays (copied out of whatever buffers). `value`,
 * `grad` and `hvp` refuse several outputs: their entries are then empty.
 */
function everything(f: Compiled, x: Float64Array, dir: Float64Array, w: Float64Array): number[][] {
  const scalar = f.outputs === 1
  const g = scalar ? f.grad(x) : undefined
  const j = f.jvp(x, dir)
  const v = f.vjp(x, w)
  const J = f.jacobian(x)
  const h = scalar ? f.hvp(x, dir) : undefined
  const value = scalar ? [f.value(x)] : []
  return [value, [...f.values(x)], g ? [g.value] : [], [...(g?.gradient ?? [])], [...j.values], [...j.tangents], [...v.values], [...v.vjp], [...J.values], [...J.jacobian], h ? [h.value] : [], [...(h?.hvp ?? [])]]
}

/** Bit-for-bit equality of number arrays (Object.is: NaN equals NaN, 0 and −0 differ). */
const identical = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean =>
  a.length === b.length && a.every((row, i) => row.length === b[i].length && row.every((x, k) => Object.is(x, b[i][k])))

const other = (x: Float64Array): Float64Array => x.map((v, i) => 0.5 * v + 0.3 * Math.sin(i + 1) - 0.1)

const compileCase = (c: Case, checkpoint?: number): Compiled => unwrap(compile(c.program, { wrt: c.wrt, fixed: c.fixed, checkpoint }))

describe('no state leaks between calls', () => {
  const cases = fc.oneof(randomCases(), sumCases(), vectorCases(), chainCases({ maxNodes: 150 }))

  it('calls at x₁ (in any order of modes) then at x₂ equal a fresh compile at x₂', () => {
    fc.assert(
      fc.property(cases, fc.constantFrom<number | undefined>(undefined, 1, 4), fc.nat({ max: 4 }), (c, k, first) => {
        const f = compileCase(c, k)
        const x1 = other(c.x)
        // Some calls at x₁, starting with a different mode each time.
        const at1 = everything(f, x1, c.dir, c.weights)
        const scalar = f.outputs === 1
        const modes = [() => scalar && f.hvp(x1, c.dir), () => f.jacobian(x1), () => f.jvp(x1, c.dir), () => f.vjp(x1, c.weights), () => scalar && f.grad(x1)]
        for (let i = 0; i < modes.length; i++) modes[(first + i) % modes.length]()
        const at2 = everything(f, c.x, c.dir, c.weights)
        const fresh = everything(compileCase(c, k), c.x, c.dir, c.weights)
        if (!identical(at2, fresh)) throw new Error(`results at x₂ depend on earlier calls: ${JSON.stringify(at2)} vs ${JSON.stringify(fresh)}`)
        // Calling at x₁ again gives the first results again.
        if (!identical(everything(f, x1, c.dir, c.weights), at1)) throw new Error('results at x₁ changed')
      }),
      { numRuns: 150 },
    )
  })

  it('results returned without out buffers are not overwritten by later calls; inputs are not modified', () => {
    fc.assert(
      fc.property(fc.oneof(sumCases(), vectorCases()), (c) => {
        const f = compileCase(c)
        const x = c.x.slice()
        const dir = c.dir.slice()
        const w = c.weights.slice()
        const first = f.outputs === 1 ? f.grad(x).gradient : f.vjp(x, w).vjp
        const saved = first.slice()
        const vals = f.values(x)
        const savedVals = vals.slice()
        const J = f.jacobian(x)
        const savedJ = J.jacobian.slice()
        everything(f, other(x), dir, w)
        expect([...first]).toEqual([...saved])
        expect([...vals]).toEqual([...savedVals])
        expect([...J.jacobian]).toEqual([...savedJ])
        expect([...x]).toEqual([...c.x])
        expect([...dir]).toEqual([...c.dir])
        expect([...w]).toEqual([...c.weights])
      }),
      { numRuns: 60 },
    )
  })
})

describe('out buffers', () => {
  it('each mode writes into the given buffer and returns that very object', () => {
    fc.assert(
      fc.property(fc.oneof(randomCases(), sumCases(), vectorCases()), (c) => {
        const f = compileCase(c)
        const n = f.inputs
        const m = f.outputs
        const fresh = everything(compileCase(c), c.x, c.dir, c.weights)
        // Buffers full of garbage: every entry must be written.
        const garbage = (len: number): Float64Array => new Float64Array(len).fill(12345.678)
        const outs = { values: garbage(m), grad: garbage(n), jvp: garbage(m), vjp: garbage(n), jac: garbage(m * n), hvp: garbage(n) }
        for (let round = 0; round < 2; round++) {
          const x = round === 0 ? other(c.x) : c.x
          expect(f.values(x, outs.values)).toBe(outs.values)
          if (m === 1) expect(f.grad(x, outs.grad).gradient).toBe(outs.grad)
          expect(f.jvp(x, c.dir, outs.jvp).tangents).toBe(outs.jvp)
          expect(f.vjp(x, c.weights, outs.vjp).vjp).toBe(outs.vjp)
          expect(f.jacobian(x, outs.jac).jacobian).toBe(outs.jac)
          if (m === 1) expect(f.hvp(x, c.dir, outs.hvp).hvp).toBe(outs.hvp)
        }
        // After the second round (at c.x) the buffers hold the fresh compile's results.
        const scalarOnly = (out: Float64Array): number[] => (m === 1 ? [...out] : [])
        const got = [[...outs.values], scalarOnly(outs.grad), [...outs.jvp], [...outs.vjp], [...outs.jac], scalarOnly(outs.hvp)]
        const want = [fresh[1], fresh[3], fresh[5], fresh[7], fresh[9], fresh[11]]
        if (!identical(got, want)) throw new Error(`out buffers: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`)
      }),
      { numRuns: 100 },
    )
  })

  it('the same buffer can serve successive calls at many points (an optimiser loop)', () => {
    const c = fc.sample(sumCases({ minTerms: 30, maxTerms: 30 }), { numRuns: 1, seed: 42 })[0]
    const f = compileCase(c)
    const g = new Float64Array(f.inputs)
    const x = c.x.slice()
    for (let it = 0; it < 50; it++) {
      const r = f.grad(x, g)
      expect(r.gradient).toBe(g)
      const want = compileCase(c).grad(x).gradient
      expect([...g]).toEqual([...want])
      for (let j = 0; j < x.length; j++) x[j] -= 1e-3 * (Number.isFinite(g[j]) ? Math.max(-1, Math.min(1, g[j])) : 0)
    }
  })

  it('an output array or weights of the wrong length are an error, not a partial result', () => {
    const c = fc.sample(sumCases({ minTerms: 20, maxTerms: 20 }), { numRuns: 1, seed: 7 })[0]
    const f = compileCase(c)
    const n = f.inputs
    const m = f.outputs
    const short = (len: number): Float64Array => new Float64Array(Math.max(0, len - 1))
    expect(() => f.grad(c.x, short(n))).toThrow(RangeError)
    expect(() => f.grad(c.x, new Float64Array(n + 1))).toThrow(RangeError)
    expect(() => f.hvp(c.x, c.dir, short(n))).toThrow(RangeError)
    expect(() => f.vjp(c.x, c.weights, short(n))).toThrow(RangeError)
    expect(() => f.vjp(c.x, new Float64Array(m + 1))).toThrow(RangeError)
    expect(() => f.jacobian(c.x, short(m * n))).toThrow(RangeError)
    expect(() => f.jvp(c.x, c.dir, new Float64Array(m + 1))).toThrow(RangeError)
    expect(() => f.values(c.x, new Float64Array(m + 1))).toThrow(RangeError)
  })

  it('a wrong number of inputs is an error, not a silent misread', () => {
    const c = fc.sample(sumCases({ minTerms: 20, maxTerms: 20 }), { numRuns: 1, seed: 7 })[0]
    const f = compileCase(c)
    expect(f.inputs).toBeGreaterThan(0)
    expect(() => f.grad(new Float64Array(f.inputs + 1))).toThrow(RangeError)
    expect(() => f.value(new Float64Array(f.inputs - 1))).toThrow(RangeError)
    expect(() => f.hvp(new Float64Array(f.inputs + 2), new Float64Array(f.inputs))).toThrow(RangeError)
  })

  it('inputs that are no Float64Array are an error, as output arrays are (session 11 trial)', () => {
    // A Float32Array was read rounded (−215.60006 for −215.6), a plain array or strings coerced.
    const c = fc.sample(sumCases({ minTerms: 20, maxTerms: 20 }), { numRuns: 1, seed: 7 })[0]
    const f = compileCase(c)
    const names = f.names.join(', ')
    expect(() => f.grad(Float32Array.from(c.x) as never)).toThrow(`expected the inputs (${names}) as a Float64Array, got a Float32Array`)
    expect(() => f.value(Array.from(c.x) as never)).toThrow(`expected the inputs (${names}) as a Float64Array, got an array`)
    expect(() => f.hvp(undefined as never, c.dir)).toThrow(`expected the inputs (${names}) as a Float64Array, got undefined`)
    expect(() => f.jvp(Array.from(c.x, String) as never, c.dir)).toThrow(TypeError)
  })

  it('a dense Jacobian too large to allocate by itself is refused, with the sparse route named (session 11 trial)', () => {
    // Broyden with n = 20 000: compile(F).jacobian(x) allocated 3.2 GB and took 26 s.
    const n = 5000
    const x = Array.from({ length: n }, (_, i) => variable(`x${i}`))
    const F = program(x.map((xi, i) => build.sub(build.mul(xi, xi), x[(i + 1) % n] as Node)))
    const f = unwrap(compile(F))
    expect(() => f.jacobian(new Float64Array(n))).toThrow("the Jacobian is 5000×5000, 25000000 entries (0.2 GiB dense): for a sparse problem use jacobian(program, point, { sparse: true, format: 'csr' }), or pass the dense array as out to have it anyway")
  })
})

describe('inputs read in place', () => {
  it('plans over repeated terms read x and write the gradient in place, and agree with the interpreted sweeps', () => {
    let direct = 0
    let shared = 0
    fc.assert(
      fc.property(sumCases(), (c) => {
        const f = agree(c)
        if (f.stats.direct) direct++
        if (f.stats.direct && f.stats.shared > 0) shared++
      }),
      { numRuns: 120 },
    )
    // Coverage: many of these plans are direct (about a quarter), and some also read variables
    // elsewhere (on the tape, in segments).
    expect(direct).toBeGreaterThan(12)
    expect(shared).toBeGreaterThan(3)
  })

  it('an output that shares memory with an input is still right (the call then copies)', () => {
    fc.assert(
      fc.property(sumCases(), (c) => {
        const f = compileCase(c)
        const n = f.inputs
        const want = everything(compileCase(c), c.x, c.dir, c.weights)
        const ref = reference(c)
        // grad and hvp take programs with one output (sums may have two).
        if (f.outputs === 1) {
          // The gradient over x itself, and into the other half of x's buffer.
          const x1 = c.x.slice()
          f.grad(x1, x1)
          const buf = new Float64Array(2 * n)
          buf.set(c.x)
          const g2 = f.grad(buf.subarray(0, n), buf.subarray(n)).gradient
          // H·v over the direction, and over x.
          const d1 = c.dir.slice()
          f.hvp(c.x, d1, d1)
          const x2 = c.x.slice()
          f.hvp(x2, c.dir, x2)
          // Shared variables' adjoints sum in another order on the copying path: equal to rounding
          // (relative to the path scale, as in every comparison of sums).
          expectClose('grad into x', x1, want[3], ref.scale[0])
          expectClose('grad into x’s buffer', g2, want[3], ref.scale[0])
          expectClose('hvp into the direction', d1, want[11], hvpScale(c))
          expectClose('hvp into x', x2, want[11], hvpScale(c))
        }
        // wᵀJ into the rest of the weights' buffer.
        const m = f.outputs
        const wbuf = new Float64Array(m + n)
        wbuf.set(c.weights)
        const v1 = f.vjp(c.x, wbuf.subarray(0, m), wbuf.subarray(m)).vjp
        expectClose('vjp into the weights’ buffer', v1, want[7], vjpScale(ref, c.weights, n))
      }),
      { numRuns: 60 },
    )
  })
})

describe('buffers of the wrong type (session 10 trial: a Float32Array rounded every result silently)', () => {
  it('an output or params array that is no Float64Array is a TypeError naming it', () => {
    const p = program([build.mul(build.sin(variable('x')), variable('y'))])
    const f = unwrap(compile(p))
    const x = Float64Array.of(0.5, 2)
    expect(() => f.grad(x, new Float32Array(2) as never)).toThrow('expected a gradient array as a Float64Array, got a Float32Array')
    expect(() => f.values(x, [0] as never)).toThrow('as a Float64Array, got an array')
    const g = unwrap(compile(p, { wrt: ['x'], params: ['y'] }))
    expect(() => g.withParams([2] as never)).toThrow('expected the params as a Float64Array, got an array')
    expect(g.withParams(Float64Array.of(2)).value(Float64Array.of(0.5))).toBe(Math.sin(0.5) * 2)
  })
})

describe('warnings(x) for second derivatives (session 10 trial: it said nothing about hvp)', () => {
  it('with a direction, the interpreted H·v warnings', () => {
    const f = unwrap(compile(program([build.div(1e-10, build.mul(variable('x'), variable('x')))])))
    const x = Float64Array.of(1e-78)
    expect([...f.hvp(x, Float64Array.of(1)).hvp]).toEqual([Infinity])
    expect(f.warnings(x).length).toBeGreaterThanOrEqual(0)
    expect(f.warnings(x, undefined, Float64Array.of(1)).map((w) => w._tag)).toContain('NonFiniteDerivative')
    const h = unwrap(compile(program([build.hypot(build.mul(2, variable('y')), variable('y'))])))
    expect(h.warnings(Float64Array.of(1e-200), undefined, Float64Array.of(1)).map((w) => w._tag)).toContain('InexactDerivative')
  })
})
