/**
 * Random programs drawn from every primitive, with shared subexpressions (see `gen.ts`), at random
 * points, arguments mapped into each op's domain:
 * - forward (`jvp`), reverse (`grad`) and symbolic (`gradExpr` → `evaluate`) derivatives agree to
 *   1e-12 relative, and all agree with central differences;
 * - for vector programs, ⟨v, J u⟩ = ⟨Jᵀ v, u⟩ (`jvp` against `vjp`);
 * - second derivatives from `gradExpr` twice agree with central differences of `grad`, with
 *   nested dual numbers and with the compiled `hvp` kernel.
 * Samples within 1e-3 of a kink (any active kink slot of the tape) or with non-finite values are
 * discarded.
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { program } from '../../src/expr/program.js'
import { evaluate, forwardSweep, jvp } from '../../src/forward/index.js'
import { dual, dualOf, type Dual } from '../../src/ops/dual.js'
import { numbers } from '../../src/ops/math.js'
import { printProgram } from '../../src/ops/print.js'
import { grad, gradExpr, vjp } from '../../src/reverse/index.js'
import { getForwardKernels } from '../../src/forward/kernels.js'
import { getHvpKernels } from '../../src/hvp/kernels.js'
import { allFinite } from '../../src/tape/diagnose.js'
import { linearize, type Tape } from '../../src/tape/tape.js'
import { programs, type Sample } from './gen.js'
import { absGradient, AD_REL, evalTape, fdJacobian, fdTol, gradOracle, hasSpecial, kinkDistance, relClose, unwrap, valueScale } from './helpers.js'

const D2 = dualOf(dualOf(numbers))

function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what())
}

/** The tape and values of a sample, or `undefined` (discard) when non-finite or near a kink. */
function usable(s: Sample): { tape: Tape; values: Float64Array; evals: Float64Array[]; fd: number[][]; trunc: number[][]; steps: number[] } | undefined {
  const tape = linearize(s.program.outputs, s.program.variables)
  const values = evalTape(tape, (n) => s.point[n])
  if (!allFinite(values) || kinkDistance(tape, values) <= 1e-3) return undefined
  const { jac, trunc, steps, evals } = fdJacobian(tape, s.point)
  // The shifted points must stay on the same side of every kink (and be finite).
  if (!evals.every((v) => allFinite(v) && kinkDistance(tape, v) > 5e-4)) return undefined
  if (!jac.every(allFinite)) return undefined
  return { tape, values, evals, fd: jac, trunc, steps }
}

const describeSample = (s: Sample) => `${printProgram(s.program)}\nat ${JSON.stringify(s.point)}`

