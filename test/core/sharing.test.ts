/**
 * Hash-consing and the tape's pruned graph G′.
 * - Building a structurally equal expression twice (outside any build, or inside one build) gives
 *   the very same (frozen) node, and two builds structurally equal ones; z = f(f(f(w))) has one
 *   node per level and each is evaluated once; the symbolic gradient of x*x shares nodes with the
 *   program; variables of one name from different builds are one variable.
 * - `linearize` marks exactly the descendants of the wrt variables as active; the reverse sweep
 *   visits exactly `activeOrder.length` nodes; `edges` equals a hand count.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { descendantsOf, freeVariables, structurallyEqual, topoOrder } from '../../src/expr/graph.js'
import { adopt, building, constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { evaluate, forwardSweep } from '../../src/forward/index.js'
import { build, nodes } from '../../src/ops/build.js'
import { numbers } from '../../src/ops/math.js'
import { printExpr } from '../../src/ops/print.js'
import type { Num } from '../../src/ops/rule.js'
import { grad, gradExpr, reverseSweep } from '../../src/reverse/index.js'
import { linearize, VAR } from '../../src/tape/tape.js'
import { buildProgram, programs, varNames } from './gen.js'
import { unwrap } from './helpers.js'

const { add, mul, sin, cos, neg, exp } = build
const x = variable('x')
const y = variable('y')
const z = variable('z')
const w = variable('w')

/** `numbers`, counting `apply` and `isZero` calls. */
function counting(): { num: Num<number>; applies: () => number; zeroTests: () => number } {
  let applies = 0
  let zeroTests = 0
  const num: Num<number> = {
    constant: numbers.constant,
    apply: (op, args) => {
      applies++
      return numbers.apply(op, args)
    },
    isZero: (t) => {
      zeroTests++
      return numbers.isZero(t)
    },
  }
  return { num, applies: () => applies, zeroTests: () => zeroTests }
}

/** The number of distinct nodes (objects) in `nodes`. */
const distinctNodes = (nodes: readonly Node[]): number => new Set(nodes).size

