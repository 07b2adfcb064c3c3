/**
 * The cost model's figures are exact counts, checked on small graphs counted by hand, and its
 * choice follows the shape: forward for n ≪ m, reverse for n ≫ m, colours instead of n when the
 * Jacobian is sparse.
 *
 * Counting rules (see src/jacobian/facts.ts and cost.ts): a derivative sweep visits every argument
 * of every active application whose partial is not a structural zero; forward ops = sweeps × that
 * + the edges of inactive applications; reverse ops = a values sweep over every application + the
 * edges of each reverse sweep's cone; bytes = 8 × slots × (1 + width).
 */
import { describe, expect, it } from 'vitest'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { reverseCones } from '../../src/jacobian/cones.js'
import { eachOwnColour } from '../../src/jacobian/colour.js'
import { chunking } from '../../src/jacobian/cost.js'
import { factsOf } from '../../src/jacobian/facts.js'
import { chooseMode, laneWidth, sparsityPattern } from '../../src/jacobian/index.js'
import { build } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { compile } from '../../src/compile/index.js'
import { textbookChoice } from '../../src/jacobian/textbook.js'
import { broyden, unwrap } from './gen.js'

const x = variable('x')
const y = variable('y')
const named = (k: number): string => `v${String(k).padStart(2, '0')}`

describe('exact counts on hand-counted graphs', () => {
  it('x·y + sin(x): 5 slots, 5 edges; forward 1 sweep of 2 tangents, reverse a values sweep + 1 sweep', () => {
    // Slots: x, y, x·y, sin x, sum. Edges: mul 2 + sin 1 + add 2 = 5.
    const c = unwrap(chooseMode(program([build.add(build.mul(x, y), build.sin(x))]), ['x', 'y']))
    expect([c.slots, c.edges, c.inputs, c.outputs]).toEqual([5, 5, 2, 1])
    expect(c.forward).toMatchObject({ sweeps: 1, width: 2, ops: 5, bytes: 8 * 5 * 3 })
    expect(c.reverse).toMatchObject({ sweeps: 1, width: 1, ops: 5 + 5, bytes: 8 * 5 * 2 })
  })

  it('[2x + 1, x·x]: constants are arguments too', () => {
    // Slots: x, 2, 1, 2x, 2x + 1, x·x. Edges: 2 + 2 + 2 = 6 (the kernels touch the constants' lanes).
    const c = unwrap(chooseMode(program([build.add(build.mul(2, x), 1), build.mul(x, x)]), ['x']))
    expect([c.slots, c.edges, c.inputs, c.outputs]).toEqual([6, 6, 1, 2])
    expect(c.forward).toMatchObject({ sweeps: 1, width: 1, ops: 6, bytes: 8 * 6 * 2 })
    expect(c.reverse).toMatchObject({ sweeps: 1, width: 2, ops: 6 + 6, bytes: 8 * 6 * 3 })
    expect(c.mode).toBe('forward')
  })

  it('x·sin(y) with respect to x: sin y is inactive, its value computed once', () => {
    // Slots: x, y, sin y, product. Active: the product only (2 edges); sin y: 1 inactive edge.
    const c = unwrap(chooseMode(program([build.mul(x, build.sin(y))]), ['x']))
    expect([c.slots, c.edges]).toEqual([4, 2])
    expect(c.forward).toMatchObject({ sweeps: 1, width: 1, ops: 1 + 2 })
    expect(c.reverse).toMatchObject({ sweeps: 1, width: 1, ops: 3 + 2 })
  })

  it('x·stop_gradient(y): no derivative flows through stop_gradient', () => {
    const p = program([build.mul(x, build.stop_gradient(y))])
    const c = unwrap(chooseMode(p, ['x', 'y']))
    expect([c.slots, c.edges]).toEqual([4, 2])
    // The forward sweep computes stop_gradient(y)'s value too: 3 edge visits, the values sweep
    // included as the row says (it counted 2, session 10 trial), of which 2 carry a derivative.
    expect(c.forward.ops).toBe(3)
    expect(c.reverse.ops).toBe(3 + 2)
    expect(Array.from(unwrap(sparsityPattern(p, ['x', 'y'])).colIdx)).toEqual([0])
  })

  it('20 outputs sin(vₖ): each reverse sweep visits only the cone of its own outputs', () => {
    // 40 slots, 20 edges. Forward: 20 lanes = 2 sweeps of 10, ops 2·20. Reverse: 2 sweeps of 10
    // rows; each cone holds 10 sines (10 edges), so ops = 20 (values) + 10 + 10, not 20 + 2·20.
    const vs = Array.from({ length: 20 }, (_, k) => variable(named(k)))
    const p = program(vs.map((v) => build.sin(v)))
    const c = unwrap(chooseMode(p, p.variables, { sparse: false }))
    expect([c.slots, c.edges]).toEqual([40, 20])
    expect(c.forward).toMatchObject({ sweeps: 2, width: 10, ops: 40, bytes: 8 * 40 * 11 })
    expect(c.reverse).toMatchObject({ sweeps: 2, width: 10, ops: 40, bytes: 8 * 40 * 11 })
    expect(unwrap(chooseMode(p, p.variables, { mode: 'reverse', sparse: false })).reason).toContain(
      'reverse mode needs a values sweep and 2 reverse sweeps carrying 10 adjoint rows (40 edge visits in all, each reverse sweep visiting only what its outputs depend on)',
    )
    const facts = factsOf(tapeFor(p.outputs, p.variables))
    const cones = reverseCones(facts, Int32Array.from({ length: 20 }, (_, r) => (r < 10 ? 0 : 1)), 2, true)
    expect([Array.from(cones.nodes), Array.from(cones.edges), Array.from(cones.listed)]).toEqual([[10, 10], [10, 10], [1, 1]])
    expect(cones.orders.map((o) => o?.length)).toEqual([10, 10])
    // The auto mode sees that the Jacobian is diagonal: one colour, one sweep of one tangent.
    const auto = unwrap(chooseMode(p, p.variables))
    expect(auto.sparse).toEqual({ nnz: 20, columnColours: 1, rowColours: 1, used: true })
    expect(auto.forward).toMatchObject({ sweeps: 1, width: 1, ops: 20 })
  })

  it('chunking: ⌈lanes / 16⌉ sweeps of balanced width', () => {
    expect(laneWidth).toBe(16)
    expect(chunking(0, 10)).toEqual({ sweeps: 0, width: 0 })
    expect(chunking(16, 10)).toEqual({ sweeps: 1, width: 16 })
    expect(chunking(17, 10)).toEqual({ sweeps: 2, width: 9 })
    expect(chunking(1000, 10)).toEqual({ sweeps: 63, width: 16 })
  })

  it('the dense lanes are the wrt names present and the outputs that depend on them', () => {
    const p = program([build.sin(x), constant(3), y])
    const f = factsOf(tapeFor(p.outputs, ['y', 'absent', 'x']))
    expect(Array.from(f.columns)).toEqual([0, 2])
    expect(Array.from(f.rows)).toEqual([0, 2])
    expect(eachOwnColour(3, f.rows)).toEqual({ colours: 2, colourOf: Int32Array.of(0, -1, 1) })
  })
})

