/**
 * Options at the API boundary: a misspelt key is named (with the closest one) and a value outside
 * its choices is refused, in every function that takes an options record; never the default used
 * silently in place of what the caller meant.
 */
import { describe, expect, it } from 'vitest'
import { chooseMode, compile, compileTensor, hessian, hvp, hvpExpr, jacobian, parse, orThrow, sparseHessian, tensorHessian, tensorHvp, tensorJacobian, variable, program, matmul, reduceSum } from '../../src/index.js'
import { arbitraryPoint, arbitraryProgram, compareAgainst, gradcheck } from '../../src/testing/index.js'
import { derivativeMatchers } from '../../src/testing/vitest.js'
import { defineOp, mul, printExpr, trace, type M, type Node } from '../../src/index.js'

expect.extend(derivativeMatchers)

const p = orThrow(parse('x*y + sin(x)'))
const at = { x: 1, y: 2 }
const W = variable('W', [2, 2])
const t = program([reduceSum(matmul(W, W))])
const tat = { W: [[1, 2], [3, 4]] }
const left = (message: string) => ({ _tag: 'Left', left: { _tag: 'BadArgument', message } })
type Loose = Record<string, unknown>

describe('options records', () => {
  it('an unknown key is refused with the closest known one', () => {
    const typo = { wrtt: ['x'] } as Loose
    expect(jacobian(p, at, typo)).toMatchObject(left("unknown option 'wrtt' of jacobian (did you mean 'wrt'?)"))
    expect(hessian(p, at, typo)).toMatchObject(left("unknown option 'wrtt' of hessian (did you mean 'wrt'?)"))
    expect(sparseHessian(p, at, typo)).toMatchObject(left("unknown option 'wrtt' of sparseHessian (did you mean 'wrt'?)"))
    expect(hvp(p, at, { x: 1 }, typo)).toMatchObject(left("unknown option 'wrtt' of hvp (did you mean 'wrt'?)"))
    expect(hvpExpr(p, { x: 1 }, typo)).toMatchObject(left("unknown option 'wrtt' of hvpExpr (did you mean 'wrt'?)"))
    expect(compile(p, { wtr: ['x'] } as Loose)).toMatchObject(left("unknown option 'wtr' of compile (did you mean 'wrt'?)"))
    expect(chooseMode(p, ['x', 'y'], { spars: true } as Loose)).toMatchObject(left("unknown option 'spars' of chooseMode (did you mean 'sparse'?)"))
    expect(tensorJacobian(t, tat, typo)).toMatchObject(left("unknown option 'wrtt' of tensorJacobian (did you mean 'wrt'?)"))
    expect(tensorHessian(t, tat, typo)).toMatchObject(left("unknown option 'wrtt' of tensorHessian (did you mean 'wrt'?)"))
    expect(tensorHvp(t, tat, { W: [[1, 0], [0, 0]] }, typo)).toMatchObject(left("unknown option 'wrtt' of tensorHvp (did you mean 'wrt'?)"))
    expect(compileTensor(t, typo)).toMatchObject(left("unknown option 'wrtt' of compileTensor (did you mean 'wrt'?)"))
    expect(trace((x: Node, y: Node) => mul(x, y), { name: ['a', 'b'] } as Loose)).toMatchObject({ _tag: 'Left', left: { _tag: 'TraceError', reason: 'options', message: "unknown option 'name' of trace (did you mean 'names'?)" } })
    expect(() => expect(p).toHaveGradientAt(at, { x: 3 + Math.cos(1), y: 1 }, { tol: 1e-3 } as Loose)).toThrow("unknown option 'tol' of toHaveGradientAt")
    expect(() => compareAgainst(() => [[0, 0]], p, at, { rtoll: 1 } as Loose)).toThrow("unknown option 'rtoll' of compareAgainst (did you mean 'rtol'?)")
    expect(parse('sum(X*X)', { shape: { X: [2] } } as Loose)).toMatchObject({ _tag: 'Left', left: { _tag: 'ParseError', message: "unknown option 'shape' of parse (did you mean 'shapes'?)" } })
    expect(() => printExpr(variable('x'), { maxLen: 3 } as Loose)).toThrow("unknown option 'maxLen' of printExpr (it takes names, maxLength)")
    expect(() => defineOp({ name: 'fine_op', arity: 1, fn: (x: number) => x, bogus: 1 } as never)).toThrow("defineOp: unknown option 'bogus' of defineOp")
    expect(() => defineOp({ name: 'pi', arity: 1, fn: (x) => x })).toThrow("defineOp: 'pi' is a constant of the language, not a free name")
    expect(() => gradcheck(<T>(m: M<T>, x: T) => m.sin(x), [1], { wrt: ['x'] })).toThrow('wrt names variables of a program')
    expect(() => program([variable('x')], { vectr: true } as Loose)).toThrow("unknown option 'vectr' of program (did you mean 'vector'?)")
    expect(() => arbitraryPoint(['x'], { minimum: 0 } as Loose)).toThrow("unknown option 'minimum' of arbitraryPoint")
    expect(() => arbitraryProgram({ maxstep: 3 } as Loose)).toThrow("unknown option 'maxstep' of arbitraryProgram (did you mean 'maxSteps'?)")
    // A sibling function's options record is taken as it is.
    expect(chooseMode(p, ['x', 'y'], { mode: 'reverse', format: 'dense' } as Loose)).toMatchObject({ _tag: 'Right' })
    expect(sparseHessian(p, at, { wrt: ['x', 'y'], sparse: true } as Loose)).toMatchObject({ _tag: 'Right' })
    expect(() => gradcheck(p, at, { tol: 1e-12 } as Loose)).toThrow(/^unknown option 'tol' of gradcheck \(did you mean '[ar]tol'\?\)$/)
  })

  it('a value outside its choices is refused', () => {
    const sideways = { mode: 'sideways' } as Loose
    expect(jacobian(p, at, sideways)).toMatchObject(left("mode must be 'auto', 'forward' or 'reverse', not 'sideways'"))
    expect(compile(p, sideways)).toMatchObject(left("mode must be 'auto', 'forward' or 'reverse', not 'sideways'"))
    expect(tensorJacobian(t, tat, sideways)).toMatchObject(left("mode must be 'auto', 'forward' or 'reverse', not 'sideways'"))
    expect(jacobian(p, at, { sparse: 'yes' } as Loose)).toMatchObject(left("sparse must be true or false, not 'yes'"))
    for (const checkpoint of [0, -1, 0.5, NaN]) expect(compile(p, { checkpoint })).toMatchObject(left(`checkpoint must be a number of at least 1, not ${checkpoint}`))
    expect(() => gradcheck(p, at, { show: -1 })).toThrow('show must be an integer of at least 1, not -1')
    expect(jacobian(p, at, 'x' as unknown as Loose)).toMatchObject(left('the options of jacobian must be an object such as { wrt: [\'x\'] }, not a string'))
  })

  it('right options still work, and undefined values are left out', () => {
    expect(jacobian(p, at, { wrt: ['x'], mode: 'reverse', sparse: false, format: 'dense' })).toMatchObject({ _tag: 'Right' })
    expect(compile(p, { wrt: ['x'], fixed: { y: 2 }, checkpoint: 4, mode: undefined })).toMatchObject({ _tag: 'Right' })
    expect(tensorJacobian(t, tat, { mode: 'forward' })).toMatchObject({ _tag: 'Right' })
  })
})

