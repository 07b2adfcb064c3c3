/**
 * What a script needs from the entry point to leave `Either` and typed arrays in one step:
 * `orThrow` (the Right value, or a `ChainruleError` carrying the typed error), fp-ts's `isLeft` /
 * `isRight` re-exported, and `vectorOf` / `recordOf` between points and vectors in a names order.
 *
 * @example
 * orThrow(parse('x +'))   // throws ChainruleError: e.error is the ParseError, e.message its message
 */
import { describe, expect, it } from 'vitest'
import { ChainruleError, compile, grad, isLeft, isRight, orThrow, parse, recordOf, vectorOf, type EvalError, type ParseError } from '../../src/index.js'

describe('orThrow', () => {
  it('gives the Right value', () => {
    expect(orThrow(grad(orThrow(parse('x*y')), { x: 2, y: 3 })).gradient).toEqual({ x: 3, y: 2 })
  })

  it('throws a ChainruleError carrying the typed error, with its message', () => {
    const bad = parse('x +')
    expect(isLeft(bad)).toBe(true)
    try {
      orThrow(bad)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ChainruleError)
      expect(e).toBeInstanceOf(Error)
      const err = e as ChainruleError<ParseError>
      expect(err.name).toBe('ChainruleError')
      expect(err.error._tag).toBe('ParseError')
      expect(err.message).toBe(err.error.message)
      expect(err.error.column).toBe(4)
    }
    const missing = grad(orThrow(parse('x*y')), { x: 1 })
    expect(() => orThrow(missing)).toThrow(/no value given for variable 'y'/)
  })

  it('keeps the error type for a narrowing script', () => {
    const r = grad(orThrow(parse('x*y')), {})
    const names = (): readonly string[] => {
      try {
        orThrow(r)
        return []
      } catch (e) {
        if (!(e instanceof ChainruleError)) throw e
        const error = e.error as EvalError
        return error._tag === 'MissingVariable' ? error.names : []
      }
    }
    expect(names()).toEqual(['x', 'y'])
    expect(isRight(r)).toBe(false)
  })
})

describe('points and vectors', () => {
  it('vectorOf reads a point in a names order (a missing name throws, or is 0 when asked), recordOf goes back', () => {
    const f = orThrow(compile(orThrow(parse('x*y + z')), { wrt: ['z', 'x', 'y'] }))
    const x = vectorOf(f.names, { x: 2, y: 3, z: 5 })
    expect([...x]).toEqual([5, 2, 3])
    expect(recordOf(f.names, f.grad(x).gradient)).toEqual({ z: 1, x: 3, y: 2 })
    expect([...vectorOf(['a', 'b'], { a: 1 }, { missing: 0 })]).toEqual([1, 0])
    // A point without y would be computed with y = 0 (session 10 trial): refused unless asked for.
    expect(() => vectorOf(['x', 'y'], { x: -1.2 })).toThrow("vectorOf: the record gives no value for y (a point needs every name; for a direction whose absent entries are 0, pass { missing: 0 })")
    expect(() => vectorOf(['x'], { x: 1 }, { missing: 1 } as never)).toThrow('missing')
    // A typo or a value that is not a number is an error, never a silent 0.
    expect(() => vectorOf(['y', 'x'], { x: -1.2, Y: 1 })).toThrow("vectorOf: 'Y' is none of the names (did you mean 'y'?)")
    expect(() => vectorOf(['y', 'x'], { x: '-1.2', y: 1 } as unknown as Record<string, number>)).toThrow("vectorOf: the value of 'x' is a string, not a number")
    expect(() => recordOf(['a', 'b'], [1])).toThrow('recordOf: 2 names but 1 values')
    expect(() => recordOf(['a'], [1, 2])).toThrow('recordOf: 1 names but 2 values')
  })
})
