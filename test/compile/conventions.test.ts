/**
 * The conventions of the interpreted evaluators hold inside templates and reductions too: at the
 * non-differentiable points (relu′(0) = 0, abs′(0) = 0, a max/min tie splits the adjoint evenly,
 * sign′ = 0) and for explicit zeros (a zero adjoint is not multiplied by its partials, so an
 * infinite partial behind a zero adjoint contributes nothing). Compiled functions do not check,
 * but `warnings(x)` reports what the interpreted sweeps report at x.
 *
 * @example
 * compile(Σ relu(x_i)).grad(zeros)  // zeros, like grad(Σ relu(x_i), zeros)
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { hvp } from '../../src/hvp/index.js'
import { grad } from '../../src/reverse/index.js'
import { makeCase, randomCases, sumCases, vectorCases } from './gen.js'
import { agree, record, unwrap } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

/** Coordinates on a coarse grid: zeros and ties (kinks) are common. */
const grid = fc.constantFrom(-1, -0.5, 0, 0, 0.5, 1)

describe('kinks inside templates', () => {
  it('random sums and vector programs at points with zeros and ties agree in every mode', () => {
    fc.assert(
      fc.property(fc.oneof(sumCases({ point: grid }), vectorCases({ point: grid }), randomCases({ point: grid })), fc.constantFrom<number | undefined>(undefined, 1), (c, k) => {
        agree(c, k, { hvpWhereGradientFinite: true })
      }),
      { numRuns: 200 },
    )
  }, 120_000)

  it('relu, abs, sign, max and min at their kinks, 24 instances each', () => {
    const n = 24
    const x = Array.from({ length: n }, (_, i) => variable(`k${i}`))
    const terms: ((a: Node, b: Node) => Node)[] = [
      (a, b) => build.mul(build.relu(a), b),
      (a, b) => build.mul(build.abs(a), build.add(b, 1)),
      (a, b) => build.add(build.mul(build.sign(a), b), a),
      (a, b) => build.mul(build.max(a, b), build.sin(a)),
      (a, b) => build.mul(build.min(a, build.mul(b, 2)), build.cos(b)),
    ]
    for (const t of terms) {
      const outs = x.map((a, i) => t(a, x[(i + 1) % n]))
      for (const p of [program(outs, { vector: true }), program([outs.reduce((a, b) => build.add(a, b))])]) {
        // Zeros at every other variable, ties between neighbours elsewhere.
        const values = x.map((_, i) => (i % 2 === 0 ? 0 : i % 4 === 1 ? 0.5 : 1))
        const c = makeCase('kinks', p, p.variables, [], { values, dir: values.map((_, i) => 1 - 0.1 * i).concat([0]), weights: outs.map((_, i) => (i % 3) - 1), wrtStyle: 0 })
        expect(agree(c).stats.templates).toBeGreaterThan(0)
      }
    }
  })
})

