/**
 * The plan: a program compiled into a short list of steps over one array of stored values.
 *
 * Only leaves and unit roots are stored ("materialised"); they are renumbered densely. Units are
 * scheduled by level (a unit runs after the units whose roots it reads), and consecutive units of
 * the same template form one step that calls the template once with all their instances; units
 * without a repeated shape run through the tape kernels, all those of a level in one step.
 *
 * @example
 * const plan = buildPlan(tapeFor(p.outputs, wrt), { maxTree: 32, minChain: 8, minInstances: 8 })
 * plan.steps.length  // a handful for a model assembled term by term
 */
import { CONST, type Tape } from '../tape/tape.js'
import { partition, type TreeUnit, type Unit } from './partition.js'
import { shapeOf, uniformConstants, type Instance, type Shape } from './shape.js'
import { loadedHoles, rowWidth, type Addressing, type TemplateSpec } from './template.js'

/** A run of instances of one template. */
export interface Batch {
  readonly template: number
  readonly count: number
  readonly addressing: Addressing
  /** count × rowWidth hole slots (indexed), or base/stride pairs per row position (affine). */
  readonly idx: Int32Array
  /**
   * Row positions read from and written to the caller's arrays for the wrt variables (see
   * `direct.ts`); absent when every position uses the slot arrays.
   */
  readonly direct?: readonly boolean[]
}

export type Step =
  /** Tape kernels over the stored slots [from, to) (their ops are in `Plan.op/a0/a1`). */
  | { readonly _tag: 'tape'; readonly from: number; readonly to: number; readonly order: Int32Array }
  /** One template over `count` instances; roots in `out`. */
  | { readonly _tag: 'template'; readonly batch: Batch; readonly out: Int32Array }
  /** root = Σ terms in order: template runs (summing form) and plain slots. */
  | { readonly _tag: 'reduce'; readonly root: number; readonly parts: readonly ReducePart[] }

export type ReducePart = { readonly _tag: 'batch'; readonly batch: Batch } | { readonly _tag: 'slots'; readonly slots: Int32Array }

export interface PlanOptions {
  /** Largest tree (also the checkpoint interval of long chains). */
  readonly maxTree: number
  /** Shortest `s = s + term` chain compiled as a loop. */
  readonly minChain: number
  /** Fewest instances for a shape to get a compiled template. */
  readonly minInstances: number
  /**
   * Trees at least this large get a template even when their shape is unique, so that their
   * interior is recomputed rather than stored (checkpointing of long chains without repeated
   * structure). Default: never.
   */
  readonly uniqueTreeSize?: number
}

export interface Plan {
  /** Number of stored slots. */
  readonly size: number
  /** Initial contents: constants at their slots. */
  readonly init: Float64Array
  /** Stored slot of each tape slot, or −1 for values computed inside templates. */
  readonly slotOf: Int32Array
  /** Ops and argument slots for the tape steps (indexed by stored slot). */
  readonly op: Int32Array
  readonly a0: Int32Array
  readonly a1: Int32Array
  readonly steps: readonly Step[]
  readonly templates: readonly TemplateSpec[]
  /** Stored slots of the outputs and of the wrt variables (−1 when absent). */
  readonly outputs: Int32Array
  readonly wrtSlots: Int32Array
  /** Variables by name → stored slot. */
  readonly variables: ReadonlyMap<string, number>
}

/** A unit after classification: a template instance, a tape node, or a reduction. */
type Item =
  | { readonly _tag: 'template'; readonly root: number; readonly template: number; readonly holes: Int32Array; readonly reads: Int32Array }
  /** A single node on the tape kernels: it reads its arguments (tape.a0/a1). */
  | { readonly _tag: 'tape'; readonly root: number }
  | {
      readonly _tag: 'reduce'
      readonly root: number
      readonly terms: readonly ({ readonly template: number; readonly holes: Int32Array } | number)[]
      readonly reads: Int32Array
    }

