/**
 * The Jacobian's matrix is typed by the `format` option: dense rows by default (so
 * `jacobian(p, pt).right.jacobian[0][1]` is a number once the Either is narrowed), CSR or COO when
 * asked, and the union only when the format is not known statically. A Jacobian computed by
 * colouring and too large for dense rows needs an explicit format.
 *
 * @example
 * const J = orThrow(jacobian(p, point)).jacobian   // number[][]
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { isRight, jacobian, orThrow, parse, type CooMatrix, type CsrMatrix, type Format, type JacobianMatrix } from '../../src/index.js'
import { broyden } from '../jacobian/gen.js'

const p = orThrow(parse('[x*y, x + sin(y), exp(x)]'))
const point = { x: 1, y: 2 }

describe('the type of the matrix follows the format option', () => {
  it('dense rows by default, indexable once the Either is narrowed', () => {
    const r = jacobian(p, point)
    if (!isRight(r)) throw new Error(r.left.message)
    const entry: number = r.right.jacobian[0][1]
    expect(entry).toBe(1)
    expect(r.right.jacobian[2]).toEqual([Math.E, 0])
    expectTypeOf(orThrow(jacobian(p, point, { mode: 'reverse' })).jacobian).toEqualTypeOf<number[][]>()
    expectTypeOf(orThrow(jacobian(p, point, { format: 'dense' })).jacobian).toEqualTypeOf<number[][]>()
  })

  it('CSR or COO when asked; the union when the format is only known at run time', () => {
    const csr = orThrow(jacobian(p, point, { format: 'csr' })).jacobian
    expectTypeOf(csr).toEqualTypeOf<CsrMatrix>()
    expect(csr.rowPtr).toEqual([0, 2, 4, 5])
    expectTypeOf(orThrow(jacobian(p, point, { format: 'coo' })).jacobian).toEqualTypeOf<CooMatrix>()
    const format = ['csr', 'dense'][Math.floor(Math.random() * 2)] as Format
    expectTypeOf(orThrow(jacobian(p, point, { format })).jacobian).toEqualTypeOf<JacobianMatrix>()
  })

  it('a coloured Jacobian up to denseLimit entries is dense by default; beyond, the default is refused', () => {
    const small = broyden(300)
    const x = Object.fromEntries(small.variables.map((v) => [v, -1]))
    const r = orThrow(jacobian(small, x, { sparse: true }))
    expect([r.colours, r.jacobian.length, r.jacobian[0]?.length]).toEqual([3, 300, 300])
    expect(r.jacobian[0]?.slice(0, 3)).toEqual([7, -2, 0])
    const big = broyden(1100)
    const y = Object.fromEntries(big.variables.map((v) => [v, -1]))
    const refused = jacobian(big, y, { sparse: true })
    expect(isRight(refused) ? 'dense' : refused.left.message).toMatch(/ask for format: 'csr'/)
    expect(orThrow(jacobian(big, y, { sparse: true, format: 'dense' })).jacobian.length).toBe(1100)
  })
})
