/**
 * Reverse accumulation that underflows: an adjoint smaller than the smallest double is rounded to
 * 0 or to a subnormal, and the derivatives that flow through it lose their value or their sign,
 * although every value of the program is an ordinary double. x/(x·x + 1) at x = 1e110: the
 * adjoint of the denominator, −(a/b)/b, is about 1e-330; its share of the gradient was lost and
 * the gradient came out +1e-220 for −1e-220 (log(x·x)'' at 1e140: +2e-280 for −2e-280).
 *
 * The sweep is linear in its seed, and multiplying by a power of two is exact: redone with the
 * seed times 2^600, no adjoint underflows that did not underflow by 10^-180 at least, and the
 * result divided by 2^600 is the derivative. That is done when the first sweep may have
 * underflowed (a subnormal adjoint, or values beyond 2^±200, where products of partials leave the
 * range), entry by entry: a derivative that overflows in the second sweep (one of 1e130 beside the
 * rescued one) keeps the first sweep's value. `hvp/sweep.ts` does the same for H·v.
 *
 * Forward mode can underflow too (a tangent below the smallest double); that is not redone.
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

/** Values beyond these magnitudes may make an adjoint underflow (1e-110·atan(1e110·x): 1e-330). */
const huge = 2 ** 200
const tiny = 2 ** -200
const minNormal = 2 ** -1022

/** Whether a sweep over `values` whose adjoint arrays are `arrays` (one or two) may have underflowed somewhere. */
export function mayHaveUnderflowed(tape: Tape, values: Float64Array, arrays: readonly Float64Array[]): boolean {
  const order = tape.activeOrder
  const a = arrays[0]
  const b = arrays[1]
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number
    const v = Math.abs(values[i] as number)
    if (v > huge || (v < tiny && v !== 0)) return true
    if (a !== undefined) {
      const x = Math.abs(a[i] as number)
      if (x < minNormal && x !== 0) return true
    }
    if (b !== undefined) {
      const x = Math.abs(b[i] as number)
      if (x < minNormal && x !== 0) return true
    }
  }
  const slots = tape.wrtSlots
  for (let j = 0; j < slots.length; j++) {
    const s = slots[j] as number
    if (s < 0) continue
    for (const arr of arrays) {
      const x = Math.abs(arr[s] as number)
      if (x < minNormal && x !== 0) return true
    }
  }
  return false
}

/**
 * The rescued value of a derivative: `scaled`, the second sweep's, divided back, where both sweeps
 * are finite and it is another number than `first`, the first sweep's (−0 and 0 are the same
 * here); otherwise `undefined`.
 */
export function rescuedValue(scaled: number, first: number): number | undefined {
  // Only finite numbers are redone: a first result that is NaN or infinite has other causes.
  if (!Number.isFinite(scaled) || !Number.isFinite(first)) return undefined
  const v = scaled / rescueScale
  if (v === first) return undefined
  // A subnormal result is one rounding away in the first sweep too (c·a at 6.8e-254·9.5e-56), and
  // dividing back rounds it twice: it is taken only where the first sweep lost it (0) or its sign.
  if (Math.abs(v) < minNormal && first !== 0 && Math.sign(first) === Math.sign(v)) return undefined
  return v
}

/**
 * The node nearest the output whose derivative (in `scaled`, the second sweep's arrays) is below
 * the smallest double and came out otherwise in `plain`: where the underflow began (the output
 * itself when none is found).
 */
export function underflowedAt(tape: Tape, scaled: readonly Float64Array[], plain: readonly Float64Array[]): number {
  for (let k = tape.activeOrder.length - 1; k >= 0; k--) {
    const i = tape.activeOrder[k] as number
    for (let a = 0; a < scaled.length; a++) {
      const b = (scaled[a] as Float64Array)[i] as number
      // Compared at the second sweep's scale, where the lost adjoint (1e-330) is representable.
      if (b !== 0 && Math.abs(b) < minNormal * rescueScale && Math.abs(b - ((plain[a] as Float64Array)[i] as number) * rescueScale) > 1e-15 * Math.abs(b)) return i
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

/** The careful reverse sweep from `cotangent` at the outputs, times `scale`, into a fresh array. */
function sweepFrom(tape: Tape, values: Float64Array, cotangent: readonly number[], scale: number): Float64Array {
  const g = new Float64Array(tape.size)
  tape.outputs.forEach((slot, k) => {
    g[slot] += (cotangent[k] as number) * scale
  })
  getReverseKernels(true).reverse(tape.op, tape.a0, tape.a1, values, g, tape.activeOrder, tape.activeOrder.length)
  return g
}

/**
 * The derivatives at the wrt slots, `first` (what the first sweep gave there) with the entries the
 * scaled sweep rescues replaced, and a warning naming the node whose adjoint underflowed;
 * `undefined` when nothing changed. `plain`, the first sweep's adjoints of every slot, names the
 * node (a careful sweep makes them when they were not kept).
 */
function rescue(tape: Tape, values: Float64Array, cotangent: readonly number[], first: ArrayLike<number>, plain: () => Float64Array, names: ReadonlyMap<Node, string>): { adjoints: Float64Array; warning: Warning } | undefined {
  const big = sweepFrom(tape, values, cotangent, rescueScale)
  const adjoints = Float64Array.from(first)
  let changed = false
  tape.wrtSlots.forEach((s, j) => {
    const v = s < 0 ? undefined : rescuedValue(big[s] as number, adjoints[j] as number)
    if (v === undefined) return
    adjoints[j] = v
    changed = true
  })
  if (!changed) return undefined
  return { adjoints, warning: underflowWarning(tape, values, names, underflowedAt(tape, [big], [plain()])) }
}

/**
 * `first` (the derivatives a sweep from `cotangent` gave at the wrt slots; `g`, its adjoints of
 * every slot) with the entries that underflowed redone with the seed scaled, and a warning; or
 * `undefined` on ordinary points and where nothing changed.
 */
export function rescaled(tape: Tape, values: Float64Array, cotangent: readonly number[], first: ArrayLike<number>, g: Float64Array, names: ReadonlyMap<Node, string>): { adjoints: Float64Array; warning: Warning } | undefined {
  if (!mayHaveUnderflowed(tape, values, [g])) return undefined
  return rescue(tape, values, cotangent, first, () => g, names)
}

/**
 * `rescaled` for sweeps whose adjoints were not kept (a Jacobian's rows, `first`): the caller
 * decides once, by `mayHaveUnderflowed(tape, values, [])`, that the point may underflow.
 */
export function rescaledRow(tape: Tape, values: Float64Array, cotangent: readonly number[], first: ArrayLike<number>, names: ReadonlyMap<Node, string>): { adjoints: Float64Array; warning: Warning } | undefined {
  return rescue(tape, values, cotangent, first, () => sweepFrom(tape, values, cotangent, 1), names)
}
