/**
 * The library surface of tensors: builders check shapes when the graph is built, the scalar entry
 * points refuse tensor programs with a message naming the tensor ones, and points are checked
 * against the variables' shapes.
 */
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { add, compile, evaluate, grad, jacobian, matmul, mul, orThrow, parse, program, reduceSum, ShapeError, sin, tensorEvaluate, tensorGrad, tensorHessian, tensorHvp, tensorJacobian, tensorJvp, tensorVjp, toNested, variable } from '../../src/index.js'

const X = variable('X', [2, 3])
const w = variable('w', [3])

describe('tensor programs through the library', () => {
  it('a builder refuses shapes that do not fit, naming the operation and both shapes', () => {
    expect(() => matmul(X, X)).toThrow(ShapeError)
    expect(() => matmul(X, X)).toThrow('matmul: shapes [2,3] and [2,3] do not fit: inner dimensions 3 and 2 differ')
    expect(() => add(X, variable('b', [2]))).toThrow('add: shapes [2,3] and [2] do not broadcast')
    expect(matmul(X, w).shape).toEqual([2])
    expect(add(X, variable('b', [1, 3])).shape).toEqual([2, 3])
  })

  it('the scalar entry points refuse a tensor program and name the tensor ones', () => {
    const p = program([reduceSum(matmul(X, w))])
    for (const r of [grad(p, { X: 1, w: 1 }), evaluate(p, { X: 1, w: 1 }), jacobian(p, { X: 1, w: 1 })]) {
      expect(isLeft(r)).toBe(true)
      if (isLeft(r)) expect(r.left.message).toContain('use tensorEvaluate, tensorGrad')
    }
    // an entrywise op on a tensor variable is a tensor program too (never evaluated as a scalar)
    const q = program([sin(X)])
    const r = evaluate(q, { X: 1 })
    expect(isLeft(r) && r.left.message).toContain('the variable X has shape [2,3]')
    expect(isLeft(compile(p))).toBe(true)
  })

  it('points are checked against the shapes: a wrong shape, a missing variable, a typo', () => {
    const p = program([reduceSum(matmul(X, w))])
    const bad = tensorEvaluate(p, { X: [[1, 2, 3]], w: [1, 2, 3] })
    expect(isLeft(bad) && bad.left.message).toBe('the variable X has shape [2,3], but the point gives it a value of shape [1,3]')
    const missing = tensorEvaluate(p, { X: [[1, 2, 3], [4, 5, 6]] })
    expect(isLeft(missing) && missing.left._tag).toBe('MissingVariable')
    const typo = tensorEvaluate(p, { X: [[1, 2, 3], [4, 5, 6]], w: [1, 2, 3], ww: [1] })
    expect(isLeft(typo) && typo.left.message).toContain("unknown variable 'ww'")
  })

  it('grad, jvp, hvp and the Hessian of a small tensor program agree with hand-computed values', () => {
    const p = program([reduceSum(mul(matmul(X, w), matmul(X, w)))]) // ‖Xw‖²: ∇w = 2XᵀXw, H = 2XᵀX
    const point = { X: [[1, 2, 3], [4, 5, 6]], w: [1, 0, -1] }
    const g = orThrow(tensorGrad(p, point, ['w']))
    expect(g.value.data[0]).toBe(8) // Xw = [-2, -2]
    expect(toNested(g.gradient.w!)).toEqual([-20, -28, -36])
    const t = orThrow(tensorJvp(p, point, { w: [1, 0, 0] }))
    expect(t.tangents[0]!.data[0]).toBe(-20)
    const h = orThrow(tensorHvp(p, point, { w: [1, 0, 0] }, { wrt: ['w'] }))
    expect(toNested(h.hvp.w!)).toEqual([34, 44, 54]) // 2XᵀX e₁ = 2·[17, 22, 27]
    // A direction outside wrt would make a mixed second derivative: refused, as hvp refuses it.
    const mixed = tensorHvp(p, point, { X: [[1, 0, 0], [0, 0, 0]] }, { wrt: ['w'] })
    expect(isLeft(mixed) && mixed.left._tag).toBe('NotDifferentiated')
    const H = orThrow(tensorHessian(p, point, { wrt: ['w'] }))
    expect(Array.from(H.hessian)).toEqual([34, 44, 54, 44, 58, 72, 54, 72, 90])
  })

  it('parse takes the shapes of the tensor variables', () => {
    const p = orThrow(parse('sum(relu(X @ w))', { shapes: { X: [2, 3], w: [3] } }))
    expect(isRight(tensorEvaluate(p, { X: [[1, 2, 3], [4, 5, 6]], w: [1, 1, 1] }))).toBe(true)
    const e = parse('X @ X', { shapes: { X: [2, 3] } })
    expect(isLeft(e) && e.left).toMatchObject({ line: 1, column: 3, message: 'matmul: shapes [2,3] and [2,3] do not fit: inner dimensions 3 and 2 differ' })
  })

  it('a dense tensor Jacobian or Hessian past 2^26 entries is an error, not an allocation that fails (session 11 trial)', () => {
    const p = orThrow(parse('X @ W', { shapes: { X: [100, 100], W: [100, 100] } }))
    const fill = (v: number): number[][] => Array.from({ length: 100 }, () => Array<number>(100).fill(v))
    const r = tensorJacobian(p, { X: fill(0.5), W: fill(0.25) }, { wrt: ['X', 'W'] })
    expect(isLeft(r) && r.left).toMatchObject({ _tag: 'BadArgument', message: expect.stringContaining('the Jacobian would be 10000×20000, 200000000 entries (1.5 GiB), more than 67108864 built dense: tensorJvp and tensorVjp') })
    const q = orThrow(parse('sum((X @ W)^2)', { shapes: { X: [100, 100], W: [100, 100] } }))
    const h = tensorHessian(q, { X: fill(0.5), W: fill(0.25) }, { wrt: ['X', 'W'] })
    expect(isLeft(h) && h.left).toMatchObject({ _tag: 'BadArgument', message: expect.stringContaining('the Hessian would be 20000×20000') })
  })

  it("matmul's transpose flags are 0 or 1 (session 11 trial: 2, 5, -1 were read as 0, silently)", () => {
    const shapes = { X: [2, 2], w: [2, 2] }
    expect(isRight(parse('matmul(X, w, 1, 0)', { shapes }))).toBe(true)
    for (const flags of ['2, 0', '5, 7', '0, -1', '1e300, 0']) {
      const e = parse(`matmul(X, w, ${flags})`, { shapes })
      expect(isLeft(e) && e.left.message).toMatch(/^matmul: the transpose flag \(argument [34]\) must be 0 or 1, not /)
    }
  })
})

