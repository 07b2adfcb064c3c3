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
 * shapeOf(tape, tree, new Map()).shape.key  // '2(h0,h1);7(n0)|ai': mul(h0, h1) then log(n0); h0 active, h1 inactive
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

/**
 * The shape of `tree` in `tape`, and its hole slots. Shapes already seen are taken from `known`
 * (by key), so only the first instance of each shape builds its node list: most trees cost a key
 * string and a hole array.
 */
export function shapeOf(tape: Tape, tree: TreeUnit, known: Map<string, Shape>): Instance {
  let scratch = scratchOf.get(tape)
  if (scratch === undefined) {
    scratch = { local: new Int32Array(tape.size).fill(-1), hole: new Int32Array(tape.size).fill(-1) }
    scratchOf.set(tape, scratch)
  }
  const { local, hole } = scratch
  const members = tree.members
  for (let k = 0; k < members.length; k++) local[members[k]] = k
  const holes: number[] = []
  // A reference: a member index k ≥ 0, or a hole h encoded as −1 − h.
  const ref = (a: number): number => {
    if (local[a] >= 0) return local[a]
    if (hole[a] < 0) {
      hole[a] = holes.length
      holes.push(a)
    }
    return -1 - hole[a]
  }
  const text = (r: number): string => (r >= 0 ? `n${r}` : `h${-1 - r}`)
  const refs: number[] = []
  let key = ''
  for (const s of members) {
    const r0 = ref(tape.a0[s])
    const r1 = tape.a1[s] >= 0 ? ref(tape.a1[s]) : undefined
    refs.push(r0, r1 ?? 0)
    key += r1 === undefined ? `${tape.op[s]}(${text(r0)});` : `${tape.op[s]}(${text(r0)},${text(r1)});`
  }
  for (const s of members) local[s] = -1
  for (const h of holes) hole[h] = -1
  let kinds = ''
  for (const h of holes) kinds += tape.op[h] === CONST ? 'c' : tape.active[h] === 1 ? 'a' : 'i'
  key += `|${kinds}`
  let shape = known.get(key)
  if (shape === undefined) {
    const toRef = (r: number): Ref => (r >= 0 ? { _tag: 'node', index: r } : { _tag: 'hole', index: -1 - r })
    const nodes = Array.from(members, (s, k): ShapeNode => ({
      op: tape.op[s],
      args: tape.a1[s] >= 0 ? [toRef(refs[2 * k]), toRef(refs[2 * k + 1])] : [toRef(refs[2 * k])],
    }))
    shape = { key, nodes, holeKinds: [...kinds] as HoleKind[] }
    known.set(key, shape)
  }
  return { shape, holes: Int32Array.from(holes) }
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
