/**
 * The segment kernels (the `…At` kernels of each mode) compute exactly what the tape kernels compute when a
 * tape is copied into larger instruction arrays at an offset and its values live in arrays indexed
 * from that offset: values, adjoints, tangents and adjoint tangents, bit for bit, on random
 * programs (the adjoints of the variables; the segment sweep also visits inactive nodes, whose
 * adjoints only reach constants).
 *
 * @example
 * getValueKernels().forwardAt(op, a0, a1, v, base + leaves, base + size, base)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getForwardKernels } from '../../src/forward/kernels.js'
import { getHvpKernels } from '../../src/hvp/kernels.js'
import { getReverseKernels } from '../../src/reverse/kernels.js'
import { getValueKernels } from '../../src/tape/kernels.js'
import { linearize } from '../../src/tape/tape.js'
import { programs, varNames } from './gen.js'
import { evalTape } from './helpers.js'

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]))

describe('segment kernels', () => {
  it('forwardAt, reverseAt, jvpAt and hvpAt at an offset equal the tape kernels', () => {
    const K = { ...getForwardKernels(), ...getReverseKernels(), ...getHvpKernels() }
    const L = { ...getValueKernels(), ...K }
    fc.assert(
      fc.property(programs({ maxSteps: 12 }), fc.integer({ min: 0, max: 50 }), (s, base) => {
        const tape = linearize(s.program.outputs, varNames)
        const n = tape.size
        const shift = (a: Int32Array, fill: number): Int32Array => {
          const out = new Int32Array(base + n + 3).fill(fill)
          out.set(a, base)
          return out
        }
        const op = shift(tape.op, 99)
        const a0 = shift(tape.a0, -1)
        const a1 = shift(tape.a1, -1)
        const v = evalTape(tape, (name) => s.point[name])
        const out = tape.outputs[0]
        const leafVals = v.slice(0, tape.leaves)
        const tan = Float64Array.from({ length: n }, (_, i) => (i < tape.leaves && tape.op[i] === -1 ? Math.cos(i + 1) : 0))

        // Values.
        const lv = new Float64Array(n)
        lv.set(leafVals)
        L.forwardAt(op, a0, a1, lv, base + tape.leaves, base + n, base)
        expect(same(lv, v)).toBe(true)

        // Adjoints of the variables.
        const g = new Float64Array(n)
        g[out] = 1
        K.reverse(tape.op, tape.a0, tape.a1, v, g, tape.activeOrder, tape.activeOrder.length)
        const lg = new Float64Array(n)
        lg[out] = 1
        L.reverseAt(op, a0, a1, lv, lg, base + tape.leaves, base + n, base)
        for (const slot of tape.wrtSlots) if (slot >= 0) expect(Object.is(lg[slot], g[slot]) || (Number.isNaN(lg[slot]) && Number.isNaN(g[slot]))).toBe(true)

        // Values and tangents, then adjoints and their tangents.
        const jv = leafVals.slice()
        const kv = new Float64Array(n), kt = tan.slice()
        kv.set(leafVals)
        K.jvp(tape.op, tape.a0, tape.a1, kv, kt, tape.leaves, n)
        const pv = new Float64Array(n), pt = tan.slice()
        pv.set(jv)
        L.jvpAt(op, a0, a1, pv, pt, base + tape.leaves, base + n, base)
        expect(same(pv, kv) && same(pt, kt)).toBe(true)
        const kg = new Float64Array(n), kh = new Float64Array(n)
        kg[out] = 1
        K.hvp(tape.op, tape.a0, tape.a1, kv, kt, kg, kh, tape.activeOrder, tape.activeOrder.length)
        const lg2 = new Float64Array(n), lh = new Float64Array(n)
        lg2[out] = 1
        L.hvpAt(op, a0, a1, pv, pt, lg2, lh, base + tape.leaves, base + n, base)
        for (const slot of tape.wrtSlots) {
          if (slot < 0) continue
          expect(Object.is(lg2[slot], kg[slot]) || (Number.isNaN(lg2[slot]) && Number.isNaN(kg[slot]))).toBe(true)
          expect(Object.is(lh[slot], kh[slot]) || (Number.isNaN(lh[slot]) && Number.isNaN(kh[slot]))).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
