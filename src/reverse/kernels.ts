/**
 * The sweeps of reverse mode over a tape: back-propagation of adjoints, each case's partials
 * generated from the rule table over `Code` (see `tape/kernels.ts` for how kernels are written,
 * and for the value sweep that must run first).
 *
 * Calling conventions (all arrays indexed by slot; `v` holds every slot's value):
 * - reverse(op, a0, a1, v, g, order, count): for the slots order[count−1] … order[0], adds
 *   g[i]·∂ᵢ/∂argⱼ into g[argⱼ], skipping zero adjoints
 * - reverseVec(op, a0, a1, v, g, w, order, count): w adjoint rows at once (g[i·w + c]), the
 *   partials computed once per node and shared by the w rows: w rows of a Jacobian per sweep
 * - reverseAt(op, a0, a1, v, g, from, to, base): back-propagates g over a segment, i = to − 1 … from
 *
 * The fast kernels are IEEE arithmetic that skips zero adjoints; the `careful` ones also make every
 * product of a partial and an adjoint zero when either factor is zero (0·∞ = 0), with run-time
 * tests. Where the fast sweep gives a finite result it is the careful one; evaluators rerun the
 * careful sweep only when a fast result is not finite.
 *
 * @example
 * g[tape.outputs[0]] = 1
 * getReverseKernels().reverse(tape.op, tape.a0, tape.a1, values, g, tape.activeOrder, tape.activeOrder.length)
 */
import { partialsIn, times } from '../ops/math.js'
import { rulesByCode } from '../ops/table.js'
import { opTags } from '../ops/tags.js'
import { Code } from '../ops/codegen.js'
import { argNames, argSlots, cases, guardConstant, laneProduct, loads, makeKernel, onTape, kernelCache } from '../tape/kernels.js'
import type { Sensitivities } from '../tape/diagnose.js'
import type { Tape } from '../tape/tape.js'

type I32 = Int32Array
type F64 = Float64Array

export interface ReverseKernels {
  readonly reverse: (op: I32, a0: I32, a1: I32, v: F64, g: F64, order: I32, count: number) => void
  readonly reverseVec: (op: I32, a0: I32, a1: I32, v: F64, g: F64, w: number, order: I32, count: number) => void
  readonly reverseAt: (op: I32, a0: I32, a1: I32, v: F64, g: F64, from: number, to: number, base: number) => void
}

function reverseCase(careful: boolean): (k: number) => string {
  return (k) => {
    const arity = rulesByCode[k].arity
    const code = new Code('p', { careful, nonzero: ['gi'] })
    const ps = partialsIn(code.num, opTags[k], argNames.slice(0, arity), 'o')
    const terms = ps.map((p) => (p === null ? null : times(code.num, p, 'gi')))
    if (arity === 1 || terms.some((t) => t === null)) {
      const body = [...code.live(terms.filter((t): t is string => t !== null)), ...terms.flatMap((t, j) => (t === null ? [] : [`g[${argSlots[j]}] += ${t};`]))]
      return `case ${k}: { ${loads(body, arity, [['o', 'v[s]']])} ${body.join(' ')} break; }`
    }
    // Binary: each argument's partial separately, so that a constant argument's can be skipped.
    const blocks = terms.map((t, j) => guardConstant(j, code.live([t as string]), `g[${argSlots[j]}] += ${t};`))
    return `case ${k}: { ${loads(blocks, arity, [['o', 'v[s]']])} ${blocks.join(' ')} break; }`
  }
}

/** Vector adjoints: partials once, then a loop over the w rows. */
function reverseVecCase(careful: boolean): (k: number) => string {
  return (k) => {
    const arity = rulesByCode[k].arity
    const code = new Code('p', { careful })
    const ps = partialsIn(code.num, opTags[k], argNames.slice(0, arity), 'o')
    const updates: string[] = []
    ps.forEach((p, j) => {
      if (p !== null) updates.push(`g[${argSlots[j]} * w + c] += ${laneProduct(code, p, 'gc', careful)};`)
    })
    if (updates.length === 0) return `case ${k}: break;`
    const body = [...code.lines]
    return `case ${k}: { ${loads([...body, ...updates], arity, [['o', 'v[s]']])} ${body.join(' ')} for (let c = 0; c < w; c++) { const gc = g[bi + c]; if (gc === 0) continue; ${updates.join(' ')} } break; }`
  }
}

const kernelSets = kernelCache<ReverseKernels>()

/** The reverse-mode sweeps, fast or careful (generated on first use, and again after `defineOp`). */
export function getReverseKernels(careful = false): ReverseKernels {
  return kernelSets(careful ? 'careful' : 'fast', () => ({
    reverse: makeKernel(
      'op, a0, a1, v, g, order, count',
      `${onTape} for (let k = count - 1; k >= 0; k--) { const i = order[k], s = i; const gi = g[s]; if (gi === 0) continue; switch (op[i]) {\n${cases(reverseCase(careful))}\n} }`,
    ),
    reverseVec: makeKernel(
      'op, a0, a1, v, g, w, order, count',
      `${onTape} for (let k = count - 1; k >= 0; k--) { const i = order[k], s = i; const bi = i * w; let any = false; for (let c = 0; c < w; c++) if (g[bi + c] !== 0) { any = true; break; } if (!any) continue; switch (op[i]) {\n${cases(reverseVecCase(careful))}\n} }`,
    ),
    reverseAt: makeKernel(
      'op, a0, a1, v, g, from, to, base',
      `for (let i = to - 1; i >= from; i--) { const s = i - base; const gi = g[s]; if (gi === 0) continue; switch (op[i]) {\n${cases(reverseCase(careful))}\n} }`,
    ),
  }))
}

/** The adjoints of every slot for output `row` (one careful reverse sweep): for the warnings that weigh a node's share of a derivative. */
export function outputAdjoints(tape: Tape, values: Float64Array, row = 0): Sensitivities | undefined {
  const out = tape.outputs[row]
  if (out === undefined) return undefined
  const g = new Float64Array(tape.size)
  g[out] = 1
  getReverseKernels(true).reverse(tape.op, tape.a0, tape.a1, values, g, tape.activeOrder, tape.activeOrder.length)
  return { direction: 'reverse', array: g }
}

