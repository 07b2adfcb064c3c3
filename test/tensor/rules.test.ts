/**
 * Every tensor rule, table-driven: for each structural entry of the tensor table and each scalar
 * rule applied entrywise with broadcasting, on random shapes (size-1 axes and broadcast shapes
 * included) and random points inside the operation's domain:
 * - forward against reverse: ⟨v, J u⟩ = ⟨Jᵀ v, u⟩;
 * - both against a central finite difference of ⟨v, f(x + h u)⟩;
 * - second order: u·H u from the symbolic gradient (then forward mode) against a central
 *   difference of the numeric gradient.
 */
import fc from 'fast-check'
import { isRight, type Either } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { applyOp } from '../../src/ops/build.js'
import type { Tensor } from '../../src/ops/tensor/array.js'
import { reduceSum } from '../../src/ops/tensor/build.js'
import { tensorEvaluate, tensorJvp } from '../../src/forward/tensor.js'
import { tensorGradExpr, tensorVjp } from '../../src/reverse/tensor.js'
import { allStructural, entrywiseCase, entrywiseOps, pointFor, structuralCases, variablesOf, type Case } from './cases.js'

const TIMEOUT = 120_000

function ok<A>(e: Either<unknown, A>): A {
  if (!isRight(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}

const dot = (a: Tensor, b: Tensor): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += a.data[i]! * b.data[i]!
  return s
}

const shifted = (p: Record<string, Tensor>, u: Record<string, Tensor>, h: number): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(p).map(([k, t]) => [k, u[k] === undefined ? t : { shape: t.shape, data: t.data.map((x, i) => x + h * u[k]!.data[i]!) }]))

const randomLike = (t: Tensor): fc.Arbitrary<Tensor> =>
  fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: t.data.length, maxLength: t.data.length }).map((xs) => ({ shape: t.shape, data: Float64Array.from(xs, (v) => v / 1000) }))

/** Points away from kinks and ties, where finite differences are meaningful. */
function smooth(c: Case, point: Record<string, Tensor>): boolean {
  const values = Object.values(point).flatMap((t) => [...t.data])
  // Distinct entries (no ties in max, amax, softmax's maximum) and none within 1e-3 of 0 (relu, abs, sign, step).
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.every((v, i) => (i === 0 || v - sorted[i - 1]! > 1e-3 || c.inputs.some((inp) => inp.integer)) && Math.abs(v) > 1e-3)
}

function check(c: Case, point: Record<string, Tensor>, u: Record<string, Tensor>, v: Tensor, secondOrder: boolean): void {
  const out = c.build(variablesOf(c))
  const p = program([out])
  const wrt = c.inputs.filter((i) => !i.integer).map((i) => i.name)
  const f = ok(tensorEvaluate(p, point)).values[0]!
  if (![...f.data].every(Number.isFinite)) return
  const jv = ok(tensorJvp(p, point, u)).tangents[0]!
  const vj = ok(tensorVjp(p, point, [v], wrt)).vjp
  const forward = dot(v, jv)
  const reverse = wrt.reduce((s, name) => s + dot(vj[name]!, u[name]!), 0)
  const scale = 1 + Math.abs(forward) + [...jv.data].reduce((s, x) => s + Math.abs(x), 0)
  expect(Math.abs(forward - reverse)).toBeLessThanOrEqual(1e-12 * scale)
  const h = 1e-6
  const plus = dot(v, ok(tensorEvaluate(p, shifted(point, u, h))).values[0]!)
  const minus = dot(v, ok(tensorEvaluate(p, shifted(point, u, -h))).values[0]!)
  const numeric = (plus - minus) / (2 * h)
  if (c.inputs.length === 1 && out._tag === 'apply' && out.op === 'stop_gradient') {
    // Its derivative is zero by definition, not the derivative of the identity it computes.
    expect(forward).toBe(0)
    return
  }
  expect(Math.abs(numeric - forward)).toBeLessThanOrEqual(2e-5 * scale)
  if (!secondOrder) return
  // s(x) = ⟨v, f(x)⟩ with v a variable held fixed; u·H u from d/dε ⟨∇s(x + ε u), u⟩.
  const V = variable('V__', v.shape)
  const s = program([reduceSum(applyOp('mul', out, V))])
  const g = ok(tensorGradExpr(s, wrt))
  const at = { ...point, V__: v }
  const hu = ok(tensorJvp(g, at, u)).tangents
  const uhu = wrt.reduce((acc, name, j) => acc + dot(hu[j]!, u[name]!), 0)
  const grads = (q: Record<string, Tensor>): number => {
    const g_ = ok(tensorVjp(s, q, [1], wrt)).vjp
    return wrt.reduce((acc, name) => acc + dot(g_[name]!, u[name]!), 0)
  }
  const h2 = 1e-5
  const numeric2 = (grads(shifted(at, u, h2)) - grads(shifted(at, u, -h2))) / (2 * h2)
  const scale2 = 1 + Math.abs(uhu) + hu.reduce((acc, t) => acc + [...t.data].reduce((a, x) => a + Math.abs(x), 0), 0)
  expect(Math.abs(numeric2 - uhu)).toBeLessThanOrEqual(1e-4 * scale2)
}

function property(arb: fc.Arbitrary<Case>, secondOrder: boolean, runs = 25): void {
  fc.assert(
    fc.property(
      arb.chain((c) =>
        pointFor(c).chain((point) =>
          fc.tuple(
            fc.constant(c),
            fc.constant(point),
            fc.tuple(...c.inputs.map((i) => randomLike(point[i.name]!))).map((ts) => Object.fromEntries(c.inputs.filter((i) => !i.integer).map((i) => [i.name, ts[c.inputs.indexOf(i)]!]))),
          ),
        ),
      ),
      fc.integer({ min: 1, max: 1 << 30 }),
      ([c, point, u], seed) => {
        fc.pre(smooth(c, point))
        const out = c.build(variablesOf(c))
        const f = ok(tensorEvaluate(program([out]), point)).values[0]!
        const v: Tensor = { shape: f.shape, data: f.data.map((_, i) => Math.sin(seed + 7 * i)) }
        check(c, point, u, v, secondOrder)
      },
    ),
    { numRuns: runs },
  )
}

describe('tensor rules: forward vs reverse vs finite differences, every entry of the table', () => {
  for (const op of allStructural) {
    it(`structural ${op}`, () => property(structuralCases[op], true), TIMEOUT)
  }
  for (const op of entrywiseOps) {
    it(`entrywise ${op} with broadcasting`, () => property(entrywiseCase(op), true, 15), TIMEOUT)
  }
})

describe('tensor nodes', () => {
  it('a tensor constant broadcast keeps its shape through simplification (X^0 is ones of X)', () => {
    const X = variable('X', [2, 3])
    const n: Node = applyOp('pow', X, constant(0))
    expect(n.shape).toEqual([2, 3])
  })
})