describe('tensor wrt', () => {
  it('a name given twice is refused, as in the scalar functions', () => {
    const twice = { _tag: 'Left', left: { _tag: 'DuplicateName', name: 'W' } }
    expect(tensorJacobian(t, tat, { wrt: ['W', 'W'] })).toMatchObject(twice)
    expect(tensorHessian(t, tat, { wrt: ['W', 'W'] })).toMatchObject(twice)
    expect(compileTensor(t, { wrt: ['W', 'W'] })).toMatchObject(twice)
  })
})

describe('a value that is no program (session 11 trial)', () => {
  it('is a BadArgument naming what it is, not a TypeError about length', async () => {
    const { parse, grad, compile, jacobian, evaluate, hessian } = await import('../../src/index.js')
    const message = (r: { _tag: string; left?: { message: string } }): string | undefined => r.left?.message
    expect(message(grad('(x+y)*z' as never, { x: 1 }))).toBe('grad takes a program, and was given a string: parse it first (orThrow(parse(text)))')
    expect(message(grad(parse('(x+y)*z') as never, { x: 1, y: 2, z: 3 }))).toMatch(/^grad takes a program, and was given an Either, as parse and trace return it: unwrap it first/)
    expect(message(compile(parse('x') as never))).toMatch(/^compile takes a program, and was given an Either/)
    expect(message(jacobian({ a: 1 } as never, {}))).toBe('jacobian takes a program, and was given an object that is not a program')
    expect(message(evaluate(42 as never, {}))).toBe('evaluate takes a program, and was given a number, not a program')
    expect(message(hessian(null as never, {}))).toBe('hessian takes a program, and was given null, not a program')
  })
})