export function buildPlan(tape: Tape, options: PlanOptions): Plan {
  const { units } = partition(tape, options)

  // Shapes of every tree (standalone or a reduction's term), grouped by key.
  const instancesOf = new Map<TreeUnit, Instance>()
  const groups = new Map<string, Instance[]>()
  const shapes = new Map<string, Shape>()
  const addTree = (t: TreeUnit): void => {
    const inst = shapeOf(tape, t, shapes)
    instancesOf.set(t, inst)
    const g = groups.get(inst.shape.key)
    if (g === undefined) groups.set(inst.shape.key, [inst])
    else g.push(inst)
  }
  for (const u of units) {
    if (u._tag === 'tree') {
      if (u.members.length > 1) addTree(u)
    } else for (const t of u.termTrees.values()) addTree(t)
  }
  const templates: TemplateSpec[] = []
  const templateOf = new Map<string, number>()
  const bigEnough = options.uniqueTreeSize ?? Infinity
  for (const [key, insts] of groups) {
    if (insts.length < options.minInstances && insts[0].shape.nodes.length < bigEnough) continue
    templateOf.set(key, templates.length)
    templates.push({ shape: insts[0].shape, baked: uniformConstants(tape, insts[0].shape, insts.map((i) => i.holes)) })
  }

  // Classify: trees with a template, reductions, and everything else exploded into tape nodes.
  const items: Item[] = []
  const explode = (t: TreeUnit): void => {
    for (const s of t.members) items.push({ _tag: 'tape', root: s })
  }
  const templateItem = (t: TreeUnit): { template: number; holes: Int32Array } | undefined => {
    const inst = instancesOf.get(t)
    const k = inst === undefined ? undefined : templateOf.get(inst.shape.key)
    return inst === undefined || k === undefined ? undefined : { template: k, holes: inst.holes }
  }
  for (const u of units) items.push(...classify(u, tape, templateItem, explode))

  return schedule(tape, items, templates)
}

/** `items` stably sorted by `key(item)` ∈ [0, range). */
function countingSort(items: Int32Array, key: (item: number) => number, range: number): Int32Array {
  const count = new Int32Array(range + 1)
  for (const it of items) count[key(it) + 1]++
  for (let k = 1; k <= range; k++) count[k] += count[k - 1]
  const out = new Int32Array(items.length)
  for (const it of items) out[count[key(it)]++] = it
  return out
}

function classify(
  u: Unit,
  tape: Tape,
  templateItem: (t: TreeUnit) => { template: number; holes: Int32Array } | undefined,
  explode: (t: TreeUnit) => void,
): Item[] {
  if (u._tag === 'tree') {
    const t = templateItem(u)
    if (t !== undefined) return [{ _tag: 'template', root: u.root, template: t.template, holes: t.holes, reads: t.holes }]
    explode(u)
    return []
  }
  const terms: ({ template: number; holes: Int32Array } | number)[] = []
  const reads: number[] = []
  for (const s of u.terms) {
    const tree = u.termTrees.get(s)
    const t = tree === undefined ? undefined : templateItem(tree)
    if (t !== undefined) {
      terms.push(t)
      reads.push(...t.holes)
      continue
    }
    if (tree !== undefined) explode(tree)
    terms.push(s)
    reads.push(s)
  }
  return [{ _tag: 'reduce', root: u.root, terms, reads: Int32Array.from(reads) }]
}

