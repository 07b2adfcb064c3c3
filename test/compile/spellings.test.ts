/**
 * No speed cliffs (issue 9, finding 7): a sum of repeated terms compiles to the same structure
 * whatever its spelling: association (`s + (a + b)`, `(s + a) + b`, `(a + b) + s`, a balanced
 * `sum(...)`), order (indices up or down, terms grouped by kind), named temporaries read twice in
 * a term (`t·t`), subtraction, constants mixed in. Every spelling is one reduction whose terms run
 * through one or two templates in a handful of batches (before: a batch per term, or partial
 * chains down the left edges of a balanced tree), and agrees with the interpreted evaluators in
 * every mode: values bit for bit (a chain adds its terms in program order; a balanced tree keeps
 * its association), derivatives to the oracle's tolerance.
 *
 * @example
 * const f = agree(spelled('flat', rosenbrockTerms(200)))   // one template, one reduction
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { partition } from '../../src/compile/partition.js'
import { buildPlan } from '../../src/compile/plan.js'
import type { Plan } from '../../src/compile/types.js'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { evaluate } from '../../src/forward/index.js'
import { build, sum } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { makeCase, step, term, type Case, type Step } from './gen.js'
import { agree } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

/** The parts of term i: a and b over the variables of the term (a shared `u` sometimes inside). */
interface Parts {
  readonly a: Node
  readonly b: Node
  /** The same parts written with a named temporary read twice: a = t·t·c, b = u·u. */
  readonly ta: Node
  readonly tb: Node
}

type Spelling = 'paren' | 'flat' | 'left' | 'minus' | 'temps' | 'temps()' | 'sum' | 'array' | 'grouped' | 'reversed' | 'reversedFlat' | 'constant' | 'plusOne'

const spellingNames: readonly Spelling[] = ['paren', 'flat', 'left', 'minus', 'temps', 'temps()', 'sum', 'array', 'grouped', 'reversed', 'reversedFlat', 'constant', 'plusOne']

/** s = first(p₀); s = next(s, p_i), i up or down. */
function chain(parts: readonly Parts[], first: (p: Parts) => Node, next: (s: Node, p: Parts) => Node, backwards = false): Node {
  const ps = backwards ? [...parts].reverse() : parts
  return ps.slice(1).reduce(next, first(ps[0]))
}

/** The sum of the terms a_i + b_i, spelled one way. */
function spelled(how: Spelling, parts: readonly Parts[]): Node {
  const pair = (p: Parts): Node => build.add(p.a, p.b)
  switch (how) {
    case 'paren':
      return chain(parts, pair, (s, p) => build.add(s, pair(p)))
    case 'flat':
      return chain(parts, pair, (s, p) => build.add(build.add(s, p.a), p.b))
    case 'left':
      return chain(parts, pair, (s, p) => build.add(pair(p), s))
    case 'minus':
      // s − (−b) + a: the same sum with every b subtracted as its negation.
      return chain(parts, pair, (s, p) => build.add(build.sub(s, build.neg(p.b)), p.a))
    case 'temps':
      return chain(parts, (p) => build.add(p.ta, p.tb), (s, p) => build.add(build.add(s, p.ta), p.tb))
    case 'temps()':
      return chain(parts, (p) => build.add(p.ta, p.tb), (s, p) => build.add(s, build.add(p.ta, p.tb)))
    case 'sum':
      return sum(parts.map(pair))
    case 'array':
      return sum(parts.flatMap((p) => [p.a, p.b]))
    case 'grouped':
      return [...parts.map((p) => p.a), ...parts.map((p) => p.b)].reduce((s, t) => build.add(s, t))
    case 'reversed':
      return chain(parts, pair, (s, p) => build.add(s, pair(p)), true)
    case 'reversedFlat':
      return chain(parts, pair, (s, p) => build.add(build.add(s, p.a), p.b), true)
    case 'constant': {
      const half = parts.length >> 1
      return chain(parts, pair, (s, p) => build.add(p === parts[half] ? build.add(s, 0.25) : s, pair(p)))
    }
    case 'plusOne':
      return chain(parts, (p) => build.add(pair(p), 1), (s, p) => build.add(build.add(build.add(s, p.a), p.b), 1))
  }
}

