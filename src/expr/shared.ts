/**
 * The shared table, for nodes built outside any build (node.ts), holding them weakly.
 *
 * @example
 * sin(x) === sin(x)   // → true outside any build: found in the shared table
 */
import type { Apply, Const, Node, Shape, Var } from './node.js'
import { scalarShape, opKey, hashApply, hash2, hashConstant, sameValue, isApplyOf, isApply2, newConstant, newVariable, shapedKey, newApply, minCapacity, capacityFor, type Table } from './intern.js'

/**
 * The shared table, for nodes built outside any build: the same probing over weak references,
 * with the hashes alongside. A probe dereferences an entry only when the hashes agree. Dead
 * entries stay until the table would pass half full; then it is rebuilt with the live entries
 * only (at a size of four times their number), so each insertion pays for a constant number of
 * dereferences. Variables: weakly, by name, swept when they have doubled since the last sweep.
 */
export class Shared implements Table {
  private hashes = new Int32Array(minCapacity)
  private refs: (WeakRef<Const | Apply> | undefined)[] = new Array<WeakRef<Const | Apply> | undefined>(minCapacity).fill(undefined)
  private mask = minCapacity - 1
  /** Entries, live or dead. */
  private count = 0
  /** The first dead entry met by the last probe, or −1. */
  private dead = -1
  private readonly variables = new Map<string, WeakRef<Var>>()
  private sweepAt = minCapacity
  /** Variables of tensor shape, by name and shape (few, and not swept). */
  private readonly shaped = new Map<string, WeakRef<Var>>()

  constant(value: number): Const {
    const h = hashConstant(value)
    this.dead = -1
    let i = h & this.mask
    for (let g = this.hashes[i]; g !== 0; g = this.hashes[i]) {
      if (g === h) {
        const n = this.live(i)
        if (n !== undefined && n._tag === 'const' && sameValue(n.value, value)) return n
      }
      i = (i + 1) & this.mask
    }
    return this.insert(i, h, newConstant(value))
  }

  variable(name: string): Var {
    const hit = this.variables.get(name)?.deref()
    if (hit !== undefined) return hit
    if (this.variables.size >= this.sweepAt) {
      for (const [k, r] of this.variables) if (r.deref() === undefined) this.variables.delete(k)
      this.sweepAt = Math.max(minCapacity, 2 * this.variables.size)
    }
    const v = newVariable(name)
    this.variables.set(name, new WeakRef(v))
    return v
  }

  apply2(op: string, a: Node, b: Node | undefined): Apply {
    return this.application(hash2(opKey(op), a, b), (n) => isApply2(n, op, a, b), () => newApply(op, Object.freeze(b === undefined ? [a] : [a, b]), scalarShape))
  }

  apply(op: string, args: readonly Node[], shape: Shape): Apply {
    return this.application(hashApply(opKey(op), args, shape), (n) => isApplyOf(n, op, args, shape), () => newApply(op, Object.freeze(args.slice()), shape))
  }

  /** The live application of hash `h` that `same` accepts, or the one `make` makes, entered where the probe ended. */
  private application(h: number, same: (n: Apply) => boolean, make: () => Apply): Apply {
    this.dead = -1
    let i = h & this.mask
    for (let g = this.hashes[i]; g !== 0; g = this.hashes[i]) {
      if (g === h) {
        const n = this.live(i)
        if (n !== undefined && n._tag === 'apply' && same(n)) return n
      }
      i = (i + 1) & this.mask
    }
    return this.insert(i, h, make())
  }

  newVariable(name: string): Var {
    return this.variable(name)
  }

  shapedVariable(name: string, shape: Shape): Var {
    const key = shapedKey(name, shape)
    const hit = this.shaped.get(key)?.deref()
    if (hit !== undefined) return hit
    const v = newVariable(name, Object.freeze(shape.slice()))
    this.shaped.set(key, new WeakRef(v))
    return v
  }

  /** The shared table adopts nothing: it would cost a weak reference per node. */
  adopt(): void {}

  /** The node of slot `i`, or `undefined` (noting the slot) if it was collected. */
  private live(i: number): Const | Apply | undefined {
    const n = (this.refs[i] as WeakRef<Const | Apply>).deref()
    if (n === undefined && this.dead < 0) this.dead = i
    return n
  }

  /** Stores `node` in the first dead slot of the last probe, else in the empty slot `i` that ended it. */
  private insert<N extends Const | Apply>(i: number, h: number, node: N): N {
    const at = this.dead >= 0 ? this.dead : i
    if (at === i) this.count++
    this.refs[at] = new WeakRef(node)
    this.hashes[at] = h
    if (this.count * 2 > this.hashes.length) this.rebuild()
    return node
  }

  private rebuild(): void {
    const oldRefs = this.refs
    const oldHashes = this.hashes
    const live: number[] = []
    for (let j = 0; j < oldHashes.length; j++) if (oldHashes[j] !== 0 && oldRefs[j]?.deref() !== undefined) live.push(j)
    const capacity = capacityFor(2 * live.length)
    this.refs = new Array<WeakRef<Const | Apply> | undefined>(capacity).fill(undefined)
    this.hashes = new Int32Array(capacity)
    this.mask = capacity - 1
    this.count = live.length
    for (const j of live) {
      let i = oldHashes[j] & this.mask
      while (this.hashes[i] !== 0) i = (i + 1) & this.mask
      this.refs[i] = oldRefs[j]
      this.hashes[i] = oldHashes[j]
    }
  }
}
