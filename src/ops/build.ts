/**
 * Expressions as a number system, and the builder API for TypeScript users.
 *
 * `nodes` is `Num<Node>`: applying a primitive builds (or finds) a hash-consed node, folding
 * constants and trivial identities (`x·1`, `x + 0`, `−(−x)`). Running the rule table over it is
 * the document's symbol-to-symbol differentiation.
 *
 * @example
 * import { variable, add, mul, sin } from 'chainrule'
 * const x = variable('x'), y = variable('y')
 * const f = mul(add(x, y), sin(x))   // numbers are lifted: add(x, 1)
 */
import { applyRaw, applyRaw2, constant, type Node } from '../expr/node.js'
import type { Num, Rule } from './rule.js'
import { opCode, table } from './table.js'
import { opTags, type OpTag } from './tags.js'
import { broadcastShapes, sameShape } from './tensor/shape.js'

const isConstValue = (n: Node, v: number): boolean => n._tag === 'const' && n.value === v
/** `n` is the constant `v` itself (−0 is not 0). */
const isConstExactly = (n: Node, v: number): boolean => n._tag === 'const' && Object.is(n.value, v)

/**
 * What simplification needs of each rule, by op code, in records of one shape (reading them is
 * cheaper than reading rules, whose optional fields differ from op to op). NaN where a rule has
 * no such identity: no constant equals it.
 */
interface Folding {
  readonly op: OpTag
  readonly fn: (a: number, b: number) => number
  /** `left ∘ x = x`, `x ∘ right = x` (identity elements). */
  readonly left: number
  readonly right: number
  /** `x ∘ absorbRight = absorbed` for every x (`x^0 = 1`). */
  readonly absorbRight: number
  readonly absorbed: number
  /** `op(op(x)) = x`. */
  readonly involution: boolean
}

function foldingOf(op: OpTag): Folding {
  const rule: Rule = table[op]
  return {
    op,
    fn: rule.fn,
    left: rule.identity?.left ?? NaN,
    right: rule.identity?.right ?? NaN,
    absorbRight: rule.constantWhen?.right ?? NaN,
    absorbed: rule.constantWhen?.value ?? NaN,
    involution: rule.involution === true,
  }
}

// By op code; a primitive registered at run time (`defineOp`) gets its entry on first use.
const foldings: Folding[] = opTags.map(foldingOf)

/** Constant folding and identities for `op(a)` or `op(a, b)`; `undefined` when nothing applies. */
function simplify(f: Folding, a: Node, b: Node | undefined): Node | undefined {
  if (a._tag === 'const' && (b === undefined || b._tag === 'const')) {
    const x = a.value
    const y = b === undefined ? NaN : (b as { value: number }).value
    const v = f.fn(x, y)
    // Never fold a fresh NaN or infinity into a constant: evaluation must see it and warn.
    if (Number.isFinite(v) || !Number.isFinite(x) || (b !== undefined && !Number.isFinite(y))) return constant(v)
    return undefined
  }
  if (b !== undefined) {
    // Identities by Object.is: x − 0 = x for every x, x − (−0) is not (−0 − −0 = +0).
    if (isConstExactly(b, f.right)) return a
    if (isConstExactly(a, f.left)) return b
    if (isConstValue(b, f.absorbRight)) return constant(f.absorbed)
  }
  if (f.involution && a._tag === 'apply' && a.op === f.op) return a.args[0]
  return undefined
}

/**
 * `op(a)` or `op(a, b)` for the op of code `code` (`opCode`), simplified, without checking the
 * arity: the core of every builder and of the parser (no argument array is made unless the node
 * is new).
 */
export function applyCode(code: number, a: Node, b?: Node): Node {
  const f = foldings[code] ?? (foldings[code] = foldingOf(opTags[code]))
  if (a.shape.length !== 0 || (b !== undefined && b.shape.length !== 0)) return applyEntrywise(f, a, b)
  return simplify(f, a, b) ?? applyRaw2(f.op, a, b)
}

/**
 * `op(a)` or `op(a, b)` entry by entry on tensors, with NumPy broadcasting: the result has the
 * broadcast shape (a `ShapeError` when the shapes do not broadcast). A simplification that would
 * drop the broadcast (`0 + X` for a vector X in a matrix context cannot arise, but `X^0` is 1 of
 * X's shape) keeps it.
 */
function applyEntrywise(f: Folding, a: Node, b: Node | undefined): Node {
  const shape = b === undefined ? a.shape : broadcastShapes(f.op, a.shape, b.shape)
  const s = simplify(f, a, b)
  if (s === undefined) return applyRaw(f.op, b === undefined ? [a] : [a, b], shape)
  return sameShape(s.shape, shape) ? s : applyRaw('broadcast_to', [s, ...shape.map((d) => constant(d))], shape)
}

/** `applyCode` by tag. */
export const applyOp = (op: OpTag, a: Node, b?: Node): Node => applyCode(opCode[op], a, b)

/** Expression nodes as a number system (symbol-to-symbol). */
export const nodes: Num<Node> = {
  constant,
  isZero: (n) => isConstValue(n, 0),
  apply: (op, args) => {
    const arity = table[op].arity
    if (args.length !== arity) throw new RangeError(`${op} takes ${arity} argument(s), got ${args.length}`)
    return applyOp(op, args[0], args[1])
  },
  // t·num/den: (t/den)·num, or num/den itself for a seed t = ±1 (one rounding, and 0/b stays 0
  // where (1/b)·0 would be ∞·0 at a subnormal b).
  quotient: (num, den, t) => {
    if (isConstValue(t, 0) || isConstValue(num, 0)) return constant(0)
    if (isConstValue(t, 1)) return applyOp('div', num, den)
    if (isConstValue(t, -1)) return applyOp('neg', applyOp('div', num, den))
    return applyOp('mul', applyOp('div', t, den), num)
  },
}

