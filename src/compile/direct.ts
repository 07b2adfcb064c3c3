/**
 * Direct inputs: when the wrt variables occupy the plan's leading slots in order, the templates
 * read the caller's input vector and add into the caller's gradient (or tangent) arrays at the
 * same index, so that a call copies nothing in or out.
 *
 * On the extended Rosenbrock function (n = 10^5) the three copies a `grad` call made otherwise
 * (x into the slot array, adjoints zeroed, gradient out) cost about a third of the hand-written
 * gradient's time (`npm run bench`, compile group).
 *
 * A batch's row position is direct when it holds only variables. Variables read anywhere else (by
 * a tape node, a reduction's plain term, a segment, an output, or a row position that mixes
 * variables with other slots) are `shared`: a call copies their values and tangents into the slot
 * arrays and, after the reverse sweep, adds their slot adjoints to the caller's gradient. (Adjoints
 * then sum in a different order than in the interpreted sweep; values are unchanged, bit for bit.)
 * A direct position that is the only writer of its slots assigns its adjoints (`sole`); one that
 * writes them first in `grad`'s fused pass over the output's terms assigns them there (`first`).
 *
 * @example
 * const { plan, shared } = withDirectInputs(buildPlan(tape, options))
 * plan.steps  // batches over x1..xn carry `direct: [true, true]`
 */
import { rowWidth } from './template.js'
import type { Batch, Plan, ReducePart, SegmentCode, Step } from './types.js'

/** Per row position of `batch`: 1 when every slot is below n, 0 when none is, −1 when mixed. */
function sides(batch: Batch, width: number, n: number): Int8Array {
  const side = new Int8Array(width)
  const { idx, count } = batch
  for (let p = 0; p < width; p++) {
    if (batch.addressing === 'affine') {
      const first = idx[2 * p]
      const last = first + (count - 1) * idx[2 * p + 1]
      const below = (first < n ? 1 : 0) + (last < n ? 1 : 0)
      side[p] = below === 2 ? 1 : below === 0 ? 0 : -1
      continue
    }
    let below = 0
    for (let j = 0; j < count; j++) if (idx[j * width + p] < n) below++
    side[p] = below === count ? 1 : below === 0 ? 0 : -1
  }
  return side
}

/** Calls `f` with the slot of row position p in each instance of `batch` (rows of `width`). */
export function eachSlot(batch: Batch, width: number, p: number, f: (s: number) => void): void {
  const { idx, count } = batch
  if (batch.addressing === 'affine') for (let j = 0; j < count; j++) f(idx[2 * p] + j * idx[2 * p + 1])
  else for (let j = 0; j < count; j++) f(idx[j * width + p])
}

/** Direct plans: the plan with direct row positions marked, and the variables read elsewhere. */
export interface DirectPlan {
  readonly plan: Plan
  /** Whether any row position is direct (otherwise `plan` is unchanged). */
  readonly direct: boolean
  /** Variables (slot = wrt index) that other code reads from the slot arrays. */
  readonly shared: Int32Array
}