/** Orders items by level, renumbers the stored slots, and groups consecutive items into steps. */
function schedule(tape: Tape, items: Item[], templates: readonly TemplateSpec[]): Plan {
  // Levels: leaves are 0; an item is one more than the deepest root it reads.
  const level = new Int32Array(tape.size)
  const itemLevel = new Int32Array(items.length)
  let maxLevel = 0
  items.forEach((it, k) => {
    let l = 0
    if (it._tag === 'tape') {
      l = level[tape.a0[it.root]]
      if (tape.a1[it.root] >= 0) l = Math.max(l, level[tape.a1[it.root]])
    } else for (const s of it.reads) l = Math.max(l, level[s])
    level[it.root] = l + 1
    itemLevel[k] = l + 1
    if (l + 1 > maxLevel) maxLevel = l + 1
  })
  // By level, and within a level tape nodes first, then templates, then reductions (items of one
  // level do not depend on each other). Two stable counting sorts instead of a comparison sort.
  const kind = (it: Item): number => (it._tag === 'tape' ? 0 : it._tag === 'template' ? 1 + it.template : 1 + templates.length)
  const byKind = countingSort(Int32Array.from(items, (_, k) => k), (k) => kind(items[k]), templates.length + 2)
  const order = Array.from(countingSort(byKind, (k) => itemLevel[k], maxLevel + 1))

  const slotOf = new Int32Array(tape.size).fill(-1)
  // Leaves first, the wrt variables leading in wrt order (so that an input vector is copied
  // straight in, and hole slots of instances over x1, x2, … tend to be affine).
  let next = 0
  for (const s of tape.wrtSlots) if (s >= 0 && slotOf[s] < 0) slotOf[s] = next++
  for (let i = 0; i < tape.leaves; i++) if (slotOf[i] < 0) slotOf[i] = next++
  order.forEach((k, n) => {
    slotOf[items[k].root] = tape.leaves + n
  })
  const size = tape.leaves + items.length
  const init = new Float64Array(size)
  for (let i = 0; i < tape.leaves; i++) if (tape.op[i] === CONST) init[slotOf[i]] = tape.init[i]
  const op = new Int32Array(size).fill(-1)
  const a0 = new Int32Array(size).fill(-1)
  const a1 = new Int32Array(size).fill(-1)
  for (let i = 0; i < tape.leaves; i++) op[slotOf[i]] = tape.op[i]
  const remap = (slots: Int32Array): Int32Array => slots.map((s) => slotOf[s])

  const steps: Step[] = []
  let k = 0
  while (k < order.length) {
    const first = items[order[k]]
    let e = k + 1
    const same = (it: Item): boolean => it._tag === first._tag && (it._tag !== 'template' || (first._tag === 'template' && it.template === first.template))
    if (first._tag !== 'reduce') while (e < order.length && same(items[order[e]])) e++
    const run = order.slice(k, e).map((i) => items[i])
    steps.push(makeStep(first, run, tape, templates, slotOf, remap, { op, a0, a1 }, tape.leaves + k))
    k = e
  }

  const variables = new Map<string, number>()
  for (const [name, s] of tape.variables) variables.set(name, slotOf[s])
  return {
    size,
    init,
    slotOf,
    op,
    a0,
    a1,
    steps,
    templates,
    outputs: remap(tape.outputs),
    wrtSlots: tape.wrtSlots.map((s) => (s >= 0 ? slotOf[s] : -1)),
    variables,
  }
}

function batchOf(template: number, spec: TemplateSpec, holes: readonly Int32Array[], remap: (s: Int32Array) => Int32Array): Batch {
  const width = rowWidth(spec)
  const loaded = loadedHoles(spec)
  const idx = new Int32Array(holes.length * width)
  holes.forEach((h, j) => {
    const row = remap(h)
    loaded.forEach((hole, p) => {
      idx[j * width + p] = row[hole]
    })
  })
  return compress({ template, count: holes.length, addressing: 'indexed', idx }, width)
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

function makeStep(
  first: Item,
  run: readonly Item[],
  tape: Tape,
  templates: readonly TemplateSpec[],
  slotOf: Int32Array,
  remap: (s: Int32Array) => Int32Array,
  ops: { op: Int32Array; a0: Int32Array; a1: Int32Array },
  from: number,
): Step {
  switch (first._tag) {
    case 'tape': {
      for (const it of run) {
        const s = slotOf[it.root]
        ops.op[s] = tape.op[it.root]
        ops.a0[s] = slotOf[tape.a0[it.root]]
        ops.a1[s] = tape.a1[it.root] >= 0 ? slotOf[tape.a1[it.root]] : -1
      }
      const order = Int32Array.from(run, (it) => slotOf[it.root])
      return { _tag: 'tape', from, to: from + run.length, order }
    }
    case 'template': {
      const holes = run.map((it) => (it._tag === 'template' ? it.holes : new Int32Array()))
      return {
        _tag: 'template',
        batch: batchOf(first.template, templates[first.template], holes, remap),
        out: Int32Array.from(run, (it) => slotOf[it.root]),
      }
    }
    case 'reduce': {
      const parts: ReducePart[] = []
      let k = 0
      const terms = first.terms
      while (k < terms.length) {
        const t = terms[k]
        let e = k + 1
        if (typeof t === 'number') {
          while (e < terms.length && typeof terms[e] === 'number') e++
          parts.push({ _tag: 'slots', slots: remap(Int32Array.from(terms.slice(k, e) as number[])) })
        } else {
          while (e < terms.length && typeof terms[e] !== 'number' && (terms[e] as { template: number }).template === t.template) e++
          const holes = (terms.slice(k, e) as { holes: Int32Array }[]).map((x) => x.holes)
          parts.push({ _tag: 'batch', batch: batchOf(t.template, templates[t.template], holes, remap) })
        }
        k = e
      }
      return { _tag: 'reduce', root: slotOf[first.root], parts }
    }
  }
}
