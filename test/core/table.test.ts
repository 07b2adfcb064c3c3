/**
 * The whole rule table, one op at a time (iterating `opTags`, so a new op is covered the moment it
 * is added): at random points of each op's `domain`, more than 1e-3 away from its `kink`,
 * - first order: forward mode (the `jvp` API and `dualOf(numbers)` directly), reverse mode
 *   (`grad`) and the symbolic derivative (`gradExpr` → `evaluate`) agree to 1e-12 relative, agree
 *   with central differences, and reverse agrees with forward through ⟨v, J u⟩ = ⟨Jᵀ v, u⟩;
 * - second order: `gradExpr` twice agrees with central differences of `grad`, with nested dual
 *   numbers through `forwardSweep`, and with the compiled `hvp` kernel;
 * - and what a user of chainrule/testing would write: `gradcheck` to second order is Right (every op
 *   whose derivative is its mathematical one, i.e. all but stop_gradient).
 * The points come from the kit's `arbitraryArgs` (each op's domain, away from its kink).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { evaluate, forwardSweep, jvp } from '../../src/forward/index.js'
import { getForwardKernels } from '../../src/forward/kernels.js'
import { getHvpKernels } from '../../src/hvp/kernels.js'
import { apply, build } from '../../src/ops/build.js'
import { dual, dualOf, type Dual } from '../../src/ops/dual.js'
import { numbers, partialsIn } from '../../src/ops/math.js'
import type { Rule } from '../../src/ops/rule.js'
import { special } from '../../src/ops/special.js'
import { table } from '../../src/ops/table.js'
import { opTags } from '../../src/ops/tags.js'
import { grad, gradExpr, vjp } from '../../src/reverse/index.js'
import { loadPoint } from '../../src/tape/point.js'
import { linearize } from '../../src/tape/tape.js'
import { arbitraryArgs, gradcheck } from '../../src/testing/index.js'
import { AD_REL, fdJacobian, fdTol, relClose, stepAt, unwrap } from './helpers.js'

const names = ['a', 'b'] as const
const D2 = dualOf(dualOf(numbers))
const runs = 300

/** Fails with a readable message unless `ok`. */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what)
}

describe('the table is well formed', () => {
  it.each(opTags)('%s: arity, domain, partials and builder agree', (tag) => {
    const rule: Rule = table[tag]
    expect(rule.domain.length).toBe(rule.arity)
    for (const [lo, hi] of rule.domain) expect(lo).toBeLessThan(hi)
    const mid = rule.domain.map(([lo, hi]) => (lo + hi) / 2)
    expect(partialsIn(numbers, tag, mid, rule.fn(mid[0], mid[1])).length).toBe(rule.arity)
    const vars = names.slice(0, rule.arity).map((n) => variable(n))
    const node = apply(tag, vars)
    expect(node._tag === 'apply' && node.op === tag).toBe(true)
  })
})

describe('what the table declares about an op holds bit for bit, NaN, ±0 and ±∞ included', () => {
  const xs = [0, -0, 1, -1, 2, 0.5, -2.5, 3e-310, -1e300, Infinity, -Infinity, NaN]
  const same = (got: number, want: number, what: string) => check(Object.is(got, want), `${what}: ${got}, expected ${want}`)
  it.each(opTags)('%s', (tag) => {
    const { fn, identity, constantWhen, negation, power, sum } = table[tag] as Rule
    for (const x of xs) {
      // Identities simplify up to the sign of a zero (0 + (−0) is +0).
      if (identity?.left !== undefined && x !== 0) same(fn(identity.left, x), x, `${tag}(${identity.left}, ${x})`)
      if (identity?.right !== undefined && x !== 0) same(fn(x, identity.right), x, `${tag}(${x}, ${identity.right})`)
      if (constantWhen !== undefined) same(fn(x, constantWhen.right), constantWhen.value, `${tag}(${x}, ${constantWhen.right})`)
      if (negation?.left !== undefined) same(fn(negation.left, x), -x, `${tag}(${negation.left}, ${x})`)
      if (negation?.right !== undefined) same(fn(x, negation.right), -x, `${tag}(${x}, ${negation.right})`)
      if (power === true) {
        same(fn(x, 2), x * x, `${tag}(${x}, 2)`)
        same(fn(x, 1), x, `${tag}(${x}, 1)`)
      }
      for (const y of xs) if (sum !== undefined) same(fn(x, y), sum.right === 1 ? x + y : x - y, `${tag}(${x}, ${y})`)
    }
  })
})

