/**
 * The teaching sweeps against the document's worked examples (hand-derived numbers), and against
 * the engine's own grad and jvp on random programs with reuse (an independent implementation:
 * the engine sweeps typed-array tapes, these walk the nodes).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jvp } from '../../src/forward/index.js'
import { parse } from '../../src/lang/index.js'
import { grad } from '../../src/reverse/index.js'
import { forwardTrace, gradTableAfter, reverseTrace, wengert } from '../../src/teach/sweep.js'
import { programs } from '../core/gen.js'
import { unwrap } from '../core/helpers.js'

const listOf = (text: string, point: Record<string, number>) => unwrap(wengert(unwrap(parse(text)), point))

describe('the document’s worked examples (§2.3)', () => {
  it('(x+y)·z at x = −2, y = 5, z = −4: q = 3, f = −12; the grad_table fills from f back', () => {
    const list = listOf('q = x + y\nf = q * z', { x: -2, y: 5, z: -4 })
    expect(list.entries.map((e) => [e.label, e.symbol, e.value])).toEqual([['x', 'x', -2], ['y', 'y', 5], ['z', 'z', -4], ['q', '+', 3], ['f', '×', -12]])
    const steps = reverseTrace(list)
    // Step 1, the multiply gate: swaps its inputs and scales by the incoming gradient 1.
    expect(steps[0]).toMatchObject({ entry: 4, adjoint: 1 })
    expect(steps[0]?.changes.map((c) => [c.label, c.partial, c.added, c.total])).toEqual([['q', -4, -4, -4], ['z', 3, 3, 3]])
    // Step 2, the add gate: passes −4 unchanged to both inputs.
    expect(steps[1]?.changes.map((c) => [c.label, c.partial, c.total])).toEqual([['x', 1, -4], ['y', 1, -4]])
    expect(gradTableAfter(list, steps)).toEqual([-4, -4, 3, -4, 1])
    expect(gradTableAfter(list, steps, 1)).toEqual([undefined, undefined, 3, -4, 1])
  })

  it('f = 2·(x·y + max(z, w)) at x = 3, y = −4, z = 2, w = −1: the max gate routes the gradient to the larger input', () => {
    const list = listOf('f = 2*(x*y + max(z, w))', { x: 3, y: -4, z: 2, w: -1 })
    expect(list.entries[list.outputs[0] as number]?.value).toBe(-20)
    const g = gradTableAfter(list, reverseTrace(list))
    const by = Object.fromEntries(list.entries.filter((e) => e.kind === 'variable').map((e) => [e.label, g[e.index]]))
    expect(by).toEqual({ w: 0, x: -8, y: 6, z: 2 })
  })

  it('x·x: bprop treats the two inputs as distinct, two contributions to one entry', () => {
    const list = listOf('x * x', { x: 3 })
    const [step] = reverseTrace(list)
    expect(step?.changes.map((c) => [c.label, c.added, c.total])).toEqual([['x', 3, 3], ['x', 3, 6]])
  })

  it('forward mode: one sweep per input, and the output’s tangents are the gradient', () => {
    const list = listOf('(x+y)*z', { x: -2, y: 5, z: -4 })
    const steps = forwardTrace(list)
    expect(steps.map((s) => s.tangents)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [-4, -4, 3]])
    expect(forwardTrace(list, [{ x: 1, y: 2 }]).at(-1)?.tangents).toEqual([-12])
  })

  it('stop_gradient: a structural zero contributes nothing', () => {
    const list = listOf('x * stop_gradient(x)', { x: 3 })
    // x·s with s = stop_gradient(x): the product adds into x and s; s passes nothing on to x.
    expect(reverseTrace(list).map((s) => s.changes.map((c) => c.label))).toEqual([['x', 'v1'], []])
    expect(gradTableAfter(list, reverseTrace(list))[0]).toBe(3)
  })

  it('a name assigned again labels each node apart (x, x#2, x#3), and constants get no grad_table entry', () => {
    const list = listOf('x = x + 1; x = x * x; x', { x: 2 })
    expect(list.entries.map((e) => e.label)).toEqual(['x', '1', 'x#2', 'x#3'])
    expect(reverseTrace(list).map((s) => s.changes.map((c) => `${c.label} → ${c.total}`))).toEqual([['x#2 → 3', 'x#2 → 6'], ['x → 6']])
    // Generated labels skip the program's own names.
    expect(listOf('v1*2 + sin(v1)', { v1: 2 }).entries.map((e) => e.label)).toEqual(['v1', '2', 'v2', 'v3', 'v4'])
  })

  it('bad input is an error value: an unknown or missing variable', () => {
    const p = unwrap(parse('x + y'))
    expect(wengert(p, { x: 1 })._tag).toBe('Left')
    expect(wengert(p, { x: 1, y: 2 }, ['x', 'zz'])._tag).toBe('Left')
  })
})

describe('the same numbers as the engine, on random programs with reuse', () => {
  it('reverse trace = grad, forward trace = jvp', () => {
    fc.assert(
      fc.property(programs({ outputs: 1 }), ({ program, point }) => {
        const pt = point // the kit's samples give values to the program's variables only
        const list = unwrap(wengert(program, pt))
        const g = gradTableAfter(list, reverseTrace(list))
        const ref = unwrap(grad(program, pt))
        list.wrt.forEach((name, j) => {
          const mine = g[list.wrtEntries[j] as number] ?? 0
          const theirs = ref.gradient[name] as number
          expect(Object.is(mine, theirs) || Math.abs(mine - theirs) <= 1e-12 * Math.max(1, Math.abs(theirs))).toBe(true)
        })
        const out = list.outputs[0] as number
        const tangents = forwardTrace(list)[out]?.tangents ?? []
        list.wrt.forEach((name, j) => {
          const t = unwrap(jvp(program, pt, { [name]: 1 })).tangents[0] as number
          const mine = tangents[j] as number
          expect(Object.is(mine, t) || Math.abs(mine - t) <= 1e-12 * Math.max(1, Math.abs(t))).toBe(true)
        })
      }),
      { numRuns: 150 },
    )
  })
})

describe('the teaching sweeps refuse what can only be a mistake (session 10 teacher trial)', () => {
  it('reverseTrace takes an output entry; forwardTrace a seed over the variables differentiated', () => {
    const list = unwrap(wengert(unwrap(parse('[x*y, x+y, sin(x)]')), { x: 1, y: 2 }))
    expect(() => reverseTrace(list, 0)).toThrow('reverseTrace: 0 is not an output')
    expect(() => reverseTrace(list, 99)).toThrow('is not an output')
    expect(reverseTrace(list, list.outputs[1]).length).toBeGreaterThan(0)
    expect(() => forwardTrace(list, [{ q: 1 }])).toThrow("forwardTrace: the seed names 'q', which is not a variable differentiated (x, y)")
  })

  it('every operation has its reverse step, those with adjoint 0 marked skipped and adding 0', () => {
    const list = unwrap(wengert(unwrap(parse('relu(w*x) + b')), { w: 2, x: -1, b: 1 }))
    const steps = reverseTrace(list)
    expect(steps.map((s) => s.skipped === true)).toEqual([false, false, true])
    const g = gradTableAfter(list, steps)
    // w and x are reached (with 0), not left undefined as if nothing flowed back to them.
    expect(list.entries.filter((e) => e.kind === 'variable').map((e) => g[e.index])).toEqual([0, 0, 1])
  })
})
