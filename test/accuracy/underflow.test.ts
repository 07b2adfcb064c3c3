/**
 * Reverse accumulation that underflows (session 11 accuracy audit): adjoints below the smallest
 * double lost derivatives whose values are ordinary doubles, with the wrong sign or as 0, and no
 * warning, while forward mode got them right. The sweeps are redone with the output's adjoint
 * scaled by 2^600 and say so. References: mpmath at 60 digits and more (the audit's), and the
 * closed forms: d/dx x/(x²+1) = (1 − x²)/(x²+1)², (log x²)'' = −2/x², (1/x²)'' = 6/x⁴,
 * (x/(x²+1))'' = 2x(x² − 3)/(x²+1)³, (atan x²)'' ≈ −6/x⁶ and (log x³)'' = −3/x² for large x.
 */
import { describe, expect, it } from 'vitest'
import { hessian, hvp } from '../../src/hvp/index.js'
import { jacobian } from '../../src/jacobian/index.js'
import { parse } from '../../src/lang/index.js'
import { grad, vjp } from '../../src/reverse/index.js'
import { orThrow } from '../../src/either.js'
import type { Warning } from '../../src/tape/diagnose.js'

const p = (text: string) => orThrow(parse(text))
const close = (got: number, want: number): void => expect(Math.abs(got - want), `${got} for ${want}`).toBeLessThanOrEqual(4e-16 * Math.abs(want))
const underflowed = (ws: readonly Warning[]): boolean => ws.some((w) => w._tag === 'InexactDerivative' && w.message.includes('underflowed in reverse accumulation'))

describe('adjoints below the smallest double', () => {
  it('grad: the sign and the value come back, with a warning naming where the adjoint underflowed', () => {
    const cases: [string, number, number][] = [
      ['x/(x*x+1)', 1e110, -1e-220],
      ['1/exp(x)', 400, -1.9151695967140057e-174],
      ['1/(x*x)', 1e82, -2.0000000000000002e-246],
      ['1/(1+exp(x))', 400, -1.9151695967140057e-174],
    ]
    for (const [text, x, want] of cases) {
      const r = orThrow(grad(p(text), { x }))
      close(r.gradient.x as number, want)
      expect(underflowed(r.warnings), text).toBe(true)
    }
    const r = orThrow(grad(p('x/(x*x+1)'), { x: 1e110 }))
    expect(r.warnings.find((w) => w.message.includes('underflowed'))?.node).toBe('x*x + 1')
  })

  it('reverse-mode Jacobians and second derivatives too, and forward mode agrees', () => {
    const row = orThrow(jacobian(p('[x/(x*x+1)]'), { x: 1e110 }, { mode: 'reverse' }))
    close((row.jacobian as number[][])[0]![0]!, -1e-220)
    expect(underflowed(row.warnings)).toBe(true)
    close((orThrow(jacobian(p('[x/(x*x+1)]'), { x: 1e110 }, { mode: 'forward' })).jacobian as number[][])[0]![0]!, -1e-220)
    const second: [string, number, number][] = [
      ['log(x*x)', 1e140, -2e-280],
      ['1/(x*x)', 1e70, 6e-280],
      ['x/(x*x+1)', 1e85, 2e-255],
      ['atan(x*x)', 1e70, -6e-280],
      ['log(x*x*x)', 1e90, -3e-180],
    ]
    for (const [text, x, want] of second) {
      const h = orThrow(hessian(p(text), { x }))
      expect(Math.abs(h.hessian[0]![0]! - want), text).toBeLessThanOrEqual(1e-14 * Math.abs(want))
      expect(underflowed(h.warnings), text).toBe(true)
      const v = orThrow(hvp(p(text), { x }, { x: 1 }))
      expect(Math.abs((v.hvp.x as number) - want), text).toBeLessThanOrEqual(1e-14 * Math.abs(want))
    }
  })

  it('entry by entry: a derivative that overflows in the scaled sweep keeps its first value (session 11 review)', () => {
    // The rescued vector came back with x: Infinity beside the rescued y.
    const g = orThrow(grad(p('1e130*x + y/(y*y+1)'), { x: 1, y: 1e110 })).gradient
    expect(g.x).toBe(1e130)
    close(g.y as number, -1e-220)
    const v = orThrow(vjp(p('[x, y/(y*y+1)]'), { x: 1, y: 1e110 }, [1e200, 1])).vjp
    expect(v.x).toBe(1e200)
    close(v.y as number, -1e-220)
    const h = orThrow(hvp(p('1e130*x*x + log(y*y)'), { x: 1, y: 1e140 }, { x: 1, y: 1 }))
    expect(h.hvp.x).toBe(2e130)
    close(h.hvp.y as number, -2e-280)
    // An adjoint that underflowed to exactly 0 among moderate values (1e-330 under 1e110).
    const z = orThrow(grad(p('1e-110*atan(x*1e110)'), { x: 1 }))
    close(z.gradient.x as number, 1e-220)
    expect(z.warnings.find((w) => w.message.includes('underflowed'))?.node).toBe('x*1e+110')
    // A subnormal product is one rounding in the first sweep; divided back from the scaled one it
    // would be two (the multiply gate's property test found it): the first stands.
    const c = 6.83543974426995e-254
    const a = 9.521163299871257e-56
    expect(orThrow(vjp(p('x*y'), { x: a, y: 0 }, [c])).vjp.y).toBe(c * a)
    // −0 for 0 is no rescue, and says nothing.
    expect(underflowed(orThrow(grad(p('1/(1+x*x)'), { x: 1.3e110 })).warnings)).toBe(false)
  })

  it('ordinary points and honest underflow say nothing more', () => {
    for (const [text, x] of [['x/(x*x+1)', 3], ['log(x*x)', 1e100], ['exp(-800)*x', 1]] as const) {
      expect(underflowed(orThrow(grad(p(text), { x })).warnings), text).toBe(false)
      expect(underflowed(orThrow(hessian(p(text), { x })).warnings), text).toBe(false)
    }
  })
})
