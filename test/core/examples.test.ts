/**
 * The document's worked examples (§2.3), checked in all three modes (reverse `grad`, forward
 * `jvp` along each axis, symbolic `gradExpr` then `evaluate`), the gate behaviour of the add,
 * multiply and max gates under an arbitrary upstream adjoint, and micrograd's engine tests
 * (numbers copied from ../shared/contract/cases.jsonl), built with the builders and, when the
 * language module is present, parsed from text.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { structurallyEqual, topoOrder } from '../../src/expr/graph.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { evaluate, jvp } from '../../src/forward/index.js'
import { parse } from '../../src/lang/index.js'
import { build } from '../../src/ops/build.js'
import type { Point } from '../../src/tape/point.js'
import { grad, gradExpr, vjp } from '../../src/reverse/index.js'
import { derivativeMatchers } from '../../src/testing/vitest.js'
import { relClose, unwrap } from './helpers.js'

expect.extend(derivativeMatchers)

const { add, mul, sub, div, neg, pow, max, relu } = build
const x = variable('x')
const y = variable('y')
const z = variable('z')
const w = variable('w')

/**
 * `parsed` and `built` are the same graph: structurally equal, with as many nodes (a parse is a
 * build of its own, so its nodes are equal to the builders', not the same objects).
 */
function expectSameGraph(parsedNode: Node, built: Node): void {
  expect(structurallyEqual(parsedNode, built)).toBe(true)
  expect(topoOrder([parsedNode]).length).toBe(topoOrder([built]).length)
}

