/**
 * The compiled functions agree with the interpreted evaluators in every mode (value, values, grad,
 * jvp, vjp, jacobian in both modes, hvp): values bit-for-bit, derivatives to 1e-14 relative (see
 * `oracle.ts` for the one widening, by the magnitude of the summands). On random DAGs and on
 * programs with repeated structure (sums of N ≥ 20 terms of one shape, vector programs with many
 * outputs of one shape, long chains), each with checkpoint 1, 4 and the default; the repeated
 * programs must actually run through templates and reductions.
 *
 * @example
 * fc.assert(fc.property(sumCases(), checkpoints, (c, k) => void agree(c, k)))
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { buildPlan } from '../../src/compile/plan.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { chainCases, makeCase, randomCases, sumCases, vectorCases, type Case } from './gen.js'
import { agree, unwrap } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

const checkpoints = fc.constantFrom<number | undefined>(undefined, 1, 4)

interface Coverage {
  readonly runs: Map<number | undefined, number>
  /** Cases whose plan has a template, and a reduction, per checkpoint. */
  readonly withTemplates: Map<number | undefined, number>
  readonly withReductions: Map<number | undefined, number>
  /** Cases whose plan has segments (checkpointed trees, small template steps), per checkpoint. */
  readonly withSegments: Map<number | undefined, number>
  /** The fewest nodes per step of a plan with templates, at the default checkpoint. */
  nodesPerStep: number
  readonly modes: Set<string>
}

const bump = (m: Map<number | undefined, number>, k: number | undefined): void => {
  m.set(k, (m.get(k) ?? 0) + 1)
}

/** Runs `agree` over `arb` (with checkpoint 1, 4 or the default) and records what the plans used. */
function agreeAll(arb: fc.Arbitrary<Case>, numRuns: number): Coverage {
  const cov: Coverage = { runs: new Map(), withTemplates: new Map(), withReductions: new Map(), withSegments: new Map(), nodesPerStep: Infinity, modes: new Set() }
  fc.assert(
    fc.property(arb, checkpoints, (c, k) => {
      const f = agree(c, k)
      cov.modes.add(f.jacobian(c.x).mode)
      bump(cov.runs, k)
      if (f.stats.templates > 0) bump(cov.withTemplates, k)
      if (f.stats.segments > 0) bump(cov.withSegments, k)
      if (f.stats.templates > 0 && k === undefined) cov.nodesPerStep = Math.min(cov.nodesPerStep, f.stats.nodes / f.stats.steps)
      // The plan compile builds (same options as `compile`).
      const plan = buildPlan(tapeFor(c.program.outputs, c.wrt), { maxTree: k ?? 32, minChain: 8, minInstances: 8 })
      if (plan.steps.some((s) => s._tag === 'reduce')) bump(cov.withReductions, k)
    }),
    { numRuns },
  )
  return cov
}

const share = (counts: Map<number | undefined, number>, r: Coverage, k: number | undefined): number => (counts.get(k) ?? 0) / Math.max(1, r.runs.get(k) ?? 0)

describe('random DAGs (the core property-test programs)', () => {
  it('scalar and vector programs agree in every mode, both Jacobian modes', () => {
    const r = agreeAll(randomCases(), 500)
    expect([...r.modes].sort()).toEqual(['forward', 'reverse'])
  })

  it('larger DAGs with many outputs agree', () => {
    agreeAll(randomCases({ maxSteps: 40, minOutputs: 5, maxOutputs: 12 }), 100)
  })
})

describe('repeated structure', () => {
  it('sums s = s + term_i of 20–40 terms agree, through templates and reductions', () => {
    const r = agreeAll(sumCases(), 400)
    // Terms whose instances collapse by hash-consing, or trees of one node, need no template; most
    // sums have some. Nearly every sum is a reduction (not when its terms are sums added on the
    // left: see reductions.test.ts).
    expect(share(r.withTemplates, r, undefined)).toBeGreaterThan(0.3)
    expect(share(r.withTemplates, r, 4)).toBeGreaterThan(0.3)
    for (const k of [undefined, 1, 4]) expect(share(r.withReductions, r, k)).toBeGreaterThan(0.75)
    // Few steps: a step runs a whole level of template instances (or of tape nodes, or a whole
    // reduction); 3000 samples never had fewer than 15 nodes per step.
    expect(r.nodesPerStep).toBeGreaterThanOrEqual(8)
    expect(r.modes.has('reverse')).toBe(true)
  }, 120_000)

  it('vector programs with 20–40 outputs of one shape agree (forward Jacobians)', () => {
    const r = agreeAll(vectorCases(), 300)
    expect(share(r.withTemplates, r, undefined)).toBeGreaterThan(0.3)
    expect(r.nodesPerStep).toBeGreaterThanOrEqual(8)
    expect([...r.modes]).toEqual(['forward'])
  }, 120_000)

  it('long chains t = link(t, x) of 100–300 nodes agree', () => {
    const r = agreeAll(chainCases(), 200)
    expect(share(r.withTemplates, r, undefined)).toBeGreaterThan(0.2)
  }, 120_000)
})

// -------------------------------------------------------------------------------------------------
// Hand-made programs of the kind: the plan is small
// -------------------------------------------------------------------------------------------------

const vars = (prefix: string, n: number): Node[] => Array.from({ length: n }, (_, i) => variable(`${prefix}${String(i).padStart(3, '0')}`))

