/**
 * Expression nodes: the immutable, hash-consed computational graph.
 *
 * A node is a constant, a variable or the application of a named operation to
 * argument nodes (the document's "operation: a simple function of one or more
 * variables returning one output"). Nodes are frozen and interned: building a
 * structurally equal node twice in the same build (see `building`; a parse and a
 * derivative are builds of their own), or twice outside any build, returns the
 * very same object, so common subexpressions are shared and `z = f(f(f(w)))`
 * holds one node per level. Nodes of different builds are equal by
 * `structurallyEqual`, not by `===`.
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

import { Build } from './build.js'
import { badName } from './names.js'
import { nameHash, scalarShape, type Table } from './intern.js'
import { Shared } from './shared.js'

export { nameHash, nameHashStep, nodesCreated, scalarShape } from './intern.js'

// -------------------------------------------------------------------------------------------------
// Types
// -------------------------------------------------------------------------------------------------

/** A tensor shape; `[]` is a scalar. */
export type Shape = readonly number[]


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
// Hash-consing: builds and the shared table
// -------------------------------------------------------------------------------------------------

// Where a node is interned decides which structurally equal nodes it is the same object as:
//
// - inside a build (`building(f)`: a parse, a derivative, or any code the caller wraps), every
//   node goes into the build's own table, keyed by integers (op and argument ids, through the
//   list of users of each argument; a constant's value; a variable's name hash), holding its
//   nodes strongly and dropped with the build. No weak references, no sweeping, and nothing of
//   the build is kept alive after it but what the caller holds;
// - outside any build (builders called at top level), into one shared table that holds its
//   nodes weakly, so that `sin(x) === sin(x)` in user code and a graph nobody references any more
//   is collected. A `WeakRef` costs several times a node (and each one created or dereferenced
//   keeps its node alive until the current job ends), which is why builds do not use one.
//
// Two builds may hold structurally equal nodes that are different objects, variables included.
// A variable is its name: the tape gives all variable nodes of one name one slot, and
// `freeVariables` lists a name once, so graphs from different builds combine as if each name
// had one node.
//
//
// The build's table is in build.ts, the shared one in shared.ts, ids, hashes and the makers of
// nodes in intern.ts.

const shared = new Shared()
let current: Table = shared

/**
 * Runs `f` inside a build: every node made while it runs (by the builders, `parse`, the rules of
 * a derivative) is interned in a table of the build's own, so that within it structurally equal
 * nodes are one node, and the table is dropped when `f` returns. Inside a build already, `f`
 * joins it. `parse` and the symbolic derivatives run in a build of their own when called
 * outside one. `expected`, about how many nodes `f` will make, sizes the first table.
 *
 * Wrap code that builds a large graph with the builders: a build is several times faster than the
 * shared table used outside any build, and its nodes are the ones `parse` or `gradExpr` give for
 * the same structure in the same call. Only what `f` runs synchronously is inside the build (the
 * rest of an async `f` builds in the shared table).
 *
 * @example
 * import { building, gradExpr, program, add, mul, variable, structurallyEqual, orThrow } from 'chainrule'
 * const x = variable('x')
 * building(() => orThrow(gradExpr(program([mul(x, x)]))).outputs[0] === add(x, x))   // → true   one build, one node
 * const [g] = orThrow(gradExpr(program([mul(x, x)]))).outputs                         // a build of its own
 * g === add(x, x)                                                                       // → false
 * g !== undefined && structurallyEqual(g, add(x, x))                                    // → true
 */
export function building<T>(f: () => T, expected = 0): T {
  if (current !== shared) return f()
  current = new Build(expected)
  try {
    return f()
  } finally {
    current = shared
  }
}

/** Whether code running now is inside a build (`building`). */
export const inBuild = (): boolean => current !== shared

/**
 * Inside a build, makes `nodes` (built anywhere) the nodes the build gives for their structure,
 * unless it already has one: a derivative adopts the graph it differentiates, so that the rules
 * find `cos(x)` where the program has it. Outside a build it does nothing.
 */
export const adopt = (nodes: readonly Node[]): void => current.adopt(nodes)

// -------------------------------------------------------------------------------------------------
// Constructors (raw: no simplification; `src/ops` adds the smart constructors)
// -------------------------------------------------------------------------------------------------

/** The constant node for `value` (in the current build, or the shared table). */
export const constant = (value: number): Const => current.constant(value)

/**
 * The variable node named `name` (in the current build, or the shared table); with a `shape`
 * other than `[]`, a tensor variable of that shape (a program's tensor inputs).
 */
export function variable(name: string, shape?: Shape): Var {
  // A name the language cannot write (pi, 1x, '') would print as something else, or not parse back.
  const wrongName = badName(name)
  if (wrongName !== undefined) throw new RangeError(`variable: ${wrongName}`)
  if (shape === undefined || shape.length === 0) return current.variable(name, nameHash(name))
  // A shape is checked where it is given: [2, -1], [1.5] or [NaN] failed only at evaluation, as a
  // point "of the wrong shape".
  const bad = shape.findIndex((d) => !Number.isInteger(d) || d < 0)
  if (bad >= 0) throw new RangeError(`the shape of '${name}' must be a list of integers ≥ 0, not [${shape.join(',')}]`)
  return current.shapedVariable(name, shape)
}

/** `variable(name)` when `h` is `nameHash(name)` already (the lexer computes it as it reads). */
export const variableHashed = (name: string, h: number): Var => current.variable(name, h)

/**
 * `variable(name)` when the current build is known not to have a variable of that name: only for
 * a parse in a build of its own (`building` called outside any build), whose lexer sees each
 * name once. The build enters it in its table only if a variable is looked up later.
 */
export const newVariableIn = (name: string): Var => current.newVariable(name)

/**
 * The node `op(args...)`, without any checking or simplification. Use the typed builders of
 * `src/ops` instead: they check arity and fold trivial cases.
 */
export function applyRaw(op: string, args: readonly Node[], shape: Shape = scalarShape): Apply {
  return shape.length === 0 && (args.length === 1 || args.length === 2) ? current.apply2(op, args[0], args[1]) : current.apply(op, args, shape)
}

/** `op(a)` or `op(a, b)` on scalars, without checking or simplification (no argument array unless new). */
export const applyRaw2 = (op: string, a: Node, b?: Node): Apply => current.apply2(op, a, b)

