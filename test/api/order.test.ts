/**
 * The default order of variables is natural order (`x2` before `x10`): the order itself as a
 * property (total, consistent, numeric runs by value, code-unit order without digits), and every
 * place a default order appears: `program.variables`, gradients, Jacobian columns, Hessian rows,
 * compiled inputs and the command's default `--wrt`. The compile case is the reproduction of the
 * issue: a `Float64Array` in numeric order used to get a silently permuted gradient.
 *
 * @example
 * program([sum(x1, x2, x10)]).variables   // ['x1', 'x2', 'x10'], not ['x1', 'x10', 'x2']
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compile, grad, hessian, jacobian, mul, naturalCompare, orThrow, parse, program, sum, variable } from '../../src/index.js'
import { cliJson } from '../cli/helpers.js'

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0)
const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Names rich in digit runs, leading zeros and the code units next to the digits ('/' and ':'). */
const names = fc.array(fc.constantFrom('x', 'y', '_', '/', ':', '0', '1', '2', '9', '00', '10', '007', 'é'), { maxLength: 6 }).map((parts) => parts.join(''))
const noDigits = fc.string({ unit: 'binary' }).filter((s) => !/[0-9]/.test(s))
const prefix = fc.string({ maxLength: 3 }).filter((s) => !/[0-9]$/.test(s))
const suffix = fc.string({ maxLength: 3 }).filter((s) => !/^[0-9]/.test(s))

/** A reference reading of the order: names as lists of symbols (numbers and code units), then code units. */
function reference(a: string, b: string): number {
  const symbols = (s: string): (bigint | number)[] => (s.match(/[0-9]+|[^0-9]/gs) ?? []).map((t) => (/^[0-9]/.test(t) ? BigInt(t) : t.charCodeAt(0)))
  const [sa, sb] = [symbols(a), symbols(b)]
  // A number sits where its digits sit among code units: compare its first digit with the unit.
  const firstDigit = (s: string, k: number): number => (s.match(/[0-9]+|[^0-9]/gs) ?? [])[k]?.charCodeAt(0) ?? 0
  for (let k = 0; k < Math.min(sa.length, sb.length); k++) {
    const [x, y] = [sa[k], sb[k]]
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      if (x !== y) return x < y ? -1 : 1
    } else if (typeof x === 'bigint' || typeof y === 'bigint') {
      return sign((typeof x === 'bigint' ? firstDigit(a, k) : (x as number)) - (typeof y === 'bigint' ? firstDigit(b, k) : (y as number)))
    } else if (x !== y) return sign((x as number) - (y as number))
  }
  if (sa.length !== sb.length) return sa.length < sb.length ? -1 : 1
  return codeUnitOrder(a, b)
}

describe('naturalCompare', () => {
  it('agrees with a reading of names as symbols', () => {
    fc.assert(
      fc.property(names, names, (a, b) => {
        expect(sign(naturalCompare(a, b))).toBe(reference(a, b))
      }),
      { numRuns: 5000 },
    )
    expect(['z2', 'z1', 'z10', 'z01', 'z', 'y9'].map((a) => ['z2', 'z1', 'z10', 'z01', 'z', 'y9'].map((b) => sign(naturalCompare(a, b)) === reference(a, b)))).toEqual(
      Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => true)),
    )
  })

  it('is antisymmetric and 0 only for the same string', () => {
    fc.assert(
      fc.property(names, names, (a, b) => {
        expect(sign(naturalCompare(a, b)) + sign(naturalCompare(b, a))).toBe(0)
        expect(naturalCompare(a, b) === 0).toBe(a === b)
      }),
      { numRuns: 2000 },
    )
  })

  it('is transitive: a sorted list is ordered pair by pair, whatever the order it started in', () => {
    fc.assert(
      fc.property(fc.array(names, { maxLength: 30 }), (list) => {
        const sorted = [...list].sort(naturalCompare)
        for (let i = 0; i < sorted.length; i++)
          for (let j = i + 1; j < sorted.length; j++) expect(naturalCompare(sorted[i] as string, sorted[j] as string)).toBeLessThanOrEqual(0)
        expect([...list].reverse().sort(naturalCompare)).toEqual(sorted)
      }),
      { numRuns: 500 },
    )
  })

  it('orders numeric runs by value, however long', () => {
    fc.assert(
      fc.property(prefix, suffix, fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (p, s, m, n) => {
        expect(sign(naturalCompare(`${p}${m}${s}`, `${p}${n}${s}`))).toBe(m < n ? -1 : m > n ? 1 : 0)
      }),
      { numRuns: 1000 },
    )
  })

  it('is code-unit order for names without digits', () => {
    fc.assert(
      fc.property(noDigits, noDigits, (a, b) => {
        expect(sign(naturalCompare(a, b))).toBe(codeUnitOrder(a, b))
      }),
    )
  })

  it('breaks ties between equal values by code units', () => {
    expect(['x1', 'x01', 'x001', 'x1a', 'x01b'].sort(naturalCompare)).toEqual(['x001', 'x01', 'x1', 'x1a', 'x01b'])
    expect(['a-', 'a1', 'a', 'a:'].sort(naturalCompare)).toEqual(['a', 'a-', 'a1', 'a:'])
  })
})

describe('every default order of variables is natural', () => {
  const xs = Array.from({ length: 12 }, (_, i) => variable(`x${i + 1}`))
  /** Σ i·x_i: the gradient is 1, 2, …, 12 in numeric order. */
  const weighted = program([sum(xs.map((x, i) => mul(i + 1, x)))])
  const numeric = xs.map((x) => x.name)

  it('program.variables, gradients and Jacobian columns', () => {
    expect(weighted.variables).toEqual(numeric)
    const point = Object.fromEntries(numeric.map((n) => [n, 1]))
    expect(orThrow(grad(weighted, point)).wrt).toEqual(numeric)
    expect(Object.keys(orThrow(grad(weighted, point)).gradient)).toEqual(numeric)
    const J = orThrow(jacobian(weighted, point))
    expect(J.wrt).toEqual(numeric)
    expect(J.jacobian[0]).toEqual(numeric.map((_, i) => i + 1))
  })

  it('Hessian rows', () => {
    const p = orThrow(parse('x10 * x2^2 + x1'))
    const r = orThrow(hessian(p, { x1: 1, x2: 3, x10: 5 }))
    expect(r.wrt).toEqual(['x1', 'x2', 'x10'])
    expect(r.hessian).toEqual([
      [0, 0, 0],
      [0, 10, 6],
      [0, 6, 0],
    ])
  })

  it('compile: a Float64Array in numeric order gets its gradient in numeric order', () => {
    const f = orThrow(compile(weighted))
    expect(f.names).toEqual(numeric)
    const x = Float64Array.from(numeric, () => 1)
    expect([...f.grad(x).gradient]).toEqual(numeric.map((_, i) => i + 1))
  })

  it("the command's default --wrt", () => {
    const r = cliJson(['grad', 'x10*x2 + x1', '--at', 'x1=1,x2=2,x10=3'])
    expect(Object.keys(r.gradient as object)).toEqual(['x1', 'x2', 'x10'])
    expect(cliJson(['jacobian', '[x10, x2]', '--at', 'x2=1,x10=1']).wrt).toEqual(['x2', 'x10'])
  })
})