describe('explicit zeros inside templates', () => {
  // BUG (src/compile/template.ts, `reverseTree` as used by `gradBody`/`hvpBody`): inside a
  // template, a node's adjoint is `gi * p` even when it is 0 at run time, and it is then multiplied
  // by the partials below it. When one of those partials is infinite, 0·∞ = NaN lands in the
  // gradient. The tape kernels (and every interpreted evaluator) skip zero adjoints, so the same
  // program gives 0 when it has no template (one term) and NaN when it has one (20 terms).
  // Minimal: Σ_{i<20} relu(log(x_i)) at x = 0: log(0) = −∞, relu′ = 0, log′(0) = +∞.
  // Expected gradient 0 (interpreted `grad`, and `compile` of a single term); got NaN. H·v
  // likewise (NaN instead of 0).
  const sumOf = (n: number, f: (x: Node) => Node): Program =>
    program([Array.from({ length: n }, (_, i) => f(variable(`e${String(i).padStart(2, '0')}`))).reduce((a, b) => build.add(a, b))])
  const zero = (p: Program): Record<string, number> => record(p.variables, p.variables.map(() => 0))

  it('without a template the compiled gradient of relu(log(x)) at 0 is 0, like the interpreter', () => {
    const p = sumOf(1, (x) => build.relu(build.log(x)))
    expect(unwrap(grad(p, zero(p))).gradient.e00).toBe(0)
    expect(unwrap(compile(p)).stats.templates).toBe(0)
    expect([...unwrap(compile(p)).grad(new Float64Array(1)).gradient]).toEqual([0])
  })

  it('the interpreter gives 0 for 20 terms', () => {
    const p = sumOf(20, (x) => build.relu(build.log(x)))
    expect(Object.values(unwrap(grad(p, zero(p))).gradient).every((g) => g === 0)).toBe(true)
    expect(Object.values(unwrap(hvp(p, zero(p), zero(p))).hvp).every((g) => g === 0)).toBe(true)
  })

  it('Σ relu(log(x_i)) over 20 terms (a template) at x = 0: gradient 0, not NaN', () => {
    const p = sumOf(20, (x) => build.relu(build.log(x)))
    const f = unwrap(compile(p))
    expect(f.stats.templates).toBeGreaterThan(0)
    expect([...f.grad(new Float64Array(20)).gradient]).toEqual(new Array(20).fill(0))
  })

  it('Σ log(x_i)·stop_gradient(x_i) over 20 terms at x = 0: gradient 0 (as interpreted), not NaN', () => {
    const p = sumOf(20, (x) => build.mul(build.log(x), build.stop_gradient(x)))
    expect(Object.values(unwrap(grad(p, zero(p))).gradient).every((g) => g === 0)).toBe(true)
    expect([...unwrap(compile(p)).grad(new Float64Array(20)).gradient]).toEqual(new Array(20).fill(0))
  })

  it('Σ relu(log(x_i)) over 20 terms at x = 0: H·v is 0, not NaN', () => {
    const p = sumOf(20, (x) => build.relu(build.log(x)))
    const r = unwrap(compile(p)).hvp(new Float64Array(20), new Float64Array(20).fill(1))
    expect([...r.hvp]).toEqual(new Array(20).fill(0))
  })
})

