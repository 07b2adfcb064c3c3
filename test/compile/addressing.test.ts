/**
 * How templates address their operands: one affine batch over x_i, x_{i+1} (one lane, two
 * positions at a fixed distance), over x_{2n−i} and x_i (strides of opposite signs), over
 * x_{2i+2} and x_i (two lanes), with a variable or a fixed parameter read by every instance
 * (stride 0), and the same terms through index rows. Each program must compile to the addressing the case is
 * about, and agree with the interpreted sweeps in every mode; the wrt order decides whether the
 * templates read x in place, and positions whose slots nothing else writes assign their adjoints.
 *
 * @example
 * lanesOf('affine', Int32Array.of(0, 2, 1, 2, 7, 0))  // [0, 0, -1]
 */
import { describe, expect, it } from 'vitest'
import { withDirectInputs } from '../../src/compile/direct.js'
import { buildPlan } from '../../src/compile/plan.js'
import type { Batch } from '../../src/compile/types.js'
import { lanesOf } from '../../src/compile/access.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { recordOf } from '../../src/tape/point.js'
import { grad } from '../../src/reverse/index.js'
import { orThrow } from '../../src/either.js'
import { makeCase, type Case } from './case.js'
import { agree } from './oracle.js'

const N = 40

/** Σ_i term(a(i), b(i), c) over i = 0..count−1, as one `s = s + term` chain. */
function sumOf(count: number, term: (i: number) => Node): Node {
  let s = term(0)
  for (let i = 1; i < count; i++) s = build.add(s, term(i))
  return s
}

const x = Array.from({ length: 2 * N + 1 }, (_, i) => variable(`x${String(i).padStart(3, '0')}`))
const z = variable('z')
const p = variable('p')
const term = (a: Node, b: Node, c: Node): Node => build.add(build.sin(build.mul(a, b)), build.mul(c, build.pow(build.sub(a, 0.5), 2)))

const patterns: Record<string, { body: (i: number) => Node; lanes: number[]; sole: boolean[]; cover?: boolean }> = {
  'x_i, x_{i+1}, z': { body: (i) => term(x[i], x[i + 1], z), lanes: [0, 0, -1], sole: [false, false, false] },
  'x_{2n−i}, x_i, z': { body: (i) => term(x[2 * N - i], x[i], z), lanes: [0, 1, -1], sole: [true, true, false] },
  // With Σ x_k² beside it, so that every variable is read and slots are indices.
  'x_{2i+2}, x_i, z': { body: (i) => term(x[2 * i + 2], x[i], z), lanes: [0, 1, -1], sole: [false, false, false], cover: true },
  'x_{2i}, x_{2i+1}, fixed p': { body: (i) => term(x[2 * i], x[2 * i + 1], p), lanes: [0, 0, -1], sole: [true, true, false] },
}

function caseOf(name: string, body: (i: number) => Node, wrtStyle: number, cover = false): Case {
  const sum = sumOf(N, body)
  const prog = program([cover ? build.add(sum, sumOf(x.length, (k) => build.mul(x[k], x[k]))) : sum])
  const vars = prog.variables.filter((v) => v !== 'p')
  const values = vars.map((_, i) => 0.3 * Math.sin(1.7 * i + 0.2) + 0.5)
  return makeCase(name, prog, vars, ['p'], { values: [...values, 0.7], dir: values.map((v) => Math.cos(3 * v)), weights: [1], wrtStyle })
}

/** The batches of a plan (standalone or inside reductions), with direct inputs marked. */
function batches(c: Case): Batch[] {
  const { plan } = withDirectInputs(buildPlan(tapeFor(c.program.outputs, c.wrt), { maxTree: 32, minChain: 8, minInstances: 8 }))
  return plan.steps.flatMap((s) => (s._tag === 'template' ? [s.batch] : s._tag === 'reduce' ? s.parts.flatMap((q) => (q._tag === 'batch' ? [q.batch] : [])) : []))
}