const parsed = (source: string): Program => {
  const r = parse(source)
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

/** Value and gradient of a scalar program in the three modes. */
function threeModes(p: Program, at: Point, wrt: readonly string[] = p.variables) {
  const reverse = unwrap(grad(p, at, wrt))
  const forward = wrt.map((name) => unwrap(jvp(p, at, { [name]: 1 })).tangents[0])
  const g = unwrap(gradExpr(p, wrt))
  const symbolic = unwrap(evaluate(g, at)).values
  return { value: reverse.value, reverse: wrt.map((n) => reverse.gradient[n]), forward, symbolic: [...symbolic], warnings: reverse.warnings }
}

/** Expect value and gradient within `rel` relative in every mode. */
function expectModes(p: Program, at: Point, value: number, gradient: Record<string, number>, rel = 1e-12) {
  const wrt = Object.keys(gradient)
  expect(p).toHaveGradientAt(at, gradient, { atol: rel, rtol: rel })
  const r = threeModes(p, at, wrt)
  expect(relClose(unwrap(evaluate(p, at)).values[0], value, rel)).toBe(true)
  expect(relClose(r.value, value, rel)).toBe(true)
  wrt.forEach((name, i) => {
    for (const mode of [r.reverse, r.forward, r.symbolic]) {
      if (!relClose(mode[i], gradient[name], rel)) throw new Error(`d/d${name}: got ${mode[i]}, expected ${gradient[name]} (${JSON.stringify(r)})`)
    }
  })
  return r
}

describe('f = (x+y)*z (§2.3)', () => {
  const f = program([mul(add(x, y), z)])
  const at = { x: -2, y: 5, z: -4 }

  it('gives value −12 and gradient (−4, −4, 3) in reverse, forward and symbolic mode', () => {
    const r = expectModes(f, at, -12, { x: -4, y: -4, z: 3 }, 0)
    expect(r.warnings).toEqual([])
  })

  it('the default wrt is every free variable, sorted', () => {
    const g = unwrap(grad(f, at))
    expect(g.wrt).toEqual(['x', 'y', 'z'])
    expect(g.gradient).toEqual({ x: -4, y: -4, z: 3 })
  })
})

describe('f = 2*(x*y + max(z,w)) (§2.3)', () => {
  const f = program([mul(2, add(mul(x, y), max(z, w)))])

  it('w wins: the max gate routes the adjoint to w', () => {
    const r = expectModes(f, { x: 1.5, y: -0.5, z: 0.75, w: 2.25 }, 3, { x: -1, y: 3, z: 0, w: 2 }, 0)
    expect(r.warnings).toEqual([])
  })

  it('z wins: the max gate routes the adjoint to z', () => {
    const r = expectModes(f, { x: 3, y: 4, z: -1, w: -2.5 }, 22, { x: 8, y: 6, z: 2, w: 0 }, 0)
    expect(r.warnings).toEqual([])
  })

  it('a tie splits the adjoint evenly and warns, naming max', () => {
    const r = expectModes(f, { x: 3, y: 4, z: 1, w: 1 }, 26, { x: 8, y: 6, z: 1, w: 1 }, 0)
    expect(r.warnings.length).toBe(1)
    expect(r.warnings[0]._tag).toBe('NonDifferentiable')
    expect(r.warnings[0].node).toContain('max')
    expect(r.warnings[0].at).toEqual([1, 1])
    expect(r.warnings[0].message).toContain('split evenly')
    // The forward mode reports the tie too.
    const fw = unwrap(jvp(f, { x: 3, y: 4, z: 1, w: 1 }, { z: 1 }))
    expect(fw.warnings.map((wn) => wn._tag)).toEqual(['NonDifferentiable'])
  })

  it('a tie is named by the program name when the max has one', () => {
    const p = program(f.outputs, { names: new Map<Node, string>([[max(z, w), 'm']]) })
    const r = unwrap(grad(p, { x: 3, y: 4, z: 1, w: 1 }))
    expect(r.warnings[0].node).toBe('m')
  })
})

describe('the §2.3 examples parsed from text', () => {
  it('parse gives the same nodes as the builders, and the same numbers', () => {
    const f = parsed('f = (x+y)*z')
    expectSameGraph(f.outputs[0], mul(add(x, y), z))
    expectModes(f, { x: -2, y: 5, z: -4 }, -12, { x: -4, y: -4, z: 3 }, 0)
    const g = parsed('f = 2*(x*y+max(z,w))')
    expectSameGraph(g.outputs[0], mul(2, add(mul(x, y), max(z, w))))
    const r = expectModes(g, { x: 3, y: 4, z: 1, w: 1 }, 26, { x: 8, y: 6, z: 1, w: 1 }, 0)
    expect(r.warnings.map((wn) => [wn._tag, wn.node])).toEqual([['NonDifferentiable', 'max(z, w)']])
  })

  it('a named max is reported by its name', () => {
    const r = unwrap(grad(parsed('m = max(z, w)\nf = 2*(x*y + m)'), { x: 3, y: 4, z: 1, w: 1 }))
    expect(r.warnings.map((wn) => wn.node)).toEqual(['m'])
    expect(r.gradient).toEqual({ w: 1, x: 8, y: 6, z: 1 })
  })
})

describe('gates (§2.3) under an arbitrary upstream adjoint', () => {
  const num = fc.double({ min: -1e3, max: 1e3, noNaN: true })
  // A zero adjoint is skipped rather than multiplied, so −0 may come back as +0: compare as numbers.
  const same = (got: Record<string, number>, want: Record<string, number>) => {
    expect(Object.keys(got)).toEqual(Object.keys(want))
    for (const k of Object.keys(want)) expect(got[k] + 0).toBe(want[k] + 0)
  }

  it('the add gate distributes the adjoint unchanged to both inputs', () => {
    const p = program([add(x, y)])
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        const r = unwrap(vjp(p, { x: a, y: b }, [c]))
        same(r.vjp, { x: c, y: c })
      }),
    )
  })

  it('the multiply gate swaps its inputs and scales by the adjoint', () => {
    const p = program([mul(x, y)])
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        const r = unwrap(vjp(p, { x: a, y: b }, [c]))
        same(r.vjp, { x: c * b, y: c * a })
      }),
    )
  })

  it('the max gate routes the adjoint to the larger input (half each on a tie, with a warning)', () => {
    const p = program([max(x, y)])
    fc.assert(
      // One sample in four is a tie.
      fc.property(num, num, num, fc.nat(3), (a, b0, c, tie) => {
        const b = tie === 0 ? a : b0
        const r = unwrap(vjp(p, { x: a, y: b }, [c]))
        if (a > b) same(r.vjp, { x: c, y: 0 })
        else if (b > a) same(r.vjp, { x: 0, y: c })
        else {
          same(r.vjp, { x: c / 2, y: c / 2 })
          expect(r.warnings.some((wn) => wn._tag === 'NonDifferentiable' && wn.node.includes('max'))).toBe(true)
        }
      }),
    )
    // A tie, for sure.
    const t = unwrap(vjp(p, { x: 2, y: 2 }, [3]))
    same(t.vjp, { x: 1.5, y: 1.5 })
    expect(t.warnings.length).toBe(1)
  })
})

