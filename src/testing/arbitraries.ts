/**
 * fast-check arbitraries for derivative tests: random programs over a chosen set of operations
 * with shared subexpressions, random arguments inside an operation's domain, random points.
 * These are the generators the toolkit's own property tests use.
 *
 * `arbitraryProgram` draws a recipe: a list of nodes that starts with the variables, where each
 * new node applies an operation to earlier nodes chosen with repetition (counting back from the
 * newest, so deep chains, reuse and `f(n, n)` are common). Each argument is mapped into the
 * operation's sample domain with lo + (hi − lo)·sigmoid(a); an argument whose domain is
 * unrestricted is sometimes passed raw. The outputs are small linear combinations of the nodes.
 * The recipe comes with the sample, and `programOf(recipe)` rebuilds the same program.
 *
 * @example
 * import fc from 'fast-check'
 * import { grad, isRight } from 'chainrule'
 * import { arbitraryProgram } from 'chainrule/testing'
 * fc.assert(fc.property(arbitraryProgram({ ops: ['mul', 'sin', 'exp'] }), ({ program, point }) => isRight(grad(program, point))))
 *
 * @example
 * import fc from 'fast-check'
 * import { arbitraryArgs } from 'chainrule/testing'
 * fc.sample(arbitraryArgs('log'), 3).every(([x]) => x !== undefined && x > 0)   // → true   inside log's domain
 */
import fc from 'fast-check'
import { variable, type Node } from '../expr/node.js'
import { program, type Program } from '../expr/program.js'
import { apply, build } from '../ops/build.js'
import type { Rule } from '../ops/rule.js'
import { special } from '../ops/special.js'
import { ruleNamed, scalarOps } from './rules.js'
import { given, optionsProblem, type Check } from '../expr/options.js'
import { isDifferentiable } from '../ops/registry.js'
import { opCode } from '../ops/table.js'
import type { OpTag } from '../ops/tags.js'
import { badName } from '../trace/args.js'

// -------------------------------------------------------------------------------------------------
// Operations and their domains
// -------------------------------------------------------------------------------------------------

function ruleOrThrow(op: string): Rule {
  const rule = ruleNamed(op)
  if (rule === undefined) throw new RangeError(`'${op}' is not a scalar operation of the table`)
  return rule
}

/** Every scalar operation of the table (including those registered with `defineOp`). */
export const allOps = (): readonly string[] => scalarOps()

/**
 * The operations that are smooth where they are sampled (no kink), that have a derivative (not one
 * registered by `defineOp` without partials), and whose derivative is their mathematical one (not
 * `stop_gradient`): those finite differences can check.
 */
export const smoothOps = (): readonly string[] =>
  scalarOps().filter((op) => ruleOrThrow(op).kink === undefined && !(op in special) && isDifferentiable(opCode[op as OpTag] ?? -1))

export interface ArgsOptions {
  /** Skip arguments closer than this to the operation's kink (default 1e-3). */
  readonly awayFromKink?: number | undefined
}

/**
 * Numbers in [min, max], spread over the whole interval: four draws in five uniform (on a grid of
 * 2^32 steps, shrinking towards 0 when it is inside, else towards min), one in five from
 * `fc.double` (which favours 0, tiny and subnormal magnitudes and the bounds). `fc.double` alone put
 * nine draws in ten within 10^−3 of 0 on [−4, 4]: a gradient wrong on (0.2, 0.9) passed 87 seeds
 * in 100.
 */
export function spread(min: number, max: number): fc.Arbitrary<number> {
  if (min === max) return fc.constant(min)
  const step = (max - min) / 2 ** 32
  const zeroInside = min <= 0 && max >= 0
  const [lo, hi] = zeroInside ? [Math.ceil(min / step), Math.floor(max / step)] : [0, 2 ** 32]
  const origin = zeroInside ? 0 : min
  const uniform = fc.integer({ min: lo, max: hi }).map((k) => Math.min(max, Math.max(min, origin + k * step)))
  return fc.oneof({ weight: 4, arbitrary: uniform }, { weight: 1, arbitrary: fc.double({ min, max, noNaN: true }) })
}

