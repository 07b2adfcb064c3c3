/**
 * Functions as programs. `trace(f)` calls a TypeScript function once with variable nodes for its
 * arguments and returns the program its result builds: a `Traced`, which is a `Program` (every
 * function that takes a program takes it) that also knows the names of its arguments' variables,
 * so that values can be given, and results read back, in the structure of the arguments
 * (`pointOf`, `argsOf`).
 *
 * The function builds its result with the toolkit's builders (`add`, `mul`, `sin`, `sum`, …; numbers
 * are lifted to constants). It runs once, on nodes, not on numbers: JavaScript arithmetic on a node
 * (`x * 2`, `Math.sin(x)`) gives NaN and is refused (a NaN constant in the result is an error),
 * `x + 1` joins text and the builders refuse it, and a comparison (`x > 0`) is false whatever x
 * will be, so a branch on it is taken once for all: write branches with `max`, `relu`, `abs`,
 * `step` or `sign`.
 *
 * @example
 * import { trace, grad, mul, add, sin, orThrow } from 'chainrule'
 * const f = orThrow(trace((x, y) => mul(add(x, y), sin(x))))   // scalars named x, y (then z)
 * orThrow(grad(f, { x: 1, y: 2 })).gradient                      // → { x: 2.4624, y: 0.8415 }
 *
 * @example
 * import { trace, compile, sum, mul, orThrow } from 'chainrule'
 * const sq = orThrow(trace((xs) => sum(xs.map((x) => mul(x, x))), { args: [[1000]], names: ['xs'] }))
 * const f = orThrow(compile(sq))
 * f.names.slice(0, 3)                                            // → ['xs0', 'xs1', 'xs2']
 * f.value(new Float64Array(1000).fill(2))                        // → 4000
 */
import * as E from 'fp-ts/lib/Either.js'
import { postOrder } from '../expr/graph.js'
import { building, type Node } from '../expr/node.js'
import { program, type Program } from '../expr/program.js'
import { nodes } from '../ops/build.js'
import { closest } from '../expr/names.js'
import { recordOf } from '../expr/record.js'
import { badName, badShape, bind, namesOf, nodesOf, unbind, type ArgShape, type ArgsOf, type NamesOf, type NameTree, type Scalars, type ValuesOf } from './args.js'
import { given, optionsProblem } from '../expr/options.js'

export type { ArgShape, ArgsOf, Leaves, Names, NamesOf, Nested, Scalars, Value, ValuesOf } from './args.js'

// -------------------------------------------------------------------------------------------------
// Types
// -------------------------------------------------------------------------------------------------

/** What a traced function may return: a node or a number, or an array of them (several outputs). */
export type Output = Node | number | readonly (Node | number)[]

export interface TraceOptions<S extends readonly ArgShape[]> {
  /**
   * The shape of each argument: `[]` a scalar, `[n]` an array of n scalars, `[n, m]` nested
   * arrays, `{ w: [3], b: [] }` a record. Default: `f.length` scalars (the parameters before the
   * first one with a default value or a rest parameter).
   */
  readonly args?: S | undefined
  /**
   * The name of each argument: a scalar's variable, or the base of an array's (`xs` gives `xs0`,
   * `xs1`, …) or of a record's fields (`p` gives `p_w`; `''`, the default for a record, gives `w`).
   * Default: `x`, `y`, `z` for up to three arguments that are not records, else `x0`, `x1`, ….
   */
  readonly names?: readonly string[] | undefined
}

/**
 * A program traced from a function, with the variable names of its arguments. Its `variables` are
 * in argument order (the arguments' scalars as `pointOf` lays them out, every one, read or not:
 * an unused one has derivative 0), then the variables it closes over in natural order:
 * `compile(t)` takes its inputs in that order.
 */
export interface Traced<S extends readonly ArgShape[] = readonly ArgShape[]> extends Program {
  /** Each argument's variable names, in the structure of the argument (a name where a number goes). */
  readonly args: NamesOf<S>
}

