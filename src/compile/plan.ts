/**
 * The plan: a program compiled into a short list of steps over one array of stored values.
 *
 * Only leaves and unit roots are stored ("materialised"); they are renumbered densely. Units are
 * scheduled by level (a unit runs after the units whose roots it reads), and consecutive units of
 * the same template form one step that calls the template once with all their instances; units
 * without a repeated shape run through the tape kernels, all those of a level in one step.
 *
 * A reduction's structure is found whatever the spelling of the sum. A chain whose links repeat
 * with a short period (`s = s + a_i + b_i` adds a and b alternately; `s = s − t_i` subtracts) is
 * cut into blocks of one period each, the links with their terms' trees, and each block shape gets
 * a template whose summing form computes the new sum from the old (`acc = (acc + a) + b`): one
 * loop, the terms added in the original order. A sum tree that is not a chain (the balanced trees
 * of `sum`) computes its terms by templates, grouped by shape whatever their position, into
 * stored slots, then its `add`/`sub` nodes level by level (`sumtree.ts`).
 *
 * @example
 * const plan = buildPlan(tapeFor(p.outputs, wrt), { maxTree: 32, minChain: 8, minInstances: 8 })
 * plan.steps.length  // a handful for a model assembled term by term
 */
import { CONST, type Tape } from '../tape/tape.js'
import { partition } from './partition.js'
import { schedule } from './schedule.js'
import { ShapeTable } from './shape.js'
import type { ItemKind, Items, Partition, Plan, ReduceItem, ReduceUnit, TemplateSpec } from './types.js'

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
  readonly uniqueTreeSize?: number | undefined
}

