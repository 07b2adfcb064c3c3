/**
 * Hash-consing: what the two kinds of table of `node.ts` share. Node ids, the makers of frozen
 * nodes, the hashes of names, constants and applications, and the `Table` that a build
 * (`build.ts`) and the shared table (`shared.ts`) implement.
 *
 * @example
 * nameHash('x') === (120 | 1)   // a one-letter name hashes to its code unit, never 0
 */
import type { Apply, Const, Node, Shape, Var } from './node.js'

/** `[]`, the shape of every scalar. */
export const scalarShape: Shape = Object.freeze([])

// Ids are unique in the process and increase in creation order, whatever the table, so every
// argument has a smaller id than its user and ids can key per-walk arrays.

let nextId = 0

/** The number of nodes ever created in this process (a counter for tests of sharing). */
export const nodesCreated = (): number => nextId

/** A hash of an op name (FNV-1a over its code units: op names are short). */
export function opKey(op: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < op.length; i++) h = Math.imul(h ^ op.charCodeAt(i), 0x01000193)
  return h
}

/**
 * One step of the hash of a variable's name: `nameHash(s)` starts from the first code unit and
 * applies this to each of the others. The lexer computes it as it reads a name.
 */
export const nameHashStep = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193)

/** The hash of a variable's name (never 0, which marks an empty slot). */
export function nameHash(name: string): number {
  let h = name.length > 0 ? name.charCodeAt(0) : 0
  for (let i = 1; i < name.length; i++) h = nameHashStep(h, name.charCodeAt(i))
  return h | 1
}

/** Mixes `k` into the hash `h` (MurmurHash2's multiplier; numbers beyond 32 bits wrap). */
function mix(h: number, k: number): number {
  const m = Math.imul(h ^ k, 0x5bd1e995)
  return m ^ (m >>> 15)
}

/** The last step of every hash: never 0, which marks an empty slot of a table. */
const final = (h: number): number => h | 1

/** A 32-bit hash of op(args) with `shape`. */
export function hashApply(key: number, args: readonly Node[], shape: Shape): number {
  let h = Math.imul(key, 0x9e3779b1)
  for (let i = 0; i < args.length; i++) h = mix(h, args[i].id)
  if (shape.length > 0) for (let i = 0; i < shape.length; i++) h = mix(h, shape[i] + 0x7fff)
  return final(mix(h, args.length))
}

/** The hash of a unary or binary scalar application (`hashApply` of the same node). */
export function hash2(key: number, a: Node, b: Node | undefined): number {
  let h = mix(Math.imul(key, 0x9e3779b1), a.id)
  if (b !== undefined) h = mix(h, b.id)
  return final(mix(h, b === undefined ? 1 : 2))
}

const bits = new Float64Array(1)
const bitWords = new Int32Array(bits.buffer)

/** A 32-bit hash of a constant's bits (every NaN alike; 0 and −0 differ). */
export function hashConstant(value: number): number {
  bits[0] = value === value ? value : NaN
  return final(mix(mix(0x2545f491, bitWords[0]), bitWords[1]))
}

/** The same constant: `Object.is`, so −0 is not 0 and every NaN is the same constant. */
export const sameValue = (a: number, b: number): boolean => (a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b)

export const isNegativeZero = (v: number): boolean => v === 0 && 1 / v < 0

export const sameShape = (a: Shape, b: Shape): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Whether `n` is op(args) with `shape`. */
export function isApplyOf(n: Apply, op: string, args: readonly Node[], shape: Shape): boolean {
  const have = n.args
  if (n.op !== op || have.length !== args.length || !sameShape(n.shape, shape)) return false
  for (let i = 0; i < args.length; i++) if (have[i] !== args[i]) return false
  return true
}

/** Whether `n` is the scalar op(a) or op(a, b). */
export const isApply2 = (n: Apply, op: string, a: Node, b: Node | undefined): boolean =>
  n.op === op && n.args[0] === a && (b === undefined ? n.args.length === 1 : n.args.length === 2 && n.args[1] === b) && n.shape.length === 0

export const newConstant = (value: number): Const => Object.freeze({ _tag: 'const', id: nextId++, value, shape: scalarShape })
export const newVariable = (name: string, shape: Shape = scalarShape): Var => Object.freeze({ _tag: 'var', id: nextId++, name, shape })

/** The key of a variable of tensor shape: its name and its shape. */
export const shapedKey = (name: string, shape: Shape): string => `${name}[${shape.join('x')}]`
export const newApply = (op: string, args: readonly Node[], shape: Shape): Apply => Object.freeze({ _tag: 'apply', id: nextId++, op, args, shape })

/** Where nodes are interned: a build, or the shared table. */
export interface Table {
  constant(value: number): Const
  /** The variable named `name`, whose `nameHash` is `h`. */
  variable(name: string, h: number): Var
  /**
   * The variable named `name`, which the caller knows the table does not have (a parse in a build
   * of its own, whose lexer sees each name once): made without a lookup.
   */
  newVariable(name: string): Var
  /** The variable named `name` of the tensor shape `shape` (not `[]`): another node than the scalar of that name. */
  shapedVariable(name: string, shape: Shape): Var
  /** op(a) or op(a, b) on scalars: the common case, without an argument array unless new. */
  apply2(op: string, a: Node, b: Node | undefined): Apply
  /** Any application; `args` is copied if the node is new. */
  apply(op: string, args: readonly Node[], shape: Shape): Apply
  /** Makes existing nodes the ones this table gives for their structure (where it has none yet). */
  adopt(nodes: readonly Node[]): void
}

/** Smallest table of applications; tables grow by doubling at half full. */
export const minCapacity = 1024

/** The power of two at least `minCapacity` and at least twice `n`. */
export function capacityFor(n: number): number {
  let c = minCapacity
  while (c < 2 * n && c < 1 << 28) c *= 2
  return c
}

/** Users an argument may have while lookups still walk its list of users; past it, it is "hot". */
export const chainLimit = 8

/** The key of an application of another arity or shape than the common ones (a rare case). */
export const genericKey = (op: string, args: readonly Node[], shape: Shape): string => `${op}(${args.map((a) => a.id).join(',')})[${shape.join('x')}]`