/**
 * Why a function could not be traced: it `threw` (`cause` is what it threw), its result is not
 * an `output` (a node, a number, or a non-empty array of them), its result holds a `nan` constant
 * (JavaScript arithmetic on a node), or the `args` or `names` options are wrong.
 */
export interface TraceError {
  readonly _tag: 'TraceError'
  readonly reason: 'threw' | 'output' | 'nan' | 'args' | 'names' | 'options'
  readonly message: string
  readonly cause?: unknown
}

/** One scalar shape per parameter of a function over nodes. */
export type ScalarsOf<A extends readonly unknown[]> = { readonly [K in keyof A]: readonly [] }

const traceError = (reason: TraceError['reason'], message: string, cause?: unknown): TraceError =>
  cause === undefined ? { _tag: 'TraceError', reason, message } : { _tag: 'TraceError', reason, message, cause }

// -------------------------------------------------------------------------------------------------
// Tracing
// -------------------------------------------------------------------------------------------------

const isRecordShape = (s: ArgShape): boolean => typeof s === 'object' && s !== null && !Array.isArray(s)

/** The default names: '' for records; x, y, z for up to three other arguments, else x0, x1, …. */
function defaultNames(shapes: readonly ArgShape[]): string[] {
  const named = shapes.filter((s) => !isRecordShape(s)).length
  let k = 0
  return shapes.map((s) => (isRecordShape(s) ? '' : named <= 3 ? 'xyz'[k++] : `x${k++}`))
}

const isNode = (o: unknown): o is Node => {
  const tag = typeof o === 'object' && o !== null ? (o as { _tag?: unknown })._tag : undefined
  return (tag === 'apply' || tag === 'var' || tag === 'const') && typeof (o as { id?: unknown }).id === 'number'
}

/** What `o` is, for a message. */
function describe(o: unknown): string {
  if (typeof o === 'string') return `a string (${JSON.stringify(o.length > 40 ? `${o.slice(0, 40)}…` : o)}; JavaScript's + on a node joins text: use add)`
  if (o === null || o === undefined) return String(o)
  if (Array.isArray(o)) return 'an array'
  if (typeof o === 'object' && (o as { _tag?: unknown })._tag === 'program') return 'a Program (return its output nodes)'
  if (typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype) {
    const keys = Object.keys(o as object)
    return `a record ({ ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''} }): several outputs are an array ([a, b])`
  }
  return typeof o === 'object' ? 'an object that is not a node' : `a ${typeof o}`
}

/** The outputs of a result, or what is wrong with it. */
function outputsOf(result: unknown): E.Either<TraceError, { outputs: Node[]; vector: boolean }> {
  const one = (o: unknown, where: string): E.Either<TraceError, Node> => {
    if (isNode(o)) return E.right(o)
    if (typeof o === 'number') return E.right(nodes.constant(o))
    return E.left(traceError('output', `the function returned ${where}${describe(o)}, not a node or a number`))
  }
  if (!Array.isArray(result)) return E.map((n: Node) => ({ outputs: [n], vector: false }))(one(result, ''))
  if (result.length === 0) return E.left(traceError('output', 'the function returned an empty array: a program needs at least one output'))
  const outputs: Node[] = []
  for (let i = 0; i < result.length; i++) {
    const r = one(result[i], `an array whose entry ${i} is `)
    if (E.isLeft(r)) return r
    outputs.push(r.right)
  }
  return E.right({ outputs, vector: true })
}

/** The variable nodes of an argument's traced value, by name. */
function collectVariables(value: unknown, into: Map<string, Node>): void {
  if (Array.isArray(value)) value.forEach((v) => collectVariables(v, into))
  else if (isNode(value)) {
    if (value._tag === 'var') into.set(value.name, value)
  } else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => collectVariables(v, into))
}

/**
 * One walk of the ancestors of `outputs` (an explicit stack): whether a NaN constant is among
 * them, and the name of a variable node that is not the argument's node of that name (a variable
 * the function closes over, named like an argument's), if any.
 */
