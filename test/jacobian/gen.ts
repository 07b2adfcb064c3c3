/**
 * Random vector programs for the Jacobian property tests, drawn from the rule table with shared
 * subexpressions: a pool that starts with the free variables x0.., where each step applies an op
 * to pool entries picked with repetition (mostly the newest, sometimes a variable), each argument
 * mapped into the op's sample `domain` with `lo + (hi − lo)·sigmoid(s)` (unrestricted arguments
 * are sometimes passed raw). Each output is a small linear combination of pool entries, so outputs
 * share subexpressions and some depend on only a few inputs (sparse rows). `wrt` is the program's
 * variables, sometimes shuffled, repeated or with a name the program does not have.
 *
 * Also: helpers to unwrap Eithers, compare matrices, and a central-difference Jacobian.
 *
 * @example
 * fc.assert(fc.property(samples({ ops: smoothOps }), ({ program, point, wrt }) => ...))
 */
import fc from 'fast-check'
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { evaluate } from '../../src/forward/index.js'
import { apply, build } from '../../src/ops/build.js'
import type { Rule } from '../../src/ops/rule.js'
import { special } from '../../src/ops/special.js'
import { table } from '../../src/ops/table.js'
import { opTags, type OpTag } from '../../src/ops/tags.js'

export const allOps: readonly OpTag[] = opTags
/** Ops smooth where they are sampled, whose derivatives finite differences can see. */
export const smoothOps: readonly OpTag[] = opTags.filter((t) => (table[t] as Rule).kink === undefined && !(t in special))

interface Step {
  readonly op: number
  readonly args: readonly [number, number]
  readonly variable: readonly [boolean, boolean]
  readonly which: readonly [number, number]
  readonly raw: readonly [boolean, boolean]
}

interface Recipe {
  readonly inputs: number
  readonly steps: readonly Step[]
  readonly outputs: readonly (readonly { readonly node: number; readonly coeff: number; readonly variable: number }[])[]
  readonly wrtStyle: number
}

export interface Sample {
  readonly program: Program
  readonly point: Record<string, number>
  readonly wrt: readonly string[]
}

export interface SampleOptions {
  readonly ops?: readonly OpTag[]
  readonly maxInputs?: number
  readonly maxOutputs?: number
  readonly maxSteps?: number
  /** Lower bounds, to force wide programs (several sweeps of 16 lanes). */
  readonly minInputs?: number
  readonly minOutputs?: number
  readonly minSteps?: number
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `x${i}`)
const into = (n: Node, lo: number, hi: number): Node => build.add(lo, build.mul(hi - lo, build.sigmoid(n)))

function buildProgram(r: Recipe, ops: readonly OpTag[]): Program {
  const vars = names(r.inputs).map((n) => variable(n))
  const pool: Node[] = [...vars]
  for (const s of r.steps) {
    const tag = ops[s.op % ops.length]
    const rule: Rule = table[tag]
    const args: Node[] = []
    for (let k = 0; k < rule.arity; k++) {
      const arg = s.variable[k] ? vars[s.which[k] % vars.length] : pool[pool.length - 1 - (s.args[k] % pool.length)]
      const [lo, hi] = rule.domain[k]
      args.push(lo <= -3 && hi >= 3 && s.raw[k] ? arg : into(arg, lo, hi))
    }
    pool.push(apply(tag, args))
  }
  const outputs = r.outputs.map((terms) =>
    terms
      .map((t) => build.mul(t.coeff, t.variable < 0 ? pool[pool.length - 1 - (t.node % pool.length)] : build.sin(vars[t.variable % vars.length])))
      .reduce((a, b) => build.add(a, b)),
  )
  return program(outputs, { vector: true })
}

function wrtOf(p: Program, style: number): string[] {
  const vs = [...p.variables]
  switch (style % 4) {
    case 0:
      return vs
    case 1:
      return [...vs].reverse()
    case 2:
      return [...vs.slice(1), ...vs.slice(0, 1)]
    default:
      return p.variables as string[]
  }
}

