/**
 * Reverse accumulation that underflows: an adjoint smaller than the smallest double is rounded to
 * 0 or to a subnormal, and the derivatives that flow through it lose their value or their sign,
 * although every value of the program is an ordinary double. x/(x·x + 1) at x = 1e110: the
 * adjoint of the denominator, −(a/b)/b, is about 1e-330; its share of the gradient was lost and
 * the gradient came out +1e-220 for −1e-220 (log(x·x)'' at 1e140: +2e-280 for −2e-280). Forward
 * mode carries tangents, not adjoints, and does not meet it.
 *
 * The sweep is linear in its seed, and multiplying by a power of two is exact: redone with the
 * seed times 2^600, no adjoint underflows that did not underflow by 10^-180 at least, and the
 * result divided by 2^600 is the derivative. That is done when the first sweep may have
 * underflowed (a subnormal adjoint, or values beyond 2^±400, where quotients of squares leave the
 * range) and the second one overflows nowhere. `hvp/sweep.ts` does the same for H·v.
 *
 * @example
 * const r = rescaled(tape, values, [1], g, names)   // undefined on ordinary points
 * r?.adjoints   // the rescued derivatives at the wrt slots
 */
import type { Node } from '../expr/node.js'
import { describe, type Warning } from '../tape/diagnose.js'
import type { Tape } from '../tape/tape.js'
import { getReverseKernels } from './kernels.js'

/** The scale of the second sweep (a power of two: exact), and its exponent. */
export const rescueExponent = 600
export const rescueScale = 2 ** rescueExponent

/** Values beyond these magnitudes may make an adjoint underflow (1/b² at b = 1e154). */
const huge = 2 ** 400
const tiny = 2 ** -400
const minNormal = 2 ** -1022

/** Whether a sweep over `values` whose adjoint arrays are `arrays` may have underflowed somewhere. */
export function mayHaveUnderflowed(tape: Tape, values: Float64Array, arrays: readonly Float64Array[]): boolean {
  const subnormal = (x: number): boolean => x !== 0 && Math.abs(x) < minNormal
  for (const i of tape.activeOrder) {
    const v = Math.abs(values[i] as number)
    if (v > huge || (v !== 0 && v < tiny)) return true
    for (const a of arrays) if (subnormal(a[i] as number)) return true
  }
  for (const s of tape.wrtSlots) if (s >= 0) for (const a of arrays) if (subnormal(a[s] as number)) return true
  return false
}

/** Whether every active slot of the scaled sweep's arrays is finite (it overflowed nowhere). */
export const finiteScaled = (tape: Tape, arrays: readonly Float64Array[]): boolean => arrays.every((a) => tape.activeOrder.every((i) => Number.isFinite(a[i] as number)))

/** Whether `scaled` / 2^600 and `plain` differ (beyond the last bit) at slot `i`. */
export const differs = (scaled: Float64Array, plain: Float64Array, i: number): boolean => {
  const b = scaled[i] as number
  return Math.abs(b - (plain[i] as number) * rescueScale) > 1e-15 * Math.abs(b)
}

/**
 * The node nearest the output whose derivative (in `scaled`, the second sweep's arrays) is below
 * the smallest double and lost something in `plain`: where the underflow began (the output itself
 * when none is found).
 */
export function underflowedAt(tape: Tape, scaled: readonly Float64Array[], plain: readonly Float64Array[]): number {
  for (let k = tape.activeOrder.length - 1; k >= 0; k--) {
    const i = tape.activeOrder[k] as number
    for (let a = 0; a < scaled.length; a++) {
      const b = (scaled[a] as Float64Array)[i] as number
      if (b !== 0 && Math.abs(b) < minNormal * rescueScale && differs(scaled[a] as Float64Array, plain[a] as Float64Array, i)) return i
    }
  }
  return tape.outputs[0] as number
}

/** The warning for derivatives redone because they underflowed at `slot`. */
export function underflowWarning(tape: Tape, values: Float64Array, names: ReadonlyMap<Node, string>, slot: number): Warning {
  const d = describe(tape, names, slot, values)
  return {
    _tag: 'InexactDerivative',
    node: d.node,
    at: d.at,
    message: `the derivative of the output with respect to ${d.node}${d.point === '' ? '' : ` (at ${d.point})`} is below the smallest double and underflowed in reverse accumulation: the sweep was redone with the output's adjoint scaled by 2^${rescueExponent}, and these are its results (a compiled function, which does not redo it, lost them)`,
  }
}

/**
 * The derivatives at the wrt slots redone with the seed scaled, and a warning naming the node
 * whose adjoint underflowed, when the first sweep (adjoints `g`, from `cotangent` at the outputs)
 * lost something to underflow; `undefined` when it did not (or the scaled sweep overflows).
 */
export function rescaled(tape: Tape, values: Float64Array, cotangent: readonly number[], g: Float64Array, names: ReadonlyMap<Node, string>): { adjoints: Float64Array; warning: Warning } | undefined {
  if (!mayHaveUnderflowed(tape, values, [g])) return undefined
  const big = new Float64Array(tape.size)
  tape.outputs.forEach((slot, k) => {
    big[slot] += (cotangent[k] as number) * rescueScale
  })
  getReverseKernels(true).reverse(tape.op, tape.a0, tape.a1, values, big, tape.activeOrder, tape.activeOrder.length)
  if (!finiteScaled(tape, [big])) return undefined
  if (!tape.wrtSlots.some((s) => s >= 0 && differs(big, g, s))) return undefined
  const adjoints = Float64Array.from(tape.wrtSlots, (s) => (s >= 0 ? (big[s] as number) / rescueScale : 0))
  return { adjoints, warning: underflowWarning(tape, values, names, underflowedAt(tape, [big], [g])) }
}

/**
 * `rescaled` for a sweep whose adjoints were not kept (a Jacobian's rows): the plain careful sweep
 * first, on points where one may have underflowed (values beyond 2^±400) only.
 */
export function rescaledRow(tape: Tape, values: Float64Array, cotangent: readonly number[], names: ReadonlyMap<Node, string>): { adjoints: Float64Array; warning: Warning } | undefined {
  if (!mayHaveUnderflowed(tape, values, [])) return undefined
  const g = new Float64Array(tape.size)
  tape.outputs.forEach((slot, k) => {
    g[slot] += cotangent[k] as number
  })
  getReverseKernels(true).reverse(tape.op, tape.a0, tape.a1, values, g, tape.activeOrder, tape.activeOrder.length)
  return rescaled(tape, values, cotangent, g, names)
}