function scan(outputs: readonly Node[], argNodes: ReadonlyMap<string, Node>): { nan: boolean; clash: string | undefined } {
  const seen = new Set<number>()
  let nan = false
  let clash: string | undefined
  postOrder(
    outputs,
    (n) => !seen.has(n.id) && (seen.add(n.id), true),
    (n) => {
      if (n._tag === 'const' && Number.isNaN(n.value)) nan = true
      if (n._tag === 'var' && clash === undefined) {
        const mine = argNodes.get(n.name)
        if (mine !== undefined && mine !== n) clash = n.name
      }
    },
  )
  return { nan, clash }
}


/**
 * The program `f` computes: `f` is called once, with a variable node for each scalar of its
 * arguments (see `TraceOptions` for their shapes and names), and what it returns becomes the
 * program's output (a node or a number), or outputs (an array: a vector program, like `[e1, e2]`
 * in the language). Never throws: a function that throws, returns something else, or computes NaN
 * from a node (`x * 2`, `Math.sin(x)`) is a `TraceError`, as are invalid or repeated names.
 *
 * Variables the function closes over (`variable('t')`, made outside) stay variables of the
 * program under their own names; numbers it closes over are constants.
 */
export function trace<const S extends readonly ArgShape[]>(f: (...args: NoInfer<ArgsOf<S, Node>>) => Output, options: TraceOptions<S> & { readonly args: S }): E.Either<TraceError, Traced<S>>
export function trace<A extends Node[]>(f: (...args: A) => Output, options?: TraceOptions<Scalars>): E.Either<TraceError, Traced<ScalarsOf<A>>>
export function trace(f: (...args: never[]) => Output, options: TraceOptions<readonly ArgShape[]> = {}): E.Either<TraceError, Traced> {
  const bad = optionsProblem('trace', options, { args: given, names: given })
  if (bad !== undefined) return E.left(traceError('options', bad))
  const shapes: readonly ArgShape[] = options.args ?? Array.from({ length: f.length }, () => [])
  if (!Array.isArray(shapes)) return E.left(traceError('args', 'args should be an array with the shape of each argument'))
  // More parameters than shapes: the last ones would be undefined in f (a rest or default parameter
  // does not count in f.length).
  if (shapes.length < f.length) return E.left(traceError('args', `the function takes ${f.length} parameters, but args gives ${shapes.length} shape${shapes.length === 1 ? '' : 's'} (one per parameter: [] for a number, [n] for an array of n)`))
  for (let i = 0; i < shapes.length; i++) {
    const wrong = badShape(shapes[i], `argument ${i}`)
    if (wrong !== undefined) return E.left(traceError('args', wrong))
  }
  const bases = options.names ?? defaultNames(shapes)
  if (bases.length !== shapes.length) return E.left(traceError('names', `${bases.length} names for ${shapes.length} arguments`))
  const all: string[] = []
  const args = shapes.map((s, i) => namesOf(s, bases[i] ?? '', all))
  const seen = new Set<string>()
  for (const name of all) {
    const wrong = badName(name)
    if (wrong !== undefined) return E.left(traceError('names', `argument variable ${wrong}`))
    if (seen.has(name)) return E.left(traceError('names', `two arguments' variables are both named '${name}'`))
    seen.add(name)
  }
  let result: unknown
  // The arguments' variables are nodes of the trace's own, in no table (see `nodesOf`): a variable
  // the function closes over under one of their names is another node, even inside the caller's
  // build, and is refused below instead of being merged with the argument. The function runs in a
  // build (its own, or the caller's), which is faster than the shared table.
  const argNodes = new Map<string, Node>()
  try {
    result = building(() => {
      const values = args.map(nodesOf)
      collectVariables(values, argNodes)
      return (f as (...a: unknown[]) => unknown)(...values)
    })
  } catch (e) {
    return E.left(traceError('threw', `the function threw: ${e instanceof Error ? e.message : String(e)}`, e))
  }
  const out = outputsOf(result)
  if (E.isLeft(out)) return out
  const { outputs, vector } = out.right
  const { nan, clash } = scan(outputs, argNodes)
  if (nan) {
    return E.left(traceError('nan', 'the result depends on a NaN constant: JavaScript arithmetic or Math on a node gives NaN (x * 2, Math.sin(x)); use the builders (mul(x, 2), sin(x))'))
  }
  if (clash !== undefined) {
    return E.left(traceError('names', `the function closes over a variable named '${clash}', which is also the name of one of its arguments' variables: the two would be one variable; rename one (the names option names the arguments)`))
  }
  // Every argument's variable, read or not (an unused one has a zero derivative, as in JAX: a
  // Jacobian keeps its column, compile(t) its input), in argument order (as JAX flattens arguments;
  // with names of the user's choice, natural order would put v before x in trace(f, { names:
  // ['x', 'v'] }), and a Float64Array given to compile(t) in argument order would be read
  // permuted); then the variables the function closes over, in natural order.
  const p = program(outputs, { vector, variables: all })
  const argNames = new Set(all)
  const variables = [...all, ...p.variables.filter((name) => !argNames.has(name))]
  return E.right(Object.freeze({ ...p, variables: Object.freeze(variables), args: Object.freeze(args) as unknown as Traced['args'] }))
}