/** Random programs, points and wrt lists. */
export function samples(options: SampleOptions = {}): fc.Arbitrary<Sample> {
  const ops = options.ops ?? allOps
  const maxInputs = options.maxInputs ?? 4
  const step: fc.Arbitrary<Step> = fc.record({
    op: fc.nat({ max: ops.length - 1 }),
    args: fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 7 })),
    variable: fc.tuple(fc.boolean(), fc.boolean()),
    which: fc.tuple(fc.nat({ max: 63 }), fc.nat({ max: 63 })),
    raw: fc.tuple(fc.boolean(), fc.boolean()),
  })
  // A term is a recent pool entry, or (one time in four) sin of a variable.
  const term = fc.record({
    node: fc.nat({ max: 10 }),
    coeff: fc.constantFrom(1, -1, 0.5, 2, -1.5, 3),
    variable: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 63 }) }),
  })
  const recipe: fc.Arbitrary<Recipe> = fc.record({
    inputs: fc.integer({ min: options.minInputs ?? 1, max: maxInputs }),
    steps: fc.array(step, { minLength: options.minSteps ?? 1, maxLength: options.maxSteps ?? 12 }),
    outputs: fc.array(fc.array(term, { minLength: 1, maxLength: 3 }), { minLength: options.minOutputs ?? 1, maxLength: options.maxOutputs ?? 6 }),
    wrtStyle: fc.nat({ max: 3 }),
  })
  const values = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: maxInputs, maxLength: maxInputs })
  return fc.record({ recipe, values }).map(({ recipe: r, values: xs }) => {
    const p = buildProgram(r, ops)
    // Only the variables the program kept: a point names nothing else.
    const point = Object.fromEntries(names(r.inputs).flatMap((n, i) => (p.variables.includes(n) ? [[n, xs[i]]] : [])))
    return { program: p, point, wrt: wrtOf(p, r.wrtStyle) }
  })
}

// -------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------

/** The right side of `e`; throws (failing the test) with the left side otherwise. */
export function unwrap<E, A>(e: Either<E, A>): A {
  if (isLeft(e)) throw new Error(`unexpected Left: ${JSON.stringify(e.left)}`)
  return e.right
}

/** |a − b| ≤ rel·max(1, |a|, |b|). */
export const relClose = (a: number, b: number, rel: number): boolean => a === b || Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b))

/** The first entry where two matrices differ by more than `rel`, or undefined. */
export function mismatch(a: readonly (readonly number[])[], b: readonly (readonly number[])[], rel: number): string | undefined {
  if (a.length !== b.length) return `rows ${a.length} vs ${b.length}`
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return `row ${i}: columns ${a[i].length} vs ${b[i].length}`
    for (let j = 0; j < a[i].length; j++) if (!relClose(a[i][j], b[i][j], rel)) return `(${i}, ${j}): ${a[i][j]} vs ${b[i][j]}`
  }
  return undefined
}

export const allFiniteMatrix = (J: readonly (readonly number[])[]): boolean => J.every((row) => row.every(Number.isFinite))

/** Central differences of every output along every name of `wrt` (step 1e-6·max(1, |x|)). */
export function centralDifferences(p: Program, point: Record<string, number>, wrt: readonly string[]): { J: number[][]; steps: number[] } {
  const at = (pt: Record<string, number>): readonly number[] => unwrap(evaluate(p, pt)).values
  const m = p.outputs.length
  const J = Array.from({ length: m }, () => new Array<number>(wrt.length).fill(0))
  const steps = wrt.map((name) => 1e-6 * Math.max(1, Math.abs(point[name] ?? 0)))
  wrt.forEach((name, j) => {
    if (!p.variables.includes(name)) return
    const h = steps[j]
    const up = at({ ...point, [name]: point[name] + h })
    const down = at({ ...point, [name]: point[name] - h })
    for (let i = 0; i < m; i++) J[i][j] = (up[i] - down[i]) / (2 * h)
  })
  return { J, steps }
}

/** Broyden tridiagonal: fᵢ = (3 − 2xᵢ)xᵢ − xᵢ₋₁ − 2xᵢ₊₁ + 1, with x₀ = xₙ₊₁ = 0. */
export function broyden(n: number, name: (i: number) => string = (i) => `x${String(i).padStart(String(n).length, '0')}`): Program {
  const x = Array.from({ length: n }, (_, i) => variable(name(i + 1)))
  const f = x.map((xi, i) => {
    let fi = build.add(build.mul(build.sub(3, build.mul(2, xi)), xi), 1)
    if (i > 0) fi = build.sub(fi, x[i - 1])
    if (i < n - 1) fi = build.sub(fi, build.mul(2, x[i + 1]))
    return fi
  })
  return program(f, { vector: true })
}
