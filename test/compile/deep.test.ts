/**
 * Deep chains: a chain of 10⁵ nodes compiles (nothing recursive over its depth) and its value,
 * gradient and H·v match the interpreted ones; the checkpoint interval trades stored values for
 * recomputation (`stats.stored` falls as the interval grows) without changing any result.
 *
 * @example
 * compile(chain, { checkpoint: 32 }).stats.stored  // about nodes / 32
 */
import { describe, expect, it, vi } from 'vitest'
import { compile, type Compiled } from '../../src/compile/index.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { makeCase, type Case } from './gen.js'
import { expectClose, expectSame, pathScale, reference, unwrap } from './oracle.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

/** t = sin(t)·0.999 + 0.001·t from t = x, about `nodes` nodes (t is read twice per link). */
function dampedChain(nodes: number): Program {
  let t: Node = variable('x')
  for (let k = 0; k < nodes / 4; k++) t = build.add(build.mul(build.sin(t), 0.999), build.mul(0.001, t))
  return program([t])
}

/** t = sin(0.9·t + c_k) from t = x·y, every intermediate read once: trees cut by the checkpoint. */
function singleUseChain(nodes: number): Program {
  let t: Node = build.mul(variable('x'), variable('y'))
  for (let k = 0; k < nodes / 3; k++) t = build.sin(build.add(build.mul(0.9, t), 0.1 + 0.001 * (k % 5)))
  return program([t])
}

const caseOf = (p: Program): Case =>
  makeCase('deep', p, p.variables, [], { values: [0.7, -1.3], dir: [0.6, -0.4, 0], weights: [1], wrtStyle: 0 })

/** Value bit for bit, gradient and H·v to 1e-14 relative (with the path scale) against the interpreter. */
function checkAgainst(c: Case, f: Compiled, ref: ReturnType<typeof reference>): void {
  expectSame('value', [f.value(c.x)], ref.values)
  const g = f.grad(c.x)
  expectSame('grad value', [g.value], ref.values)
  expectClose('grad', g.gradient, ref.grad, ref.scale[0])
  expectClose('hvp', f.hvp(c.x, c.dir).hvp, ref.hvp, ref.hvp.map((h) => Math.abs(h)))
  expectClose('jvp', f.jvp(c.x, c.dir).tangents, ref.jvp, [ref.scale[0].reduce((s, x, j) => s + x * Math.abs(c.dir[j]), 0)])
}