describe('the choice', () => {
  it('forward for one input and many outputs, reverse for many inputs and one output', () => {
    const many = Array.from({ length: 50 }, (_, k) => build.sin(build.mul(k + 1, x)))
    const wide = unwrap(chooseMode(program(many), ['x']))
    expect(wide.mode).toBe('forward')
    expect(wide.forward.sweeps).toBe(1)
    expect(wide.reverse.sweeps).toBe(4)
    expect(wide.reason).toMatch(/^forward mode: the program has 1 input and 50 outputs/)

    const vs = Array.from({ length: 50 }, (_, k) => variable(named(k)))
    const tall = program([vs.map((v) => build.sin(v)).reduce((a, b) => build.add(a, b))])
    const c = unwrap(chooseMode(tall, tall.variables))
    expect(c.mode).toBe('reverse')
    expect([c.forward.sweeps, c.reverse.sweeps]).toEqual([4, 1])
    // 50 sines and 49 additions: 50 + 98 = 148 edges.
    expect(c.reason).toMatch(
      /^reverse mode: the program has 50 inputs and 1 output over 148 edges; reverse mode needs a values sweep and 1 reverse sweep carrying 1 adjoint row \(296 edge visits in all\), forward mode needs 4 sweeps carrying 13 tangents \(592 edge visits\), so reverse mode is estimated [0-9.]+× faster\.$/,
    )
  })

  it('a forced mode is reported as requested, with the other mode’s estimate', () => {
    const vs = Array.from({ length: 50 }, (_, k) => variable(named(k)))
    const tall = program([vs.map((v) => build.sin(v)).reduce((a, b) => build.add(a, b))])
    const c = unwrap(chooseMode(tall, tall.variables, { mode: 'forward' }))
    expect(c.mode).toBe('forward')
    expect(c.reason).toMatch(/^forward mode \(as requested\): .*so reverse mode would be estimated [0-9.]+× faster\.$/)
  })

  it('a sparse Jacobian is counted in colours, not in inputs', () => {
    const c = unwrap(chooseMode(broyden(100)))
    expect(c.sparse).toEqual({ nnz: 298, columnColours: 3, rowColours: 3, used: true })
    expect(c.mode).toBe('forward')
    expect(c.forward).toMatchObject({ sweeps: 1, width: 3 })
    expect(c.reason).toMatch(/298 structural non-zeros.* colour into 3 row groups and 3 column groups/)
    // Without sparsity: ⌈100 / 16⌉ = 7 sweeps.
    expect(unwrap(chooseMode(broyden(100), undefined, { sparse: false })).forward.sweeps).toBe(7)
  })

  it('a dense Jacobian is not compressed by the auto mode', () => {
    const vs = Array.from({ length: 40 }, (_, k) => variable(named(k)))
    const total = vs.map((v) => build.sin(v)).reduce((a, b) => build.add(a, b))
    const p = program(Array.from({ length: 40 }, (_, k) => build.mul(k + 1, total)))
    const c = unwrap(chooseMode(p))
    expect(c.sparse?.used ?? false).toBe(false)
    expect(c.forward.sweeps).toBe(3)
  })
})

