/**
 * Generators of programs for the compiler's tests, drawn from the rule table.
 *
 * - `randomCases`: random DAGs with reuse (the property-test programs of the core issue): a pool
 *   that starts with the variables, each step applies an op of `opTags` to pool entries picked with
 *   repetition (mostly the newest, sometimes a variable).
 * - `sumCases`: `s = s + term_i` over N ≥ 20 instances of one random term shape, its holes filled
 *   with different variables, constants (the same in every instance, so baked into the template,
 *   or varying: a few values, or data, one per instance), a shared subexpression, or fixed
 *   (inactive) parameters and nodes computed from them.
 * - `vectorCases`: N ≥ 20 outputs of the same shape over a few variables (n < m), mostly with a
 *   data constant per instance (residuals per data point).
 * - `chainCases`: long chains t = link(t, x_k) of 100–300 nodes.
 *
 * Every argument is mapped into its op's sample `domain` with `lo + (hi − lo)·sigmoid(s)`; ops whose
 * output grows at most linearly, or is bounded, sometimes take an unrestricted argument raw.
 *
 * @example
 * fc.assert(fc.property(sumCases(), (c) => agree(c)))
 */
import fc from 'fast-check'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { apply, build } from '../../src/ops/build.js'
import type { Rule } from '../../src/ops/rule.js'
import { table } from '../../src/ops/table.js'
import { opTags, type OpTag } from '../../src/ops/tags.js'
import { tapeFor } from '../../src/tape/tape.js'
import { makeCase, names, numbersFor, type Case, type PointOptions } from './case.js'

export { coord, makeCase, type Case } from './case.js'

// -------------------------------------------------------------------------------------------------
// Steps over a pool of nodes
// -------------------------------------------------------------------------------------------------

export interface Step {
  readonly op: number
  /** Picks: below `back`, counting back from the newest pool entry; otherwise one of the leaves. */
  readonly args: readonly [number, number]
  readonly raw: readonly [boolean, boolean]
}

const back = 6

/** Ops that may take an unrestricted argument raw: bounded or at most linear in it. */
const rawOk: ReadonlySet<OpTag> = new Set<OpTag>(['add', 'sub', 'neg', 'sin', 'cos', 'atan', 'tanh', 'sigmoid', 'sign', 'relu', 'abs', 'max', 'min', 'softplus', 'stop_gradient'])

export const step: fc.Arbitrary<Step> = fc.record({
  op: fc.nat({ max: opTags.length - 1 }),
  args: fc.tuple(fc.nat({ max: back + 3 }), fc.nat({ max: back + 3 })),
  raw: fc.tuple(fc.boolean(), fc.boolean()),
})

export const sigmoidInto = (n: Node, lo: number, hi: number): Node => build.add(lo, build.mul(hi - lo, build.sigmoid(n)))

/** Applies `s` to the pool (whose first `leaves` entries are its leaves) and pushes the result. */
export function applyStep(pool: Node[], leaves: number, s: Step, forceFirst?: Node): Node {
  const tag = opTags[s.op % opTags.length]
  const rule: Rule = table[tag]
  const args: Node[] = []
  for (let k = 0; k < rule.arity; k++) {
    const pick = s.args[k]
    const arg = k === 0 && forceFirst !== undefined ? forceFirst : pick < back ? pool[pool.length - 1 - (pick % pool.length)] : pool[pick % leaves]
    const [lo, hi] = rule.domain[k]
    args.push(lo <= -3 && hi >= 3 && s.raw[k] && rawOk.has(tag) ? arg : sigmoidInto(arg, lo, hi))
  }
  const node = apply(tag, args)
  pool.push(node)
  return node
}

const binaryOps: readonly number[] = opTags.flatMap((t, k) => (table[t].arity === 2 ? [k] : []))

/**
 * A term of the given shape over `holes`: the steps run over a pool that starts with the holes,
 * each reading the previous step's result first (the first step reads hole 0), so the term depends
 * on hole 0; then `joins[j − 1]` (a binary op) joins hole j ≥ 1 in, so that every hole is read.
 */