const names = (n: number): string[] => Array.from({ length: n }, (_, j) => `x${String(j).padStart(4, '0')}`)

/** Rosenbrock's terms over x0 … x_{n−1}: a = 100(x_{2k+1} − x_{2k}²)², b = (1 − x_{2k})². */
function rosenbrockTerms(n: number): Parts[] {
  const x = names(n).map((v) => variable(v))
  return Array.from({ length: n >> 1 }, (_, k) => {
    const [p, q] = [x[2 * k], x[2 * k + 1]]
    const t = build.sub(q, build.pow(p, 2))
    const u = build.sub(1, p)
    return { a: build.mul(100, build.pow(t, 2)), b: build.pow(u, 2), ta: build.mul(build.mul(100, t), t), tb: build.mul(u, u) }
  })
}

const numbers = (len: number) => ({
  values: Array.from({ length: len }, (_, i) => Math.round(1e4 * Math.sin(1 + 1.3 * i)) / 1e4),
  dir: Array.from({ length: len + 1 }, (_, i) => Math.round(1e4 * Math.cos(0.7 * i)) / 1e4),
  weights: [1],
  wrtStyle: 0,
})

const caseOf = (how: Spelling, parts: readonly Parts[], n: number): Case => {
  const p = program([spelled(how, parts)])
  return makeCase(how, p, names(n), [], numbers(n))
}

/** What the default plan makes of the case: reductions, and the template batches in them. */
function structure(c: Case): { reductions: number; batches: number; plan: Plan } {
  const plan = buildPlan(tapeFor(c.program.outputs, c.wrt), { maxTree: 32, minChain: 8, minInstances: 8 })
  let reductions = 0
  let batches = 0
  for (const s of plan.steps) {
    if (s._tag !== 'reduce') continue
    reductions++
    batches += s.parts.filter((part) => part._tag === 'batch').length
  }
  return { reductions, batches, plan }
}

describe('the extended Rosenbrock function, spelled 13 ways', () => {
  const n = 400
  const parts = rosenbrockTerms(n)

  for (const how of spellingNames) {
    it(`${how}: one reduction, templates in at most 3 batches, agreement in every mode`, () => {
      const c = caseOf(how, parts, n)
      for (const k of [undefined, 1, 4]) agree(c, k)
      const f = agree(c)
      const { reductions, batches } = structure(c)
      expect(reductions).toBe(1)
      expect(batches).toBeLessThanOrEqual(3)
      // The terms a and b of one i share one template, but where all a come before all b.
      expect(f.stats.templates).toBe(how === 'grouped' ? 2 : 1)
      expect(f.stats.steps).toBeLessThanOrEqual(2)
    })
  }

  it('a chain stores only the variables, a few values at its bottom, and the sum', () => {
    for (const how of spellingNames.filter((s) => s !== 'sum' && s !== 'array')) expect(agree(caseOf(how, parts, n)).stats.stored).toBeLessThanOrEqual(n + 12)
  })
})

// -------------------------------------------------------------------------------------------------
// Random terms
// -------------------------------------------------------------------------------------------------

/**
 * Terms a_i, b_i of random shapes over x_i, x_{i+1} and a data constant per i (all different: equal
 * constants are one node, whose slot would break the affine addressing of the instances around
 * it, which then run as a few batches); t_i (a random node over x_i) is read twice in
 * ta_i = join(t_i, t_i), and u_i = 1 − x_{i+1} twice in tb_i = u_i·u_i.
 */
function randomTerms(count: number, sa: readonly Step[], sb: readonly Step[], joins: readonly Step[]): Parts[] {
  const x = names(count + 1).map((v) => variable(v))
  return Array.from({ length: count }, (_, i) => {
    const holes = [x[i], x[i + 1], constant(Math.round(1e3 * Math.sin(1.7 * i)) / 1e3 + 1e-7 * (i + 1))]
    const t = term(sa, [x[i]], joins)
    const u = build.sub(1, x[i + 1])
    return { a: term(sa, holes, joins), b: term(sb, holes.slice(1), joins), ta: term(sb, [t, t], joins), tb: build.mul(u, u) }
  })
}

const steps = fc.array(step, { minLength: 1, maxLength: 3 })

