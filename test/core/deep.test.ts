/**
 * Deep graphs: nothing may recurse on graph depth. No wall-clock assertions here (the timeouts are
 * only generous upper bounds for a slow machine); what is checked is that the work finishes,
 * gives the right numbers, and evaluates each distinct node exactly once.
 * - a chain of 1,000,000 nested sin: evaluate, grad, jvp against a hand loop;
 * - the symbolic gradient of a 10^5 chain;
 * - a doubly-shared nest t = t*t*0.5 + sin(t), 10^4 times (exponential if evaluated as a tree);
 * - node evaluations (apply calls of `forwardSweep` over a counting `Num`) = application nodes.
 */
import { describe, expect, it } from 'vitest'
import { topoOrder } from '../../src/expr/graph.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { evaluate, forwardSweep, jvp } from '../../src/forward/index.js'
import { build } from '../../src/ops/build.js'
import { numbers } from '../../src/ops/math.js'
import type { Num } from '../../src/ops/rule.js'
import { grad, gradExpr } from '../../src/reverse/index.js'
import { linearize } from '../../src/tape/tape.js'
import { pureRelClose, unwrap } from './helpers.js'

const timeout = 120_000
const x = variable('x')

/**
 * Tolerance for a derivative that is a product of n chain-rule factors computed in another order
 * than the hand loop: each product rounds with relative error ≤ ε/2 per factor, so the two orders
 * differ by at most ≈ n·ε relative (2.2e-10 for n = 10^6), typically √n·ε.
 */
const chainRel = (n: number): number => 2 * n * Number.EPSILON

/** The number of `apply` calls of `forwardSweep` over `program`, and the number of application nodes. */
function evaluationCount(p: Program): { applies: number; applications: number } {
  let applies = 0
  const counting: Num<number> = {
    constant: numbers.constant,
    isZero: numbers.isZero,
    apply: (op, args) => {
      applies++
      return numbers.apply(op, args)
    },
  }
  const tape = linearize(p.outputs)
  forwardSweep(counting, tape, () => 0.5)
  const applications = topoOrder(p.outputs).filter((n) => n._tag === 'apply').length
  return { applies, applications }
}

describe('a chain of 1,000,000 nested sin', () => {
  const n = 1_000_000
  const x0 = 0.7

  it(
    'evaluates, differentiates in both modes, and gives the chain-rule product',
    () => {
      let t: Node = x
      for (let k = 0; k < n; k++) t = build.sin(t)
      const p = program([t])
      // The hand loop: value sinⁿ(x0), derivative Π cos(t_k).
      let v = x0
      let d = 1
      for (let k = 0; k < n; k++) {
        d *= Math.cos(v)
        v = Math.sin(v)
      }
      const e = unwrap(evaluate(p, { x: x0 }))
      expect(e.values[0]).toBe(v)
      expect(e.warnings).toEqual([])
      const g = unwrap(grad(p, { x: x0 }))
      expect(g.value).toBe(v)
      expect(pureRelClose(g.gradient.x, d, chainRel(n))).toBe(true)
      const f = unwrap(jvp(p, { x: x0 }, { x: 1 }))
      expect(pureRelClose(f.tangents[0], d, chainRel(n))).toBe(true)
      expect(d).not.toBe(0) // the check is not vacuous: about 1e-9 at n = 10^6
      const c = evaluationCount(p)
      expect(c.applications).toBe(n)
      expect(c.applies).toBe(n)
    },
    timeout,
  )
})

describe('symbolic gradient of a 10^5 chain', () => {
  it(
    'gradExpr builds, evaluates and matches the hand loop',
    () => {
      const n = 100_000
      let t: Node = x
      for (let k = 0; k < n; k++) t = build.sin(t)
      const G = unwrap(gradExpr(program([t])))
      let v = 0.7
      let d = 1
      for (let k = 0; k < n; k++) {
        d *= Math.cos(v)
        v = Math.sin(v)
      }
      const r = unwrap(evaluate(G, { x: 0.7 }))
      expect(pureRelClose(r.values[0], d, chainRel(n))).toBe(true)
      // The gradient shares the program's sin nodes and adds one cos and one mul per level.
      const c = evaluationCount(G)
      expect(c.applies).toBe(c.applications)
      expect(c.applications).toBeLessThanOrEqual(3 * n)
    },
    timeout,
  )
})

describe('a doubly-shared nest: t = t*t*0.5 + sin(t), 10^4 times', () => {
  const n = 10_000
  const x0 = -0.5 // the iteration tends to 0 like −2/k from here, so every value stays finite

  const nest = (): Node => {
    let t: Node = x
    for (let k = 0; k < n; k++) t = build.add(build.mul(build.mul(t, t), 0.5), build.sin(t))
    return t
  }

  it(
    'evaluates each distinct node once and differentiates in every mode',
    () => {
      const p = program([nest()])
      let v = x0
      let d = 1
      for (let k = 0; k < n; k++) {
        d *= v + Math.cos(v)
        v = v * v * 0.5 + Math.sin(v)
      }
      const c = evaluationCount(p)
      expect(c.applications).toBe(4 * n)
      expect(c.applies).toBe(c.applications)
      const e = unwrap(evaluate(p, { x: x0 }))
      expect(e.values[0]).toBe(v)
      const g = unwrap(grad(p, { x: x0 }))
      const f = unwrap(jvp(p, { x: x0 }, { x: 1 }))
      const G = unwrap(evaluate(unwrap(gradExpr(p)), { x: x0 }))
      // Per level the modes multiply (t + cos t) as 0.5·t + 0.5·t + cos t, in other orders.
      const rel = chainRel(4 * n)
      expect(pureRelClose(g.gradient.x, d, rel)).toBe(true)
      expect(pureRelClose(f.tangents[0], d, rel)).toBe(true)
      expect(pureRelClose(G.values[0], d, rel)).toBe(true)
      expect(d).not.toBe(0)
    },
    timeout,
  )
})
