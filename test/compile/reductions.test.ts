/**
 * Reductions: a long chain `s = s + term` becomes a loop that accumulates its terms in the
 * original order, so the value is bit-for-bit the interpreted `evaluate`'s, whatever the terms
 * (template instances, plain variables, shared subexpressions, terms on either side of the `+`).
 *
 * @example
 * Object.is(compile(sum).value(x), evaluate(sum, point).values[0])  // true
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { buildPlan } from '../../src/compile/plan.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { evaluate } from '../../src/forward/index.js'
import { build } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { coord, makeCase, sumCases } from './gen.js'
import { agree, record, unwrap } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

const V = 50

/**
 * 1000 terms: templated (x_i − a_i)²·w_i with data a_i, w_i; bare variables; a shared node used
 * by many terms; a term of another shape; on the left or the right of each `+`.
 */
function thousandTerms(): Program {
  const x = Array.from({ length: V }, (_, i) => variable(`x${String(i).padStart(2, '0')}`))
  const shared = build.exp(build.mul(0.1, x[0]))
  let s: Node = build.mul(x[1], x[2])
  for (let i = 1; i < 1000; i++) {
    const a = Math.sin(1.9 * i)
    const w = 1 + 0.5 * Math.cos(0.3 * i)
    const kind = i % 10
    const t =
      kind === 3 ? x[i % V]
      : kind === 7 ? shared
      : kind === 9 ? build.tanh(build.mul(x[i % V], x[(i * 7) % V]))
      : build.mul(build.pow(build.sub(x[i % V], a), 2), w)
    s = i % 3 === 0 ? build.add(t, s) : build.add(s, t)
  }
  return program([s])
}

const bitsEqual = (a: number, b: number): boolean => Object.is(a, b)

describe('s = s + term with 1000 terms', () => {
  const p = thousandTerms()
  const names = p.variables

  it('is one reduction with template runs', () => {
    const plan = buildPlan(tapeFor(p.outputs, names), { maxTree: 32, minChain: 8, minInstances: 8 })
    const reduces = plan.steps.filter((s) => s._tag === 'reduce')
    expect(reduces.length).toBe(1)
    const r = reduces[0]
    expect(r._tag === 'reduce' && r.parts.some((part) => part._tag === 'batch')).toBe(true)
    expect(plan.templates.length).toBeGreaterThan(0)
    expect(plan.steps.length).toBeLessThanOrEqual(6)
  })

  it('its value is bit-for-bit the interpreted one at many points, every checkpoint', () => {
    const fs = [undefined, 1, 4].map((k) => unwrap(compile(p, { checkpoint: k })))
    fc.assert(
      fc.property(fc.array(coord, { minLength: names.length, maxLength: names.length }), (xs) => {
        const x = Float64Array.from(xs)
        const want = unwrap(evaluate(p, record(names, x))).values[0]
        for (const f of fs) {
          if (!bitsEqual(f.value(x), want)) throw new Error(`value ${f.value(x)} vs ${want}`)
          if (!bitsEqual(f.grad(x).value, want)) throw new Error('grad value')
          if (!bitsEqual(f.hvp(x, x).value, want)) throw new Error('hvp value')
          if (!bitsEqual(f.jvp(x, x).values[0], want)) throw new Error('jvp value')
        }
      }),
      { numRuns: 60 },
    )
  })

  it('every mode agrees', () => {
    const c = makeCase('1000 terms', p, names, [], { values: names.map((_, i) => Math.sin(i)), dir: names.map((_, i) => Math.cos(i)).concat([0]), weights: [1], wrtStyle: 0 })
    for (const k of [undefined, 1, 4]) agree(c, k)
  })
})