describe('random programs (arguments inside the domains)', () => {
  it('forward, reverse and symbolic gradients agree (1e-12) and match central differences', () => {
    fc.assert(
      fc.property(programs(), (s) => {
        const u = usable(s)
        fc.pre(u !== undefined)
        if (u === undefined) return
        const p = s.program
        const wrt = p.variables
        const reverse = unwrap(grad(p, s.point, wrt))
        const symbolic = unwrap(evaluate(unwrap(gradExpr(p, wrt)), s.point)).values
        fc.pre(allFinite(symbolic) && allFinite(Object.values(reverse.gradient)))
        // Summand magnitudes: the modes add the same path products in different orders.
        const scale = absGradient(u.tape, u.values, [1])
        const fScale = valueScale(u.tape, u.values)
        wrt.forEach((name, i) => {
          const fw = unwrap(jvp(p, s.point, { [name]: 1 })).tangents[0]
          const r = reverse.gradient[name]
          const ctx = () => `d/d${name}: reverse ${r}, forward ${fw}, symbolic ${symbolic[i]}, fd ${u.fd[0][i]} (scale ${scale[i]})\n${describeSample(s)}`
          check(relClose(fw, r, AD_REL, scale[i]) && relClose(symbolic[i], r, AD_REL, scale[i]), ctx)
          check(Math.abs(u.fd[0][i] - r) <= fdTol(u.steps[i], fScale, r) + 2 * u.trunc[0][i], ctx)
        })
      }),
      { numRuns: 2000 },
    )
  }, 60_000)

  it('vector programs: ⟨v, J u⟩ = ⟨Jᵀ v, u⟩ and every row matches central differences', () => {
    const coord = fc.double({ min: -2, max: 2, noNaN: true })
    fc.assert(
      fc.property(programs({ outputs: 3 }), fc.tuple(coord, coord, coord), fc.tuple(coord, coord, coord), (s, uu, vv) => {
        const u = usable(s)
        fc.pre(u !== undefined)
        if (u === undefined) return
        const p = s.program
        const wrt = p.variables
        const tangent = Object.fromEntries(wrt.map((n, i) => [n, uu[i]]))
        const Ju = unwrap(jvp(p, s.point, tangent)).tangents
        const JTv = unwrap(vjp(p, s.point, vv, wrt)).vjp
        fc.pre(allFinite(Ju) && allFinite(Object.values(JTv)))
        const lhs = vv.reduce((acc, vk, k) => acc + vk * Ju[k], 0)
        const rhs = wrt.reduce((acc, n, i) => acc + JTv[n] * uu[i], 0)
        // Both sides are Σ over (output, input, path) of v·(path product)·u, in other orders.
        const abs = absGradient(u.tape, u.values, vv)
        const scale = wrt.reduce((acc, _n, i) => acc + abs[i] * Math.abs(uu[i]), 0)
        check(relClose(lhs, rhs, AD_REL, scale), () => `⟨v,Ju⟩ = ${lhs}, ⟨Jᵀv,u⟩ = ${rhs} (scale ${scale})\n${describeSample(s)}`)
        // Rows of J by reverse mode against central differences.
        p.outputs.forEach((_o, k) => {
          const row = unwrap(vjp(p, s.point, p.outputs.map((_x, m) => (m === k ? 1 : 0)), wrt)).vjp
          const fScale = valueScale(u.tape, u.values, k)
          wrt.forEach((n, i) => {
            check(Math.abs(u.fd[k][i] - row[n]) <= fdTol(u.steps[i], fScale, row[n]) + 2 * u.trunc[k][i], () => `J[${k}][${n}] = ${row[n]}, fd ${u.fd[k][i]}\n${describeSample(s)}`)
          })
        })
      }),
      { numRuns: 1000 },
    )
  }, 60_000)

  it('second derivatives: gradExpr twice = nested duals = hvp kernel, and match differences of grad', () => {
    const K = { ...getForwardKernels(), ...getHvpKernels() }
    fc.assert(
      fc.property(programs({ maxSteps: 10 }), (s) => {
        const u = usable(s)
        fc.pre(u !== undefined)
        if (u === undefined) return
        const { tape, values } = u
        const p = s.program
        const wrt = p.variables
        const G = unwrap(gradExpr(p, wrt))
        const H = G.outputs.map((gi) => unwrap(evaluate(unwrap(gradExpr(program([gi], { variables: G.variables }), wrt)), s.point)).values)
        fc.pre(H.every(allFinite))
        // Scale for the 1e-12 agreement and for the rounding of the differenced gradient. A second
        // derivative sums products of first- and second-order partials over pairs of paths; we
        // bound those summands by the largest first-order summand sum (helpers.absGradient) plus
        // the largest |Hᵢⱼ|. A heuristic, not a proof, but it is the magnitude the three modes
        // round at: tens of thousands of samples ran without a miss at 1e-12.
        const gScale = Math.max(...absGradient(tape, values, [1])) + Math.max(...H.map((r) => Math.max(...r.map(Math.abs))))
        // Central differences of the gradient: of `grad` itself, or, when the program uses
        // stop_gradient, of an oracle that keeps its value fixed (`grad` re-evaluates it at the
        // shifted point, which a derivative that treats it as a constant does not see).
        const special = hasSpecial(tape)
        const gradient = (pt: Record<string, number>): Record<string, number> =>
          special ? Object.fromEntries(Array.from(gradOracle(tape, (n) => pt[n], values), (g, i) => [wrt[i], g])) : unwrap(grad(p, pt, wrt)).gradient
        const shifted = wrt.map((col, j) => [1, -1, 2, -2].map((sgn) => gradient({ ...s.point, [col]: s.point[col] + sgn * u.steps[j] })))
        wrt.forEach((row, i) => {
          wrt.forEach((col, j) => {
            const sym = H[i][j]
            const leaf = (slot: number): Dual<Dual<number>> => {
              const n = tape.nodes[slot]
              const name = n._tag === 'var' ? n.name : ''
              return dual(dual(s.point[name], name === row ? 1 : 0), dual(name === col ? 1 : 0, 0))
            }
            const nested = forwardSweep(D2, tape, leaf)[tape.outputs[0]].tangent.tangent
            const v = values.slice()
            const t = new Float64Array(tape.size)
            const colSlot = tape.variables.get(col)
            if (colSlot !== undefined) t[colSlot] = 1
            K.jvp(tape.op, tape.a0, tape.a1, v, t, tape.leaves, tape.size)
            const g = new Float64Array(tape.size)
            const h = new Float64Array(tape.size)
            g[tape.outputs[0]] = 1
            K.hvp(tape.op, tape.a0, tape.a1, v, t, g, h, tape.activeOrder, tape.activeOrder.length)
            const rowSlot = tape.variables.get(row)
            const viaHvp = rowSlot === undefined ? 0 : h[rowSlot]
            const [plus, minus, plus2, minus2] = shifted[j]
            const fd = (plus[row] - minus[row]) / (2 * u.steps[j])
            const trunc = Math.abs((plus2[row] - minus2[row]) / (4 * u.steps[j]) - fd) / 3 // see helpers.fdJacobian
            const ctx = () => `d²/d${row}d${col}: symbolic ${sym}, nested ${nested}, hvp ${viaHvp}, fd ${fd}\n${describeSample(s)}`
            check(relClose(nested, sym, AD_REL, gScale) && relClose(viaHvp, sym, AD_REL, gScale), ctx)
            check(Math.abs(fd - sym) <= fdTol(u.steps[j], gScale, sym) + 2 * trunc, ctx)
          })
        })
      }),
      { numRuns: 1000 },
    )
  }, 60_000)
})