describe('random terms, every spelling', () => {
  it('one reduction in a few batches, values bit for bit, derivatives to the tolerance', () => {
    // How many plans had blocks of a chain, and sum trees (each spelling makes one or the other).
    let runs = 0
    let blocks = 0
    let trees = 0
    fc.assert(
      fc.property(steps, steps, fc.array(step, { minLength: 2, maxLength: 2 }), fc.constantFrom(...spellingNames), fc.integer({ min: 24, max: 80 }), fc.constantFrom<number | undefined>(undefined, 1, 4), (sa, sb, joins, how, count, k) => {
        const c = caseOf(how, randomTerms(count, sa, sb, joins), count + 1)
        // Terms are chains of random ops summed by the dozen: the same slack as reductions.test.ts.
        agree(c, k, { slack: 10 })
        // Terms whose instances hash-cons into one node (or that fold away) can make the sum
        // shorter or its terms plain slots, but never a batch per term.
        const { reductions, batches, plan } = structure(c)
        expect(reductions).toBeLessThanOrEqual(1)
        expect(batches).toBeLessThanOrEqual(4)
        runs++
        if (plan.templates.some((t) => t.shape.holeKinds.includes('s'))) blocks++
        if (plan.steps.some((st) => st._tag === 'reduce' && st.runs !== undefined)) trees++
      }),
      { numRuns: 150 },
    )
    expect(blocks / runs).toBeGreaterThan(0.2)
    expect(trees / runs).toBeGreaterThan(0.05)
  }, 120_000)
})

describe('the sign of zero', () => {
  // agree() compares values with ===, so −0 and +0 pass as equal there: here the sign is checked.
  // Every spelling of Σ sin(x_i)·c_i ± …, at x = −0 and x = +0, compiled and interpreted.
  const n = 64
  const x = names(n).map((v) => variable(v))
  const parts: Parts[] = Array.from({ length: n >> 1 }, (_, k) => {
    const a = build.sin(x[2 * k])
    const b = build.mul(build.sin(x[2 * k + 1]), 0.5)
    return { a, b, ta: build.mul(a, a), tb: build.mul(b, b) }
  })
  for (const how of spellingNames) {
    it(`${how}: the compiled sum of zeros has the interpreted sign`, () => {
      const p = program([spelled(how, parts)])
      for (const z of [-0, 0]) {
        const c = makeCase(how, p, names(n), [], { values: Array.from({ length: n }, () => z), dir: [1], weights: [1], wrtStyle: 0 })
        const f = agree(c)
        const want = evaluate(c.program, c.point)
        if (want._tag === 'Left') throw new Error(want.left.message)
        expect(Object.is(f.value(c.x), want.right.values[0])).toBe(true)
        expect(Object.is(f.grad(c.x).value, want.right.values[0])).toBe(true)
      }
    })
  }
})

describe('named temporaries', () => {
  const x = variable('x')
  const y = variable('y')
  const t = build.sub(y, build.pow(x, 2))
  const u = build.sub(1, x)
  /** The trees of a program: the root of each and its size. */
  const trees = (outputs: Node[]): Map<number, number> => {
    const tape = tapeFor(outputs, ['x', 'y'])
    const parts = partition(tape, { maxTree: 32, minChain: 8 })
    return new Map(Array.from(parts.roots, (r) => [r, parts.treeSize[r]]))
  }

  it('read twice inside one term (t·t, (100·t)·t, u·u), they are inside its tree', () => {
    for (const f of [build.mul(t, t), build.mul(build.mul(100, t), t), build.mul(u, u), build.add(build.mul(build.mul(100, t), t), build.mul(u, u))]) {
      const roots = trees([f])
      expect(roots.size).toBe(1)
      expect([...roots.values()][0]).toBe(tapeFor([f]).size - tapeFor([f]).leaves)
    }
  })

  it('read by two trees (two outputs), they are stored', () => {
    const roots = trees([build.sin(t), build.cos(t)])
    expect(roots.size).toBe(3)
  })

  it('a tree holds one of them: a chain t_k = t_{k−1} + 0.1·sin(t_{k−1}) makes a tree of every two links', () => {
    let s: Node = x
    for (let k = 0; k < 40; k++) s = build.add(s, build.mul(0.1, build.sin(s)))
    const roots = trees([s])
    expect(roots.size).toBe(20)
    expect(new Set(roots.values())).toEqual(new Set([6]))
  })
})
