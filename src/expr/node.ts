/**
 * Expression nodes: the immutable, hash-consed computational graph.
 *
 * A node is a constant, a variable or the application of a named operation to
 * argument nodes (the document's "operation: a simple function of one or more
 * variables returning one output"). Nodes are frozen and interned: building a
 * structurally equal node twice returns the very same object, so common
 * subexpressions are shared and `z = f(f(f(w)))` holds one node per level.
 *
 * This module knows nothing about what operations mean; `src/ops` gives them
 * their semantics and derivative rules. Every node has a `shape` (`[]` for a
 * scalar) so that tensors can arrive without changing the representation.
 *
 * @example
 * import { variable, sin } from 'chainrule'
 * const x = variable('x')
 * sin(x) === sin(x)   // → true   one node
 */

// -------------------------------------------------------------------------------------------------
// Types
// -------------------------------------------------------------------------------------------------

/** A tensor shape; `[]` is a scalar. */
export type Shape = readonly number[]

export const scalarShape: Shape = Object.freeze([])

interface NodeBase {
  /** Unique, increasing in creation order: every argument has a smaller id than its user. */
  readonly id: number
  readonly shape: Shape
}

/** A numeric literal (`2.5`, `pi`). */
export interface Const extends NodeBase {
  readonly _tag: 'const'
  readonly value: number
}

/** A free variable, bound to a number at evaluation time. */
export interface Var extends NodeBase {
  readonly _tag: 'var'
  readonly name: string
}

/** An operation applied to argument nodes. `op` names an entry of the rule table in `src/ops`. */
export interface Apply extends NodeBase {
  readonly _tag: 'apply'
  readonly op: string
  readonly args: readonly Node[]
}

export type Node = Const | Var | Apply

// -------------------------------------------------------------------------------------------------
// Guards and exhaustiveness
// -------------------------------------------------------------------------------------------------

export const isConst = (n: Node): n is Const => n._tag === 'const'
export const isVar = (n: Node): n is Var => n._tag === 'var'
export const isApply = (n: Node): n is Apply => n._tag === 'apply'

/** Compile-time exhaustiveness check for `switch` on `_tag`. */
export function absurd(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`)
}

// -------------------------------------------------------------------------------------------------
// Hash-consing
// -------------------------------------------------------------------------------------------------

// The intern table holds nodes weakly: a graph nobody references any more can be collected.
// Dead entries are swept incrementally: each insertion into a large table also examines the next
// two entries of a persistent iterator (which survives deletions), so the table stays within a
// constant factor of the live nodes without a pause. A FinalizationRegistry costs several times
// more per node. Keys are built from ids, never from user text alone, so two different nodes
// cannot share a key.
const table = new Map<string, WeakRef<Node>>()
let sweeper: Iterator<[string, WeakRef<Node>]> | undefined
let nextId = 0

function sweepStep(): void {
  for (let k = 0; k < 2; k++) {
    sweeper ??= table.entries()
    const r = sweeper.next()
    if (r.done === true) {
      sweeper = undefined
      return
    }
    if (r.value[1].deref() === undefined) table.delete(r.value[0])
  }
}

function intern<N extends Node>(key: string, make: (id: number) => N): N {
  const hit = table.get(key)?.deref()
  if (hit !== undefined) return hit as N
  const node: N = Object.freeze(make(nextId++)) as N
  if (table.size >= 1 << 16) sweepStep()
  table.set(key, new WeakRef(node))
  return node
}

/** The number of nodes ever created in this process (a counter for tests of sharing). */
export const nodesCreated = (): number => nextId

function constKey(value: number): string {
  // Object.is distinguishes -0 from 0; every NaN is the same constant.
  if (Object.is(value, -0)) return 'c:-0'
  return `c:${value}`
}

// -------------------------------------------------------------------------------------------------
// Constructors (raw: no simplification; `src/ops` adds the smart constructors)
// -------------------------------------------------------------------------------------------------

/** The constant node for `value`. */
export const constant = (value: number): Const =>
  intern(constKey(value), (id) => ({ _tag: 'const', id, value, shape: scalarShape }))

/** The variable node named `name`. */
export const variable = (name: string): Var =>
  intern(`v:${name}`, (id) => ({ _tag: 'var', id, name, shape: scalarShape }))

/**
 * The node `op(args...)`, without any checking or simplification. Use the typed builders of
 * `src/ops` instead: they check arity and fold trivial cases.
 */
export function applyRaw(op: string, args: readonly Node[], shape: Shape = scalarShape): Apply {
  let key = `a:${op}(`
  for (let i = 0; i < args.length; i++) key += (i === 0 ? '' : ',') + args[i].id
  key += ')'
  if (shape.length > 0) key += `[${shape.join('x')}]`
  return intern(key, (id) => ({ _tag: 'apply', id, op, args: Object.freeze(args.slice()), shape }))
}
