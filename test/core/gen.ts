/**
 * A fast-check generator of random programs over the whole rule table, with shared
 * subexpressions: a list of nodes that starts with the free variables, where each new node applies
 * a random op of `opTags` to earlier nodes chosen with repetition (so reuse, and `f(n, n)`, are
 * common). Each argument is mapped into the op's sample domain with `lo + (hi − lo)·sigmoid(s)`,
 * built with the builders; for ops whose domain is unrestricted the argument is sometimes passed
 * raw. The outputs are random linear combinations of the nodes.
 *
 * @example
 * fc.assert(fc.property(programs({ outputs: 1 }), ({ program, point }) => ...))
 */
import fc from 'fast-check'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { apply, build } from '../../src/ops/build.js'
import { table } from '../../src/ops/table.js'
import { opTags } from '../../src/ops/tags.js'

export const varNames = ['x0', 'x1', 'x2'] as const

interface Step {
  readonly op: number
  readonly args: readonly [number, number]
  readonly raw: readonly [boolean, boolean]
}

export interface Recipe {
  readonly steps: readonly Step[]
  readonly outputs: readonly (readonly { readonly node: number; readonly coeff: number }[])[]
}

const step: fc.Arbitrary<Step> = fc.record({
  op: fc.integer({ min: 0, max: opTags.length - 1 }),
  // Indices count back from the newest node (mostly recent ones: deep graphs with reuse).
  args: fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 })),
  raw: fc.tuple(fc.boolean(), fc.boolean()),
})

const sigmoidInto = (n: Node, lo: number, hi: number): Node => build.add(lo, build.mul(hi - lo, build.sigmoid(n)))

/** The nodes of a recipe; with `inDomain = false` every argument is passed raw. */
function buildNodes(steps: readonly Step[], inDomain: boolean): Node[] {
  const nodes: Node[] = varNames.map((n) => variable(n))
  for (const s of steps) {
    const tag = opTags[s.op]
    const rule = table[tag]
    const args: Node[] = []
    for (let k = 0; k < rule.arity; k++) {
      const arg = nodes[nodes.length - 1 - (s.args[k] % nodes.length)]
      const [lo, hi] = rule.domain[k]
      const unrestricted = lo <= -3 && hi >= 3
      args.push(!inDomain || (unrestricted && s.raw[k]) ? arg : sigmoidInto(arg, lo, hi))
    }
    nodes.push(apply(tag, args))
  }
  return nodes
}

const combine = (nodes: readonly Node[], terms: Recipe['outputs'][number]): Node =>
  terms.map((t) => build.mul(t.coeff, nodes[nodes.length - 1 - (t.node % nodes.length)])).reduce((a, b) => build.add(a, b))

export interface Sample {
  readonly program: Program
  readonly point: Record<string, number>
  readonly recipe: Recipe
}

export interface ProgramOptions {
  /** Number of outputs (1: a scalar program). */
  readonly outputs?: number
  readonly maxSteps?: number
  /** Map arguments into each op's domain (default); false passes every argument raw. */
  readonly inDomain?: boolean
  /** Variable values. */
  readonly point?: fc.Arbitrary<number>
}

/** Random programs with a random point. */
export function programs(options: ProgramOptions = {}): fc.Arbitrary<Sample> {
  const nOut = options.outputs ?? 1
  const inDomain = options.inDomain ?? true
  const term = fc.record({ node: fc.nat({ max: 8 }), coeff: fc.constantFrom(1, -1, 0.5, 2, -1.5, 3) })
  const recipe: fc.Arbitrary<Recipe> = fc.record({
    steps: fc.array(step, { minLength: 1, maxLength: options.maxSteps ?? 10 }),
    outputs: fc.array(fc.array(term, { minLength: 1, maxLength: 3 }), { minLength: nOut, maxLength: nOut }),
  })
  const value = options.point ?? fc.double({ min: -2, max: 2, noNaN: true })
  const point = fc.tuple(...varNames.map(() => value)).map((xs) => Object.fromEntries(varNames.map((n, i) => [n, xs[i]])))
  return fc.record({ recipe, point }).map(({ recipe: r, point: pt }) => {
    const p = buildProgram(r, inDomain)
    return { program: p, point: onlyVariables(p, pt), recipe: r }
  })
}

/** The entries of `point` for the program's variables (a point may name nothing else). */
export const onlyVariables = (p: Program, point: Record<string, number>): Record<string, number> =>
  Object.fromEntries(p.variables.map((n) => [n, point[n]]))

/** The program of a recipe (deterministic: building it twice must give the same nodes). */
export function buildProgram(r: Recipe, inDomain = true): Program {
  const nodes = buildNodes(r.steps, inDomain)
  return program(r.outputs.map((t) => combine(nodes, t)), { vector: r.outputs.length > 1 })
}