describe('reductions of random terms', () => {
  it('sums of 8–1000 random terms: values bit for bit, derivatives to 1e-13 (chains of a dozen ops, see AgreeOptions.slack)', () => {
    fc.assert(
      fc.property(sumCases({ minTerms: 8, maxTerms: 1000, maxSteps: 3 }), fc.constantFrom<number | undefined>(undefined, 1, 4), (c, k) => {
        agree(c, k, { slack: 10 })
      }),
      { numRuns: 40 },
    )
  }, 120_000)

  it('chains just below, at and above the reduction threshold', () => {
    for (const terms of [6, 7, 8, 9, 10, 16, 17]) {
      const x = Array.from({ length: terms }, (_, i) => variable(`r${i}`))
      const s = x.map((v, i) => build.sin(build.mul(v, 1 + i))).reduce((a, b) => build.add(a, b))
      const p = program([build.mul(s, s)])
      agree(makeCase(`threshold ${terms}`, p, p.variables, [], { values: x.map((_, i) => 0.3 * i - 1), dir: x.map((_, i) => (i % 2) - 0.5).concat([0]), weights: [1], wrtStyle: 0 }))
    }
  })
})

describe('terms that are sums themselves', () => {
  // BUG (missed reduction; src/compile/partition.ts, the `spine` choice): a link `add(a0, a1)`
  // continues the chain through a0 whenever a0 is a single-use add, else through a1. For
  // s = (sin x_i + cos x_i) + s the term is on the left and is itself a single-use add, so every
  // link picks the term as its spine, no chain reaches `minChain`, and the sum of 30 terms runs as
  // 149 stored tape nodes, with no template and no loop. Written s = s + (sin x_i + cos x_i), the
  // same sum is one template and one reduction (33 stored values). The numbers are right either way.
  const xs = Array.from({ length: 30 }, (_, i) => variable(`u${String(i).padStart(2, '0')}`))
  const sum = (left: boolean): Program => {
    let s: Node = build.add(build.sin(xs[0]), build.cos(xs[0]))
    for (let i = 1; i < 30; i++) {
      const t = build.add(build.sin(xs[i]), build.cos(xs[i]))
      s = left ? build.add(t, s) : build.add(s, t)
    }
    return program([s])
  }
  const steps = (p: Program): string[] => buildPlan(tapeFor(p.outputs, p.variables), { maxTree: 32, minChain: 8, minInstances: 8 }).steps.map((s) => s._tag)
  const caseOf = (p: Program) => makeCase('sum of sums', p, p.variables, [], { values: xs.map((_, i) => Math.sin(i)), dir: xs.map((_, i) => Math.cos(i)).concat([0]), weights: [1], wrtStyle: 0 })

  it('added on either side, they agree in every mode', () => {
    agree(caseOf(sum(false)))
    agree(caseOf(sum(true)))
  })

  it('added on the right: one reduction', () => {
    expect(steps(sum(false))).toContain('reduce')
  })

  it('added on the left: one reduction too', () => {
    expect(steps(sum(true))).toContain('reduce')
  })
})

describe('the sign of an empty-looking sum', () => {
  // BUG (src/compile/run.ts, `Runner.forward`, case 'reduce'; likewise `jvp`): the accumulator
  // starts at +0 (`let acc = 0`), so a sum whose terms are all −0 is +0, while the interpreted
  // chain (−0) + (−0) + … is −0. Anything that sees the sign of zero then differs: here
  // 1/s is +∞ compiled and −∞ interpreted. Starting from −0 (the identity of IEEE addition) would
  // keep every sum bit-for-bit.
  const x = Array.from({ length: 20 }, (_, i) => variable(`z${i}`))
  const s = x.map((v) => build.sin(v)).reduce((a, b) => build.add(a, b))
  const p = program([build.div(1, s)])
  const at = new Float64Array(20).fill(-0)

  it('the interpreter says −∞', () => {
    expect(unwrap(evaluate(p, record(p.variables, at))).values[0]).toBe(-Infinity)
  })

  it('1 / Σ sin(z_i) at z = −0 is −∞ compiled too', () => {
    expect(unwrap(compile(p)).value(at)).toBe(-Infinity)
  })
})
