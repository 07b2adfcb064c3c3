/**
 * The builders of the package's entry point: one per primitive of the table, named after its tag
 * (`stop_gradient` → `stopGradient`), each typed with the arity the table declares; and the n-ary
 * `sum` and `prod`, which build balanced trees. A primitive added to the table without a builder
 * fails the first test.
 *
 * @example
 * add(x, y)          // a binary builder: add(x) and add(x, y, z) are type errors
 * sum([x, y, z, w])  // (x + y) + (z + w)
 */
import { describe, expect, it } from 'vitest'
import * as api from '../../src/index.js'
import { add, build, constant, evaluate, orThrow, prod, program, sin, sum, variable, type Arg, type Node } from '../../src/index.js'

const camel = (tag: string): string => tag.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/** Height of a node's tree (0 for a leaf), walked with an explicit stack. */
function height(root: Node): number {
  const memo = new Map<Node, number>()
  const stack: Node[] = [root]
  while (stack.length > 0) {
    const n = stack[stack.length - 1]
    if (n._tag !== 'apply') {
      memo.set(n, 0)
      stack.pop()
      continue
    }
    const pending = n.args.filter((a) => !memo.has(a))
    if (pending.length > 0) stack.push(...pending)
    else {
      memo.set(n, 1 + Math.max(...n.args.map((a) => memo.get(a) ?? 0)))
      stack.pop()
    }
  }
  return memo.get(root) ?? 0
}

describe('the exported builders', () => {
  it('are exactly one per tag of the table, named after it', () => {
    const builders = new Set<unknown>(Object.values(build))
    const exported = Object.entries(api)
      .filter(([, v]) => builders.has(v))
      .map(([k]) => k)
      .sort()
    expect(exported).toEqual(api.opTags.map(camel).sort())
    for (const tag of api.opTags) expect((api as Record<string, unknown>)[camel(tag)]).toBe(build[tag])
  })

  it('refuse a wrong number of arguments at run time too (for callers without types)', () => {
    const x = variable('x')
    const loose = add as unknown as (...args: Arg[]) => Node
    expect(() => loose(x)).toThrow(/add takes 2 argument\(s\), got 1/)
    expect(() => (sin as unknown as (...args: Arg[]) => Node)(x, x)).toThrow(/sin takes 1 argument\(s\), got 2/)
  })

  it('are typed with their arity', () => {
    const x = variable('x')
    const terms: Node[] = [x, x, x]
    // @ts-expect-error add is binary
    expect(() => add(x)).toThrow(RangeError)
    // @ts-expect-error add is binary: spreading a list is refused (that is what sum is for)
    expect(() => add(...terms)).toThrow(RangeError)
    // @ts-expect-error sin is unary
    expect(() => sin(x, x)).toThrow(RangeError)
    const unary: (a: Arg) => Node = api.exp
    const binary: (a: Arg, b: Arg) => Node = api.atan2
    expect([unary(0), binary(0, 1)]).toEqual([constant(1), constant(0)])
  })
})

describe('sum and prod', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => variable(`x${i}`))
  const point = Object.fromEntries(xs.map((v, i) => [v.name, i + 1]))

  it('are 0 and 1 for no terms, the term itself for one', () => {
    expect([sum(), prod(), sum([]), prod([])]).toEqual([constant(0), constant(1), constant(0), constant(1)])
    expect(sum(xs[0] as Node)).toBe(xs[0])
    expect(prod([2])).toBe(constant(2))
  })

  it('take an array or arguments, and give the same node', () => {
    const [a, b, c] = xs
    if (a === undefined || b === undefined || c === undefined) throw new Error('three variables')
    expect(sum(a, b, c)).toBe(sum([a, b, c]))
    expect(prod(a, 2, c)).toBe(prod([a, 2, c]))
    expect(sum(a, b, c)).toBe(add(add(a, b), c))
  })

  it('build balanced trees: 1000 terms are 10 levels deep, not 999', () => {
    expect(height(sum(xs))).toBe(10)
    expect(height(prod(xs))).toBe(10)
    expect(orThrow(evaluate(program([sum(xs)]), point)).values).toEqual([500_500])
    const small = xs.slice(0, 20)
    // A point names exactly the program's variables.
    const smallPoint = Object.fromEntries(Object.entries(point).slice(0, 20))
    expect(orThrow(evaluate(program([prod(small)]), smallPoint)).values[0]).toBe(small.reduce((p, _, i) => p * (i + 1), 1))
  })
})