export function term(steps: readonly Step[], holes: readonly Node[], joins: readonly Step[]): Node {
  const pool = [...holes]
  steps.forEach((s, k) => applyStep(pool, holes.length, s, k === 0 ? holes[0] : pool[pool.length - 1]))
  let t = pool[pool.length - 1]
  for (let j = 1; j < holes.length; j++) {
    const join = joins[(j - 1) % joins.length]
    const op = binaryOps[join.op % binaryOps.length]
    t = applyStep([holes[j]], 1, { ...join, op, args: [0, 0] }, t)
  }
  return t
}

// -------------------------------------------------------------------------------------------------
// Random DAGs
// -------------------------------------------------------------------------------------------------

const outputTerm = fc.record({ node: fc.nat({ max: 8 }), coeff: fc.constantFrom(1, -1, 0.5, 2, -1.5) })

/** Random DAGs over 1–5 variables with 1–`maxOutputs` outputs. */
export function randomCases(options: PointOptions & { maxSteps?: number; maxOutputs?: number; minOutputs?: number } = {}): fc.Arbitrary<Case> {
  return fc
    .record({
      vars: fc.integer({ min: 1, max: 5 }),
      steps: fc.array(step, { minLength: 1, maxLength: options.maxSteps ?? 12 }),
      outputs: fc.array(fc.array(outputTerm, { minLength: 1, maxLength: 3 }), { minLength: options.minOutputs ?? 1, maxLength: options.maxOutputs ?? 4 }),
    })
    .chain((r) => numbersFor(r.vars + 4, options.point).map((nums) => ({ r, nums })))
    .map(({ r, nums }) => {
      const vars = names('x', r.vars)
      const pool: Node[] = vars.map((v) => variable(v))
      for (const s of r.steps) applyStep(pool, vars.length, s)
      const at = (k: number): Node => pool[pool.length - 1 - (k % pool.length)]
      const outs = r.outputs.map((ts) => ts.map((t) => build.mul(t.coeff, at(t.node))).reduce((a, b) => build.add(a, b)))
      return makeCase('random', program(outs, { vector: outs.length > 1 }), vars, [], nums)
    })
}

// -------------------------------------------------------------------------------------------------
// Repeated structure
// -------------------------------------------------------------------------------------------------

/** How a term's hole is filled in instance i. */
type Fill = 'var' | 'var2' | 'bakedConst' | 'varyingConst' | 'data' | 'shared' | 'param' | 'paramNode'

const fill: fc.Arbitrary<Fill> = fc.constantFrom<Fill>('var', 'var', 'var2', 'data', 'data', 'bakedConst', 'varyingConst', 'shared', 'param', 'paramNode')

interface Shape {
  readonly steps: readonly Step[]
  readonly joins: readonly Step[]
  /** Fill of each hole; hole 0 is always a variable. */
  readonly fills: readonly Fill[]
  readonly constant: number
}

const shapeArb = (maxSteps: number, second: fc.Arbitrary<Fill> = fill): fc.Arbitrary<Shape> =>
  fc.record({
    steps: fc.array(step, { minLength: 1, maxLength: maxSteps }),
    joins: fc.array(step, { minLength: 2, maxLength: 2 }),
    fills: fc.tuple(fc.constant<Fill>('var'), second, fill),
    constant: fc.constantFrom(0.5, -1.25, 3, 1e-3, 2),
  })

/** The holes of instance i: variables of `vars` (several strides), constants, a shared node, params. */
function holesOf(shape: Shape, i: number, vars: readonly Node[], params: readonly Node[], shared: Node): Node[] {
  return shape.fills.map((f, j) => {
    switch (f) {
      case 'var':
        return vars[(i + j) % vars.length]
      case 'var2':
        return vars[(3 * i + 1) % vars.length]
      case 'bakedConst':
        return constant(shape.constant)
      case 'varyingConst':
        return constant(0.25 * (i % 7) - 0.5)
      case 'data':
        return constant(Math.round(1e4 * Math.sin(1.7 * i + j)) / 5e3)
      case 'shared':
        return shared
      case 'param':
        return params[i % params.length]
      case 'paramNode':
        return build.cos(build.mul(params[0], 1 + (i % 3)))
    }
  })
}

/**
 * The operands of a case with `n` variables: x0…, the parameters p0 and p1, a node shared by
 * every instance, and instance i's term of a shape over them.
 */