export function buildPlan(tape: Tape, options: PlanOptions): Plan {
  const parts = partition(tape, options)
  const { roots, reductions, treeSize } = parts

  // Shapes of every tree (standalone or a reduction's term), grouped.
  const shapes = new ShapeTable(tape, parts)
  const added: number[] = []
  for (let k = 0; k < roots.length; k++) {
    const root = roots[k]
    const r = reductions.size > 0 ? reductions.get(root) : undefined
    if (r === undefined) {
      if (treeSize[root] > 1) {
        shapes.add(root)
        added.push(root)
      }
    } else
      for (let j = 0; j < r.terms.length; j++)
        if (r.treeTerm[j] === 1) {
          shapes.add(r.terms[j])
          added.push(r.terms[j])
        }
  }
  // Blocks of the chains' periodic stretches; a block shape with too few instances is dropped
  // again, and the terms of the blocks kept are no longer instances of their own shapes.
  const blocks = findBlocks(tape, parts, shapes, options.minInstances)
  for (const [, bs] of blocks) for (const b of bs) if (shapes.instances(shapes.groupOf[b.key]) < options.minInstances) shapes.forget(b.key)
  for (const [root, bs] of blocks) {
    const red = reductions.get(root) as ReduceUnit
    for (const b of bs) {
      if (shapes.groupOf[b.key] < 0) continue
      added.push(b.key)
      for (let j = b.first; j < b.first + b.length; j++) if (red.treeTerm[j] === 1) shapes.forget(red.terms[j])
    }
  }
  // A template for each shape with enough instances (or big enough).
  const bigEnough = options.uniqueTreeSize ?? Infinity
  const templateOf = new Int32Array(shapes.groups).fill(-1)
  const chosen: number[] = []
  for (let g = 0; g < shapes.groups; g++) {
    if (shapes.instances(g) === 0 || (shapes.instances(g) < options.minInstances && shapes.size(g) < bigEnough)) continue
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
  const keys = Int32Array.from(added.filter((key) => shapes.groupOf[key] >= 0))
  const planWith = (groups: readonly number[]): Plan => {
    templateOf.fill(-1)
    groups.forEach((g, t) => (templateOf[g] = t))
    const baked = shapes.baked(Int32Array.from(groups), keys)
    const templates: TemplateSpec[] = groups.map((g, t) => ({ shape: shapes.shape(g), baked: baked[t] }))
    return schedule(tape, classify(tape, parts, shapes, templateOf, templates.length, blocks), templates)
  }
  const plan = planWith(chosen)
  if (options.uniqueTreeSize !== undefined) return plan
  // A small template whose instances depend on each other one after the other (a traced
  // time-stepping loop: x_{k+1} = x_k + h·f(x_k), 6 nodes an update) runs as a step per instance,
  // and a call per 6 nodes costs more than the tape kernels spend on them (20 000 Euler steps of a
  // 2-species model: compiled grad 20 ms, interpreted 11 ms, tape kernels only 4 ms). Such
  // templates go back to the tape.
  const tiny = templatesInTinySteps(plan)
  return tiny.size === 0 ? plan : planWith(chosen.filter((_, t) => !tiny.has(t)))
}

/** Fewest nodes a template's steps must average (instances × nodes per instance) for its calls to pay. */
const minNodesPerStep = 16

/**
 * The templates of `plan` whose template steps (outside reductions) average fewer than
 * `minNodesPerStep` nodes: a call per few nodes. (A long chain cut by the checkpoint interval into
 * trees of 32 nodes, one per step, keeps its templates, and stores a value per tree.)
 */
function templatesInTinySteps(plan: Plan): Set<number> {
  const steps = new Map<number, number>()
  const instances = new Map<number, number>()
  for (const step of plan.steps) {
    if (step._tag !== 'template') continue
    const t = step.batch.template
    steps.set(t, (steps.get(t) ?? 0) + 1)
    instances.set(t, (instances.get(t) ?? 0) + step.batch.count)
  }
  const tiny = new Set<number>()
  for (const [t, k] of steps) if ((instances.get(t) ?? 0) * plan.templates[t].shape.nodes.length < minNodesPerStep * k) tiny.add(t)
  return tiny
}

// -------------------------------------------------------------------------------------------------
// Blocks of chains
// -------------------------------------------------------------------------------------------------

/** Terms [first, first + length) of a chain, added by the links of one period; named by its top link. */
interface Block {
  readonly first: number
  readonly length: number
  readonly key: number
}

/** Longest period of a chain's links looked for. */
const maxPeriod = 8

/**
 * The blocks of each chain (by root), each added to the shape table: stretches of links that
 * repeat with a period of 2 to `maxPeriod` links at least `minRepeats` times, or of one link that
 * subtracts its term. A link is known by its operation and side and its term's group (or, for a
 * plain slot, the slot's kind); equal codes make equal block shapes but for which operands the
 * terms of a block share. (One adding link after another is a plain run of terms already.)
 *
 * A block may hold more than `maxTree` nodes: like a run of terms, it stores nothing but the sum,
 * and each of its terms is a tree of at most `maxTree` nodes, recomputed in the reverse sweep as
 * it would be alone; the checkpoint interval is the same.
 */
function findBlocks(tape: Tape, parts: Partition, shapes: ShapeTable, minRepeats: number): Map<number, Block[]> {
  const out = new Map<number, Block[]>()
  const { a0, op, active } = tape
  let members = new Int32Array(64)
  for (const [root, red] of parts.reductions) {
    if (red.interior !== undefined || red.terms.length < 2 + minRepeats) continue
    // Codes of the links above the bottom one (term j ≥ 2 is added by link j − 1 from the bottom).
    const n = red.terms.length - 2
    const code = new Int32Array(n)
    for (let k = 0; k < n; k++) {
      const j = k + 2
      const t = red.terms[j]
      const what = red.treeTerm[j] === 1 ? 3 + shapes.groupOf[t] : op[t] === CONST ? 0 : active[t] === 1 ? 1 : 2
      code[k] = 4 * what + 2 * red.negative[j] + (a0[red.links[j]] === t ? 1 : 0)
    }
    const bs: Block[] = []
    let k = 0
    while (k < n) {
      let bestPeriod = 0
      let bestRepeats = 0
      for (let p = 1; p <= maxPeriod && k + p <= n; p++) {
        let m = p
        while (k + m < n && code[k + m] === code[k + m - p]) m++
        const r = Math.floor(m / p)
        if (r >= minRepeats && r * p > bestRepeats * bestPeriod) {
          bestPeriod = p
          bestRepeats = r
        }
      }
      if (bestPeriod === 0) {
        k++
        continue
      }
      if (bestPeriod > 1 || red.negative[k + 2] === 1) {
        for (let r = 0; r < bestRepeats; r++) {
          const first = k + 2 + r * bestPeriod
          const key = red.links[first + bestPeriod - 1]
          // The block's nodes: its links and its terms' trees, in slot order.
          let size = 0
          for (let j = first; j < first + bestPeriod; j++) size += 1 + (red.treeTerm[j] === 1 ? parts.treeSize[red.terms[j]] : 0)
          if (members.length < size) members = new Int32Array(2 * size)
          let e = 0
          for (let j = first; j < first + bestPeriod; j++) {
            members[e++] = red.links[j]
            if (red.treeTerm[j] === 0) continue
            const from = parts.start[red.terms[j]]
            for (let q = from; q < from + parts.treeSize[red.terms[j]]; q++) members[e++] = parts.members[q]
          }
          members.subarray(0, size).sort()
          shapes.addBlock(key, members, size, red.links[first - 1])
          bs.push({ first, length: bestPeriod, key })
        }
      }
      k += bestRepeats * bestPeriod
    }
    if (bs.length > 0) out.set(root, bs)
  }
  return out
}

// -------------------------------------------------------------------------------------------------
// Items
// -------------------------------------------------------------------------------------------------

/**
 * Items: trees with a template, reductions, and everything else exploded into tape nodes, in
 * the order of the units (a tree's exploded members in slot order, a reduction after the
 * exploded trees of its terms).
 */
function classify(tape: Tape, parts: Partition, shapes: ShapeTable, templateOf: Int32Array, nTemplates: number, blocks: ReadonlyMap<number, Block[]>): Items {
  const { roots, reductions, members, start, treeSize } = parts
  const { groupOf } = shapes
  // The template of the tree (or block) named by slot s, or −1 (groupOf is −1 for those not added).
  const templateAt = (s: number): number => (groupOf[s] < 0 ? -1 : templateOf[groupOf[s]])
  // One kind object per kind (see `ItemKind`).
  const node: ItemKind = { _tag: 'node' }
  const reduce: ItemKind = { _tag: 'reduce' }
  const instance: ItemKind[] = Array.from({ length: nTemplates }, (_, t) => ({ _tag: 'instance', template: t }))
  const root = new Int32Array(tape.size - tape.leaves)
  const kind = new Array<ItemKind>(tape.size - tape.leaves).fill(node)
  let n = 0
  const explode = (r: number): void => {
    for (let m = start[r], end = start[r] + treeSize[r]; m < end; m++) {
      root[n] = members[m]
      kind[n++] = node
    }
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
        kind[n++] = instance[t]
      }
      continue
    }
    // Units of the reduction: blocks with a template, else terms; a chain's subtracted term of a
    // template outside a block is exploded (a chain adds only slots with a sign).
    const keys: number[] = []
    const template: number[] = []
    const negative: number[] = []
    const bs = blocks.get(r) ?? []
    let b = 0
    for (let j = 0; j < red.terms.length; j++) {
      while (b < bs.length && bs[b].first < j) b++
      if (b < bs.length && bs[b].first === j && templateAt(bs[b].key) >= 0) {
        keys.push(bs[b].key)
        template.push(templateAt(bs[b].key))
        negative.push(0)
        j += bs[b].length - 1
        continue
      }
      const term = red.terms[j]
      let t = red.treeTerm[j] === 1 ? templateAt(term) : -1
      if (t >= 0 && red.negative[j] === 1 && red.interior === undefined) t = -1
      if (red.treeTerm[j] === 1 && t < 0) explode(term)
      keys.push(term)
      template.push(t)
      negative.push(red.negative[j])
    }
    reduceItems.set(r, { keys: Int32Array.from(keys), template: Int32Array.from(template), negative: Uint8Array.from(negative), interior: red.interior })
    root[n] = r
    kind[n++] = reduce
  }
  return { count: n, root, kind, reductions: reduceItems, holes: shapes.holes, holeStart: shapes.holeStart }
}
