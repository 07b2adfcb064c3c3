/**
 * The high-precision reference of the rule table (`test/reference/rules.json`, made by
 * `scripts/reference/make.py`), the engines that compute a rule's value and partials through the
 * toolkit, and the error measure both `rules.test.ts` and `scripts/reference/accuracy.ts` use.
 *
 * A case is one primitive, as the one-op program `op(a)` or `op(a, b)` on variables (a constant
 * argument would fold), or one of the reference's few whole programs on the variables a and b.
 * The engines:
 * - value: `fn` (the rule's `fn`; for a program, a sweep over `numbers`), and `evaluate` (the public
 *   API, with warnings);
 * - first partials: `jvp` (forward mode, the tape kernels), `grad` (reverse mode, the tape
 *   kernels), `dual` (`dualOf(numbers)` applied directly; swept over a program's tape), `gradExpr`
 *   (the symbolic gradient, then `evaluate`);
 * - second partials: `hessian` (forward-over-reverse kernels), `dual2` (`dualOf(dualOf(numbers))`),
 *   `gradExpr2` (`gradExpr` twice, then `evaluate`).
 *
 * @example
 * const c = opCase('tanh')
 * const e = engines.find((e) => e.name === 'grad')!
 * e.run(c, [20]).got   // [0], against the reference's 1.6993417021166355e-17
 */
import { limitOf, type Limit } from './limits.js'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import {
  apply,
  dual,
  dualOf,
  evaluate,
  forwardSweep,
  grad,
  gradExpr,
  hessian,
  jvp,
  linearize,
  numbers,
  parse,
  program,
  table,
  variable,
  type Dual,
  type Num,
  type OpTag,
  type Program,
} from '../../src/index.js'

// -------------------------------------------------------------------------------------------------
// The reference
// -------------------------------------------------------------------------------------------------

/** How a true value sits among the doubles; values not marked are normal doubles. */
export type Mark = 'zero' | 'subnormal' | 'underflow' | 'overflow'

/** One point of one primitive or program, with its true value, gradient and Hessian rounded to doubles. */
export interface RefPoint {
  /** The primitive's tag, or the program's text (variables a and b). */
  readonly op: string
  readonly isProgram: boolean
  readonly args: readonly number[]
  readonly value: number
  readonly d1: readonly number[]
  /** The Hessian: [[f″]] for a unary op, [[∂aa, ∂ab], [∂ba, ∂bb]] for a binary one. */
  readonly d2: readonly (readonly number[])[]
  /** Keyed `value`, `d1[i]`, `d2[i][j]`. */
  readonly marks: Readonly<Record<string, Mark>>
}

type Json = number | 'Infinity' | '-Infinity'
const num = (x: Json): number => (x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x)

