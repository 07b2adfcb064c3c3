/**
 * Running a plan: the forward, reverse, jvp and hvp sweeps over its steps. Each step is one call
 * into a tape kernel or a compiled template; nothing here allocates per node.
 */
import { getForwardKernels } from '../forward/kernels.js'
import { getHvpKernels } from '../hvp/kernels.js'
import { getReverseKernels } from '../reverse/kernels.js'
import { getValueKernels } from '../tape/kernels.js'
import { lanesOf, type Io } from './access.js'
import { eachSlot } from './direct.js'
import { formsOf, type Forms } from './forms.js'
import { forwardSegments, hvpSegments, jvpSegments, noSegments, reverseSegments, SegmentScratch } from './segment.js'
import { sumValues } from './sumtree.js'
import { rowWidth } from './template.js'
import type { Batch, Plan, ReducePart, SegmentCode, Step } from './types.js'

type Reduce = Extract<Step, { _tag: 'reduce' }>

/**
 * Runs the sweeps of a plan over the arrays of an `Io`; each batch's template functions are
 * resolved once. Values of the wrt variables are in `io.x` and their adjoints go to `io.gx` (the
 * slot arrays themselves unless the plan reads them directly, see `direct.ts`).
 */
export class Runner {
  private readonly forms = new Map<Batch, Forms>()
  private readonly acc2 = new Float64Array(2)
  private readonly scratch: SegmentScratch
  private readonly segments: SegmentCode

  constructor(readonly plan: Plan) {
    this.segments = plan.segments ?? noSegments
    this.scratch = new SegmentScratch(this.segments.longest)
    const add = (b: Batch): void => {
      this.forms.set(b, formsOf(plan.templates[b.template], { addressing: b.addressing, direct: b.direct ?? [], lanes: lanesOf(b.addressing, b.idx), sole: b.sole ?? [], first: b.first ?? [] }))
    }
    for (const step of plan.steps) {
      if (step._tag === 'template') add(step.batch)
      else if (step._tag === 'reduce') for (const part of step.parts) if (part._tag === 'batch') add(part.batch)
    }
  }

  private f(b: Batch): Forms {
    return this.forms.get(b) as Forms
  }

  /** Values of every stored slot. */
  forward(io: Io): void {
    this.forwardSteps(io, this.plan.steps.length)
  }

  /**
   * Value and gradient of output 0 into `g` (zeroed by the caller). When the last step is a
   * reduction producing that output, its adjoint is 1 before it is computed, so that step runs
   * forward and backward in one pass (a model assembled term by term is mostly that step).
   */
  grad(io: Io): void {
    const steps = this.plan.steps
    const root = this.plan.outputs[0]
    const last = this.fusableTail()
    const g = io.g
    if (last === undefined) {
      this.forward(io)
      g[root] = 1
      this.reverse(io)
      return
    }
    this.forwardSteps(io, steps.length - 1)
    this.fusedTail(io, last, 'gradValueSum')
    this.reverseSteps(io, steps.length - 1)
  }

  /**
   * The output reduction's forward and reverse parts in one pass: each term adds its value into
   * the sum and back-propagates the adjoint ±1 (or, for H·v, the dual adjoint (1, 0)) at once. The
   * terms of a sum tree store their values instead, and the tree adds them up afterwards.
   */
  private fusedTail(io: Io, last: Reduce, form: 'gradValueSum' | 'hvpValueSum'): void {
    const { v, g } = io
    if (last.runs !== undefined) {
      for (const part of last.parts) {
        if (part._tag === 'slots') addSlots(g, part.slots, part.negative === true ? -1 : 1)
        else if (part.negative !== true) this.f(part.batch).get('gradValueOut')(io, part.batch.idx, part.out as Int32Array, part.batch.count)
        else {
          this.f(part.batch).get('value')(io, part.batch.idx, part.out as Int32Array, part.batch.count)
          this.f(part.batch).get('gradSum')(io, part.batch.idx, part.batch.count, -1)
        }
      }
      sumValues(v, last.runs)
      g[last.root] = 1
      return
    }
    // −0 is the identity of IEEE addition (a sum of −0 terms stays −0, as in the tape).
    let acc = -0
    for (const part of last.parts) {
      if (part._tag === 'batch') acc = this.f(part.batch).get(form)(io, part.batch.idx, part.batch.count, acc)
      else if (part.negative === true)
        for (const s of part.slots) {
          acc -= v[s]
          g[s] -= 1
        }
      else
        for (const s of part.slots) {
          acc += v[s]
          g[s] += 1
        }
    }
    v[last.root] = acc
    g[last.root] = 1
  }