/** An argument of a builder: a node, or a number to lift into a constant. */
export type Arg = Node | number

/** A dual number of `M<T>` (what a function over m is given in forward mode), not a node. */
const isDual = (a: unknown): boolean => typeof a === 'object' && a !== null && 'value' in a && 'tangent' in a

/** What `a` is, for a message: `a string ("[object Object]1")`, `undefined`, `an array`. */
function describe(a: unknown): string {
  if (typeof a === 'string') return `a string (${JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}…` : a)})`
  if (a === null || a === undefined) return String(a)
  if (Array.isArray(a)) return 'an array'
  if (isDual(a)) return 'a dual number'
  return typeof a === 'object' ? 'an object that is not a node' : `a ${typeof a}`
}

const isNode = (a: unknown): a is Node => {
  const tag = typeof a === 'object' && a !== null ? (a as { _tag?: unknown })._tag : undefined
  return tag === 'apply' || tag === 'var' || tag === 'const'
}

/**
 * A builder's arguments as nodes (numbers lifted to constants). Anything else is refused with a
 * TypeError naming the builder and the argument: a string is what JavaScript's `+` makes of a node
 * (`x + 1` is "[object Object]1"), and would otherwise become a malformed node.
 */
function lift(builder: string, args: readonly Arg[]): Node[] {
  return args.map((a, k) => liftOne(builder, a, k))
}

/** One argument of `builder`, the k-th, as a node (see `lift`). */
export function liftOne(builder: string, a: Arg, k: number): Node {
  if (typeof a === 'number') return constant(a)
  if (isNode(a)) return a
  const hint = typeof a === 'string' ? ": JavaScript's + on a node joins text (use add)" : isDual(a) ? `: it is a dual number of the number system m, so the function runs over M<T>; call m.${builder}(…) there, not the builder` : ''
  throw new TypeError(`${builder}: argument ${k + 1} is ${describe(a)}, not a node or a number${hint}`)
}

/** The builder of a primitive that takes `N` arguments. */
export type Builder<N extends number> = N extends 1 ? (a: Arg) => Node : N extends 2 ? (a: Arg, b: Arg) => Node : (...args: Arg[]) => Node

/** One builder per primitive, typed with the primitive's arity as the table declares it. */
export type Builders = { readonly [K in OpTag]: Builder<(typeof table)[K]['arity']> }

/** The builder of `op`: checks the number of arguments, lifts numbers, simplifies. */
export function builderOf(op: OpTag): (...args: Arg[]) => Node {
  const arity = table[op].arity
  const code = opCode[op]
  const wrong = (got: number): RangeError => new RangeError(`${op} takes ${arity} argument(s), got ${got}`)
  return arity === 1
    ? (...args: Arg[]) => {
        if (args.length !== 1) throw wrong(args.length)
        return applyCode(code, liftOne(op, args[0] as Arg, 0))
      }
    : (...args: Arg[]) => {
        if (args.length !== 2) throw wrong(args.length)
        return applyCode(code, liftOne(op, args[0] as Arg, 0), liftOne(op, args[1] as Arg, 1))
      }
}

/** One builder per primitive: `build.sin(x)`, `build.add(x, 2)`. */
export const build = Object.freeze(Object.fromEntries(opTags.map((t) => [t, builderOf(t)]))) as Builders

/** Apply a primitive by tag (checked arity, simplified). */
export const apply = (op: OpTag, args: readonly Arg[]): Node => nodes.apply(op, lift(op, args))

/**
 * `op` over `terms` as a balanced tree (depth ⌈log₂ n⌉, not a chain of n), folding pairs of
 * neighbours level by level; `empty` for no terms.
 */
function balanced(op: 'add' | 'mul', terms: readonly Arg[], empty: number): Node {
  let level = lift(op === 'add' ? 'sum' : 'prod', terms)
  if (level.length === 0) return constant(empty)
  while (level.length > 1) {
    const next: Node[] = []
    for (let i = 0; i + 1 < level.length; i += 2) next.push(applyOp(op, level[i], level[i + 1]))
    if (level.length % 2 === 1) next.push(level[level.length - 1])
    level = next
  }
  return level[0]
}

/** The terms given as one array or as arguments. */
const termsOf = (args: readonly (Arg | readonly Arg[])[]): readonly Arg[] =>
  args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly Arg[]) : (args as readonly Arg[])

/**
 * t₁ + t₂ + … + tₙ as a balanced tree of `add`; `sum()` is 0. (`compile` computes the terms of a
 * large balanced sum by templates and adds them up level by level in the tree's own association:
 * its compiled gradient takes 1.2–1.6× the time of the same sum built as a chain, measured at 10⁴
 * terms.)
 */
export function sum(terms: readonly Arg[]): Node
export function sum(...terms: Arg[]): Node
export function sum(...args: (Arg | readonly Arg[])[]): Node {
  return balanced('add', termsOf(args), 0)
}

/** t₁ · t₂ · … · tₙ as a balanced tree of `mul`; `prod()` is 1. */
export function prod(factors: readonly Arg[]): Node
export function prod(...factors: Arg[]): Node
export function prod(...args: (Arg | readonly Arg[])[]): Node {
  return balanced('mul', termsOf(args), 1)
}