describe('the gradient checked as the templates assign it', () => {
  // In a direct plan, the terms of the output's sum assign the gradient entries of their sole
  // variables and sum them as they go (`io.check`): those entries are neither zeroed before the
  // call nor read again after it, unless the sum is not finite. These programs are such plans.
  const n = 40
  const xs = Array.from({ length: n }, (_, i) => variable(`g${i + 1}`))
  /** s = s + term(x_i, x_{i+1}) over i = 1, 3, …: a chain over pairs, as the Rosenbrock spellings. */
  const chain = (term: (a: Node, b: Node) => Node): Program => {
    let s: Node | undefined
    for (let i = 0; i + 1 < n; i += 2) s = s === undefined ? term(xs[i], xs[i + 1]) : build.add(s, term(xs[i], xs[i + 1]))
    return program([s as Node])
  }
  const interpreted = (p: Program, x: Float64Array): number[] => {
    const g = unwrap(grad(p, record(p.variables, x))).gradient
    return p.variables.map((name) => g[name])
  }
  const rosenbrockTerm = (a: Node, b: Node): Node => build.add(build.mul(100, build.pow(build.sub(b, build.pow(a, 2)), 2)), build.pow(build.sub(1, a), 2))

  it('an output array full of garbage is overwritten entirely, entries the terms do not assign included', () => {
    // x_n is also read outside the terms (sin(x_n) joins the sum): its entry is zeroed and added to.
    const p = program([build.add(chain(rosenbrockTerm).outputs[0], build.sin(xs[n - 1]))])
    const f = unwrap(compile(p))
    expect(f.stats.direct).toBe(true)
    expect(f.stats.shared).toBeGreaterThan(0)
    const x = Float64Array.from(xs, (_, j) => 0.5 + 0.01 * j)
    const out = new Float64Array(n).fill(Number.NaN)
    const r = f.grad(x, out)
    expect(r.gradient).toBe(out)
    expect([...out]).toEqual(interpreted(p, x))
    out.fill(1e300)
    expect([...f.grad(x, out).gradient]).toEqual(interpreted(p, x))
  })

  /** relu(log(a))·b at a = 0: relu′(−∞) = 0 meets log′(0) = ∞ in the fast sweep (NaN), not in the careful one. */
  const expectRedoneAtZero = (p: Program, zeroAt: number): void => {
    const f = unwrap(compile(p))
    expect(f.stats.direct).toBe(true)
    const x = Float64Array.from(xs, (_, j) => (j === zeroAt ? 0 : 1 + 0.1 * j))
    const g = f.grad(x).gradient
    expect(g.every(Number.isFinite)).toBe(true)
    expect([...g]).toEqual(interpreted(p, x))
  }

  it('a NaN that one term assigns (0·∞) is found, and the call redone by the careful sweeps', () => {
    expectRedoneAtZero(chain((a, b) => build.add(build.mul(build.relu(build.log(a)), b), build.mul(a, b))), 10)
  })

  it('entries that several terms add to (overlapping pairs) are checked as they are written too', () => {
    // s = s + term(x_i, x_{i+1}) for every i: each entry but the ends gets two additions.
    const term = (a: Node, b: Node): Node => build.add(build.mul(build.relu(build.log(a)), b), build.mul(build.sub(b, a), build.sub(b, a)))
    const terms = xs.slice(1).map((b, i) => term(xs[i], b))
    expectRedoneAtZero(program([terms.reduce((s, t) => build.add(s, t))]), 17)
  })

  it('an infinite entry stays infinite, and entries whose sum overflows are still finite', () => {
    const roots = chain((a, b) => build.add(build.sqrt(a), build.mul(b, 1e307)))
    const f = unwrap(compile(roots))
    expect(f.stats.direct).toBe(true)
    const x = Float64Array.from(xs, (_, j) => (j === 4 ? 0 : 1))
    const g = f.grad(x).gradient
    expect(g[4]).toBe(Infinity)
    expect([...g]).toEqual(interpreted(roots, x))
    // Every entry of b is 1e307: their sum overflows, each of them is finite.
    const ones = new Float64Array(n).fill(1)
    expect([...f.grad(ones).gradient]).toEqual(interpreted(roots, ones))
  })
})

describe('warnings on request', () => {
  const xs = Array.from({ length: 12 }, (_, i) => variable(`x${String(i).padStart(2, '0')}`))
  const sum = (term: (x: Node) => Node): Program => program([xs.map(term).reduce((s, t) => build.add(s, t))])

  it('a compiled program reports what the interpreted sweeps report at the same point', () => {
    const p = sum((x) => build.mul(build.relu(x), x))
    const relu = unwrap(compile(p))
    const x = Float64Array.from(xs, (_, i) => (i === 3 ? 0 : 0.5 + i))
    const kinks = relu.warnings(x)
    expect(kinks.length).toBeGreaterThan(0)
    expect(kinks[0]._tag).toBe('NonDifferentiable')
    expect(kinks.map((w) => w.message)).toEqual(unwrap(grad(p, record(relu.names, x))).warnings.map((w) => w.message))
    expect(relu.warnings(Float64Array.from(xs, () => 1))).toEqual([])
  })

  it('a non-finite result comes with its origin; a wrong length is an error', () => {
    const logs = unwrap(compile(sum((x) => build.log(x))))
    const x = Float64Array.from(xs, (_, i) => (i === 5 ? -1 : 2))
    expect(Number.isNaN(logs.grad(x).value)).toBe(true)
    const ws = logs.warnings(x)
    expect(ws.length).toBeGreaterThan(0)
    expect(ws.some((w) => w.message.includes('log'))).toBe(true)
    expect(() => logs.warnings(new Float64Array(3))).toThrow(RangeError)
  })
})