// -------------------------------------------------------------------------------------------------
// Values in the structure of the arguments
// -------------------------------------------------------------------------------------------------

/**
 * The point that gives each argument variable of `t` its value, from values in the structure of
 * the arguments (as `f` was called: numbers for scalars, arrays or `Float64Array`s, records);
 * the result is what `grad`, `evaluate`, `vectorOf`… take: every variable of the program (an
 * argument the function does not use included). A value of the wrong structure (a missing or
 * extra record field among them) throws a RangeError naming where (`argument 1[3] should be a
 * number`).
 */
export function pointOf<S extends readonly ArgShape[]>(t: Traced<S>, ...values: ValuesOf<S>): Record<string, number> {
  const names = t.args as unknown as readonly NameTree[]
  if (values.length !== names.length) throw new RangeError(`expected values for ${names.length} arguments, got ${values.length}`)
  // The arguments' names in argument order are the traced program's variables in order (a
  // variable it closes over has no argument, hence no value here).
  const flatNames: string[] = []
  const flatValues: number[] = []
  names.forEach((n, i) => bind(n, values[i], () => `argument ${i}`, flatNames, flatValues))
  return recordOf(flatNames, flatValues)
}

/**
 * The numbers of `record` (a gradient, a point, `recordOf(f.names, …)`) in the structure of the
 * arguments of `t`, one entry per argument: as JAX returns a gradient. Names the record does not
 * have are 0 (a variable the program does not use has a zero derivative).
 */
export function argsOf<S extends readonly ArgShape[]>(t: Traced<S>, record: Readonly<Record<string, number>>): ArgsOf<S, number> {
  const trees = t.args as unknown as readonly NameTree[]
  if (typeof record !== 'object' || record === null) throw new RangeError(`argsOf: the record must be an object such as { x: 1 }, not ${record === null ? 'null' : typeof record}`)
  // A key that names no argument (a typo) or a value that is not a number is an error, not a 0.
  const known = new Set<string>()
  const collect = (n: NameTree): void => {
    if (typeof n === 'string') known.add(n)
    else if (Array.isArray(n)) n.forEach(collect)
    else Object.values(n).forEach(collect)
  }
  trees.forEach(collect)
  for (const key of Object.keys(record)) {
    if (!known.has(key)) {
      const near = closest(key, [...known])
      throw new RangeError(`argsOf: '${key}' names no argument of the traced function${near === undefined ? '' : ` (did you mean '${near}'?)`}`)
    }
    if (typeof record[key] !== 'number') throw new RangeError(`argsOf: the value of '${key}' is ${typeof record[key]}, not a number`)
  }
  return trees.map((n) => unbind(n, record)) as unknown as ArgsOf<S, number>
}
