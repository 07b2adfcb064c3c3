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
import type { Tape } from '../tape/tape.js'
import { partition, type Partition } from './partition.js'
import { schedule, type Items, type ReduceItem } from './schedule.js'
import { ShapeTable } from './shape.js'
import type { SegmentCode } from './segment.js'
import type { Addressing } from './access.js'
import type { TemplateSpec } from './template.js'

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
  /**
   * Direct row positions that are the only writer of their slots' adjoints (see `direct.ts`):
   * they assign instead of adding.
   */
  readonly sole?: readonly boolean[]
}

export type Step =
  /** Tape kernels over the stored slots [from, to) (their ops are in `Plan.op/a0/a1`). */
  | { readonly _tag: 'tape'; readonly from: number; readonly to: number; readonly order: Int32Array }
  /** One template over `count` instances; roots in `out`. */
  | { readonly _tag: 'template'; readonly batch: Batch; readonly out: Int32Array }
  /** root = Σ terms in order: template runs (summing form) and plain slots. */
  | { readonly _tag: 'reduce'; readonly root: number; readonly parts: readonly ReducePart[] }
  /** Checkpointed trees [from, to) of `Plan.segments`, recomputed from their holes; roots in `roots`. */
  | { readonly _tag: 'segment'; readonly from: number; readonly to: number; readonly roots: Int32Array }

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
   * structure; `withSegments` then runs the rare ones on the segment kernels). Default: never.
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
  /** The instructions of checkpointed trees (see `segment.ts`), when there are any. */
  readonly segments?: SegmentCode
}

export function buildPlan(tape: Tape, options: PlanOptions): Plan {
  const parts = partition(tape, options)
  const { roots, reductions, treeSize } = parts

  // Shapes of every tree (standalone or a reduction's term), grouped.
  const shapes = new ShapeTable(tape, parts)
  const added = new Int32Array(tape.size - tape.leaves)
  let nAdded = 0
  for (let k = 0; k < roots.length; k++) {
    const root = roots[k]
    const r = reductions.size > 0 ? reductions.get(root) : undefined
    if (r === undefined) {
      if (treeSize[root] > 1) shapes.add((added[nAdded++] = root))
    } else for (let j = 0; j < r.terms.length; j++) if (r.treeTerm[j] === 1) shapes.add((added[nAdded++] = r.terms[j]))
  }
  // A template for each shape with enough instances (or big enough).
  const bigEnough = options.uniqueTreeSize ?? Infinity
  const templateOf = new Int32Array(shapes.groups).fill(-1)
  const chosen: number[] = []
  for (let g = 0; g < shapes.groups; g++) {
    if (shapes.instances(g) < options.minInstances && shapes.size(g) < bigEnough) continue
    templateOf[g] = chosen.length
    chosen.push(g)
  }
  // Templates that would keep few values out of storage cost more than they save (a call per
  // batch, interiors recomputed in the reverse sweep): below a tenth of the applications, the
  // plan stays on the tape kernels (a random DAG: compiled grad 1.5× the interpreted kernels'
  // time with its 55 templates). An explicit checkpoint asks for them whatever they save.
  if (options.uniqueTreeSize === undefined) {
    let saved = 0
    for (const g of chosen) saved += shapes.instances(g) * (shapes.size(g) - 1)
    if (saved < 0.1 * (tape.size - tape.leaves)) {
      chosen.length = 0
      templateOf.fill(-1)
    }
  }
  const baked = shapes.baked(Int32Array.from(chosen), added.subarray(0, nAdded))
  const templates: TemplateSpec[] = chosen.map((g, t) => ({ shape: shapes.shape(g), baked: baked[t] }))

  return schedule(tape, classify(tape, parts, shapes, templateOf, templates.length), templates)
}

/**
 * Items: trees with a template, reductions, and everything else exploded into tape nodes, in
 * the order of the units (a tree's exploded members in slot order, a reduction after the
 * exploded trees of its terms).
 */
function classify(tape: Tape, parts: Partition, shapes: ShapeTable, templateOf: Int32Array, nTemplates: number): Items {
  const { roots, reductions, members, start, treeSize } = parts
  const { groupOf } = shapes
  // The template of the tree rooted at slot s, or −1 (groupOf is −1 for trees not added).
  const templateAt = (s: number): number => (groupOf[s] < 0 ? -1 : templateOf[groupOf[s]])
  const root = new Int32Array(tape.size - tape.leaves)
  const kind = new Int32Array(tape.size - tape.leaves)
  let n = 0
  const explode = (r: number): void => {
    for (let m = start[r], end = start[r] + treeSize[r]; m < end; m++) root[n++] = members[m] // kind 0
  }
  const reduceItems = new Map<number, ReduceItem>()
  for (let k = 0; k < roots.length; k++) {
    const r = roots[k]
    const red = reductions.size > 0 ? reductions.get(r) : undefined
    if (red === undefined) {
      const t = templateAt(r)
      if (t < 0) explode(r)
      else {
        root[n] = r
        kind[n++] = 1 + t
      }
      continue
    }
    const template = new Int32Array(red.terms.length).fill(-1)
    for (let j = 0; j < red.terms.length; j++) {
      if (red.treeTerm[j] === 0) continue
      template[j] = templateAt(red.terms[j])
      if (template[j] < 0) explode(red.terms[j])
    }
    reduceItems.set(r, { terms: red.terms, template })
    root[n] = r
    kind[n++] = 1 + nTemplates
  }
  return { count: n, root, kind, reductions: reduceItems, holes: shapes.holes, holeStart: shapes.holeStart }
}
