/**
 * checkAgainst and the vitest matchers, checked: they pass on right derivatives, and on wrong ones
 * a property shrinks to a small counterexample whose message shows the point, both derivatives
 * side by side, the errors and the worst entry (the README shows that message: it is compared
 * here with what the kit prints). The matchers are registered here as a user registers them.
 */
import fc from 'fast-check'
import { isLeft } from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Program } from '../../src/expr/program.js'
import { parse } from '../../src/lang/index.js'
import { orThrow } from '../../src/index.js'
import { nodes } from '../../src/ops/build.js'
import { mathOf } from '../../src/ops/math.js'
import type { M } from '../../src/ops/rule.js'
import { trace } from '../../src/trace/index.js'
import { arbitraryPoint, checkAgainst, compareAgainst } from '../../src/testing/index.js'
import { derivativeMatchers } from '../../src/testing/vitest.js'

expect.extend(derivativeMatchers)

const p = (text: string): Program => {
  const r = parse(text)
  if (isLeft(r)) throw new Error(r.left.message)
  return r.right
}

// The README's pendulum: ½v² + (1 − cos x).
function energy<T>(m: M<T>, x: T, v: T): T {
  return m.add(m.mul(m.c(0.5), m.mul(v, v)), m.sub(m.c(1), m.cos(x)))
}
const traced = trace((x, v) => energy(mathOf(nodes), x, v), { names: ['x', 'v'] })
if (isLeft(traced)) throw new Error(traced.left.message)
const E = traced.right

/** The error fc.assert throws for `property` (run with a fixed seed). */
function assertionError(property: fc.IProperty<[Readonly<Record<string, number>>]>, params: fc.Parameters<[Readonly<Record<string, number>>]> = {}): Error {
  try {
    fc.assert(property, { seed: 42, ...params })
  } catch (e) {
    return e as Error
  }
  throw new Error('the property passed')
}

