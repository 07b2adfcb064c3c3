/**
 * Random scalar programs for the second-order property tests, drawn from the rule table with
 * shared subexpressions: a pool that starts with the free variables x0.., where each step applies
 * an op of the chosen set to pool entries picked with repetition, mostly counting back from the
 * newest, sometimes a variable (so deep chains, reuse, `f(n, n)` and fresh couplings are common). Each argument of a non-linear op is mapped into its sample `domain` with
 * `lo + (hi − lo)·sigmoid(s)`; the linear ops (add, sub, neg) take their arguments raw, which
 * keeps some Hessians sparse. The output is a sum of a few pool entries.
 *
 * @example
 * fc.assert(fc.property(samples({ ops: smoothOps }), ({ program, point }) => ...))
 */
import fc from 'fast-check'
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { apply, build } from '../../src/ops/build.js'
import { special } from '../../src/ops/special.js'
import type { Rule } from '../../src/ops/rule.js'
import { table } from '../../src/ops/table.js'
import { opTags, type OpTag } from '../../src/ops/tags.js'

/** Every op of the table. */
export const allOps: readonly OpTag[] = opTags
/** Ops that are smooth where they are sampled, and whose derivative finite differences can see. */
export const smoothOps: readonly OpTag[] = opTags.filter((t) => (table[t] as Rule).kink === undefined && !(t in special))

/** Picks below this count back from the newest node; the others name a variable. */
const back = 9

const linear: ReadonlySet<OpTag> = new Set(['add', 'sub', 'neg'])

interface Step {
  readonly op: number
  readonly args: readonly [number, number]
}

export interface Sample {
  readonly program: Program
  readonly point: Record<string, number>
  readonly direction: Record<string, number>
}

const sigmoidInto = (n: Node, lo: number, hi: number): Node => build.add(lo, build.mul(hi - lo, build.sigmoid(n)))

function buildProgram(vars: number, ops: readonly OpTag[], steps: readonly Step[], outs: readonly number[]): Program {
  const pool: Node[] = Array.from({ length: vars }, (_, i) => variable(`x${i}`))
  for (const s of steps) {
    const tag = ops[s.op % ops.length]
    const rule = table[tag]
    const args: Node[] = []
    for (let k = 0; k < rule.arity; k++) {
      const pick = s.args[k]
      const arg = pick < back ? pool[pool.length - 1 - (pick % pool.length)] : pool[pick % vars]
      const [lo, hi] = rule.domain[k]
      args.push(linear.has(tag) ? arg : sigmoidInto(arg, lo, hi))
    }
    pool.push(apply(tag, args))
  }
  const picked = outs.map((o) => pool[pool.length - 1 - (o % pool.length)])
  return program([picked.reduce((a, b) => build.add(a, b))])
}

export interface SampleOptions {
  readonly ops?: readonly OpTag[]
  readonly maxVars?: number
  readonly maxSteps?: number
}

/** A random program with a random point and a random direction over its variables x0... */
export function samples(options: SampleOptions = {}): fc.Arbitrary<Sample> {
  const ops = options.ops ?? allOps
  const maxVars = options.maxVars ?? 4
  // Evenly spread in [−2, 2] (fc.double favours tiny and special values, where most second
  // derivatives of these programs vanish); 0 itself comes up, and with it the kinks' conventions.
  const coord = fc.integer({ min: -20000, max: 20000 }).map((i) => i / 10000)
  return fc
    .record({
      vars: fc.integer({ min: 1, max: maxVars }),
      steps: fc.array(fc.record({ op: fc.nat(), args: fc.tuple(fc.nat({ max: back + 3 }), fc.nat({ max: back + 3 })) }), { minLength: 1, maxLength: options.maxSteps ?? 10 }),
      outs: fc.array(fc.nat({ max: 8 }), { minLength: 1, maxLength: 3 }),
      point: fc.array(coord, { minLength: maxVars, maxLength: maxVars }),
      direction: fc.array(coord, { minLength: maxVars, maxLength: maxVars }),
    })
    .map(({ vars, steps, outs, point, direction }) => {
      const p = buildProgram(vars, ops, steps, outs)
      // Only the variables the program kept: a point or a direction names nothing else.
      const names = Array.from({ length: vars }, (_, i) => `x${i}`).filter((n) => p.variables.includes(n))
      const index = (n: string): number => Number(n.slice(1))
      return {
        program: p,
        point: Object.fromEntries(names.map((n) => [n, point[index(n)]])),
        direction: Object.fromEntries(names.map((n) => [n, direction[index(n)]])),
      }
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

/** |a − b| ≤ rel·max(1, |a|, |b|, scale). */
export const close = (a: number, b: number, rel: number, scale = 0): boolean =>
  a === b || Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b), scale)

/** The largest magnitude in a matrix. */
export const maxAbs = (m: readonly (readonly number[])[]): number => m.reduce((s, row) => row.reduce((t, v) => Math.max(t, Math.abs(v)), s), 0)

/** Matrix times vector. */
export const matVec = (m: readonly (readonly number[])[], v: readonly number[]): number[] => m.map((row) => row.reduce((s, a, j) => s + a * v[j], 0))