/** Marks the row positions that read variables only, when the wrt variables lead in order. */
export function withDirectInputs(plan: Plan): DirectPlan {
  const { wrtSlots, outputs, a0, a1 } = plan
  const n = wrtSlots.length
  const unchanged: DirectPlan = { plan, direct: false, shared: new Int32Array() }
  if (n === 0 || !wrtSlots.every((s, j) => s === j)) return unchanged
  const isShared = new Uint8Array(n)
  const share = (s: number): void => {
    if (s >= 0 && s < n) isShared[s] = 1
  }
  for (const s of outputs) share(s)
  const marks = new Map<Batch, boolean[]>()
  let any = false
  const mark = (batch: Batch): void => {
    const width = rowWidth(plan.templates[batch.template])
    const side = sides(batch, width, n)
    marks.set(batch, Array.from(side, (s) => s === 1))
    if (side.includes(1)) any = true
    side.forEach((s, p) => s === -1 && eachSlot(batch, width, p, share))
  }
  for (const step of plan.steps) {
    switch (step._tag) {
      case 'tape':
        for (const s of step.order) {
          share(a0[s])
          share(a1[s])
        }
        break
      case 'template':
        mark(step.batch)
        break
      case 'reduce':
        for (const part of step.parts) {
          if (part._tag === 'slots') part.slots.forEach(share)
          else mark(part.batch)
        }
        break
      case 'segment': {
        const c = plan.segments as SegmentCode
        for (let k = step.from; k < step.to; k++) for (let j = 0; j < c.holeCount[k]; j++) share(c.holes[c.holeAt[k] + j])
        break
      }
    }
  }
  if (!any) return unchanged
  // Sole writers: a direct position whose slots no other position or instance writes, and that no
  // other code reads (not shared), assigns its adjoint instead of adding it. The caller's array is
  // zeroed first either way; assigning saves reading it back (Rosenbrock: grad 1.25× → 1.13× hand
  // in a one-off timing).
  const writes = new Uint8Array(n)
  const slotsOf = (batch: Batch, p: number, f: (s: number) => void): void => eachSlot(batch, rowWidth(plan.templates[batch.template]), p, f)
  for (const [batch, d] of marks) d.forEach((isDirect, p) => isDirect && slotsOf(batch, p, (s) => (writes[s] = Math.min(2, writes[s] + 1))))
  const soleAt = (batch: Batch, p: number): boolean => {
    let sole = true
    slotsOf(batch, p, (s) => (sole &&= writes[s] === 1 && isShared[s] === 0))
    return sole
  }
  const firsts = firstWriters(plan, marks, isShared)
  const direct = (batch: Batch): Batch => {
    const d = marks.get(batch) as boolean[]
    if (!d.includes(true)) return batch
    const first = firsts.get(batch)
    return { ...batch, direct: d, sole: d.map((isDirect, p) => isDirect && soleAt(batch, p)), ...(first === undefined ? {} : { first }) }
  }
  const steps = plan.steps.map((step): Step => {
    switch (step._tag) {
      case 'tape':
      case 'segment':
        return step
      case 'template':
        return { ...step, batch: direct(step.batch) }
      case 'reduce':
        return { ...step, parts: step.parts.map((part): ReducePart => (part._tag === 'batch' ? { ...part, batch: direct(part.batch) } : part)) }
    }
  })
  const shared = Int32Array.from(isShared.keys()).filter((s) => isShared[s] === 1)
  return { plan: { ...plan, steps }, direct: true, shared }
}

/**
 * The first writers of `grad`'s fused pass (see `Runner.grad`): when the last step is the sum that
 * gives the only output, its terms run forward and backward in one pass, in the order of its parts,
 * before any other step writes an adjoint. A direct position of a positive part whose slots no
 * earlier part wrote, and that its own batch writes once each, may then assign its adjoints in that
 * pass (`first`) where it would add them into a zeroed gradient: the same bits (`0 + a`), without
 * zeroing the entries first or reading them back. Later writers add, as before. The reverse sweeps
 * (vjp, H·v) run the parts the other way round, and keep adding.
 *
 * A spelling that sums all the A terms and then all the B terms of the extended Rosenbrock
 * function (`reduce` in bench/spellings.ts) has x_i written by both: without this, half the
 * gradient was left unassigned, and the whole of it was zeroed before every call.
 */
function firstWriters(plan: Plan, marks: ReadonlyMap<Batch, boolean[]>, isShared: Uint8Array): Map<Batch, boolean[]> {
  const firsts = new Map<Batch, boolean[]>()
  const last = plan.steps[plan.steps.length - 1]
  if (last === undefined || last._tag !== 'reduce' || plan.outputs.length !== 1 || last.root !== plan.outputs[0]) return firsts
  const n = isShared.length
  const written = new Uint8Array(n)
  const times = new Uint8Array(n)
  for (const part of last.parts) {
    if (part._tag === 'slots') {
      for (const s of part.slots) if (s < n) written[s] = 1
      continue
    }
    const batch = part.batch
    const d = marks.get(batch)
    if (d === undefined) continue
    const width = rowWidth(plan.templates[batch.template])
    const positions = d.flatMap((isDirect, p) => (isDirect ? [p] : []))
    for (const p of positions) eachSlot(batch, width, p, (s) => (times[s] = Math.min(2, times[s] + 1)))
    const first = d.map((isDirect, p) => {
      if (!isDirect || part.negative === true) return false
      let fresh = true
      eachSlot(batch, width, p, (s) => (fresh &&= written[s] === 0 && times[s] === 1 && isShared[s] === 0))
      return fresh
    })
    for (const p of positions)
      eachSlot(batch, width, p, (s) => {
        written[s] = 1
        times[s] = 0
      })
    if (first.includes(true)) firsts.set(batch, first)
  }
  return firsts
}