describe('affine lanes', () => {
  it('lanesOf groups positions by stride and marks stride 0', () => {
    expect(lanesOf('affine', Int32Array.of(0, 2, 1, 2, 7, 0))).toEqual([0, 0, -1])
    expect(lanesOf('affine', Int32Array.of(40, -1, 0, 1, 3, 1))).toEqual([0, 1, 1])
    expect(lanesOf('indexed', Int32Array.of(1, 2, 3))).toEqual([])
  })

  for (const [name, { body, lanes, sole, cover }] of Object.entries(patterns)) {
    it(`${name}: one affine batch with lanes ${JSON.stringify(lanes)}, agreeing in every mode, in place or not`, () => {
      // wrt styles: in order (the templates read x in place), reversed (index rows), and every
      // variable plus an absent one (no variable layout, so the slot arrays are used).
      for (const style of [0, 1, 2]) {
        const c = caseOf(name, body, style, cover)
        const f = agree(c)
        const bs = batches(c)
        expect(bs.length).toBeGreaterThan(0)
        // The pattern's terms form one batch (the first too: the chain's bottom link adds the
        // first two terms, which it used to split when the first was a sum itself).
        const mine = bs.filter((b) => b.count === N)
        expect(mine.length).toBe(1)
        if (style === 0) {
          expect(mine[0].addressing).toBe('affine')
          expect(lanesOf(mine[0].addressing, mine[0].idx)).toEqual(lanes)
          expect(f.stats.direct).toBe(true)
          // Positions whose slots no other position writes assign their adjoints.
          expect(mine[0].sole ?? [false, false, false]).toEqual(sole)
        }
        if (style === 2) expect(f.stats.direct).toBe(false)
      }
    })
  }

  it("the first of two batches of the output's sum that write x_i assigns them in grad's fused pass; the second adds", () => {
    // Σ A_i, then Σ B_i (the bench's `reduce` spelling): A writes x_2i and x_2i+1, B writes x_2i
    // again. A's positions are the first writers of their slots, B's are not, and neither is sole
    // for x_2i; the gradient must be what adding into zeros gives, bit for bit, call after call.
    const half = N / 2
    const A = (i: number): Node => build.mul(100, build.pow(build.sub(x[2 * i + 1], build.pow(x[2 * i], 2)), 2))
    const B = (i: number): Node => build.pow(build.sub(1, x[2 * i]), 2)
    const terms = [...Array.from({ length: half }, (_, i) => A(i)), ...Array.from({ length: half }, (_, i) => B(i))]
    const prog = program([terms.reduce((s, t) => build.add(s, t))])
    const values = prog.variables.map((_, i) => 0.3 * Math.sin(1.7 * i + 0.2) - 0.4)
    const c = makeCase('A then B', prog, prog.variables, [], { values, dir: values.map((v) => Math.cos(3 * v)), weights: [1], wrtStyle: 0 })
    const f = agree(c)
    expect(f.stats.direct).toBe(true)
    const [a, b] = batches(c)
    expect(a?.count).toBe(half)
    expect(b?.count).toBe(half)
    expect(a?.first).toEqual([true, true])
    expect(b?.first).toBeUndefined()
    // The interpreted gradient, and the compiled one again into an array full of garbage.
    const want = orThrow(grad(prog, recordOf(prog.variables, values))).gradient
    const out = new Float64Array(prog.variables.length).fill(NaN)
    for (let k = 0; k < 2; k++) {
      const got = f.grad(c.x, out).gradient
      prog.variables.forEach((v, j) => expect(Object.is(got[j], want[v])).toBe(true))
    }
  })

  it('a position that assigns its adjoints gives +0 where adding into zeros does, not −0', () => {
    // −x² has adjoint −0 at x = 0; 0 + (−0) = +0, as in the interpreted sweep.
    const prog = program([sumOf(12, (i) => build.neg(build.mul(x[i], x[i])))])
    const c = makeCase('neg squares', prog, prog.variables, [], { values: [0], dir: [1], weights: [1], wrtStyle: 0 })
    const f = agree(c)
    expect(f.stats.direct).toBe(true)
    const g = f.grad(c.x).gradient
    expect([...g].every((v) => Object.is(v, 0))).toBe(true)
    expect([...f.hvp(c.x, c.dir).hvp].every((v) => !Object.is(v, -0))).toBe(true)
  })
})