// -------------------------------------------------------------------------------------------------
// micrograd (test_engine.py); numbers from ../shared/contract/cases.jsonl
// -------------------------------------------------------------------------------------------------

const sanitySource = 'z = 2*x + 2 + x\nq = relu(z) + z*x\nh = relu(z*z)\ny = h + q + q*x'

function sanityBuilt(): Node {
  const zz = add(add(mul(2, x), 2), x)
  const q = add(relu(zz), mul(zz, x))
  const h = relu(mul(zz, zz))
  return add(add(h, q), mul(q, x))
}

const moreOpsSource =
  'c = a + b\nd = a * b + b**3\nc = c + c + 1\nc = c + 1 + c + (-a)\nd = d + d * 2 + relu(b + a)\nd = d + 3 * d + relu(b - a)\ne_ = c - d\nf = e_**2\ng = f / 2.0\ng = g + 10.0 / f'

function moreOpsBuilt(): Node {
  const a = variable('a')
  const b = variable('b')
  let c = add(a, b)
  let d = add(mul(a, b), pow(b, 3))
  c = add(add(c, c), 1)
  c = add(add(add(c, 1), c), neg(a))
  d = add(add(d, mul(d, 2)), relu(add(b, a)))
  d = add(add(d, mul(3, d)), relu(sub(b, a)))
  const e = sub(c, d)
  const f = pow(e, 2)
  let g = div(f, 2)
  g = add(g, div(10, f))
  return g
}

describe('micrograd sanity check', () => {
  it('built with the builders: y(−4) = −20, dy/dx = 46 in every mode', () => {
    expectModes(program([sanityBuilt()]), { x: -4 }, -20, { x: 46 }, 0)
  })
  it('parsed: the same node as the builders, and the same numbers', () => {
    const p = parsed(sanitySource)
    expectSameGraph(p.outputs[0], sanityBuilt())
    expectModes(p, { x: -4 }, -20, { x: 46 }, 0)
  })
})

describe('micrograd more_ops', () => {
  const at = { a: -4, b: 2 }
  const value = 24.70408163265306
  const gradient = { a: 138.8338192419825, b: 645.5772594752186 }
  // micrograd computes in doubles too, but in another order: allow a few ulps of the summands.
  const rel = 1e-12

  it('built with the builders', () => {
    expectModes(program([moreOpsBuilt()]), at, value, gradient, rel)
  })
  it('parsed: the same node as the builders, and the same numbers', () => {
    const p = parsed(moreOpsSource)
    expectSameGraph(p.outputs[0], moreOpsBuilt())
    expectModes(p, at, value, gradient, rel)
  })
  it('with respect to b only', () => {
    const p = program([moreOpsBuilt()])
    const r = unwrap(grad(p, at, ['b']))
    expect(r.wrt).toEqual(['b'])
    expect(Object.keys(r.gradient)).toEqual(['b'])
    expect(relClose(r.gradient.b, gradient.b, rel)).toBe(true)
  })
})