/** The repository's root: the nearest folder above `from` with a package.json. */
function rootFrom(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const referencePath = join(rootFrom(import.meta.dirname), 'test', 'reference', 'rules.json')

/** Every reference point, in file order: the primitives', then the programs'. */
export function loadReference(path = referencePath): RefPoint[] {
  type Entry = { op?: string; program?: string; args: number[]; value: Json; d1: Json[]; d2: Json[][]; marks?: Record<string, Mark> }
  const file = JSON.parse(readFileSync(path, 'utf8')) as { entries: Entry[]; programs: Entry[] }
  return [...file.entries, ...file.programs].map((e) => ({
    op: e.op ?? e.program ?? '',
    isProgram: e.program !== undefined,
    args: e.args,
    value: num(e.value),
    d1: e.d1.map(num),
    d2: e.d2.map((row) => row.map(num)),
    marks: e.marks ?? {},
  }))
}

// -------------------------------------------------------------------------------------------------
// The error measure
// -------------------------------------------------------------------------------------------------

/** The smallest normal double: below it a true value is compared absolutely. */
export const MIN_NORMAL = 2.2250738585072014e-308

/** The tolerance of the issue: relative 1e-13, or absolute 1e-13·MIN_NORMAL ≈ 2.2e-321. */
export const TOLERANCE = 1e-13

/**
 * The error of `got` against the true `t`: |got − t| / max(|t|, MIN_NORMAL), so relative for a
 * normal truth and absolute (in units of MIN_NORMAL) for a subnormal or underflowing one.
 *
 * An exact zero is compared absolutely against the scale of its order at that point, `zeroScale`
 * (the largest finite true |∂ᵢ| of the gradient, or |∂ᵢⱼ| of the Hessian): |got| / max(zeroScale,
 * MIN_NORMAL). A zero that the chain rule reaches by cancelling terms of that size (atan2's ∂yx =
 * 1/r² − 2x²/r⁴ at |x| = |y|) then has the tolerance of its neighbours; a zero alone in its order
 * (f″(0) of an odd f) has the absolute tolerance 2.2e-321.
 *
 * An overflowing truth (±∞) is matched, error 0, by the same infinity or by NaN; anything else is
 * an infinite error. A NaN or infinity against a finite truth is an infinite error.
 */
export function errorOf(got: number, t: number, zeroScale = 0): number {
  if (!Number.isFinite(t)) return got === t || Number.isNaN(got) ? 0 : Infinity
  if (!Number.isFinite(got)) return Infinity
  const scale = t === 0 ? zeroScale : Math.abs(t)
  return Math.abs(got - t) / Math.max(scale, MIN_NORMAL)
}

// -------------------------------------------------------------------------------------------------
// Engines
// -------------------------------------------------------------------------------------------------

/** A primitive as a one-op program, or a whole program, with its symbolic gradient and Hessian. */
export interface Case {
  /** The primitive's tag or the program's text. */
  readonly name: string
  readonly wrt: readonly string[]
  readonly program: Program
  /** gradExpr of the program: one output per variable. */
  readonly gradient: Program
  /** gradExpr of each output of `gradient`: hessianRows[i].outputs[j] = ∂²/∂wrt[i]∂wrt[j]. */
  readonly hessianRows: readonly Program[]
  /** The function in any number system: the primitive applied directly, or a sweep over the program. */
  readonly over: <T>(num: Num<T>, args: readonly T[]) => T
}

function unwrap<E, A>(e: Either<E, A>): A {
  if (isLeft(e)) throw new Error(`unexpected Left: ${JSON.stringify(e.left)}`)
  return e.right
}

function caseOf(name: string, p: Program, wrt: readonly string[], over: Case['over']): Case {
  const gradient = unwrap(gradExpr(p, wrt))
  const hessianRows = gradient.outputs.map((g) => unwrap(gradExpr(program([g], { variables: p.variables }), wrt)))
  return { name, wrt, program: p, gradient, hessianRows, over }
}

/** The primitive `tag` on the variables a (and b). */
export function opCase(tag: OpTag): Case {
  const wrt = ['a', 'b'].slice(0, table[tag].arity)
  return caseOf(tag, program([apply(tag, wrt.map((n) => variable(n)))]), wrt, (num, args) => num.apply(tag, args))
}

/** A program on the variables a and b, written in the language. */
export function programCase(text: string): Case {
  const p = unwrap(parse(text))
  const wrt = ['a', 'b']
  const tape = linearize(p.outputs, wrt)
  const index = (slot: number): number => {
    const n = tape.nodes[slot]
    return n._tag === 'var' ? wrt.indexOf(n.name) : -1
  }
  return caseOf(text, p, wrt, (num, args) => forwardSweep(num, tape, (slot) => args[index(slot)])[tape.outputs[0]])
}

/** What an engine computed: values in the order of `quantities(order, arity)`. */
export interface Outcome {
  readonly got: readonly number[]
  /** Whether the call that computed each value returned a warning; absent for engines without warnings. */
  readonly warned?: readonly boolean[]
}

export type Order = 0 | 1 | 2

export interface Engine {
  readonly name: string
  readonly order: Order
  readonly run: (c: Case, args: readonly number[]) => Outcome
}

/** The reference keys of an order's quantities, in the order engines return them. */
export function quantities(order: Order, arity: number): string[] {
  const idx = Array.from({ length: arity }, (_, i) => i)
  if (order === 0) return ['value']
  if (order === 1) return idx.map((i) => `d1[${i}]`)
  return idx.flatMap((i) => idx.map((j) => `d2[${i}][${j}]`))
}

/** The true values of an order's quantities at a reference point. */
export function truths(ref: RefPoint, order: Order): number[] {
  return order === 0 ? [ref.value] : order === 1 ? [...ref.d1] : ref.d2.flat()
}

const pointOf = (c: Case, args: readonly number[]): Record<string, number> => Object.fromEntries(c.wrt.map((n, i) => [n, args[i]]))
const D1 = dualOf(numbers)
const D2 = dualOf(D1)
/** Each pair (i, j) of variable indices, row-major. */
const pairsOf = (n: number): [number, number][] => Array.from({ length: n * n }, (_, k) => [Math.floor(k / n), k % n])

export const engines: readonly Engine[] = [
  // numbers.apply is the rule's fn.
  { name: 'fn', order: 0, run: (c, args) => ({ got: [c.over(numbers, args)] }) },
  {
    name: 'evaluate',
    order: 0,
    run: (c, args) => {
      const r = unwrap(evaluate(c.program, pointOf(c, args)))
      return { got: [r.values[0]], warned: [r.warnings.length > 0] }
    },
  },
  {
    name: 'jvp',
    order: 1,
    run: (c, args) => {
      const rs = c.wrt.map((n) => unwrap(jvp(c.program, pointOf(c, args), { [n]: 1 })))
      return { got: rs.map((r) => r.tangents[0]), warned: rs.map((r) => r.warnings.length > 0) }
    },
  },
  {
    name: 'grad',
    order: 1,
    run: (c, args) => {
      const r = unwrap(grad(c.program, pointOf(c, args), c.wrt))
      return { got: c.wrt.map((n) => r.gradient[n]), warned: c.wrt.map(() => r.warnings.length > 0) }
    },
  },
  {
    name: 'dual',
    order: 1,
    run: (c, args) => ({ got: c.wrt.map((_, i) => c.over(D1, args.map((x, k) => dual(x, k === i ? 1 : 0))).tangent) }),
  },
  {
    name: 'gradExpr',
    order: 1,
    run: (c, args) => {
      const r = unwrap(evaluate(c.gradient, pointOf(c, args)))
      return { got: r.values, warned: c.wrt.map(() => r.warnings.length > 0) }
    },
  },
  {
    name: 'hessian',
    order: 2,
    run: (c, args) => {
      const r = unwrap(hessian(c.program, pointOf(c, args), { wrt: c.wrt }))
      return { got: r.hessian.flat(), warned: r.hessian.flat().map(() => r.warnings.length > 0) }
    },
  },
  {
    name: 'dual2',
    order: 2,
    run: (c, args) => ({
      // The inner tangent along variable i, the outer along j: the result's tangent of tangent is ∂²/∂i∂j.
      got: pairsOf(c.wrt.length).map(([i, j]) => {
        const xs: Dual<Dual<number>>[] = args.map((x, k) => dual(dual(x, k === i ? 1 : 0), dual(k === j ? 1 : 0, 0)))
        return c.over(D2, xs).tangent.tangent
      }),
    }),
  },
  {
    name: 'gradExpr2',
    order: 2,
    run: (c, args) => {
      const rows = c.hessianRows.map((h) => unwrap(evaluate(h, pointOf(c, args))))
      return { got: rows.flatMap((r) => r.values), warned: rows.flatMap((r) => r.values.map(() => r.warnings.length > 0)) }
    },
  },
]

// -------------------------------------------------------------------------------------------------
// Checking one engine at one point
// -------------------------------------------------------------------------------------------------

/** One quantity of one engine at one reference point. */
export interface Comparison {
  readonly key: string
  readonly got: number
  readonly truth: number
  readonly mark: Mark | 'normal'
  readonly error: number
  /** True when the truth overflows and the engine could warn but did not. */
  readonly missingWarning: boolean
}

/** Runs `engine` at `ref` and compares every quantity of its order with the truth. */
export function compare(c: Case, engine: Engine, ref: RefPoint): Comparison[] {
  const keys = quantities(engine.order, c.wrt.length)
  const ts = truths(ref, engine.order)
  const out = engine.run(c, ref.args)
  const zeroScale = Math.max(0, ...ts.filter(Number.isFinite).map(Math.abs))
  // Where the value or another entry of the same order overflows, not every intermediate of any
  // algorithm is representable (the issue asks for right numbers "whenever the entries and the
  // function's intermediate values are representable", and a warning otherwise): there a
  // non-finite result passes when the engine warned.
  const unrepresentable = ref.marks.value === 'overflow' || ts.some((t) => !Number.isFinite(t))
  return keys.map((key, k) => {
    const mark = ref.marks[key] ?? 'normal'
    const got = out.got[k]
    const warned = out.warned === undefined || out.warned[k]
    const missingWarning = (mark === 'overflow' || (unrepresentable && !Number.isFinite(got))) && !warned
    const excused = unrepresentable && !Number.isFinite(got) && warned
    return { key, got, truth: ts[k], mark, error: excused ? 0 : errorOf(got, ts[k], mark === 'zero' ? zeroScale : 0), missingWarning }
  })
}

/** A comparison passes: within the tolerance, and warned of where the truth overflows. */
export const passes = (cmp: Comparison): boolean => cmp.error <= TOLERANCE && !cmp.missingWarning

/** The known limit (limits.ts) that excuses a failed comparison, if one does. */
export const knownLimit = (ref: RefPoint, engine: Engine, cmp: Comparison): Limit | undefined =>
  ref.isProgram || engine.order === 0 ? undefined : limitOf(ref.op, engine.name, engine.order, ref.args, cmp.truth)

/** `op(args)`, or `program at a = .., b = ..`, with every argument in full (round-trip) precision. */
export const showPoint = (ref: RefPoint): string =>
  ref.isProgram ? `${ref.op} at a = ${ref.args[0]}, b = ${ref.args[1]}` : `${ref.op}(${ref.args.join(', ')})`

/** One line for a failed comparison: op, point, engine, got, expected, error. */
export function describeFailure(ref: RefPoint, engine: Engine, cmp: Comparison): string {
  const what =
    cmp.mark === 'normal' ? 'relative error' : cmp.mark === 'overflow' ? 'error' : cmp.mark === 'zero' ? 'absolute error / scale' : 'absolute error / MIN_NORMAL'
  const warning = cmp.missingWarning ? ' (the truth overflows but the engine returned no warning)' : ''
  return `${showPoint(ref)} ${cmp.key} by ${engine.name}: got ${cmp.got}, expected ${cmp.truth} (${cmp.mark}), ${what} ${cmp.error.toPrecision(3)}${warning}`
}