/** Arguments of `op` drawn from its sample domain, away from its kink. */
export function arbitraryArgs(op: string, options: ArgsOptions = {}): fc.Arbitrary<number[]> {
  refuseOptions('arbitraryArgs', options, { awayFromKink: given })
  const rule = ruleOrThrow(op)
  const away = options.awayFromKink ?? 1e-3
  return fc
    .tuple(...rule.domain.map(([lo, hi]) => spread(lo, hi)))
    .filter((args) => rule.kink === undefined || rule.kink.distance(args) > away)
}

export interface PointOptions {
  /** The interval values are drawn from (default [-2, 2]). */
  readonly min?: number | undefined
  readonly max?: number | undefined
}

/** The problem with a list of variable names (not names of the language, constants, repeated, none), if any. */
function namesProblem(what: string, names: unknown): string | undefined {
  if (!Array.isArray(names) || names.length === 0) return `${what}: give at least one variable name, as a list (['x', 'y'])`
  const seen = new Set<string>()
  for (const n of names as unknown[]) {
    if (typeof n !== 'string') return `${what}: a variable name must be a string, not ${typeof n}`
    const bad = badName(n)
    if (bad !== undefined) return `${what}: ${bad}`
    if (seen.has(n)) return `${what}: the variable '${n}' is named twice`
    seen.add(n)
  }
  return undefined
}

/** Points giving each of `names` a value in [min, max]: four draws in five uniform over the interval, one in five from `fc.double` (0, tiny and subnormal magnitudes, the bounds). */
export function arbitraryPoint(names: readonly string[], options: PointOptions = {}): fc.Arbitrary<Record<string, number>> {
  refuseOptions('arbitraryPoint', options, { min: given, max: given })
  const wrong = namesProblem('arbitraryPoint', names)
  if (wrong !== undefined) throw new RangeError(wrong)
  const [min, max] = [options.min ?? -2, options.max ?? 2]
  // An infinite bound draws infinities, and points at ±∞ check nothing.
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) throw new RangeError(`arbitraryPoint: min and max must be finite numbers with min ≤ max, not ${String(min)} and ${String(max)}`)
  const value = spread(min, max)
  return fc.tuple(...names.map(() => value)).map((xs) => Object.fromEntries(names.map((n, i) => [n, xs[i]])))
}

// -------------------------------------------------------------------------------------------------
// Programs
// -------------------------------------------------------------------------------------------------

/** One node of a recipe: an operation (by name) and its arguments, counted back from the newest node. */
export interface RecipeStep {
  readonly op: string
  readonly args: readonly [number, number]
  /** Per argument: pass it raw when the domain is unrestricted (else through a sigmoid into the domain). */
  readonly raw: readonly [boolean, boolean]
}

export interface Recipe {
  readonly variables: readonly string[]
  readonly steps: readonly RecipeStep[]
  /** Per output, the terms coeff·node (node counted back from the newest). */
  readonly outputs: readonly (readonly { readonly node: number; readonly coeff: number }[])[]
  /** Map arguments into each operation's domain (false: every argument raw). */
  readonly inDomain: boolean
}

export interface ProgramSample {
  readonly program: Program
  /** A value for each of the program's variables. */
  readonly point: Record<string, number>
  readonly recipe: Recipe
}

export interface ProgramOptions {
  /** The operations to draw from (default `allOps()`). */
  readonly ops?: readonly string[] | undefined
  /** The variables (default x0, x1, x2). */
  readonly variables?: readonly string[] | undefined
  /** Number of outputs (default 1: a scalar program). */
  readonly outputs?: number | undefined
  /** At most this many operations (default 10). */
  readonly maxSteps?: number | undefined
  /** Map arguments into each operation's domain (default true). */
  readonly inDomain?: boolean | undefined
  /** The variables' values (default doubles in [-2, 2]). */
  readonly value?: fc.Arbitrary<number> | undefined
}