describe('checkAgainst', () => {
  it('passes for a right gradient (record or list) and a right Jacobian', () => {
    fc.assert(checkAgainst(({ x = 0, v = 0 }) => ({ x: Math.sin(x), v }), E, arbitraryPoint(['x', 'v'], { min: -4, max: 4 })))
    fc.assert(checkAgainst(({ x = 0, v = 0 }) => [v, Math.sin(x)], E, arbitraryPoint(['x', 'v']), { wrt: ['v', 'x'] }))
    const r = p('[x*y, sin(x)]')
    fc.assert(checkAgainst(({ x = 0, y = 0 }) => [[y, x], [Math.cos(x), 0]], r, arbitraryPoint(['x', 'y'])))
  })

  it('shrinks a wrong gradient to a small counterexample and prints the README message for it', () => {
    const wrong = ({ x = 0, v = 0 }) => ({ x: Math.cos(x), v })
    const property = checkAgainst(wrong, E, arbitraryPoint(['x', 'v'], { min: -4, max: 4 }))
    const error = assertionError(property)
    expect(error.message).toMatch(/Counterexample: \[\{"x":0,"v":0\}\]/)
    const message = (error.cause as Error).message
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
    const shown = /reports \(the rest of[^]*?```text\n([^]*?)\n```/.exec(readme)?.[1]
    expect(message).toBe(shown)
    // fast-check's own option puts it in the report.
    expect(assertionError(property, { includeErrorInReport: true }).message).toContain(message)
  })

  it('names the worst entry of a Jacobian and says what is wrong with a malformed answer', () => {
    const r = p('[x*y, sin(x)]')
    const message = compareAgainst(({ x = 0, y = 0 }) => [[y, x], [Math.sin(x), 0]], r, { x: 0, y: 1 })
    expect(message).toBe(
      [
        "the hand-written Jacobian differs from chainrule's at x = 0, y = 1: 1 of 4 entries",
        '(|yours − chainrule| ≤ 0.00001 + 0.001·|chainrule|)',
        '',
        'output  variable  mode     yours  chainrule  abs error  rel error',
        '1       x         reverse  0      1          1          1',
        '',
        'worst: ∂out1/∂x (reverse): yours 0, chainrule 1; abs error 1, rel error 1',
      ].join('\n'),
    )
    expect(compareAgainst(() => [[1, 2]], r, { x: 0, y: 1 })).toBe('the hand-written derivative at x = 0, y = 1 should be 2 rows of 2 numbers')
    expect(compareAgainst(() => ({ x: 1 }), E, { x: 0, v: 1 })).toBe('the hand-written derivative at x = 0, v = 1 has no number for v')
    expect(compareAgainst(() => [1], E, { x: 0, v: 1 })).toBe('the hand-written derivative at x = 0, v = 1 should be a list of 2 numbers (in the order x, v)')
    expect(compareAgainst(() => [1, 2], p('x/y'), { x: 1, y: 0 })).toMatch(/^the hand-written gradient differs from chainrule's at x = 1, y = 0/)
  })
})

describe('the vitest matchers', () => {
  it('toHaveGradientAt: programs at records, functions over M<T> at lists', () => {
    expect(E).toHaveGradientAt({ x: 0, v: 2 }, { x: 0, v: 2 })
    expect(energy).toHaveGradientAt([Math.PI / 2, 3], [1, 3])
    expect(p('x*y')).toHaveGradientAt({ x: 2, y: 3 }, { x: 3, y: 2.001 }, { rtol: 1e-3 })
    expect(p('x*y')).not.toHaveGradientAt({ x: 2, y: 3 }, { x: 3, y: 2.1 })
  })

  it('toHaveGradientAt prints the gradients side by side', () => {
    expect(() => expect(p('x*y')).toHaveGradientAt({ x: 2, y: 3 }, { x: 3, y: 4 })).toThrow(
      [
        'expected the gradient at x = 2, y = 3 to be the expected one (|chainrule − expected| ≤ 0.00001 + 0.001·|expected|): 1 of 2 entries differ',
        '',
        'output  variable  mode     chainrule  expected  abs error  rel error',
        '0       x         reverse  3          3         0          0',
        '0       y         reverse  2          4         2          0.5',
        '',
        'worst: ∂out0/∂y (reverse): chainrule 2, expected 4; abs error 2, rel error 0.5',
      ].join('\n'),
    )
    expect(() => expect(p('x*y')).not.toHaveGradientAt({ x: 2, y: 3 }, [3, 2])).toThrow('expected the gradient at x = 2, y = 3 not to be [3,2] (within atol 0.00001, rtol 0.001), but it is')
    expect(() => expect(p('x*y')).toHaveGradientAt({ x: 2, y: 3 }, { z: 1 })).toThrow('expected names z, which are not variables (the variables: x, y)')
    // An entry left out fails: it would pass unchecked otherwise (∂v = 2 here).
    expect(() => expect(E).toHaveGradientAt({ x: 0, v: 2 }, { x: 0 })).toThrow('expected gives no entry for v: list every variable (the gradient has x, v)')
    expect(() => expect(p('x*y')).toHaveGradientAt({ x: 2 }, { x: 1 })).toThrow("chainrule could not compute the gradient: no value given for variable 'y'")
    expect(() => expect(42).toHaveGradientAt({ x: 2 }, { x: 1 })).toThrow('expected a chainrule Program or a function over M<T>, got number')
  })

  it('toPassGradcheck prints the gradcheck report', () => {
    expect(energy).toPassGradcheck([2, 0.5], { order: 2 })
    expect(p('abs(x)')).not.toPassGradcheck({ x: 1e-7 })
    expect(() => expect(p('abs(x)')).toPassGradcheck({ x: 1e-7 })).toThrow(/^gradcheck failed at x = 1e-7: 2 of 2 first derivatives differ[^]*worst: ∂out0\/∂x \(forward\): analytic 1, numeric 0\.1/)
    expect(() => expect(p('x')).not.toPassGradcheck({ x: 1 })).toThrow('expected gradcheck to fail at x = 1, but all 2 derivatives agree with central differences')
  })
})

describe('usage errors are not failures that .not would turn into passes (session 10)', () => {
  it('toPassGradcheck: a bad wrt, a missing or misspelt variable, a value that is no program, each throws under .not', () => {
    const f = orThrow(parse('x*y'))
    expect(() => expect(f).not.toPassGradcheck({ x: 1, y: 2 }, { wrt: ['z'] })).toThrow(/z/)
    expect(() => expect(f).not.toPassGradcheck({ x: 1 })).toThrow("no value given for variable 'y'")
    expect(() => expect(f).not.toPassGradcheck({ x: 1, yy: 2 })).toThrow(/yy/)
    expect(() => expect(42).not.toPassGradcheck({ x: 1 })).toThrow('expected a chainrule Program or a function over M<T>, got number')
    expect(() => expect(undefined).not.toHaveGradientAt({ x: 1 }, { x: 1 })).toThrow('expected a chainrule Program or a function over M<T>, got undefined')
    // A real disagreement still fails, so .not passes it.
    expect(orThrow(parse('abs(x)'))).not.toPassGradcheck({ x: 1e-7 })
  })
})

describe('compareAgainst names what it cannot check, and what chainrule warns', () => {
  it('a hand-written record with a key that is not differentiated is refused', () => {
    const f = orThrow(parse('x*y'))
    expect(compareAgainst(({ x = 0, y = 0 }) => ({ x: y, y: x, c: 12345 }), f, { x: 1, y: 2 })).toBe(
      'the hand-written derivative at x = 1, y = 2 has entries for c, which is not among the variables differentiated (x, y)',
    )
  })

  it("where chainrule's own number is not reliable, its warnings come with the disagreement", () => {
    const f = orThrow(parse('log(1 + exp(x))'))
    const message = compareAgainst((pt) => ({ x: 1 / (1 + Math.exp(-(pt.x ?? 0))) }), f, { x: 710 }) ?? ''
    expect(message).toContain("the hand-written gradient differs from chainrule's at x = 710")
    expect(message).toContain('chainrule warns:')
  })
})

describe('usage errors are not failures that .not would turn into passes', () => {
  it('a missing variable, a bad option, a point that cannot be read: each throws under .not too', () => {
    const f = orThrow(parse('x*y'))
    expect(() => expect(f).not.toHaveGradientAt({ x: 1, y: 2 }, { x: 2 })).toThrow('expected gives no entry for y')
    expect(() => expect(f).not.toHaveGradientAt({ x: 1, y: 2 }, { x: 2, y: 1 }, { tol: 1 } as never)).toThrow("unknown option 'tol'")
    expect(() => expect(f).not.toHaveGradientAt({ x: 1 }, { x: 2, y: 1 })).toThrow('chainrule could not compute the gradient')
  })
})
