/**
 * Scheduling a plan's items: levels, stored slots, and steps.
 *
 * An item is a unit after classification: a template instance, a node on the tape kernels, or a
 * reduction. Items are held as parallel typed arrays (root slot and kind per item), not objects,
 * and a template instance's hole slots are a range of one shared array. Items are ordered by
 * level (one more than the deepest root they read), within a level tape nodes first, then
 * templates, then reductions; consecutive items of the same kind form one step.
 *
 * @example
 * const plan = schedule(tape, classify(...), templates)   // see buildPlan in plan.ts
 */
import { CONST, type Tape } from '../tape/tape.js'
import type { Batch, Plan, ReducePart, Step } from './plan.js'
import { loadedHoles, rowWidth, type TemplateSpec } from './template.js'

/** A reduction item: its terms and, per term, the template of the term's tree (−1: a slot). */
export interface ReduceItem {
  readonly terms: Int32Array
  readonly template: Int32Array
}

export interface Items {
  readonly count: number
  /** Per item: the slot it computes. */
  readonly root: Int32Array
  /** Per item: 0 for a tape node, 1 + t for an instance of template t, 1 + templates for a reduction. */
  readonly kind: Int32Array
  readonly reductions: ReadonlyMap<number, ReduceItem>
  /** A templated tree rooted at slot r reads holes[holeStart[r] + h] for each hole h of its shape. */
  readonly holes: Int32Array
  readonly holeStart: Int32Array
}

/** `items` stably sorted by `key[item]` ∈ [0, range). */
function countingSort(items: Int32Array, key: Int32Array, range: number): Int32Array {
  const count = new Int32Array(range + 1)
  for (let j = 0; j < items.length; j++) count[key[items[j]] + 1]++
  for (let k = 1; k <= range; k++) count[k] += count[k - 1]
  const out = new Int32Array(items.length)
  for (let j = 0; j < items.length; j++) out[count[key[items[j]]]++] = items[j]
  return out
}

/** Orders items by level, renumbers the stored slots, and groups consecutive items into steps. */
export function schedule(tape: Tape, items: Items, templates: readonly TemplateSpec[]): Plan {
  const { count, root, kind, holes, holeStart } = items
  const reduceKind = 1 + templates.length
  const holeCount = Int32Array.from(templates, (t) => t.shape.holeKinds.length)
  const { a0, a1 } = tape
  // Levels: leaves are 0; an item is one more than the deepest root it reads.
  const level = new Int32Array(tape.size)
  const itemLevel = new Int32Array(count)
  let maxLevel = 0
  for (let k = 0; k < count; k++) {
    const r = root[k]
    const kd = kind[k]
    let l = 0
    if (kd === 0) {
      l = level[a0[r]]
      if (a1[r] >= 0 && level[a1[r]] > l) l = level[a1[r]]
    } else if (kd < reduceKind) {
      for (let h = holeStart[r], end = h + holeCount[kd - 1]; h < end; h++) if (level[holes[h]] > l) l = level[holes[h]]
    } else {
      const { terms, template } = items.reductions.get(r) as ReduceItem
      for (let j = 0; j < terms.length; j++) {
        if (template[j] < 0) l = Math.max(l, level[terms[j]])
        else for (let h = holeStart[terms[j]], end = h + holeCount[template[j]]; h < end; h++) l = Math.max(l, level[holes[h]])
      }
    }
    level[r] = l + 1
    itemLevel[k] = l + 1
    if (l + 1 > maxLevel) maxLevel = l + 1
  }
  // Items of one level do not depend on each other. Two stable counting sorts instead of a
  // comparison sort.
  const all = new Int32Array(count)
  for (let k = 0; k < count; k++) all[k] = k
  const order = countingSort(countingSort(all, kind, reduceKind + 1), itemLevel, maxLevel + 1)

  const slotOf = new Int32Array(tape.size).fill(-1)
  // Leaves first, the wrt variables leading in wrt order (so that an input vector is copied
  // straight in, and hole slots of instances over x1, x2, … tend to be affine).
  let next = 0
  for (const s of tape.wrtSlots) if (s >= 0 && slotOf[s] < 0) slotOf[s] = next++
  for (let i = 0; i < tape.leaves; i++) if (slotOf[i] < 0) slotOf[i] = next++
  for (let n = 0; n < count; n++) slotOf[root[order[n]]] = tape.leaves + n
  const size = tape.leaves + count
  const init = new Float64Array(size)
  for (let i = 0; i < tape.leaves; i++) if (tape.op[i] === CONST) init[slotOf[i]] = tape.init[i]
  const op = new Int32Array(size).fill(-1)
  const pa0 = new Int32Array(size).fill(-1)
  const pa1 = new Int32Array(size).fill(-1)
  for (let i = 0; i < tape.leaves; i++) op[slotOf[i]] = tape.op[i]

  const batches = new Batches(items, templates, slotOf)
  const steps: Step[] = []
  let k = 0
  while (k < count) {
    const kd = kind[order[k]]
    let e = k + 1
    if (kd !== reduceKind) while (e < count && kind[order[e]] === kd) e++
    const from = tape.leaves + k
    if (kd === 0) {
      const stepOrder = new Int32Array(e - k)
      for (let n = k; n < e; n++) {
        const r = root[order[n]]
        const s = from + n - k
        op[s] = tape.op[r]
        pa0[s] = slotOf[a0[r]]
        pa1[s] = a1[r] >= 0 ? slotOf[a1[r]] : -1
        stepOrder[n - k] = s
      }
      steps.push({ _tag: 'tape', from, to: from + e - k, order: stepOrder })
    } else if (kd !== reduceKind) {
      const roots = new Int32Array(e - k)
      const out = new Int32Array(e - k)
      for (let n = k; n < e; n++) {
        roots[n - k] = root[order[n]]
        out[n - k] = from + n - k
      }
      steps.push({ _tag: 'template', batch: batches.of(kd - 1, roots), out })
    } else steps.push(batches.reduction(root[order[k]]))
    k = e
  }

  const variables = new Map<string, number>()
  for (const [name, s] of tape.variables) variables.set(name, slotOf[s])
  return {
    size,
    init,
    slotOf,
    op,
    a0: pa0,
    a1: pa1,
    steps,
    templates,
    outputs: tape.outputs.map((s) => slotOf[s]),
    wrtSlots: tape.wrtSlots.map((s) => (s >= 0 ? slotOf[s] : -1)),
    variables,
  }
}