describe('hash-consing', () => {
  it('building the same expression twice gives the same node (random programs)', () => {
    fc.assert(
      fc.property(programs({ outputs: 2 }), ({ recipe, program: p }) => {
        const again = buildProgram(recipe)
        expect(again.outputs[0]).toBe(p.outputs[0])
        expect(again.outputs[1]).toBe(p.outputs[1])
      }),
      { numRuns: 100 },
    )
    expect(mul(add(x, y), z)).toBe(mul(add(x, y), z))
    expect(variable('x')).toBe(x)
    expect(constant(2.5)).toBe(constant(2.5))
    expect(constant(0)).not.toBe(constant(-0))
    expect(add(x, y)).not.toBe(add(y, x))
  })

  it('nodes and their argument lists are frozen', () => {
    const n = mul(add(x, y), sin(z))
    expect(Object.isFrozen(n)).toBe(true)
    expect(n._tag === 'apply' && Object.isFrozen(n.args)).toBe(true)
    expect(Object.isFrozen(x)).toBe(true)
  })

  it('z = f(f(f(w))) has one node per level, each evaluated once', () => {
    const f = (t: Node) => exp(t)
    const zz = f(f(f(w)))
    expect(zz).toBe(f(f(f(w))))
    expect(topoOrder([zz]).length).toBe(4)
    // A shared level: y = g(t) with t = f(w) used twice per level.
    let t: Node = w
    for (let k = 0; k < 3; k++) t = mul(t, t)
    expect(topoOrder([t]).length).toBe(4)
    const tape = linearize([t], ['w'])
    const c = counting()
    const vals = forwardSweep(c.num, tape, () => 1.5)
    expect(c.applies()).toBe(3)
    expect(vals[tape.outputs[0]]).toBe(1.5 ** 8)
    expect(tape.activeOrder.length).toBe(3)
    expect(unwrap(grad(program([t]), { w: 1.5 })).gradient.w).toBe(8 * 1.5 ** 7)
  })

  it('gradExpr of x*x is x + x: one add node over the shared x', () => {
    const g = unwrap(gradExpr(program([mul(x, x)]))).outputs[0]
    expect(structurallyEqual(g, add(x, x))).toBe(true)
    expect(g._tag === 'apply' && g.args[0] === x && g.args[1] === x).toBe(true)
    expect(topoOrder([g]).length).toBe(2)
    // Inside one build, the derivative's nodes are the builders' nodes.
    building(() => expect(unwrap(gradExpr(program([mul(x, x)]))).outputs[0]).toBe(add(x, x)))
  })

  it('gradExpr reuses the nodes of the program: d/dx sin(x)² uses the very same sin(x)', () => {
    const s = sin(x)
    const g = unwrap(gradExpr(program([mul(s, s)]))).outputs[0]
    const inGradient = topoOrder([g])
    expect(inGradient).toContain(s)
    expect(inGradient.filter((n) => n._tag === 'apply' && n.op === 'sin').length).toBe(1)
    expect(inGradient.filter((n) => n._tag === 'apply' && n.op === 'cos').length).toBe(1)
    expect(structurallyEqual(g, mul(add(s, s), cos(x)))).toBe(true)
    building(() => expect(unwrap(gradExpr(program([mul(s, s)]))).outputs[0]).toBe(mul(add(s, s), cos(x))))
  })

  it('gradExpr finds the nodes of the program its rules rebuild: d/dx (cos(x) + sin(x)) uses the program’s cos(x)', () => {
    const c = cos(x)
    const g = unwrap(gradExpr(program([add(c, sin(x))]))).outputs[0]
    expect(topoOrder([g])).toContain(c)
    expect(topoOrder([g]).filter((n) => n._tag === 'apply' && n.op === 'cos').length).toBe(1)
  })

  it('within a build, building twice gives the same nodes; across builds, structurally equal ones', () => {
    fc.assert(
      fc.property(programs({ outputs: 2 }), ({ recipe }) => {
        const [p, q] = building(() => [buildProgram(recipe), buildProgram(recipe)])
        expect(q.outputs[0]).toBe(p.outputs[0])
        expect(q.outputs[1]).toBe(p.outputs[1])
        const r = building(() => buildProgram(recipe))
        r.outputs.forEach((o, i) => expect(structurallyEqual(o, p.outputs[i])).toBe(true))
        expect(topoOrder(r.outputs).length).toBe(topoOrder(p.outputs).length)
      }),
      { numRuns: 100 },
    )
  })

  it('within a build, nodes are found again whatever the number of users of their arguments', () => {
    // x and y get many users (past the length of list a lookup walks); nodes made before, while
    // and after they do are all found again, by either argument, in any order.
    building(() => {
      const [x, y] = [variable('x'), variable('y')]
      const made: Node[] = [mul(x, y), sin(x), add(y, x)]
      for (let i = 0; i < 40; i++) {
        made.push(add(x, i), mul(i, y), sin(add(x, i)))
        if (i % 7 === 0) made.push(mul(x, y), build.atan2(y, x), build.pow(x, x), neg(y))
      }
      const again = (): Node[] => {
        const out: Node[] = [mul(x, y), sin(x), add(y, x)]
        for (let i = 0; i < 40; i++) {
          out.push(add(x, i), mul(i, y), sin(add(x, i)))
          if (i % 7 === 0) out.push(mul(x, y), build.atan2(y, x), build.pow(x, x), neg(y))
        }
        return out
      }
      again().forEach((n, i) => expect(n).toBe(made[i]))
      // One node per distinct expression (printed, these expressions are distinct texts).
      expect(distinctNodes(made)).toBe(new Set(made.map((n) => printExpr(n))).size)
      expect(distinctNodes(made)).toBeGreaterThan(100)
    })
  })

  it('a build finds nodes made before it, used as arguments or adopted', () => {
    const [u, v] = [variable('u'), variable('v')]
    const before = [mul(sin(u), v), add(u, v), neg(sin(u))]
    building(() => {
      expect(add(u, v)).not.toBe(before[1]) // not adopted (yet): a node of the build's own
      adopt(topoOrder(before))
      expect(mul(sin(u), v)).toBe(before[0])
      expect(neg(sin(u))).toBe(before[2])
      expect(add(u, v)).not.toBe(before[1]) // the build's own came first
      // Many users of the adopted u: found again all the same.
      const users = Array.from({ length: 30 }, (_, i) => add(mul(u, i), sin(u)))
      users.forEach((n, i) => expect(add(mul(u, i), sin(u))).toBe(n))
      expect(sin(u)).toBe((before[0] as { args: readonly Node[] }).args[0])
    })
  })

  it('a variable is its name: nodes of one name from two builds are one variable of the tape', () => {
    const [a, b] = [building(() => variable('x')), building(() => variable('x'))]
    expect(a).not.toBe(b)
    const f = program([mul(sin(a), add(b, 1))])
    expect(f.variables).toEqual(['x'])
    const tape = linearize(f.outputs, ['x'])
    expect(tape.variables.size).toBe(1)
    expect(tape.size).toBe(5) // x, 1, sin(x), x + 1, the product
    const r = unwrap(grad(f, { x: 0.5 }))
    expect(r.value).toBe(Math.sin(0.5) * 1.5)
    expect(r.gradient.x).toBeCloseTo(Math.cos(0.5) * 1.5 + Math.sin(0.5), 14)
    expect(descendantsOf(topoOrder(f.outputs), new Set([a])).size).toBe(topoOrder(f.outputs).length - 1) // all but the constant
  })

  it('trivial simplification: constant folding, x*1, x+0, −(−x)', () => {
    expect(mul(x, 1)).toBe(x)
    expect(mul(1, x)).toBe(x)
    // −0 is the identity of IEEE addition, +0 is not (−0 + 0 = +0): session 11 audit.
    expect(add(x, -0)).toBe(x)
    expect(add(-0, x)).toBe(x)
    expect(add(x, 0)).not.toBe(x)
    expect(build.sub(x, 0)).toBe(x)
    expect(build.sub(x, -0)).not.toBe(x)
    expect(unwrap(evaluate(program([build.div(1, add(x, 0))]), { x: -0 })).values).toEqual([Infinity])
    expect(unwrap(evaluate(program([build.atan2(add(x, 0), -1)]), { x: -0 })).values).toEqual([Math.PI])
    expect(neg(neg(x))).toBe(x)
    expect(mul(2, 3)).toBe(constant(6))
    expect(nodes.apply('sin', [constant(0)])).toBe(constant(0))
    // A fresh NaN is not folded, so that evaluation sees it and warns.
    expect(build.log(-1)._tag).toBe('apply')
  })
})

