/**
 * The arguments of a traced function: their shapes (a scalar, an array of scalars, nested arrays,
 * a record of these), the variable names they get, and values given in the same structure.
 *
 * A shape is written like a node's shape: `[]` is a scalar, `[n]` an array of n scalars, `[n, m]`
 * an array of n arrays of m, and a record `{ w: [3], b: [] }` an object with those fields. An
 * argument's variables are named from its base name: a scalar is the name itself, element i of an
 * array appends i (`xs0`, `xs1`, …, after a `_` when the name ends in a digit: `W0_1`), field k of
 * a record appends `_k` (a record without a base name, the default, names its fields `k`). The
 * names sort in natural order, so `xs2` comes before `xs10`, as in a JavaScript array.
 *
 * @example
 * import { trace, pointOf, argsOf, grad, add, mul, sum, orThrow } from 'chainrule'
 * // Σᵢ w[i mod 2]·xᵢ + b: a record { w, b } and an array xs
 * const t = orThrow(trace(({ w, b }, xs) => add(sum(xs.map((x, i) => mul(w[i % 2]!, x))), b), { args: [{ w: [2], b: [] }, [3]] }))
 * t.args                                          // → [{ w: ['w0', 'w1'], b: 'b' }, ['x0', 'x1', 'x2']]
 * const point = pointOf(t, { w: [1, 2], b: 0.5 }, [3, 4, 5])
 * point                                           // → { w0: 1, w1: 2, b: 0.5, x0: 3, x1: 4, x2: 5 }
 * argsOf(t, orThrow(grad(t, point)).gradient)     // → [{ w: [8, 4], b: 1 }, [1, 2, 1]]
 */
import type { Node } from '../expr/node.js'
import { newVariable } from '../expr/intern.js'
import { badName } from '../expr/names.js'

// -------------------------------------------------------------------------------------------------
// Shapes and the types they give
// -------------------------------------------------------------------------------------------------

/** The shape of one argument: `[]` a scalar, `[n]` an array of n, `[n, m]` nested arrays, or a record. */
export type ArgShape = readonly number[] | { readonly [key: string]: ArgShape }

/** Any nesting of `L` in arrays (the type of an argument whose shape is not known statically). */
export type Nested<L> = L | Nested<L>[] | { [key: string]: Nested<L> }

/** An argument of shape `S` with leaves of type `L`: `Node` (traced), `number` (values), `string` (names). */
export type Leaves<S, L> = S extends readonly []
  ? L
  : S extends readonly [number, ...infer R]
    ? Leaves<R, L>[]
    : S extends readonly number[]
      ? Nested<L>
      : S extends { readonly [key: string]: ArgShape }
        ? { -readonly [K in keyof S]: Leaves<S[K], L> }
        : never

/** The arguments of shapes `S` with leaves `L`, as a tuple. */
export type ArgsOf<S extends readonly ArgShape[], L> = { -readonly [K in keyof S]: Leaves<S[K], L> }

/** The variable names of an argument of shape `S` (frozen: read-only arrays and records). */
export type Names<S> = S extends readonly []
  ? string
  : S extends readonly [number, ...infer R]
    ? readonly Names<R>[]
    : S extends readonly number[]
      ? Nested<string>
      : S extends { readonly [key: string]: ArgShape }
        ? { readonly [K in keyof S]: Names<S[K]> }
        : never

/** The variable names of arguments of shapes `S`, as a read-only tuple (`Traced.args`). */
export type NamesOf<S extends readonly ArgShape[]> = { readonly [K in keyof S]: Names<S[K]> }

/** A value for an argument of shape `S`: as `Leaves<S, number>`, and an array of numbers may be a `Float64Array`. */
export type Value<S> = S extends readonly []
  ? number
  : S extends readonly [number]
    ? readonly number[] | Float64Array
    : S extends readonly [number, ...infer R]
      ? readonly Value<R>[]
      : S extends readonly number[]
        ? Nested<number> | Float64Array
        : S extends { readonly [key: string]: ArgShape }
          ? { readonly [K in keyof S]: Value<S[K]> }
          : never

/** Values for arguments of shapes `S`, as a tuple (what `pointOf` takes). */
export type ValuesOf<S extends readonly ArgShape[]> = { -readonly [K in keyof S]: Value<S[K]> }

/** The default shapes: any number of scalar arguments. */
export type Scalars = readonly (readonly [])[]

// -------------------------------------------------------------------------------------------------
// Names
// -------------------------------------------------------------------------------------------------

/** A tree of names in the structure of an argument. */
type NameTree = string | readonly NameTree[] | { readonly [key: string]: NameTree }

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const indexed = (base: string, i: number): string => (base.length > 0 && isDigit(base.charCodeAt(base.length - 1)) ? `${base}_${i}` : `${base}${i}`)
const field = (base: string, key: string): string => (base === '' ? key : `${base}_${key}`)