/** Batches of template instances, their hole slots renumbered. */
class Batches {
  constructor(
    private readonly items: Items,
    private readonly templates: readonly TemplateSpec[],
    private readonly slotOf: Int32Array,
  ) {}

  /** The instances of template t rooted at `roots`, in that order. */
  of(template: number, roots: Int32Array): Batch {
    const { holes, holeStart } = this.items
    const spec = this.templates[template]
    const width = rowWidth(spec)
    const loaded = Int32Array.from(loadedHoles(spec))
    const idx = new Int32Array(roots.length * width)
    for (let j = 0; j < roots.length; j++) {
      const at = holeStart[roots[j]]
      for (let p = 0; p < width; p++) idx[j * width + p] = this.slotOf[holes[at + loaded[p]]]
    }
    return compress({ template, count: roots.length, addressing: 'indexed', idx }, width)
  }

  /** root = Σ terms: runs of plain slots, and runs of instances of one template. */
  reduction(root: number): Step {
    const { terms, template } = this.items.reductions.get(root) as ReduceItem
    const parts: ReducePart[] = []
    let k = 0
    while (k < terms.length) {
      const t = template[k]
      let e = k + 1
      while (e < terms.length && template[e] === t) e++
      if (t < 0) parts.push({ _tag: 'slots', slots: terms.slice(k, e).map((s) => this.slotOf[s]) })
      else parts.push({ _tag: 'batch', batch: this.of(t, terms.slice(k, e)) })
      k = e
    }
    return { _tag: 'reduce', root: this.slotOf[root], parts }
  }
}

/** The affine form of an indexed batch whose every row position is base + j·stride. */
function compress(batch: Batch, width: number): Batch {
  const { idx, count } = batch
  if (count < 2) return batch
  const pairs = new Int32Array(2 * width)
  for (let p = 0; p < width; p++) {
    const base = idx[p]
    const stride = idx[width + p] - base
    for (let j = 2; j < count; j++) if (idx[j * width + p] !== base + j * stride) return batch
    pairs[2 * p] = base
    pairs[2 * p + 1] = stride
  }
  return { ...batch, addressing: 'affine', idx: pairs }
}
