/**
 * The `jacobian` API at its edges: wrt lists, scalar programs, constant outputs, errors as values,
 * and warnings.
 */
import { describe, expect, it } from 'vitest'
import { isLeft } from 'fp-ts/lib/Either.js'
import { jacobian, type JacobianOptions } from '../../src/jacobian/index.js'
import { parse } from '../../src/lang/index.js'
import { unwrap } from './gen.js'

const p = (source: string) => unwrap(parse(source))
const modes: readonly JacobianOptions[] = [{ mode: 'forward' }, { mode: 'reverse' }, { mode: 'auto' }, { sparse: true }]

describe('jacobian', () => {
  it('defaults to every free variable, sorted', () => {
    const r = unwrap(jacobian(p('[y*z, x]'), { x: 1, y: 2, z: 3 }))
    expect(r.wrt).toEqual(['x', 'y', 'z'])
    expect(r.jacobian).toEqual([
      [0, 3, 2],
      [1, 0, 0],
    ])
    expect(r.values).toEqual([6, 1])
  })

  it('refuses names absent from the program and repeated names (no silent zero or repeated columns)', () => {
    for (const options of modes) {
      const q = p('[x*y, sin(x)]')
      expect(jacobian(q, { x: 0, y: 2 }, { ...options, wrt: ['y', 'nope', 'x'] })).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'nope' } })
      expect(jacobian(q, { x: 0, y: 2 }, { ...options, wrt: ['y', 'x', 'y'] })).toMatchObject({ _tag: 'Left', left: { _tag: 'DuplicateName', name: 'y' } })
      const r = unwrap(jacobian(q, { x: 0, y: 2 }, { ...options, wrt: ['y', 'x'] }))
      expect(r.jacobian).toEqual([
        [0, 2],
        [0, 1],
      ])
    }
  })

  it('works for scalar programs (1 × n), constant outputs and an empty wrt', () => {
    for (const options of modes) {
      expect(unwrap(jacobian(p('x*x*y'), { x: 3, y: 2 }, options)).jacobian).toEqual([[12, 9]])
      expect(unwrap(jacobian(p('[x, 3, 2*x]'), { x: 1 }, options)).jacobian).toEqual([[1], [0], [2]])
      const none = unwrap(jacobian(p('[x, x*x]'), { x: 1 }, { ...options, wrt: [] }))
      expect([none.jacobian, none.values, none.sweeps]).toEqual([[[], []], [1, 1], 0])
    }
  })

  it('reports missing variables and bad options as values', () => {
    const missing = jacobian(p('[x*y]'), { x: 1 })
    expect(isLeft(missing) && missing.left._tag).toBe('MissingVariable')
    const badMode = jacobian(p('[x]'), { x: 1 }, { mode: 'sideways' as 'auto' })
    expect(isLeft(badMode) && badMode.left.message).toMatch(/mode must be/)
    const badFormat = jacobian(p('[x]'), { x: 1 }, { format: 'xml' as 'coo' })
    expect(isLeft(badFormat) && badFormat.left.message).toMatch(/format must be/)
  })

  it('warns at non-differentiable points and where non-finite numbers arise', () => {
    for (const options of modes) {
      const kink = unwrap(jacobian(p('[relu(x), x*y]'), { x: 0, y: 1 }, options))
      expect(kink.jacobian).toEqual([
        [0, 0],
        [1, 0],
      ])
      expect(kink.warnings.map((w) => w._tag)).toEqual(['NonDifferentiable'])
      const root = unwrap(jacobian(p('[sqrt(x), y]'), { x: 0, y: 1 }, options))
      expect(root.warnings.map((w) => w._tag)).toContain('NonFiniteDerivative')
      const logNeg = unwrap(jacobian(p('[log(x), y]'), { x: -1, y: 1 }, options))
      expect(logNeg.warnings.map((w) => w._tag)).toContain('NonFiniteValue')
    }
  })

  it('reuses its plan: the same result at another point', () => {
    const q = p('[x*y, x + y]')
    const a = unwrap(jacobian(q, { x: 1, y: 2 }))
    const b = unwrap(jacobian(q, { x: 3, y: 4 }))
    expect(a.cost).toBe(b.cost)
    expect(b.jacobian).toEqual([
      [4, 3],
      [1, 1],
    ])
  })
})
