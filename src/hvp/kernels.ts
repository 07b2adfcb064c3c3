/**
 * The sweep of forward-over-reverse over a tape: a reverse sweep over dual numbers, whose adjoint
 * tangents at the inputs are the Hessian-vector product. Each case's dual partials are generated
 * from the rule table over dual numbers of `Code` (see `tape/kernels.ts` for how kernels are
 * written); the forward sweep that must run first is forward mode's `jvp`.
 *
 * Calling conventions (all arrays indexed by slot):
 * - hvp(op, a0, a1, v, t, g, h, order, count): reverse sweep of the dual adjoints (g, h) given
 *   dual values (v, t); h at the inputs is the Hessian-vector product
 * - hvpAt(op, a0, a1, v, t, g, h, from, to, base): the same over a segment, i = to − 1 … from
 *
 * `careful`: as in the other modes, every product of a partial and an adjoint is zero when either
 * factor is zero (0·∞ = 0), with run-time tests; the evaluators use it when the fast result is not
 * finite.
 *
 * @example
 * getForwardKernels().jvp(op, a0, a1, v, t, leaves, size)
 * g[output] = 1
 * getHvpKernels().hvp(op, a0, a1, v, t, g, h, activeOrder, activeOrder.length)   // h[x] = (H·t)ₓ
 */
import { dual, dualOf, type Dual } from '../ops/dual.js'
import { partialsIn, times } from '../ops/math.js'
import { rulesByCode } from '../ops/table.js'
import { opTags } from '../ops/tags.js'
import { Code } from '../ops/codegen.js'
import { argNames, argSlots, cases, loads, makeKernel, onTape, kernelCache } from '../tape/kernels.js'

type I32 = Int32Array
type F64 = Float64Array

export interface HvpKernels {
  readonly hvp: (op: I32, a0: I32, a1: I32, v: F64, t: F64, g: F64, h: F64, order: I32, count: number) => void
  readonly hvpAt: (op: I32, a0: I32, a1: I32, v: F64, t: F64, g: F64, h: F64, from: number, to: number, base: number) => void
}

function hvpCase(careful: boolean): (k: number) => string {
  return (k) => {
    const arity = rulesByCode[k].arity
    const general = hvpBody(k, arity, careful, 'ty')
    // A second argument whose tangent is 0 (a constant: the exponent of x^2) has its terms folded
    // away: otherwise ∂(∂f/∂x)/∂y · ty is NaN · 0 where that partial is not finite (x^y·log x at
    // x < 0), and every H·v through x^2 at a negative x fell back to the careful sweeps. The
    // folded product is the toolkit's convention for a zero tangent (0·∞ = 0) anyway.
    const body = arity === 2 ? [`if (ty === 0) { ${hvpBody(k, arity, careful, '0').join(' ')} } else { ${general.join(' ')} }`] : general
    return `case ${k}: { ${loads(body, arity, [['o', 'v[s]'], ['to', 't[s]']])} ${body.join(' ')} break; }`
  }
}

/** The statements of one case: the dual partials, and the adjoint updates (`ty`: the second argument's tangent, or the literal 0). */
function hvpBody(k: number, arity: number, careful: boolean, ty: string): string[] {
  const code = new Code('p', { careful })
  const D = dualOf(code.num)
  const args: Dual<string>[] = argNames.slice(0, arity).map((a, j) => dual(a, j === 1 ? ty : `t${a}`))
  const ps = partialsIn(D, opTags[k], args, dual('o', 'to'))
  const updates: string[] = []
  ps.forEach((p, j) => {
    if (p === null) return
    // The dual adjoint (gi, hi) times the dual partial: g gets gi·p, h gets hi·p + gi·ṗ.
    const term = times(D, p, dual('gi', 'hi'))
    updates.push(`g[${argSlots[j]}] += ${term.value}; h[${argSlots[j]}] += ${term.tangent};`)
  })
  return [...code.lines, ...updates]
}

const kernelSets = kernelCache<HvpKernels>()

/** The forward-over-reverse sweeps, fast or careful (generated on first use, and again after `defineOp`). */
export function getHvpKernels(careful = false): HvpKernels {
  return kernelSets(careful ? 'careful' : 'fast', () => ({
    hvp: makeKernel(
      'op, a0, a1, v, t, g, h, order, count',
      `${onTape} for (let k = count - 1; k >= 0; k--) { const i = order[k], s = i; const gi = g[s], hi = h[s]; if (gi === 0 && hi === 0) continue; switch (op[i]) {\n${cases(hvpCase(careful))}\n} }`,
    ),
    hvpAt: makeKernel(
      'op, a0, a1, v, t, g, h, from, to, base',
      `for (let i = to - 1; i >= from; i--) { const s = i - base; const gi = g[s], hi = h[s]; if (gi === 0 && hi === 0) continue; switch (op[i]) {\n${cases(hvpCase(careful))}\n} }`,
    ),
  }))
}
