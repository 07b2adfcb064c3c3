/**
 * Cutting a tape into trees and reductions, the units the compiler works with.
 *
 * A node used exactly once (and not an output) can be computed inside its consumer's code without
 * storing its value: it joins its consumer's tree. Trees are bounded in size (`maxTree`), which is
 * also the checkpointing knob: only tree roots are stored, interior values are recomputed in the
 * reverse sweep. A long chain `s = s + term` whose links are used once becomes a reduction: a loop
 * that accumulates its terms in the original order (so the sum is bit-for-bit the same).
 *
 * Everything here is iterative and linear in the tape size.
 *
 * @example
 * const parts = partition(tapeFor(p.outputs, wrt), { maxTree: 32, minChain: 8 })
 * parts.units  // trees and reductions, in topological order of their roots
 */
import { opCode } from '../ops/table.js'
import type { Tape } from '../tape/tape.js'

/** A tree of single-use nodes, computed as one expression from its holes. */
export interface TreeUnit {
  readonly _tag: 'tree'
  /** The slot whose value the tree computes (stored). */
  readonly root: number
  /** Member slots in topological order (the root last). */
  readonly members: Int32Array
}

/** `root = t₀ + t₁ + … + t_{K−1}`, accumulated left to right. */
export interface ReduceUnit {
  readonly _tag: 'reduce'
  readonly root: number
  /** The top-level term slots, in accumulation order. A term that is a tree is in `termTrees`. */
  readonly terms: Int32Array
  /** Trees absorbed into the reduction (their roots are terms), by term slot. */
  readonly termTrees: ReadonlyMap<number, TreeUnit>
}

export type Unit = TreeUnit | ReduceUnit

export interface Partition {
  /** Units in topological order of their roots. */
  readonly units: readonly Unit[]
  /** For each slot: the number of uses (argument edges plus outputs). */
  readonly uses: Int32Array
}

export interface PartitionOptions {
  /** Largest number of nodes in one tree. */
  readonly maxTree: number
  /** Shortest `add` chain treated as a reduction. */
  readonly minChain: number
}

const ADD = opCode.add

/** Splits the applications of `tape` into trees and reductions. */
export function partition(tape: Tape, options: PartitionOptions): Partition {
  const { size, leaves, a0, a1, op } = tape
  const uses = new Int32Array(size)
  for (let i = leaves; i < size; i++) {
    uses[a0[i]]++
    if (a1[i] >= 0) uses[a1[i]]++
  }
  const isOutput = new Uint8Array(size)
  for (const s of tape.outputs) {
    uses[s]++
    isOutput[s] = 1
  }
  const singleUse = (s: number): boolean => s >= leaves && uses[s] === 1 && isOutput[s] === 0

  // Reduction chains: spine[i] is the add below i in its chain (or −1).
  const spine = new Int32Array(size).fill(-1)
  const onSpine = new Uint8Array(size)
  const chainLength = new Int32Array(size)
  const link = (a: number): number => (singleUse(a) && op[a] === ADD ? chainLength[a] : 0)
  for (let i = leaves; i < size; i++) {
    if (op[i] !== ADD) continue
    // Follow the longer chain below, so that `term + s` and `s + term` are both recognised.
    const l0 = link(a0[i])
    const l1 = a1[i] !== a0[i] ? link(a1[i]) : 0
    if (l0 > 0 || l1 > 0) spine[i] = l1 > l0 ? a1[i] : a0[i]
    chainLength[i] = 1 + Math.max(l0, l1)
    if (spine[i] >= 0) onSpine[spine[i]] = 1
  }
  // A chain's top is an add that is not itself below another add of a chain; short chains are
  // ordinary trees. `inReduction` marks the links of accepted chains.
  const inReduction = new Uint8Array(size)
  const reductionTop = new Uint8Array(size)
  for (let i = size - 1; i >= leaves; i--) {
    if (op[i] !== ADD || onSpine[i] === 1 || chainLength[i] < options.minChain) continue
    reductionTop[i] = 1
    for (let s = i; s >= 0; s = spine[s]) inReduction[s] = 1
  }

  // Trees: each application absorbs its single-use arguments while the size bound allows.
  const treeSize = new Int32Array(size)
  const parent = new Int32Array(size).fill(-1)
  const absorb = (i: number, a: number): void => {
    if (!singleUse(a) || inReduction[a] === 1 || treeSize[i] + treeSize[a] > options.maxTree) return
    parent[a] = i
    treeSize[i] += treeSize[a]
  }
  for (let i = leaves; i < size; i++) {
    treeSize[i] = 1
    if (inReduction[i] === 1) continue
    absorb(i, a0[i])
    if (a1[i] >= 0 && a1[i] !== a0[i]) absorb(i, a1[i])
  }

  // Members of each tree, grouped by root with a counting sort (so they come out in slot order,
  // which is topological): rootOf[i] is found from the parent, which has a larger slot.
  const rootOf = new Int32Array(size).fill(-1)
  const count = new Int32Array(size + 1)
  for (let i = size - 1; i >= leaves; i--) {
    rootOf[i] = parent[i] < 0 ? i : rootOf[parent[i]]
    count[rootOf[i] + 1]++
  }
  for (let i = 1; i <= size; i++) count[i] += count[i - 1]
  const start = count.slice(0, size)
  const memberSlots = new Int32Array(size - leaves)
  for (let i = leaves; i < size; i++) memberSlots[count[rootOf[i]]++] = i
  const treeAt = (root: number): TreeUnit => ({ _tag: 'tree', root, members: memberSlots.subarray(start[root], start[root] + treeSize[root]) })

  // The consumer of each single-use slot, and the terms that reductions absorb as trees.
  const consumer = new Int32Array(size).fill(-1)
  for (let i = leaves; i < size; i++) {
    consumer[a0[i]] = i
    if (a1[i] >= 0) consumer[a1[i]] = i
  }
  const absorbable = (t: number): boolean =>
    singleUse(t) && inReduction[t] === 0 && parent[t] < 0 && inReduction[consumer[t]] === 1

  const units: Unit[] = []
  for (let i = leaves; i < size; i++) {
    if (parent[i] >= 0 || absorbable(i)) continue
    if (reductionTop[i] === 1) units.push(reduction(tape, i, spine, absorbable, treeAt))
    else if (inReduction[i] === 0) units.push(treeAt(i))
  }
  return { units, uses }
}

function reduction(tape: Tape, top: number, spine: Int32Array, absorbable: (s: number) => boolean, treeAt: (root: number) => TreeUnit): ReduceUnit {
  // Walk down the spine, collecting each link's term; the bottom link contributes both arguments.
  const links: number[] = []
  for (let s = top; s >= 0; s = spine[s]) links.push(s)
  const bottom = links[links.length - 1]
  const terms: number[] = [tape.a0[bottom], tape.a1[bottom]]
  for (let k = links.length - 2; k >= 0; k--) {
    const link = links[k]
    terms.push(tape.a0[link] === links[k + 1] ? tape.a1[link] : tape.a0[link])
  }
  const termTrees = new Map<number, TreeUnit>()
  for (const t of terms) if (absorbable(t)) termTrees.set(t, treeAt(t))
  return { _tag: 'reduce', root: top, terms: Int32Array.from(terms), termTrees }
}