describe.each(opTags)('%s', (tag) => {
  const rule: Rule = table[tag]
  const wrt = names.slice(0, rule.arity)
  const node: Node = apply(tag, wrt.map((n) => variable(n)))
  const p = program([node])
  const tape = linearize(p.outputs, wrt)
  const G = unwrap(gradExpr(p, wrt))
  const H = G.outputs.map((gi) => unwrap(gradExpr(program([gi], { variables: G.variables }), wrt)))

  const point = arbitraryArgs(tag)
  const at = (args: readonly number[]) => Object.fromEntries(wrt.map((n, i) => [n, args[i]]))
  const direction = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: wrt.length, maxLength: wrt.length })

  it('forward, reverse and symbolic partials agree (1e-12) and match central differences', () => {
    fc.assert(
      fc.property(point, (args) => {
        const pt = at(args)
        const reverse = unwrap(grad(p, pt, wrt))
        const symbolic = unwrap(evaluate(G, pt)).values
        const { jac } = fdJacobian(tape, pt)
        wrt.forEach((name, i) => {
          const fw = unwrap(jvp(p, pt, { [name]: 1 }))
          const duals = args.map((x, k) => dual(x, k === i ? 1 : 0))
          const viaDual = dualOf(numbers).apply(tag, duals).tangent
          const r = reverse.gradient[name]
          const ctx = `${tag}${JSON.stringify(args)} d/d${name}: reverse ${r}, jvp ${fw.tangents[0]}, dual ${viaDual}, symbolic ${symbolic[i]}, fd ${jac[0][i]}`
          check(relClose(fw.tangents[0], r, AD_REL) && relClose(viaDual, r, AD_REL) && relClose(symbolic[i], r, AD_REL), ctx)
          check(Math.abs(jac[0][i] - r) <= fdTol(stepAt(args[i]), reverse.value, r), ctx)
          check(fw.values[0] === reverse.value && reverse.value === rule.fn(args[0], args[1]), `${ctx}: values`)
        })
      }),
      { numRuns: runs },
    )
  }, 60_000)

  it.skipIf(tag in special)('gradcheck (chainrule/testing) to second order is Right', () => {
    fc.assert(
      fc.property(point, (args) => {
        const r = gradcheck(p, at(args), { order: 2 })
        if (r._tag === 'Left') throw new Error(r.left.message)
      }),
      { numRuns: 100 },
    )
  }, 60_000)

  it('reverse agrees with forward: ⟨v, J u⟩ = ⟨Jᵀ v, u⟩', () => {
    fc.assert(
      fc.property(point, direction, fc.double({ min: -2, max: 2, noNaN: true }), (args, u, v) => {
        const pt = at(args)
        const Ju = unwrap(jvp(p, pt, at(u))).tangents[0]
        const JTv = unwrap(vjp(p, pt, [v], wrt)).vjp
        const lhs = v * Ju
        const rhs = wrt.reduce((s, n, i) => s + JTv[n] * u[i], 0)
        // Scale: the summands |v·∂ᵢ·uᵢ| (the two sides add the same products in other orders).
        const scale = wrt.reduce((s, n, i) => s + Math.abs(JTv[n] * u[i]), 0)
        check(relClose(lhs, rhs, AD_REL, scale), `${tag}${JSON.stringify(args)}: ⟨v,Ju⟩ = ${lhs}, ⟨Jᵀv,u⟩ = ${rhs}`)
      }),
      { numRuns: runs },
    )
  }, 60_000)

  it('second order: gradExpr twice = nested duals = hvp kernel, and matches differences of grad', () => {
    const K = { ...getForwardKernels(), ...getHvpKernels() }
    const slotOf = (name: string) => tape.variables.get(name) ?? -1
    fc.assert(
      fc.property(point, (args) => {
        const pt = at(args)
        const g0 = unwrap(grad(p, pt, wrt))
        const gScale = Math.max(...wrt.map((n) => Math.abs(g0.gradient[n])))
        const v = unwrap(loadPoint(tape, pt))
        wrt.forEach((row, i) => {
          const symbolic = unwrap(evaluate(H[i], pt)).values
          wrt.forEach((col, j) => {
            // Nested duals: the inner tangent along `row`, the outer along `col`.
            const leaf = (slot: number): Dual<Dual<number>> => {
              const n = tape.nodes[slot]
              const name = n._tag === 'var' ? n.name : ''
              return dual(dual(pt[name], name === row ? 1 : 0), dual(name === col ? 1 : 0, 0))
            }
            const nested = forwardSweep(D2, tape, leaf)[tape.outputs[0]].tangent.tangent
            // The hvp kernel: values and tangents along `col`, then the dual reverse sweep.
            const vals = v.slice()
            const t = new Float64Array(tape.size)
            t[slotOf(col)] = 1
            K.jvp(tape.op, tape.a0, tape.a1, vals, t, tape.leaves, tape.size)
            const g = new Float64Array(tape.size)
            const h = new Float64Array(tape.size)
            g[tape.outputs[0]] = 1
            K.hvp(tape.op, tape.a0, tape.a1, vals, t, g, h, tape.activeOrder, tape.activeOrder.length)
            const viaHvp = h[slotOf(row)]
            // Central differences of the gradient along `col`.
            const hj = stepAt(args[j])
            const shifted = (d: number) => unwrap(grad(p, { ...pt, [col]: pt[col] + d }, wrt)).gradient[row]
            const fd = (shifted(hj) - shifted(-hj)) / (2 * hj)
            const s = symbolic[j]
            const ctx = `${tag}${JSON.stringify(args)} d²/d${row}d${col}: symbolic ${s}, nested ${nested}, hvp ${viaHvp}, fd ${fd}`
            check(relClose(nested, s, AD_REL) && relClose(viaHvp, s, AD_REL), ctx)
            // Differences are only as good as the step is small next to where the function bends:
            // hypot at (1e-3, −2.6e-6) bends over |b|, and the step 1e-6 gives 1.5e-6 relative
            // (seed 2012022289). Where the half step moves the estimate, that move bounds its error.
            if (Math.abs(fd - s) > fdTol(hj, gScale, s)) {
              const fdHalf = (shifted(hj / 2) - shifted(-hj / 2)) / hj
              check(Math.abs(fdHalf - s) <= fdTol(hj / 2, gScale, s) + 2 * Math.abs(fd - fdHalf), ctx)
            }
          })
        })
      }),
      { numRuns: runs },
    )
  }, 60_000)
})
