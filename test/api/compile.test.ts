/**
 * The compiled functions of one output (`value`, `grad`, `hvp`) refuse a program with several, as
 * the interpreted `grad` and `hvp` do and with the same words; they used to differentiate output 0
 * and say nothing. The refusal is at call time: the same compiled object serves `values`, `jvp`,
 * `vjp` (the way to weight the outputs) and `jacobian`, which take any number of outputs.
 *
 * @example
 * orThrow(compile(orThrow(parse('[x*y, x + y]')))).grad(x)   // throws: grad needs a program with one output ...
 */
import { describe, expect, it } from 'vitest'
import { compile, grad, hvp, orThrow, parse } from '../../src/index.js'

const thrown = (run: () => unknown): unknown => {
  try {
    run()
  } catch (e) {
    return e
  }
  return undefined
}

describe('compiled functions of one output', () => {
  const p = orThrow(parse('[x*y, x + y]'))
  const f = orThrow(compile(p))
  const x = Float64Array.of(2, 3)

  it('refuse several outputs with the interpreted message', () => {
    const g = thrown(() => f.grad(x))
    expect(g).toBeInstanceOf(RangeError)
    const interpreted = grad(p, { x: 2, y: 3 })
    expect(interpreted._tag === 'Left' && interpreted.left.message).toBe((g as Error).message)
    expect((g as Error).message).toBe('grad needs a program with one output; this one has 2 (use jacobian or vjp)')
    const h = thrown(() => f.hvp(x, Float64Array.of(1, 0)))
    const interpretedH = hvp(p, { x: 2, y: 3 }, { x: 1 })
    expect(interpretedH._tag === 'Left' && interpretedH.left.message).toBe((h as Error).message)
    expect(thrown(() => f.value(x))).toEqual(new RangeError('value needs a program with one output; this one has 2 (use values)'))
  })

  it('while the functions of any number of outputs work on the same object', () => {
    expect([...f.values(x)]).toEqual([6, 5])
    expect([...f.vjp(x, Float64Array.of(1, 0)).vjp]).toEqual([3, 2])
    expect([...f.jacobian(x).jacobian]).toEqual([3, 2, 1, 1])
  })

  it('a list of one output is one output', () => {
    const one = orThrow(compile(orThrow(parse('[x*y]'))))
    expect([...one.grad(x).gradient]).toEqual([3, 2])
    expect(one.value(x)).toBe(6)
  })
})
