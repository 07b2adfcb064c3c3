/**
 * Shapes: the structure of a tree with its leaves replaced by holes. Trees with the same shape
 * (same operations, same wiring, same kinds of holes) are instances of one template and run
 * through one compiled function, called in a loop over their holes' slots.
 *
 * A hole is a slot the tree reads but does not compute: a variable, a constant, or another tree's
 * root. Holes are numbered by first occurrence, so `x·x` and `x·y` are different shapes. Each hole
 * has a kind: `a` (active: depends on a variable we differentiate by), `i` (inactive) or `c`
 * (a constant). A constant with the same value in every instance is baked into the template.
 *
 * @example
 * shapeOf(tape, tree).key  // '2(h0,h1);7(n0)|ai': mul(h0, h1) then log(n0); h0 active, h1 inactive
 */
import { CONST, type Tape } from '../tape/tape.js'
import type { TreeUnit } from './partition.js'

/** An argument of a tree node: another node of the tree, or a hole. */
export type Ref = { readonly _tag: 'node'; readonly index: number } | { readonly _tag: 'hole'; readonly index: number }

export interface ShapeNode {
  readonly op: number
  readonly args: readonly Ref[]
}

export type HoleKind = 'a' | 'i' | 'c'

export interface Shape {
  /** Identifies the shape: equal keys, equal structure. */
  readonly key: string
  /** Nodes in topological order; the last is the root. */
  readonly nodes: readonly ShapeNode[]
  readonly holeKinds: readonly HoleKind[]
}

/** A tree's shape and the slots that fill its holes. */
export interface Instance {
  readonly shape: Shape
  readonly holes: Int32Array
}

/** Scratch arrays indexed by slot, reused from tree to tree (reset after each use). */
interface Scratch {
  readonly local: Int32Array
  readonly hole: Int32Array
}

const scratchOf = new WeakMap<Tape, Scratch>()

/** The shape of `tree` in `tape`, and its hole slots. */
export function shapeOf(tape: Tape, tree: TreeUnit): Instance {
  let scratch = scratchOf.get(tape)
  if (scratch === undefined) {
    scratch = { local: new Int32Array(tape.size).fill(-1), hole: new Int32Array(tape.size).fill(-1) }
    scratchOf.set(tape, scratch)
  }
  const { local, hole } = scratch
  tree.members.forEach((s, k) => {
    local[s] = k
  })
  const holes: number[] = []
  const nodes: ShapeNode[] = []
  let key = ''
  const ref = (a: number): Ref => {
    if (local[a] >= 0) return { _tag: 'node', index: local[a] }
    if (hole[a] < 0) {
      hole[a] = holes.length
      holes.push(a)
    }
    return { _tag: 'hole', index: hole[a] }
  }
  for (const s of tree.members) {
    const args = tape.a1[s] >= 0 ? [ref(tape.a0[s]), ref(tape.a1[s])] : [ref(tape.a0[s])]
    nodes.push({ op: tape.op[s], args })
    key += `${tape.op[s]}(${args.map((r) => (r._tag === 'node' ? `n${r.index}` : `h${r.index}`)).join(',')});`
  }
  for (const s of tree.members) local[s] = -1
  for (const h of holes) hole[h] = -1
  const holeKinds = holes.map((h): HoleKind => (tape.op[h] === CONST ? 'c' : tape.active[h] === 1 ? 'a' : 'i'))
  key += `|${holeKinds.join('')}`
  return { shape: { key, nodes, holeKinds }, holes: Int32Array.from(holes) }
}

/**
 * The constants of a group of instances that have the same value in every instance: those are
 * baked into the compiled template as literals; the others are read from their slots.
 */
export function uniformConstants(tape: Tape, shape: Shape, instances: readonly Int32Array[]): (number | undefined)[] {
  return shape.holeKinds.map((kind, h) => {
    if (kind !== 'c') return undefined
    const v = tape.init[instances[0][h]]
    for (const inst of instances) if (!Object.is(tape.init[inst[h]], v)) return undefined
    return v
  })
}