const isRecord = (s: ArgShape): s is { readonly [key: string]: ArgShape } => typeof s === 'object' && s !== null && !Array.isArray(s)

/** What is wrong with `shape`, or undefined (a shape is walked to its nesting depth, not a graph's). */
export function badShape(shape: unknown, where: string): string | undefined {
  if (Array.isArray(shape)) {
    const bad = shape.find((d) => !(typeof d === 'number' && Number.isInteger(d) && d >= 0))
    return bad === undefined ? undefined : `the shape of ${where} has ${typeof bad === 'number' ? bad : typeof bad} where a length (an integer ≥ 0) belongs`
  }
  if (typeof shape !== 'object' || shape === null) return `the shape of ${where} is ${shape === null ? 'null' : typeof shape}: give [] for a scalar, [n] for an array, or a record of shapes`
  for (const [key, s] of Object.entries(shape)) {
    const wrong = badShape(s, `${where}.${key}`)
    if (wrong !== undefined) return wrong
  }
  return undefined
}

/** The names of an argument of shape `shape` named `base` (frozen), each pushed onto `all`. */
export function namesOf(shape: ArgShape, base: string, all: string[]): NameTree {
  if (isRecord(shape)) return Object.freeze(Object.fromEntries(Object.entries(shape).map(([key, s]) => [key, namesOf(s, field(base, key), all)])))
  const dims = shape as readonly number[]
  const level = (name: string, d: number): NameTree => {
    if (d === dims.length) {
      all.push(name)
      return name
    }
    return Object.freeze(Array.from({ length: dims[d] }, (_, i) => level(indexed(name, i), d + 1)))
  }
  return level(base, 0)
}

/**
 * The traced values of an argument: its variables in the structure of its names. Each is a node of
 * its own, in no table (`variable(name)` anywhere else, even in the same build, is another node of
 * that name), so that a variable the function closes over under an argument's name can be told
 * apart from the argument, and refused.
 */
export function nodesOf(names: NameTree): Nested<Node> {
  if (typeof names === 'string') return newVariable(names)
  if (Array.isArray(names)) return names.map(nodesOf)
  return Object.fromEntries(Object.entries(names).map(([key, n]) => [key, nodesOf(n)]))
}

// -------------------------------------------------------------------------------------------------
// Values in the structure of the arguments
// -------------------------------------------------------------------------------------------------

/**
 * The values `value` gives each name of `names`, appended to `names_` and `values_` in argument
 * order; a mismatch throws a RangeError naming where (`where` is called only then: a pointOf of
 * 10^5 entries built 10^5 strings for nothing).
 */
export function bind(names: NameTree, value: unknown, where: () => string, outNames: string[], outValues: number[]): void {
  if (typeof names === 'string') {
    if (typeof value !== 'number') throw new RangeError(`${where()} should be a number, got ${Array.isArray(value) ? 'an array' : typeof value}`)
    outNames.push(names)
    outValues.push(value)
    return
  }
  if (Array.isArray(names)) {
    if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new RangeError(`${where()} should be an array of ${names.length}, got ${value === null ? 'null' : typeof value}`)
    const values = value as ArrayLike<unknown>
    if (values.length !== names.length) throw new RangeError(`${where()} should have ${names.length} entries, got ${values.length}`)
    for (let i = 0; i < names.length; i++) {
      const n = names[i] as NameTree
      const v = values[i]
      // A list of numbers (the common case) without a call per entry.
      if (typeof n === 'string' && typeof v === 'number') {
        outNames.push(n)
        outValues.push(v)
      } else bind(n, v, () => `${where()}[${i}]`, outNames, outValues)
    }
    return
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError(`${where()} should be a record with ${Object.keys(names).join(', ')}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`)
  for (const [key, n] of Object.entries(names)) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) throw new RangeError(`${where()} has no field ${key}`)
    bind(n, (value as Record<string, unknown>)[key], () => `${where()}.${key}`, outNames, outValues)
  }
  // A field the argument does not have (a typo, or one too many) would be dropped without a word.
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(names, key)) throw new RangeError(`${where()} has a field ${key}, which the argument does not have (its fields: ${Object.keys(names).join(', ')})`)
  }
}

/** The values of `record` in the structure of `names`; absent names are 0 (as in `vectorOf`). */
export function unbind(names: NameTree, record: Readonly<Record<string, number>>): Nested<number> {
  if (typeof names === 'string') {
    const v = Object.prototype.hasOwnProperty.call(record, names) ? record[names] : undefined
    return typeof v === 'number' ? v : 0
  }
  if (Array.isArray(names)) return names.map((n) => unbind(n, record))
  return Object.fromEntries(Object.entries(names).map(([key, n]) => [key, unbind(n, record)]))
}

export type { NameTree }
export { badName }