  /**
   * Per variable of a direct plan (slots below n), what the output's terms do to its gradient entry
   * in every `grad` (the forms `gradValueSum` and `gradValueOut` run every instance and add what
   * they write into the caller's gradient to `io.check`):
   * - `checked`: every value written to the entry passes through `io.check`, because only those
   *   terms write it (it is not `shared`, and no other step or negative part has it at a direct
   *   position);
   * - `assigned`: one of them is its only writer or its first (a sole or first position), and
   *   assigns it, so the entry need not be zeroed first.
   */
  gradCoverage(n: number, shared: Int32Array): { checked: Uint8Array; assigned: Uint8Array } {
    const checked = new Uint8Array(n)
    const assigned = new Uint8Array(n)
    const last = this.fusableTail()
    if (last === undefined) return { checked, assigned }
    const directSlots = (batch: Batch, f: (s: number, sole: boolean) => void): void => {
      const width = rowWidth(this.plan.templates[batch.template])
      batch.direct?.forEach((direct, p) => direct && eachSlot(batch, width, p, (s) => f(s, batch.sole?.[p] === true || batch.first?.[p] === true)))
    }
    const tail = (part: ReducePart): part is Extract<ReducePart, { _tag: 'batch' }> => part._tag === 'batch' && part.negative !== true
    for (const part of last.parts)
      if (tail(part))
        directSlots(part.batch, (s, sole) => {
          checked[s] = 1
          if (sole) assigned[s] = 1
        })
    // Written elsewhere too: by the other steps (after the output's terms, in the reverse sweep),
    // by the negative parts of the output's sum, or added from the slot arrays (shared).
    const elsewhere = (batch: Batch): void => directSlots(batch, (s) => (checked[s] = 0))
    for (const step of this.plan.steps) {
      if (step._tag === 'template') elsewhere(step.batch)
      else if (step._tag === 'reduce') for (const part of step.parts) if (part._tag === 'batch' && (step !== last || !tail(part))) elsewhere(part.batch)
    }
    for (const s of shared) checked[s] = 0
    return { checked, assigned }
  }

  /**
   * The last step, when it is a reduction computing the only output (its adjoint is 1); for H·v
   * only a chain (a sum tree's terms would need a form that stores values and runs over duals).
   */
  private fusableTail(hvp = false): Reduce | undefined {
    const steps = this.plan.steps
    const last = steps[steps.length - 1]
    if (last === undefined || last._tag !== 'reduce' || (hvp && last.runs !== undefined)) return undefined
    return this.plan.outputs.length === 1 && last.root === this.plan.outputs[0] ? last : undefined
  }

  /**
   * H·d for output 0: values and tangents along d (in t and tx), then adjoints g and their
   * tangents h (zeroed by the caller). A reduction producing the output runs its forward and
   * reverse parts in one pass, as in `grad`.
   */
  hvpFull(io: Io): void {
    const root = this.plan.outputs[0]
    const last = this.fusableTail(true)
    const g = io.g
    if (last === undefined) {
      this.jvp(io)
      g[root] = 1
      this.hvp(io)
      return
    }
    const count = this.plan.steps.length - 1
    this.jvpSteps(io, count)
    this.fusedTail(io, last, 'hvpValueSum')
    this.hvpSteps(io, count)
  }

  private forwardSteps(io: Io, count: number): void {
    const K = getValueKernels()
    const { op, a0, a1 } = this.plan
    const v = io.v
    for (let k = 0; k < count; k++) {
      const step: Step = this.plan.steps[k]
      switch (step._tag) {
        case 'tape':
          K.forward(op, a0, a1, v, step.from, step.to)
          break
        case 'template':
          this.f(step.batch).get('value')(io, step.batch.idx, step.out, step.batch.count)
          break
        case 'reduce': {
          if (step.runs !== undefined) {
            for (const part of step.parts) if (part._tag === 'batch') this.f(part.batch).get('value')(io, part.batch.idx, part.out as Int32Array, part.batch.count)
            sumValues(v, step.runs)
            break
          }
          // −0 is the identity of IEEE addition (a sum of −0 terms stays −0, as in the tape).
          let acc = -0
          for (const part of step.parts) {
            if (part._tag === 'batch') acc = this.f(part.batch).get('valueSum')(io, part.batch.idx, part.batch.count, acc)
            else if (part.negative === true) for (const s of part.slots) acc -= v[s]
            else for (const s of part.slots) acc += v[s]
          }
          v[step.root] = acc
          break
        }
        case 'segment':
          forwardSegments(this.segments, step.from, step.to, step.roots, io, this.scratch)
          break
      }
    }
  }

