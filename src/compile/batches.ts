/**
 * Batches: the instances of one template in one step (or one run of a reduction's terms), with
 * their hole slots renumbered into stored slots, in the indexed or the affine form.
 *
 * A plan of 10^6 nodes has tens of thousands of batches; their index arrays are views of a few
 * shared chunks rather than an ArrayBuffer each (each buffer is a separate allocation outside the
 * heap that the garbage collector tracks).
 *
 * @example
 * const batches = new Batches(items, templates, slotOf)
 * batches.of(t, roots, 0, roots.length)   // { template: t, count: roots.length, addressing: 'affine', idx: [base, stride, …] }
 */
import type { Batch, ReducePart, Step } from './plan.js'
import type { Items, ReduceItem } from './schedule.js'
import { loadedHoles, rowWidth, type TemplateSpec } from './template.js'

const chunkSize = 1 << 16

/** Hands out Int32Array views of shared chunks (arrays of more than a quarter chunk get their own). */
class Pool {
  private chunk = new Int32Array(0)
  private used = 0
  take(n: number): Int32Array {
    if (n > chunkSize >> 2) return new Int32Array(n)
    if (this.used + n > this.chunk.length) {
      this.chunk = new Int32Array(chunkSize)
      this.used = 0
    }
    this.used += n
    return this.chunk.subarray(this.used - n, this.used)
  }
}

export class Batches {
  private readonly pool = new Pool()
  /** Row positions' holes, per template. */
  private readonly loaded: Int32Array[]
  private scratch = new Int32Array(1024)

  constructor(
    private readonly items: Items,
    private readonly templates: readonly TemplateSpec[],
    private readonly slotOf: Int32Array,
  ) {
    this.loaded = templates.map((spec) => Int32Array.from(loadedHoles(spec)))
  }

  /** The instances of template t rooted at roots[from, to), in that order. */
  of(template: number, roots: Int32Array, from: number, to: number): Batch {
    const { holes, holeStart } = this.items
    const width = rowWidth(this.templates[template])
    const loaded = this.loaded[template]
    const count = to - from
    if (this.scratch.length < count * width) this.scratch = new Int32Array(2 * count * width)
    const idx = this.scratch
    for (let j = 0; j < count; j++) {
      const at = holeStart[roots[from + j]]
      for (let p = 0; p < width; p++) idx[j * width + p] = this.slotOf[holes[at + loaded[p]]]
    }
    if (count >= 2 && affine(idx, count, width)) {
      const pairs = this.pool.take(2 * width)
      for (let p = 0; p < width; p++) {
        pairs[2 * p] = idx[p]
        pairs[2 * p + 1] = idx[width + p] - idx[p]
      }
      return { template, count, addressing: 'affine', idx: pairs }
    }
    const own = this.pool.take(count * width)
    own.set(idx.subarray(0, count * width))
    return { template, count, addressing: 'indexed', idx: own }
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
      if (t < 0) {
        const slots = this.pool.take(e - k)
        for (let j = k; j < e; j++) slots[j - k] = this.slotOf[terms[j]]
        parts.push({ _tag: 'slots', slots })
      } else parts.push({ _tag: 'batch', batch: this.of(t, terms, k, e) })
      k = e
    }
    return { _tag: 'reduce', root: this.slotOf[root], parts }
  }
}

/** Whether every row position p of `idx` (count rows of `width`) is idx[p] + j·stride. */
function affine(idx: Int32Array, count: number, width: number): boolean {
  for (let p = 0; p < width; p++) {
    const base = idx[p]
    const stride = idx[width + p] - base
    for (let j = 2; j < count; j++) if (idx[j * width + p] !== base + j * stride) return false
  }
  return true
}