describe('the textbook view: one tangent per forward sweep, one adjoint per reverse sweep', () => {
  it('x1 + … + x5: 5 forward sweeps of 8 edges against a values sweep and 1 reverse sweep', () => {
    const vs = Array.from({ length: 5 }, (_, k) => variable(`x${k + 1}`))
    const p = program([vs.slice(1).reduce<Node>((a, b) => build.add(a, b), vs[0] as Node)])
    const t = unwrap(textbookChoice(p))
    // 4 additions, 8 edges. Forward: 5 sweeps × 8 edges × 1 lane. Reverse: 8 value edges, then 8.
    // Memory as the textbook counts it: a forward sweep holds the 6 live values and their tangents,
    // reverse mode all 9 values and their adjoints.
    expect(t.forward).toMatchObject({ sweeps: 5, width: 1, ops: 40, madds: 40, bytes: 8 * 6 * 2 })
    expect(t.reverse).toMatchObject({ sweeps: 1, width: 1, ops: 16, madds: 8, bytes: 8 * 9 * 2 })
    expect(t.mode).toBe('reverse')
    // The chunked sweeps carry the 5 tangents in one sweep: 8 edge visits, still 40 multiply-adds.
    const c = unwrap(chooseMode(p))
    expect(c.forward).toMatchObject({ sweeps: 1, width: 5, ops: 8, madds: 40 })
    expect(c.reverse).toMatchObject({ sweeps: 1, width: 1, ops: 16, madds: 8 })
  })

  it('memory as the textbook counts it: a forward sweep holds only the live values, reverse mode keeps them all', () => {
    // A chain of 10 sines: a forward sweep holds at most 2 values at once (the argument and the result).
    let z: Node = x
    for (let k = 0; k < 10; k++) z = build.sin(z)
    const t = unwrap(textbookChoice(program([z])))
    expect([t.liveValues, t.storedValues]).toEqual([2, 11])
    expect([t.forward.bytes, t.reverse.bytes]).toEqual([16 * 2, 16 * 11])
  })

  it('no cones: each of the 10 reverse sweeps of [sin(v₀), …, sin(v₉)] visits all of G′, as the compiled passes do', () => {
    const vs = Array.from({ length: 10 }, (_, k) => variable(named(k)))
    const t = unwrap(textbookChoice(program(vs.map((v) => build.sin(v)))))
    expect(t.forward).toMatchObject({ sweeps: 10, ops: 100, madds: 100 })
    expect(t.reverse).toMatchObject({ sweeps: 10, ops: 10 + 100, madds: 100 })
    // The tape kernels prune each reverse sweep to its output's cone: 10 + 10.
    expect(unwrap(chooseMode(program(vs.map((v) => build.sin(v))), undefined, { sparse: false, mode: 'reverse' })).reverse.ops).toBe(10 + 10)
  })

  it('the compiled Jacobian uses the textbook mode: forward on a 3×3 system, as chainrule cost says', () => {
    const z = variable('z')
    const p = program([build.add(build.mul(x, y), z), build.sub(x, build.mul(y, z)), build.mul(build.sin(x), z)], { vector: true })
    expect(unwrap(chooseMode(p)).mode).toBe('forward')
    expect(unwrap(textbookChoice(p)).mode).toBe('forward')
    expect(unwrap(compile(p)).jacobian(Float64Array.of(1, 2, 3)).mode).toBe('forward')
    // One output, many inputs: the textbook's reverse mode, and the compiled Jacobian follows it.
    const vs = Array.from({ length: 40 }, (_, k) => variable(named(k)))
    const q = program([vs.map((v) => build.sin(v)).reduce((a, b) => build.add(a, b))])
    expect(unwrap(textbookChoice(q)).mode).toBe('reverse')
    expect(unwrap(compile(q)).jacobian(new Float64Array(40).fill(0.5)).mode).toBe('reverse')
    // One input, many outputs: forward.
    const wide = program(Array.from({ length: 40 }, (_, k) => build.sin(build.mul(k + 1, x))), { vector: true })
    expect(unwrap(textbookChoice(wide)).mode).toBe('forward')
    expect(unwrap(compile(wide)).jacobian(Float64Array.of(0.5)).mode).toBe('forward')
  })
})