const numbers = (len: number, seed: number) => ({
  values: Array.from({ length: len }, (_, i) => Math.round(1e4 * Math.sin(seed + 1.3 * i)) / 5e3),
  dir: Array.from({ length: len + 1 }, (_, i) => Math.round(1e4 * Math.cos(seed + 0.7 * i)) / 1e4),
  weights: Array.from({ length: len }, (_, i) => (i % 3) - 1 + 0.25 * i),
  wrtStyle: 0,
})

/** Extended Rosenbrock: Σ 100(x_{2i} − x_{2i−1}²)² + (1 − x_{2i−1})². */
function rosenbrock(n: number): Case {
  const x = vars('x', n)
  let s: Node | undefined
  for (let i = 0; i + 1 < n; i += 2) {
    const t = build.add(build.mul(100, build.pow(build.sub(x[i + 1], build.pow(x[i], 2)), 2)), build.pow(build.sub(1, x[i]), 2))
    s = s === undefined ? t : build.add(s, t)
  }
  const p = program([s as Node])
  return makeCase('rosenbrock', p, p.variables, [], numbers(n, 1))
}

/** Residuals r_i = a_i·exp(−b·t_i) + c − y_i per data point (t_i, y_i): m = 60 outputs, n = 3. */
function residuals(m: number): Case {
  const [a, b, c] = vars('p', 3)
  const outs = Array.from({ length: m }, (_, i) => {
    const t = 0.1 * i
    const y = Math.cos(0.37 * i)
    return build.sub(build.add(build.mul(a, build.exp(build.mul(build.neg(b), t))), c), y)
  })
  const p = program(outs, { vector: true })
  return makeCase('residuals', p, p.variables, [], numbers(3, 2))
}

describe('programs people build in loops', () => {
  it('extended Rosenbrock: one template, one reduction, agreement in every mode', () => {
    const c = rosenbrock(200)
    for (const k of [undefined, 1, 4]) agree(c, k)
    const f = agree(c)
    expect(f.stats.templates).toBe(1)
    expect(f.stats.steps).toBeLessThanOrEqual(2)
    // Only the variables, constants and the sum are stored.
    expect(f.stats.stored).toBeLessThanOrEqual(c.program.variables.length + 10)
    // At Rosenbrock's standard start, H·v has pow(negative, 2) inside the template.
    const start = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? -1.2 : 1))
    const h = f.hvp(start, Float64Array.from({ length: 200 }, (_, i) => (i % 3) - 1))
    expect(h.hvp.every(Number.isFinite)).toBe(true)
  })

  it('residuals per data point: templates over the outputs, forward Jacobian', () => {
    const c = residuals(60)
    for (const k of [undefined, 1, 4]) agree(c, k)
    const f = agree(c)
    expect(f.stats.templates).toBeGreaterThan(0)
    expect(f.stats.steps).toBeLessThanOrEqual(4)
    expect(f.jacobian(c.x).mode).toBe('forward')
  })

  it('a sum over many variables: reverse Jacobian (n > m) with two outputs', () => {
    const x = vars('w', 40)
    let s = build.mul(x[0], build.sin(x[1]))
    for (let i = 1; i < 40; i++) s = build.add(s, build.mul(x[i], build.sin(x[(i + 1) % 40])))
    const p = program([s, build.tanh(s)], { vector: true })
    const c = makeCase('wide', p, p.variables, [], numbers(40, 3))
    const f = agree(c)
    expect(f.jacobian(c.x).mode).toBe('reverse')
    expect(f.stats.templates).toBeGreaterThan(0)
  })

  it('a sum whose terms are themselves long sums (nested reductions)', () => {
    const x = vars('z', 30)
    let outer: Node | undefined
    for (let j = 0; j < 12; j++) {
      let inner = build.sin(build.mul(x[j], x[(j + 1) % 30]))
      for (let i = 1; i < 25; i++) inner = build.add(inner, build.sin(build.mul(x[(i + j) % 30], x[(i * 7 + j) % 30])))
      const t = build.log1p(build.mul(inner, inner))
      outer = outer === undefined ? t : build.add(t, outer)
    }
    const p = program([outer as Node])
    const c = makeCase('nested', p, p.variables, [], numbers(30, 4))
    for (const k of [undefined, 1, 4]) agree(c, k)
  })

  it('outputs that are leaves, repeated, or partial sums of a reduction', () => {
    const x = vars('y', 24)
    const partial: Node[] = []
    let s = build.exp(build.mul(0.1, x[0]))
    for (let i = 1; i < 24; i++) {
      s = build.add(s, build.exp(build.mul(0.1, x[i])))
      partial.push(s)
    }
    const p = program([s, x[3], build.add(x[0], 2), s, partial[10], partial[3], build.mul(partial[15], partial[15])], { vector: true })
    const c = makeCase('outputs', p, p.variables, [], numbers(24, 5))
    for (const k of [undefined, 1, 4]) agree(c, k)
  })

  it('constant programs and programs with no wrt variable', () => {
    const x = variable('solo')
    const f = unwrap(compile(program([build.sin(build.mul(2, build.add(3, 4)))])))
    expect(f.inputs).toBe(0)
    expect(f.value(new Float64Array(0))).toBe(Math.sin(14))
    expect(f.grad(new Float64Array(0)).gradient.length).toBe(0)
    expect(f.jacobian(new Float64Array(0)).jacobian.length).toBe(0)
    const c = makeCase('wrt-absent', program([build.sin(x)]), ['absent'], ['solo'], numbers(2, 6))
    agree(c)
  })
})
