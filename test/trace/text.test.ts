/**
 * A traced function is the program the same expression parses to: for random expressions over
 * every primitive of the table, written once as text and once as a TypeScript function over the
 * exported builders (with scalar, array and record arguments, one output or several), the two
 * programs print alike and agree in every mode (values, grad, jvp, vjp, Jacobian, H·v, Hessian,
 * compiled grad and H·v), bit for bit.
 *
 * @example
 * trace((x, y) => mul(add(x, y), sin(x)))  ≡  parse('(x + y) * sin(x)')
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import * as api from '../../src/index.js'
import { compile, evaluate, program, grad, hessian, hvp, jacobian, jvp, orThrow, parse, printProgram, trace, vjp, type Arg, type Node, type Program } from '../../src/index.js'
import { opTags, type OpTag } from '../../src/ops/tags.js'
import { table } from '../../src/ops/table.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

type Tree = { readonly _tag: 'var'; readonly k: number } | { readonly _tag: 'num'; readonly v: number } | { readonly _tag: 'op'; readonly op: OpTag; readonly args: readonly Tree[] }

const leaf: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 2 }).map((k): Tree => ({ _tag: 'var', k })) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 2, 3.25, 1).map((v): Tree => ({ _tag: 'num', v })) },
)

const { tree } = fc.letrec<{ tree: Tree; node: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
  node: fc.record({ op: fc.constantFrom(...opTags), a: tie('tree'), b: tie('tree') }).map(({ op, a, b }): Tree => ({ _tag: 'op', op, args: table[op].arity === 1 ? [a] : [a, b] })),
}))

/** The expression as program text, parenthesised everywhere. */
function text(t: Tree, names: readonly string[]): string {
  switch (t._tag) {
    case 'var':
      return names[t.k] ?? '?'
    case 'num':
      return String(t.v)
    case 'op': {
      const args = t.args.map((a) => text(a, names))
      const s = table[t.op].syntax
      if (s._tag === 'infix') return `(${args[0]} ${s.symbol} ${args[1]})`
      if (s._tag === 'prefix') return `(-${args[0]})`
      return `${s.name}(${args.join(', ')})`
    }
  }
}

const camel = (tag: string): string => tag.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
const builderOf = (op: OpTag): ((...a: Arg[]) => Node) => (api as unknown as Record<string, (...a: Arg[]) => Node>)[camel(op)] as (...a: Arg[]) => Node

/** The expression built by the exported builders over `vars` (what a user's function does). */
function build(t: Tree, vars: readonly Node[]): Node | number {
  switch (t._tag) {
    case 'var':
      return vars[t.k] as Node
    case 'num':
      return t.v
    case 'op':
      return builderOf(t.op)(...t.args.map((a) => build(a, vars)))
  }
}

/** Every result of the interpreted and compiled evaluators at `point` (n variables, m outputs). */
function everything(p: Program, point: Record<string, number>, dir: Record<string, number>): unknown {
  const values = orThrow(evaluate(p, point)).values
  const n = p.variables.length
  const out: Record<string, unknown> = {
    values,
    jvp: orThrow(jvp(p, point, dir)).tangents,
    vjp: orThrow(vjp(p, point, p.outputs.map((_, i) => i + 1))).vjp,
    jacobian: orThrow(jacobian(p, point, { mode: 'reverse' })).jacobian,
    jacobianForward: orThrow(jacobian(p, point, { mode: 'forward' })).jacobian,
  }
  if (p.outputs.length === 1) {
    out.grad = orThrow(grad(p, point)).gradient
    out.hvp = orThrow(hvp(p, point, dir)).hvp
    out.hessian = orThrow(hessian(p, point)).hessian
    if (n > 0) {
      const f = orThrow(compile(p))
      const x = Float64Array.from(f.names, (name) => point[name] ?? 0)
      out.compiledGrad = [...f.grad(x).gradient]
      out.compiledHvp = [...f.hvp(x, Float64Array.from(f.names, (name) => dir[name] ?? 0)).hvp]
    }
  }
  return out
}

const coord = fc.integer({ min: -2000, max: 2000 }).map((i) => i / 1000)

type Style = 'scalars' | 'array' | 'record'

/** The traced program of `trees` and the names its variables get, for each style of arguments. */
function traced(trees: readonly Tree[], style: Style): { p: Program; names: readonly string[] } {
  const body = (vars: readonly Node[]): Node | number | (Node | number)[] => (trees.length === 1 ? build(trees[0] as Tree, vars) : trees.map((t) => build(t, vars)))
  switch (style) {
    case 'scalars':
      return { p: orThrow(trace((x, y, z) => body([x, y, z]))), names: ['x', 'y', 'z'] }
    case 'array':
      return { p: orThrow(trace((v) => body(v), { args: [[3]], names: ['v'] })), names: ['v0', 'v1', 'v2'] }
    case 'record':
      return { p: orThrow(trace(({ a, b, c }) => body([a, b, c]), { args: [{ a: [], b: [], c: [] }] })), names: ['a', 'b', 'c'] }
  }
}

describe('traced functions are the programs their text parses to', () => {
  it('random expressions over every primitive, scalar/array/record arguments, one or several outputs', () => {
    const used = new Set<OpTag>()
    fc.assert(
      fc.property(
        fc.array(tree, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<Style>('scalars', 'array', 'record'),
        fc.tuple(coord, coord, coord),
        fc.tuple(coord, coord, coord),
        (trees, style, values, directions) => {
          const { p, names } = traced(trees, style)
          const source = trees.length === 1 ? text(trees[0] as Tree, names) : `[${trees.map((t) => text(t, names)).join(', ')}]`
          const parsed = orThrow(parse(source))
          // A traced program keeps every argument's variable, read or not (its derivative is 0):
          // the parsed text, with the same variables declared.
          const q = program(parsed.outputs, { vector: parsed.vector, names: parsed.names, variables: names })
          expect(printProgram(p)).toBe(printProgram(q))
          expect(p.variables).toEqual(names)
          expect(q.variables).toEqual(names)
          expect(p.vector).toBe(q.vector)
          const point = Object.fromEntries(q.variables.map((v) => [v, values[names.indexOf(v)] ?? 0]))
          const dir = Object.fromEntries(q.variables.map((v) => [v, directions[names.indexOf(v)] ?? 0]))
          expect(everything(p, point, dir)).toEqual(everything(q, point, dir))
          const walk = (t: Tree): void => {
            if (t._tag === 'op') {
              used.add(t.op)
              t.args.forEach(walk)
            }
          }
          trees.forEach(walk)
        },
      ),
      { numRuns: 300 },
    )
    expect([...used].sort()).toEqual([...opTags].sort())
  })
})