/** Throws a RangeError for an options record with a misspelt key (a default would be used silently). */
function refuseOptions(what: string, options: unknown, spec: Readonly<Record<string, Check>>): void {
  const bad = optionsProblem(what, options, spec)
  if (bad !== undefined) throw new RangeError(bad)
}

const sigmoidInto = (n: Node, lo: number, hi: number): Node => build.add(lo, build.mul(hi - lo, build.sigmoid(n)))
const pick = (nodes: readonly Node[], back: number): Node => nodes[nodes.length - 1 - (back % nodes.length)]

/** The program of a recipe (deterministic: building it twice gives structurally equal nodes). */
export function programOf(r: Recipe): Program {
  const nodes: Node[] = r.variables.map((n) => variable(n))
  for (const s of r.steps) {
    const rule = ruleOrThrow(s.op)
    const args: Node[] = []
    for (let k = 0; k < rule.arity; k++) {
      const arg = pick(nodes, s.args[k])
      const [lo, hi] = rule.domain[k]
      const unrestricted = lo <= -3 && hi >= 3
      args.push(!r.inDomain || (unrestricted && s.raw[k]) ? arg : sigmoidInto(arg, lo, hi))
    }
    nodes.push(apply(s.op as never, args))
  }
  const outputs = r.outputs.map((terms) => terms.map((t) => build.mul(t.coeff, pick(nodes, t.node))).reduce((a, b) => build.add(a, b)))
  return program(outputs, { vector: r.outputs.length > 1 })
}

/** Random programs over `ops`, with a random point (see the module comment). */
export function arbitraryProgram(options: ProgramOptions = {}): fc.Arbitrary<ProgramSample> {
  refuseOptions('arbitraryProgram', options, { ops: given, variables: given, outputs: given, maxSteps: given, inDomain: given, value: given })
  const ops = options.ops ?? allOps()
  if (ops.length === 0) throw new RangeError('arbitraryProgram needs at least one operation')
  for (const op of ops) ruleOrThrow(op)
  const variables = options.variables ?? ['x0', 'x1', 'x2']
  const wrong = namesProblem('arbitraryProgram: variables', variables)
  if (wrong !== undefined) throw new RangeError(wrong)
  const nOut = options.outputs ?? 1
  const maxSteps = options.maxSteps ?? 10
  if (!Number.isInteger(nOut) || nOut < 1) throw new RangeError(`arbitraryProgram: outputs must be an integer ≥ 1, not ${String(nOut)}`)
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new RangeError(`arbitraryProgram: maxSteps must be an integer ≥ 1, not ${String(maxSteps)}`)
  const inDomain = options.inDomain ?? true
  const step: fc.Arbitrary<RecipeStep> = fc.record({
    op: fc.constantFrom(...ops),
    // Indices count back from the newest node (mostly recent ones: deep graphs with reuse).
    args: fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 })),
    raw: fc.tuple(fc.boolean(), fc.boolean()),
  })
  const term = fc.record({ node: fc.nat({ max: 8 }), coeff: fc.constantFrom(1, -1, 0.5, 2, -1.5, 3) })
  const recipe: fc.Arbitrary<Recipe> = fc.record({
    variables: fc.constant(variables),
    steps: fc.array(step, { minLength: 1, maxLength: maxSteps }),
    outputs: fc.array(fc.array(term, { minLength: 1, maxLength: 3 }), { minLength: nOut, maxLength: nOut }),
    inDomain: fc.constant(inDomain),
  })
  const value = options.value ?? fc.double({ min: -2, max: 2, noNaN: true })
  const values = fc.tuple(...variables.map(() => value))
  return fc.record({ recipe, values }).map(({ recipe: r, values: xs }) => {
    const p = programOf(r)
    const all = Object.fromEntries(variables.map((n, i) => [n, xs[i]]))
    return { program: p, point: Object.fromEntries(p.variables.map((n) => [n, all[n]])), recipe: r }
  })
}
