import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { structurallyEqual, topoOrder } from '../../src/expr/graph.js'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { apply, build } from '../../src/ops/build.js'
import { printExpr, printProgram } from '../../src/ops/print.js'
import { table } from '../../src/ops/table.js'
import { opTags } from '../../src/ops/tags.js'
import { ok, okAmong, out, outAmong } from './helpers.js'

const x = variable('x')
const y = variable('y')
const z = variable('z')
const { add, sub, mul, div, neg, pow, sin, atan2 } = build

describe('printExpr', () => {
  it('uses the fewest parentheses', () => {
    expect(printExpr(neg(pow(x, 2)))).toBe('-x^2')
    expect(printExpr(pow(neg(x), 2))).toBe('(-x)^2')
    expect(printExpr(pow(-2, x))).toBe('(-2)^x')
    expect(printExpr(pow(x, -2))).toBe('x^-2')
    expect(printExpr(pow(x, pow(y, z)))).toBe('x^y^z')
    expect(printExpr(pow(pow(x, y), z))).toBe('(x^y)^z')
    expect(printExpr(mul(x, -2))).toBe('x*-2')
    expect(printExpr(mul(neg(x), y))).toBe('-x*y')
    expect(printExpr(neg(mul(x, y)))).toBe('-(x*y)')
    expect(printExpr(mul(add(x, y), z))).toBe('(x + y)*z')
    expect(printExpr(sub(x, sub(y, z)))).toBe('x - (y - z)')
    expect(printExpr(sub(sub(x, y), z))).toBe('x - y - z')
    expect(printExpr(div(x, mul(y, z)))).toBe('x/(y*z)')
    expect(printExpr(add(x, -1))).toBe('x + -1')
    expect(printExpr(atan2(add(x, 1), sin(y)))).toBe('atan2(x + 1, sin(y))')
    expect(printExpr(build.stop_gradient(x))).toBe('stop_gradient(x)')
  })
  it('prints numbers with String, -0 as -0, and non-finite constants as quotients', () => {
    expect(printExpr(mul(x, 1e21))).toBe('x*1e+21')
    expect(printExpr(constant(-0))).toBe('-0')
    expect(printExpr(add(x, 0.1))).toBe('x + 0.1')
    expect(printExpr(constant(Infinity))).toBe('(1/0)')
    expect(printExpr(constant(-Infinity))).toBe('(-1/0)')
    expect(printExpr(constant(NaN))).toBe('(0/0)')
  })
  it('prints named nodes (other than the root) as their names', () => {
    const q = add(x, y)
    const names = new Map([[q, 'q']])
    expect(printExpr(mul(q, q), { names })).toBe('q*q')
    expect(printExpr(q, { names })).toBe('x + y')
  })
  it('truncates to maxLength with an ellipsis', () => {
    const s = printExpr(sin(sin(sin(x))), { maxLength: 8 })
    expect(s).toBe('sin(sin…')
    expect(s).toHaveLength(8)
    expect(printExpr(sin(x), { maxLength: 6 })).toBe('sin(x)')
  })
  it('stops early on a huge shared graph when truncating', () => {
    let n: Node = x
    for (let i = 0; i < 200; i++) n = mul(n, add(n, 1)) // 2^200 leaves as a tree
    expect(printExpr(n, { maxLength: 50 })).toHaveLength(50)
  })
})

describe('printProgram', () => {
  it('names shared operations so that the text stays linear', () => {
    let t: Node = x
    for (let i = 0; i < 60; i++) t = add(t, t)
    const text = printProgram(program([t]))
    expect(text.split('\n')).toHaveLength(60)
    expect(text.startsWith('t0 = x + x\nt1 = t0 + t0\n')).toBe(true)
    expect(outAmong([t], text)).toBe(t)
    expect(structurallyEqual(out(text), t)).toBe(true)
  })
  it('avoids names of free variables and prints vector outputs as a list', () => {
    const s = sin(variable('t0'))
    const p = program([mul(s, s), s], { vector: true })
    expect(printProgram(p)).toBe('t1 = sin(t0)\n[t1*t1, t1]')
    expect(printProgram(program([x], { vector: true }))).toBe('[x]')
  })
})

// -------------------------------------------------------------------------------------------------
// Round trip: random graphs built with the builders (shared subexpressions included)
// -------------------------------------------------------------------------------------------------

const leafConstant = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, -2, 0.5, -2.5, 3, 1e21, 1e-7, -1e-7, 5e-324, Math.PI),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)
// Most ops are calls; weight the infix and prefix ones, where the parentheses are decided.
const arithmetic = fc.constantFrom('add', 'sub', 'mul', 'div', 'neg', 'pow' as const)
const op = fc.oneof({ arbitrary: arithmetic, weight: 4 }, { arbitrary: fc.constantFrom(...opTags), weight: 1 })
const step = fc.record({ op, a: fc.nat(), b: fc.nat() })

/** A pool of nodes: variables, constants, then each step applied to earlier nodes. */
const graph = fc.tuple(fc.array(leafConstant, { minLength: 1, maxLength: 4 }), fc.array(step, { minLength: 1, maxLength: 25 })).map(([cs, steps]) => {
  const pool: Node[] = [x, y, z, ...cs.map(constant)]
  // Even indices pick a recent node (depth), odd ones any node (sharing).
  const pick = (i: number): Node => pool[i % 2 === 0 ? pool.length - 1 - ((i >> 1) % Math.min(4, pool.length)) : (i >> 1) % pool.length]
  for (const { op, a, b } of steps) pool.push(apply(op, table[op].arity === 1 ? [pick(a)] : [pick(a), pick(b)]))
  return pool
})

// Parsed in a build that has adopted the graph, the text gives back the very node; parsed in a
// build of its own, a structurally equal one with as many nodes (the same sharing).
describe('round trip', () => {
  it('parse(printExpr(n)) is n', () => {
    fc.assert(
      fc.property(graph, (pool) => {
        const n = pool[pool.length - 1]
        const text = printExpr(n)
        expect(outAmong([n], text)).toBe(n)
        const fresh = out(text)
        expect(structurallyEqual(fresh, n)).toBe(true)
        expect(topoOrder([fresh]).length).toBe(topoOrder([n]).length)
      }),
      { numRuns: 500 },
    )
  })
  it('parse(printProgram(p)) has the same outputs', () => {
    fc.assert(
      fc.property(graph, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.boolean(), (pool, picks, vector) => {
        const outputs = vector ? picks.map((i) => pool[pool.length - 1 - (i % pool.length)]) : [pool[pool.length - 1]]
        const p = program(outputs, { vector })
        const back = okAmong(outputs, printProgram(p))
        expect(back.vector).toBe(vector)
        expect(back.outputs).toHaveLength(outputs.length)
        back.outputs.forEach((o, i) => expect(o).toBe(outputs[i]))
        const fresh = ok(printProgram(p))
        fresh.outputs.forEach((o, i) => expect(structurallyEqual(o, outputs[i])).toBe(true))
        expect(topoOrder(fresh.outputs).length).toBe(topoOrder(outputs).length)
      }),
      { numRuns: 500 },
    )
  })
})
