/**
 * The tensor reductions at the edges of the double range, against 700-digit references
 * (`scripts/reference/tensor.py` → test/reference/tensor.json): log-sum-exp, softmax (its
 * gradient) and the softmax cross-entropy with its gradient, at inputs near ±1e308, ±1000 and
 * 1e-20. Right to a couple of ulps, or a value outside the double range given as ±Infinity with a
 * warning. (Before, softmax was exp(a − (m + log s)), and at m = 1e308 log s rounded away: softmax
 * [1e308, 1e308, −1e308] was [1, 1, 0], without a warning.)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { logsumexp, orThrow, program, softmax, softmaxCrossEntropy, tensorEvaluate, tensorGrad, toNested, variable } from '../../src/index.js'

interface Refs {
  readonly lse: readonly { x: number[]; value: number | null; softmax: number[] }[]
  readonly sce: readonly { L: number[][]; y: number[]; value: number | null; gradient: number[][] }[]
}
const refs = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'reference', 'tensor.json'), 'utf8')) as Refs

/** Within `ulps` units in the last place of the reference (exact zeros must be exact). */
function near(got: number, want: number, ulps = 2): boolean {
  if (want === 0) return got === 0 || Math.abs(got) < 1e-300
  return Math.abs(got - want) <= ulps * Number.EPSILON * Math.abs(want)
}

describe('log-sum-exp and softmax at the edges of the double range', () => {
  for (const r of refs.lse) {
    it(`x = [${r.x.join(', ')}]`, () => {
      const x = variable('x', [r.x.length])
      const [value, sm] = orThrow(tensorEvaluate(program([logsumexp(x), softmax(x)]), { x: r.x })).values
      const g = orThrow(tensorGrad(program([logsumexp(x)]), { x: r.x }))
      if (r.value === null) {
        expect(value!.data[0]).toBe(Infinity)
        expect(g.warnings.length).toBeGreaterThan(0)
      } else expect(near(value!.data[0]!, r.value), `value ${value!.data[0]} vs ${r.value}`).toBe(true)
      r.softmax.forEach((want, i) => {
        expect(near(sm!.data[i]!, want), `softmax[${i}] ${sm!.data[i]} vs ${want}`).toBe(true)
        expect(near(g.gradient.x!.data[i]!, want), `gradient[${i}] ${g.gradient.x!.data[i]} vs ${want}`).toBe(true)
      })
    })
  }
})

describe('softmax cross-entropy at the edges of the double range', () => {
  for (const r of refs.sce) {
    it(`L = ${JSON.stringify(r.L)}, y = [${r.y.join(', ')}]`, () => {
      const L = variable('L', [r.L.length, r.L[0]!.length])
      const y = variable('y', [r.y.length])
      const g = orThrow(tensorGrad(program([softmaxCrossEntropy(L, y)]), { L: r.L, y: r.y }, ['L']))
      if (r.value === null) {
        expect(g.value.data[0]).toBe(Infinity)
        expect(g.warnings.length).toBeGreaterThan(0)
      } else expect(near(g.value.data[0]!, r.value, 4), `value ${g.value.data[0]} vs ${r.value}`).toBe(true)
      const got = toNested(g.gradient.L!) as number[][]
      r.gradient.forEach((row, i) => row.forEach((want, j) => expect(near(got[i]![j]!, want, 4), `∂L[${i}][${j}] ${got[i]![j]} vs ${want}`).toBe(true)))
    })
  }
})