describe('a chain of 10⁵ nodes', () => {
  it('t = sin(t)·0.999 + 0.001·t compiles; gradient, jvp and H·v match the interpreter', () => {
    const p = dampedChain(100_000)
    expect(tapeFor(p.outputs).size).toBeGreaterThanOrEqual(100_000)
    const c = caseOf(p)
    const ref = reference(c)
    expect(Math.abs(ref.grad[0])).toBeGreaterThan(0)
    const stored: number[] = []
    for (const k of [1, 4, undefined]) {
      const f = unwrap(compile(p, { checkpoint: k }))
      checkAgainst(c, f, ref)
      stored.push(f.stats.stored)
    }
    // t is read twice per link, so it is stored once per link at any interval ≥ 4; with 1 every
    // node is stored.
    expect(stored[0]).toBeGreaterThan(stored[1])
    expect(stored[1]).toBeGreaterThanOrEqual(stored[2])
    expect(stored[0]).toBeGreaterThanOrEqual(100_000)
    expect(stored[1]).toBeLessThan(30_000)
  })

  it('a chain of single-use nodes: stored values fall with the checkpoint interval, results do not change', () => {
    const p = singleUseChain(100_000)
    const nodes = tapeFor(p.outputs).size
    const c = caseOf(p)
    const ref = reference(c)
    let previous: { stored: number; bytes: number; results: number[] } | undefined
    for (const k of [1, 4, 32, 1000]) {
      const f = unwrap(compile(p, { checkpoint: k }))
      checkAgainst(c, f, ref)
      const { stored, bytesPerNode } = f.stats
      // About one stored value per k nodes, plus the leaves and the two trees at the ends of the
      // chain, whose shapes are unique (no template: their nodes run on the tape, all stored).
      expect(stored).toBeLessThanOrEqual(nodes / k + 2 * k + 100)
      const results = [...f.grad(c.x).gradient, ...f.hvp(c.x, c.dir).hvp]
      if (previous !== undefined) {
        expect(stored).toBeLessThan(previous.stored)
        expect(bytesPerNode).toBeLessThan(previous.bytes)
      }
      previous = { stored, bytes: bytesPerNode, results }
    }
    expect(unwrap(compile(p)).stats.templates).toBeGreaterThan(0)
  })

  it('a time-stepping loop of small updates runs on the tape kernels, not a template call per update (session 11 trial)', () => {
    // Euler steps of a 2-species model: each update is a 6-node tree that depends on the last, so
    // its template ran one instance per step (39 996 steps for 20 000 time steps: compiled grad
    // 20 ms against 11 ms interpreted). Calls of so few nodes go back to the tape kernels.
    const a = variable('a')
    const b = variable('b')
    let x: Node = build.add(a, 9)
    let y: Node = build.add(b, 9.5)
    for (let k = 0; k < 2000; k++) {
      const dx = build.sub(build.mul(a, x), build.mul(build.mul(b, x), y))
      const dy = build.sub(build.mul(build.mul(0.1, x), y), build.mul(0.4, y))
      x = build.add(x, build.mul(5e-4, dx))
      y = build.add(y, build.mul(5e-4, dy))
    }
    const p = program([build.add(x, y)])
    const c = makeCase('euler', p, p.variables, [], { values: [1.1, 0.4], dir: [0.6, -0.4], weights: [1], wrtStyle: 0 })
    const f = unwrap(compile(p))
    expect(f.stats.steps).toBeLessThan(10)
    checkAgainst(c, f, reference(c))
  })

  it('a chain’s repeated trees stay templates; only its unique trees become segments', () => {
    const p = singleUseChain(3_000)
    const c = caseOf(p)
    const ref = reference(c)
    const f = unwrap(compile(p))
    expect(f.stats.templates).toBeGreaterThan(0)
    expect(f.stats.segments).toBe(0)
    checkAgainst(c, f, ref)
    // A chain without repeated shapes, checkpointed: its trees are unique, so segments.
    const q = irregularChain(3_000)
    const d = caseOf(q)
    const g = unwrap(compile(q, { checkpoint: 16 }))
    expect(g.stats.segments).toBeGreaterThan(100)
    checkAgainst(d, g, reference(d))
  })

  it('a 10⁵-node sum of a chain’s partial results (every t both continues the chain and is summed)', () => {
    let t: Node = variable('x')
    let s: Node = t
    for (let k = 0; k < 25_000; k++) {
      t = build.tanh(build.add(build.mul(0.99, t), 0.01))
      s = build.add(s, t)
    }
    const p = program([s])
    const c = caseOf(p)
    const ref = reference(c)
    checkAgainst(c, unwrap(compile(p)), ref)
    expect(pathScale(c)[0][0]).toBeGreaterThan(0)
  })
})

/** A chain whose links pick their op pseudo-randomly: no two trees of it have the same shape. */
function irregularChain(nodes: number): Program {
  const ops = ['sin', 'cos', 'tanh', 'atan', 'sigmoid'] as const
  let t: Node = variable('x')
  let seed = 12345
  for (let k = 0; k < nodes / 2; k++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    t = build.mul(0.9, build[ops[seed % ops.length]](t))
  }
  return program([t])
}

describe('checkpointing without repeated structure', () => {
  it('an irregular chain agrees at every checkpoint interval', () => {
    const p = irregularChain(20_000)
    const c = caseOf(p)
    const ref = reference(c)
    for (const k of [1, 4, 32]) checkAgainst(c, unwrap(compile(p, { checkpoint: k })), ref)
  })

  // A long chain without repeated shapes is checkpointed in segments: its unique trees are
  // recomputed by the segment kernels, with no code generated for them.
  it('an irregular chain stores fewer values with a larger checkpoint interval, in segments', () => {
    const p = irregularChain(20_000)
    const one = unwrap(compile(p, { checkpoint: 1 })).stats
    const many = unwrap(compile(p, { checkpoint: 32 })).stats
    expect(many.stored).toBeLessThan(one.stored / 4)
    expect(one.segments).toBe(0)
    expect(many.segments).toBeGreaterThan(100)
  })
})
