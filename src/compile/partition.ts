/**
 * Cutting a tape into trees and reductions, the units the compiler works with.
 *
 * A node used exactly once (and not an output) can be computed inside its consumer's code without
 * storing its value: it joins its consumer's tree. Trees are bounded in size (`maxTree`), which is
 * also the checkpointing knob: only tree roots are stored, interior values are recomputed in the
 * reverse sweep. A long chain `s = s + term` whose links are used once becomes a reduction: a loop
 * that accumulates its terms in the original order (so the sum is bit-for-bit the same).
 *
 * Everything here is iterative and linear in the tape size. Trees are not objects: a tree is named
 * by its root slot, and its members are a range of one shared array (a graph of 10^6 nodes has
 * about 10^5 trees, and an object per tree is what the garbage collector then spends its time on).
 *
 * @example
 * const parts = partition(tapeFor(p.outputs, wrt), { maxTree: 32, minChain: 8 })
 * parts.roots                               // unit roots, in topological order
 * parts.members.subarray(parts.start[r], parts.start[r] + parts.treeSize[r])  // tree r's members
 */
import { opCode } from '../ops/table.js'
import type { Tape } from '../tape/tape.js'

/** `root = t₀ + t₁ + … + t_{K−1}`, accumulated left to right. */
export interface ReduceUnit {
  readonly _tag: 'reduce'
  readonly root: number
  /** The top-level term slots, in accumulation order. */
  readonly terms: Int32Array
  /** Per term: 1 when the term is the root of a tree absorbed into the reduction. */
  readonly treeTerm: Uint8Array
}

export interface Partition {
  /** Roots of the units (trees and reductions), in topological order. */
  readonly roots: Int32Array
  /** The reductions, by root; every other root is a tree's. */
  readonly reductions: ReadonlyMap<number, ReduceUnit>
  /** Tree members, grouped by tree, each tree's in topological order (the root last). */
  readonly members: Int32Array
  /** Per root slot: where its tree's members start in `members`, and how many there are. */
  readonly start: Int32Array
  readonly treeSize: Int32Array
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
  // single[s] = 1: s is an application used once and not an output.
  const single = new Uint8Array(size)
  for (let i = leaves; i < size; i++) if (uses[i] === 1) single[i] = 1
  for (const s of tape.outputs) {
    uses[s]++
    single[s] = 0
  }

  // Reduction chains: spine[i] is the add below i in its chain (or −1).
  const spine = new Int32Array(size).fill(-1)
  const onSpine = new Uint8Array(size)
  const chainLength = new Int32Array(size)
  for (let i = leaves; i < size; i++) {
    if (op[i] !== ADD) continue
    // Follow the longer chain below, so that `term + s` and `s + term` are both recognised.
    const x = a0[i]
    const y = a1[i]
    const l0 = single[x] === 1 && op[x] === ADD ? chainLength[x] : 0
    const l1 = y !== x && single[y] === 1 && op[y] === ADD ? chainLength[y] : 0
    if (l0 > 0 || l1 > 0) {
      spine[i] = l1 > l0 ? y : x
      onSpine[spine[i]] = 1
    }
    chainLength[i] = 1 + (l0 > l1 ? l0 : l1)
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
  const maxTree = options.maxTree
  for (let i = leaves; i < size; i++) {
    treeSize[i] = 1
    if (inReduction[i] === 1) continue
    const x = a0[i]
    if (single[x] === 1 && inReduction[x] === 0 && 1 + treeSize[x] <= maxTree) {
      parent[x] = i
      treeSize[i] += treeSize[x]
    }
    const y = a1[i]
    if (y >= 0 && y !== x && single[y] === 1 && inReduction[y] === 0 && treeSize[i] + treeSize[y] <= maxTree) {
      parent[y] = i
      treeSize[i] += treeSize[y]
    }
  }

  // Members of each tree, grouped by root with a counting sort (so they come out in slot order,
  // which is topological): rootOf[i] is found from the parent, which has a larger slot.
  const rootOf = new Int32Array(size).fill(-1)
  const start = new Int32Array(size + 1)
  for (let i = size - 1; i >= leaves; i--) {
    rootOf[i] = parent[i] < 0 ? i : rootOf[parent[i]]
    start[rootOf[i] + 1]++
  }
  for (let i = 1; i <= size; i++) start[i] += start[i - 1]
  const fill = start.slice(0, size)
  const members = new Int32Array(size - leaves)
  for (let i = leaves; i < size; i++) members[fill[rootOf[i]]++] = i

  // The consumer of each slot (its last user; the only one of a single-use slot). A term is
  // absorbed into its reduction as a tree when it is single-use, a tree root, and read by a link.
  const consumer = new Int32Array(size).fill(-1)
  for (let i = leaves; i < size; i++) {
    consumer[a0[i]] = i
    if (a1[i] >= 0) consumer[a1[i]] = i
  }
  const absorbed = new Uint8Array(size)
  for (let i = leaves; i < size; i++)
    if (single[i] === 1 && inReduction[i] === 0 && parent[i] < 0 && inReduction[consumer[i]] === 1) absorbed[i] = 1

  const roots = new Int32Array(size - leaves)
  let n = 0
  const reductions = new Map<number, ReduceUnit>()
  for (let i = leaves; i < size; i++) {
    if (parent[i] >= 0 || absorbed[i] === 1) continue
    if (reductionTop[i] === 1) {
      reductions.set(i, reduction(tape, i, spine, absorbed))
      roots[n++] = i
    } else if (inReduction[i] === 0) roots[n++] = i
  }
  return { roots: roots.slice(0, n), reductions, members, start: start.subarray(0, size), treeSize, uses }
}

function reduction(tape: Tape, top: number, spine: Int32Array, absorbed: Uint8Array): ReduceUnit {
  // Walk down the spine, collecting each link's term; the bottom link contributes both arguments.
  const links: number[] = []
  for (let s = top; s >= 0; s = spine[s]) links.push(s)
  const bottom = links[links.length - 1]
  const terms = new Int32Array(links.length + 1)
  terms[0] = tape.a0[bottom]
  terms[1] = tape.a1[bottom]
  for (let k = links.length - 2, j = 2; k >= 0; k--, j++) {
    const link = links[k]
    terms[j] = tape.a0[link] === links[k + 1] ? tape.a1[link] : tape.a0[link]
  }
  const treeTerm = new Uint8Array(terms.length)
  for (let j = 0; j < terms.length; j++) treeTerm[j] = absorbed[terms[j]]
  return { _tag: 'reduce', root: top, terms, treeTerm }
}
