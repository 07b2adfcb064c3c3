/**
 * Forward-over-reverse on a tape: the shared engine of `hvp` and `hessian`.
 *
 * One compiled `jvp` sweep carries the values v and the tangents t = ∂v/∂x · d along a direction
 * d (seeded on the `wrt` slots); then one compiled `hvp` sweep runs back-propagation over dual
 * numbers: the adjoints g (with g[output] = 1) and their tangents h (h[output] = 0). Afterwards
 * g at the `wrt` slots is the gradient and h there is H·d, the document's
 * H v = ∇ₓ[(∇ₓ f)ᵀ v]. Both sweeps are a small constant times one gradient, whatever n is.
 *  *
 * @example
 * const r = prepare(program, { x: 1, y: 2 }, ['x', 'y'])   // Right({ tape, values })
 * const work = workspace(tape)
 * hvpSweep(tape, values, Float64Array.of(1, 0), work)
 * atWrt(tape, work.h)   // the first column of the Hessian
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { getForwardKernels } from '../forward/kernels.js'
import { getValueKernels } from '../tape/kernels.js'
import { wrtTape } from '../tape/names.js'
import { badArgument, loadPoint, type EvalError, type Point } from '../tape/point.js'
import type { Tape } from '../tape/tape.js'
import { mayHaveUnderflowed, rescuedValue, rescueScale, underflowedAt } from '../reverse/underflow.js'
import { getHvpKernels } from './kernels.js'

/** A tape and a value array loaded with a point (applications not yet evaluated). */
export interface Prepared {
  readonly tape: Tape
  readonly values: Float64Array
}

/** The arrays one forward-over-reverse pass writes: tangents t, adjoints g, adjoint tangents h. */
export interface Workspace {
  readonly t: Float64Array
  readonly g: Float64Array
  readonly h: Float64Array
}

/** Fresh arrays for `tape`. */
export const workspace = (tape: Tape): Workspace => ({
  t: new Float64Array(tape.size),
  g: new Float64Array(tape.size),
  h: new Float64Array(tape.size),
})

/**
 * Checks that `program` is scalar and that `wrt` names distinct variables of it (see
 * `checkWrt`), and loads `point`. `what` names the caller in the error message.
 */
export function prepare(program: Program, point: Point, wrt: readonly string[], what: string): E.Either<EvalError, Prepared> {
  if (program.outputs.length !== 1) {
    return E.left(badArgument(`${what} needs a program with one output; this one has ${program.outputs.length}`))
  }
  return E.chain((tape: Tape) => E.map((values: Float64Array) => ({ tape, values }))(loadPoint(tape, point, program)))(wrtTape(program, wrt))
}

/**
 * One Hessian-vector product: `direction` has one entry per `wrt` name. Writes the values into
 * `values` and the sweeps' arrays into `work`; read the results with `atWrt(tape, work.g)`
 * (gradient) and `atWrt(tape, work.h)` (H·direction). The fast sweeps first; when the gradient or
 * the product is not finite, the careful ones (0·∞ = 0 in every product), as every mode does.
 */
export function hvpSweep(tape: Tape, values: Float64Array, direction: ArrayLike<number>, work: Workspace): number {
  sweepOnce(tape, values, direction, work, false)
  if (!finiteAtWrt(tape, work.g) || !finiteAtWrt(tape, work.h)) sweepOnce(tape, values, direction, work, true)
  return rescue(tape, values, direction, work)
}

/**
 * Adjoints or their tangents below the smallest double (log(x·x)'' at 1e140 came out +2e-280 for
 * −2e-280): the sweep redone with the output's adjoint scaled by 2^600 (see `reverse/underflow.ts`),
 * its results divided back into `work.g` and `work.h`. The slot where the underflow began, or −1.
 */
function rescue(tape: Tape, values: Float64Array, direction: ArrayLike<number>, work: Workspace): number {
  if (!mayHaveUnderflowed(tape, values, [work.g, work.h])) return -1
  const big = workspace(tape)
  sweepOnce(tape, values, direction, big, true, rescueScale)
  // Entry by entry: one that overflows in the scaled sweep keeps its first value. Where the
  // underflow began is found before the first sweep's entries are replaced.
  const rescues = (s: number): boolean => s >= 0 && (rescuedValue(big.g[s] as number, work.g[s] as number) !== undefined || rescuedValue(big.h[s] as number, work.h[s] as number) !== undefined)
  if (!tape.wrtSlots.some(rescues)) return -1
  const at = underflowedAt(tape, [big.g, big.h], [work.g, work.h])
  for (const s of tape.wrtSlots) {
    if (s < 0) continue
    work.g[s] = rescuedValue(big.g[s] as number, work.g[s] as number) ?? (work.g[s] as number)
    work.h[s] = rescuedValue(big.h[s] as number, work.h[s] as number) ?? (work.h[s] as number)
  }
  return at
}

function sweepOnce(tape: Tape, values: Float64Array, direction: ArrayLike<number>, work: Workspace, careful: boolean, seed = 1): void {
  const forward = getForwardKernels(careful)
  const reverse = getHvpKernels(careful)
  const { t, g, h } = work
  t.fill(0)
  g.fill(0)
  h.fill(0)
  const slots = tape.wrtSlots
  for (let j = 0; j < slots.length; j++) if (slots[j] >= 0) t[slots[j]] = direction[j]
  forward.jvp(tape.op, tape.a0, tape.a1, values, t, tape.leaves, tape.size)
  g[tape.outputs[0]] = seed
  reverse.hvp(tape.op, tape.a0, tape.a1, values, t, g, h, tape.activeOrder, tape.activeOrder.length)
}

function finiteAtWrt(tape: Tape, a: Float64Array): boolean {
  for (const s of tape.wrtSlots) if (s >= 0 && !Number.isFinite(a[s])) return false
  return true
}

/** Values from the compiled forward sweep only (when no Hessian-vector product is needed). */
export function forwardOnly(tape: Tape, values: Float64Array): void {
  getValueKernels().forward(tape.op, tape.a0, tape.a1, values, tape.leaves, tape.size)
}

/** The entries of a slot-indexed array at the `wrt` slots (0 for names not in the program). */
export function atWrt(tape: Tape, a: Float64Array): Float64Array {
  const out = new Float64Array(tape.wrtSlots.length)
  for (let j = 0; j < out.length; j++) out[j] = tape.wrtSlots[j] >= 0 ? a[tape.wrtSlots[j]] : 0
  return out
}