describe('the tape and G′', () => {
  // f = sin(x)*y + cos(z): slots x, y, z (leaves), then sin(x), sin(x)*y, cos(z), the sum.
  const sx = sin(x)
  const m = mul(sx, y)
  const cz = cos(z)
  const f = add(m, cz)

  it('marks only descendants of wrt as active, and counts the edges of G′ by hand', () => {
    const t = linearize([f], ['x'])
    const activeNodes = new Set(t.nodes.filter((_n, i) => t.active[i] === 1))
    expect(activeNodes).toEqual(new Set<Node>([x, sx, m, f]))
    expect(Array.from(t.activeOrder, (s) => t.nodes[s])).toEqual([sx, m, f])
    expect(t.edges).toBe(3) // x→sin, sin→mul, mul→add
    const all = linearize([f], ['x', 'y', 'z'])
    expect(all.activeOrder.length).toBe(4)
    expect(all.edges).toBe(6) // x→sin, sin→mul, y→mul, mul→add, z→cos, cos→add
    expect(linearize([mul(x, x)], ['x']).edges).toBe(2) // one edge per argument position
    expect(linearize([mul(x, 3)], ['x']).edges).toBe(1) // constants are not in G′
  })

  it('a wrt name absent from the graph has slot −1: an error for grad, gradient 0 only for a declared variable', () => {
    const t = linearize([f], ['q', 'x'])
    expect(t.wrtSlots[0]).toBe(-1)
    expect(t.op[t.wrtSlots[1]]).toBe(VAR)
    expect(grad(program([f]), { x: 1, y: 2, z: 3 }, ['q', 'x'])).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'q' } })
    expect(unwrap(grad(program([f], { variables: ['q'] }), { x: 1, y: 2, z: 3, q: 4 }, ['q', 'x'])).gradient.q).toBe(0)
  })

  it('the reverse sweep visits exactly activeOrder.length nodes', () => {
    for (const wrt of [['x'], ['z'], ['x', 'y', 'z'], []]) {
      const t = linearize([f], wrt)
      const values = forwardSweep(numbers, t, (s) => ({ x: 0.3, y: -1.2, z: 2 })[(t.nodes[s] as { name: string }).name] ?? NaN)
      const c = counting()
      // reverseSweep tests each reached adjoint for zero exactly once, before using it.
      const table = reverseSweep(c.num, t, values, [[t.outputs[0], 1]])
      expect(c.zeroTests()).toBe(t.activeOrder.length)
      // Adjoints exist only on G′ (and the seeded output).
      table.forEach((g, i) => {
        if (g !== null && i !== t.outputs[0]) expect(t.active[i]).toBe(1)
      })
    }
  })

  it('property: active[i] = 1 exactly when slot i depends on a wrt variable; edges = active argument positions', () => {
    fc.assert(
      fc.property(programs({ outputs: 2 }), fc.subarray<string>([...varNames]), ({ program: p }, wrt) => {
        const t = linearize(p.outputs, wrt)
        let edges = 0
        for (let i = 0; i < t.size; i++) {
          const dependsOnWrt = freeVariables([t.nodes[i]]).some((v) => wrt.includes(v.name))
          expect(t.active[i]).toBe(dependsOnWrt ? 1 : 0)
          const n = t.nodes[i]
          if (n._tag === 'apply' && dependsOnWrt) edges += n.args.filter((a) => freeVariables([a]).some((v) => wrt.includes(v.name))).length
        }
        expect(t.edges).toBe(edges)
        // activeOrder: the active applications, each once, arguments before users.
        const order = Array.from(t.activeOrder)
        expect(new Set(order).size).toBe(order.length)
        expect(order.length).toBe(t.nodes.filter((n, i) => n._tag === 'apply' && t.active[i] === 1).length)
        order.forEach((s, k) => {
          if (k > 0) expect(s).toBeGreaterThan(order[k - 1])
          expect(t.a0[s]).toBeLessThan(s)
          expect(t.a1[s]).toBeLessThan(s)
        })
      }),
      { numRuns: 100 },
    )
  })
})
