/**
 * Warnings for second derivatives. A Hessian-vector product can be non-finite where every first
 * partial is finite (x^1.5 at 0: the first derivative is 0, the second infinite), so the first-
 * order `derivativeWarnings` alone would leave it unexplained. This module finds the nodes whose
 * local partial has a non-finite tangent along the direction of the product.
 *
 * @example
 * if (!allFinite(hv)) warnings.push(...hvpWarnings(program, tape, values, work.t))
 */
import type { Program } from '../expr/program.js'
import { dual, dualOf } from '../ops/dual.js'
import { numbers, partialsIn, partialValue } from '../ops/math.js'
import { printExpr } from '../ops/print.js'
import { opTags } from '../ops/tags.js'
import { baseWarnings } from '../tape/run.js'
import { allFinite, caveatWarnings, derivativeWarnings, finiteWarnings, seedWarnings, type Sensitivities, type Warning } from '../tape/diagnose.js'
import type { Tape } from '../tape/tape.js'
import { outputAdjoints } from '../reverse/kernels.js'

const limit = 10
const textLimit = 60

/**
 * Active nodes whose local partial into an active argument has a non-finite derivative along the
 * tangents `t`, while the values, tangents and partial itself are finite. Call this only when a
 * result came out non-finite: it evaluates partials one node at a time.
 */
export function secondDerivativeWarnings(program: Program, tape: Tape, values: Float64Array, t: Float64Array): Warning[] {
  const D = dualOf(numbers)
  const names = program.names
  const show = (slot: number): string => names.get(tape.nodes[slot]) ?? printExpr(tape.nodes[slot], { names, maxLength: textLimit })
  const out: Warning[] = []
  let total = 0
  for (const i of tape.activeOrder) {
    const argSlots = [tape.a0[i], tape.a1[i]].filter((s) => s >= 0)
    const finite = [...argSlots, i].every((s) => Number.isFinite(values[s]) && Number.isFinite(t[s]))
    if (!finite) continue
    const ps = partialsIn(D, opTags[tape.op[i]], argSlots.map((s) => dual(values[s], t[s])), dual(values[i], t[i])).map((p) => (p === null ? null : partialValue(D, p)))
    const bad = argSlots.findIndex((s, j) => {
      const p = ps[j]
      return tape.active[s] === 1 && p !== null && Number.isFinite(p.value) && !Number.isFinite(p.tangent)
    })
    if (bad < 0) continue
    total++
    if (out.length >= limit) continue
    const node = show(i)
    const point = argSlots
      .filter((s) => tape.nodes[s]._tag !== 'const')
      .map((s) => `${show(s)} = ${values[s]}`)
      .join(', ')
    const which = argSlots.length > 1 ? ` with respect to argument ${bad + 1}` : ''
    out.push({
      _tag: 'NonFiniteDerivative',
      node,
      at: argSlots.map((s) => values[s]),
      message: `the second derivative of ${node}${which} is not finite (${ps[bad]?.tangent}) at ${point}`,
    })
  }
  if (total > out.length) out.push({ _tag: 'NonFiniteDerivative', node: '', at: [], message: `... and ${total - out.length} more non-finite second derivatives` })
  return out
}

/**
 * Everything an hvp owes: kinks met and non-finite values (as every evaluation), and, when the
 * gradient or the product is not finite, where first or second derivatives blew up.
 */
export function hvpWarnings(program: Program, tape: Tape, values: Float64Array, t: Float64Array, results: readonly ArrayLike<number>[]): Warning[] {
  const warnings = baseWarnings(program, tape, values)
  if (tape.caveatSlots.length > 0) warnings.push(...caveatWarnings(tape, values, program.names, 2))
  // A NaN or infinite direction is named; where it made the product non-finite, it is the cause.
  const seeds = seedWarnings('direction', Array.from(tape.wrtSlots, (s) => (s >= 0 ? (t[s] as number) : 0)), (j) => tape.wrt[j] as string)
  warnings.push(...seeds)
  if (seeds.length > 0 && !results.every(allFinite)) return warnings
  if (results.every(allFinite)) {
    warnings.push(...finiteWarnings(tape, values, program.names, (): Sensitivities | undefined => {
      // H·v's reverse sweep runs over duals: these adjoints only weigh, they are not that sweep's.
      const s = outputAdjoints(tape, values)
      return s === undefined ? undefined : { ...s, weightsOnly: true }
    }))
    return warnings
  }
  // First-order causes (sqrt at 0, ...) and second-order ones (x^1.5 at 0: finite slope, infinite
  // curvature); the general "overflow" sentence only when neither explains it.
  const first = derivativeWarnings(tape, values, program.names).filter((w) => w.node !== '')
  const second = secondDerivativeWarnings(program, tape, values, t)
  warnings.push(...first, ...second)
  if (first.length === 0 && second.length === 0) warnings.push(...derivativeWarnings(tape, values, program.names))
  return warnings
}
