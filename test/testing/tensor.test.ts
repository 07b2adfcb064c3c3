/**
 * gradcheck on tensor programs: every Jacobian entry in both modes and, at order 2, the Hessian of a
 * scalar loss, against central differences; a wrong result is caught and its entry named by index.
 */
import { describe, expect, it } from 'vitest'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import { parse } from '../../src/lang/index.js'
import { orThrow } from '../../src/index.js'
import { gradcheck } from '../../src/testing/index.js'
import { derivativeMatchers } from '../../src/testing/vitest.js'

expect.extend(derivativeMatchers)

const shapes = { X: [2, 3], w: [3], y: [2] }
const p = (text: string) => orThrow(parse(text, { shapes }))
const at = { X: [[0.5, -1, 2], [1.5, 0.25, -0.75]], w: [0.1, -0.2, 0.3], y: [2, 0] }

describe('gradcheck on tensor programs', () => {
  it('the §3.4 pieces pass, first and second order, with labels left out of wrt', () => {
    const loss = p('softmax_cross_entropy(X * w, y) + 0.1 * sum(w^2)')
    const r = gradcheck(loss, at, { order: 2 })
    expect(isRight(r)).toBe(true)
    // 9 entries of X and w, both modes; then the 9×9 Hessian.
    expect(isRight(r) && r.right.entries).toBe(2 * 9 + 81)
    expect(isRight(gradcheck(p('softmax(X @ w, 0)'), { X: at.X, w: at.w }))).toBe(true)
  })

  it('an output that is a tensor: every entry of the Jacobian', () => {
    const r = gradcheck(p('tanh(X @ w) * 2'), { X: at.X, w: at.w }, { wrt: ['w'] })
    expect(isRight(r) && r.right.entries).toBe(2 * 2 * 3)
  })

  it('a kink straddled by the step is caught and named by index', () => {
    const r = gradcheck(p('sum(abs(X))'), { X: [[1e-7, 1, 1], [1, 1, 1]] })
    expect(isLeft(r) && r.left._tag).toBe('GradcheckFailure')
    if (isLeft(r) && r.left._tag === 'GradcheckFailure') {
      expect(r.left.worst[0]).toMatchObject({ variable: 'X[0,0]', analytic: 1 })
      expect(r.left.message).toMatch(/^gradcheck failed at X = \[\[1e-7,1,1\],\[1,1,1\]\]: 2 of 12 first derivatives differ/)
    }
  })

  it('order 2 wants one scalar output; bad values are errors', () => {
    expect(gradcheck(p('X @ w'), { X: at.X, w: at.w }, { order: 2 })).toMatchObject({ _tag: 'Left', left: { _tag: 'GradcheckError', error: { _tag: 'BadArgument' } } })
    expect(gradcheck(p('sum(X @ w)'), { w: at.w, X: 'nope' as unknown as number })).toMatchObject({ _tag: 'Left', left: { _tag: 'GradcheckError' } })
  })
})

describe('toHaveGradientAt on tensor programs', () => {
  const loss = p('sum(X @ w)')
  const point = { X: at.X, w: at.w }
  it('compares every entry, named by index', () => {
    expect(loss).toHaveGradientAt(point, { X: [[0.1, -0.2, 0.3], [0.1, -0.2, 0.3]], w: [2, -0.75, 1.25] })
    expect(() => expect(loss).toHaveGradientAt(point, { X: [[0.1, -0.2, 0.3], [0.1, -0.2, 0.4]], w: [2, -0.75, 1.25] })).toThrow(/1 of 9 entries differ[^]*X\[1,2\]/)
  })
  it('a variable left out, a wrong shape or an unknown name fails with what is wrong', () => {
    expect(() => expect(loss).toHaveGradientAt(point, { w: [2, -0.75, 1.25] })).toThrow('expected gives no entry for X: list every variable (the gradient has X, w)')
    expect(() => expect(loss).toHaveGradientAt(point, { X: [0.1, -0.2, 0.3], w: [2, -0.75, 1.25] })).toThrow('expected X of shape [3], but its gradient has shape [2, 3]')
    expect(() => expect(loss).toHaveGradientAt(point, { X: at.X, w: at.w, v: [1] })).toThrow('expected names v, which are not variables differentiated (X, w)')
  })
})