function operands(n: number): { vars: string[]; params: string[]; vs: Node[]; instance: (shape: Shape, i: number) => Node } {
  const vars = names('x', n)
  const vs = vars.map((v) => variable(v))
  const params = names('p', 2)
  const ps = params.map((v) => variable(v))
  const shared = build.sin(build.mul(vs[0], vs[vs.length - 1]))
  return { vars, params, vs, instance: (shape, i) => term(shape.steps, holesOf(shape, i, vs, ps, shared), shape.joins) }
}

/**
 * Scalar sums `s = s + term_i` of N ≥ 20 terms (the term on the left or right of each `add`),
 * over V variables; sometimes with a second output, sometimes wrapped in one more op.
 */
export function sumCases(options: PointOptions & { minTerms?: number; maxTerms?: number; maxSteps?: number } = {}): fc.Arbitrary<Case> {
  return fc
    .record({
      shape: shapeArb(options.maxSteps ?? 4),
      terms: fc.integer({ min: options.minTerms ?? 20, max: options.maxTerms ?? 40 }),
      vars: fc.integer({ min: 2, max: 30 }),
      sides: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
      wrap: fc.constantFrom('none', 'none', 'log1p', 'second'),
    })
    .chain((r) => numbersFor(r.vars + 2, options.point).map((nums) => ({ r, nums })))
    .map(({ r, nums }) => {
      const { vars, params, vs, instance } = operands(r.vars)
      let s = instance(r.shape, 0)
      for (let i = 1; i < r.terms; i++) {
        const t = instance(r.shape, i)
        s = r.sides[i % r.sides.length] ? build.add(s, t) : build.add(t, s)
      }
      const outs = r.wrap === 'log1p' ? [build.log1p(build.mul(s, s))] : r.wrap === 'second' ? [s, build.mul(vs[0], s)] : [s]
      return makeCase(`sum×${r.terms}`, program(outs, { vector: outs.length > 1 }), vars, params, nums)
    })
}

/**
 * Vector programs: N ≥ 20 outputs of one shape over 2–6 variables (n < m: forward Jacobians), like
 * residuals r_i(x, a_i) per data point a_i (mostly: else the few variables give few distinct terms).
 */
export function vectorCases(options: PointOptions & { minOutputs?: number; maxOutputs?: number } = {}): fc.Arbitrary<Case> {
  return fc
    .record({
      shape: shapeArb(4, fc.constantFrom<Fill>('data', 'data', 'data', 'var', 'varyingConst')),
      outputs: fc.integer({ min: options.minOutputs ?? 20, max: options.maxOutputs ?? 40 }),
      vars: fc.integer({ min: 2, max: 6 }),
    })
    .chain((r) => numbersFor(r.vars + 2, options.point).map((nums) => ({ r, nums })))
    .map(({ r, nums }) => {
      const { vars, params, instance } = operands(r.vars)
      const outs = Array.from({ length: r.outputs }, (_, i) => instance(r.shape, i))
      return makeCase(`vector×${r.outputs}`, program(outs, { vector: true }), vars, params, nums)
    })
}

/** Long chains t = link(t, x_{k mod V}) of about `minNodes`–`maxNodes` nodes. */
export function chainCases(options: { minNodes?: number; maxNodes?: number } = {}): fc.Arbitrary<Case> {
  return fc
    .record({
      steps: fc.array(step, { minLength: 1, maxLength: 4 }),
      joins: fc.array(step, { minLength: 1, maxLength: 1 }),
      target: fc.integer({ min: options.minNodes ?? 100, max: options.maxNodes ?? 300 }),
      vars: fc.integer({ min: 1, max: 4 }),
      keep: fc.boolean(),
    })
    .chain((r) => numbersFor(r.vars + 1).map((nums) => ({ r, nums })))
    .map(({ r, nums }) => {
      const vars = names('x', r.vars)
      const vs = vars.map((v) => variable(v))
      // A link with `keep` also reads t a second time (so t is stored at every link).
      const link = (t: Node, x: Node): Node => {
        const u = term(r.steps, [t, x], r.joins)
        return r.keep ? build.add(build.mul(0.5, t), u) : u
      }
      let t: Node = vs[0]
      let k = 0
      while (tapeFor([t]).size < r.target && k < 400) {
        t = link(t, vs[k % vs.length])
        k++
      }
      return makeCase(`chain×${k}`, program([t]), vars, [], nums)
    })
}