  /** Back-propagates the adjoints in `g` (seeded at the outputs) to every stored slot. */
  reverse(io: Io): void {
    this.reverseSteps(io, this.plan.steps.length)
  }

  private reverseSteps(io: Io, count: number): void {
    const K = getReverseKernels()
    const { op, a0, a1 } = this.plan
    const steps = this.plan.steps
    const { v, g } = io
    for (let k = count - 1; k >= 0; k--) {
      const step: Step = steps[k]
      switch (step._tag) {
        case 'tape':
          K.reverse(op, a0, a1, v, g, step.order, step.order.length)
          break
        case 'template':
          this.f(step.batch).get('grad')(io, step.batch.idx, step.out, step.batch.count)
          break
        case 'reduce': {
          const gi = g[step.root]
          for (const part of step.parts) {
            const sign = part.negative === true ? -gi : gi
            if (part._tag === 'batch') this.f(part.batch).get('gradSum')(io, part.batch.idx, part.batch.count, sign)
            else addSlots(g, part.slots, sign)
          }
          break
        }
        case 'segment':
          reverseSegments(this.segments, step.from, step.to, step.roots, io, this.scratch)
          break
      }
    }
  }

  /** Values and tangents of every stored slot. */
  jvp(io: Io): void {
    this.jvpSteps(io, this.plan.steps.length)
  }

  private jvpSteps(io: Io, count: number): void {
    const K = getForwardKernels()
    const { op, a0, a1 } = this.plan
    const { v, t } = io
    const acc = this.acc2
    for (let k = 0; k < count; k++) {
      const step: Step = this.plan.steps[k]
      switch (step._tag) {
        case 'tape':
          K.jvp(op, a0, a1, v, t, step.from, step.to)
          break
        case 'template':
          this.f(step.batch).get('jvp')(io, step.batch.idx, step.out, step.batch.count)
          break
        case 'reduce': {
          if (step.runs !== undefined) {
            for (const part of step.parts) if (part._tag === 'batch') this.f(part.batch).get('jvp')(io, part.batch.idx, part.out as Int32Array, part.batch.count)
            sumValues(v, step.runs)
            sumValues(t, step.runs)
            break
          }
          acc[0] = -0
          acc[1] = -0
          for (const part of step.parts) {
            if (part._tag === 'batch') this.f(part.batch).get('jvpSum')(io, part.batch.idx, part.batch.count, acc)
            else if (part.negative === true)
              for (const s of part.slots) {
                acc[0] -= v[s]
                acc[1] -= t[s]
              }
            else
              for (const s of part.slots) {
                acc[0] += v[s]
                acc[1] += t[s]
              }
          }
          v[step.root] = acc[0]
          t[step.root] = acc[1]
          break
        }
        case 'segment':
          jvpSegments(this.segments, step.from, step.to, step.roots, io, this.scratch)
          break
      }
    }
  }

  /** Forward-over-reverse: given values and tangents (`jvp`), adjoints g and their tangents h. */
  hvp(io: Io): void {
    this.hvpSteps(io, this.plan.steps.length)
  }

  private hvpSteps(io: Io, count: number): void {
    const K = getHvpKernels()
    const { op, a0, a1 } = this.plan
    const steps = this.plan.steps
    const { v, t, g, h } = io
    for (let k = count - 1; k >= 0; k--) {
      const step: Step = steps[k]
      switch (step._tag) {
        case 'tape':
          K.hvp(op, a0, a1, v, t, g, h, step.order, step.order.length)
          break
        case 'template':
          this.f(step.batch).get('hvp')(io, step.batch.idx, step.out, step.batch.count)
          break
        case 'reduce': {
          const gi = g[step.root]
          const hi = h[step.root]
          for (const part of step.parts) {
            const gs = part.negative === true ? -gi : gi
            const hs = part.negative === true ? -hi : hi
            if (part._tag === 'batch') this.f(part.batch).get('hvpSum')(io, part.batch.idx, part.batch.count, gs, hs)
            else {
              addSlots(g, part.slots, gs)
              addSlots(h, part.slots, hs)
            }
          }
          break
        }
        case 'segment':
          hvpSegments(this.segments, step.from, step.to, step.roots, io, this.scratch)
          break
      }
    }
  }
}

/** Adds `x` into `arr` at each of `slots` (a sum's adjoint, ±, into its plain terms). */
function addSlots(arr: Float64Array, slots: Int32Array, x: number): void {
  for (let k = 0; k < slots.length; k++) arr[slots[k]] += x
}