describe('compileTensor', () => {
  it('plans once and gives the same numbers as the interpreted entry points, with wrt checked once', async () => {
    const { compileTensor, tensorGrad: grad_ } = await import('../../src/index.js')
    const p = program([reduceSum(mul(matmul(X, w), matmul(X, w)))])
    const f = orThrow(compileTensor(p, { wrt: ['w'] }))
    const point = { X: [[1, 2, 3], [4, 5, 6]], w: [1, 0, -1] }
    expect(toNested(orThrow(f.grad(point)).gradient.w!)).toEqual(toNested(orThrow(grad_(p, point, ['w'])).gradient.w!))
    expect(toNested(orThrow(f.hvp(point, { w: [1, 0, 0] })).hvp.w!)).toEqual([34, 44, 54])
    const bad = compileTensor(p, { wrt: ['v'] })
    expect(isLeft(bad) && bad.left.message).toContain("unknown variable 'v' in wrt (did you mean 'w'?)")
  })
})

describe('a loss and its logits from one sweep', () => {
  it('tensorVjp with cotangents [1, 0] gives both values and the loss gradient (the README says so)', () => {
    const logits = matmul(X, variable('W', [3, 2]))
    const J = reduceSum(mul(logits, logits))
    const point = { X: [[1, 2, 3], [4, 5, 6]], W: [[1, 0], [0, 1], [1, 1]] }
    const both = orThrow(tensorVjp(program([J, logits]), point, [1, 0], ['W']))
    const alone = orThrow(tensorGrad(program([J]), point, ['W']))
    expect(toNested(both.vjp.W!)).toEqual(toNested(alone.gradient.W!))
    expect(toNested(both.values[1]!)).toEqual([[4, 5], [10, 11]])
  })
})
