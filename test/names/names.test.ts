/**
 * Names checked everywhere (issue 8, "no silent wrong answers"): every public API that takes a
 * `wrt` list, a point, a tangent, a direction, a cotangent or fixed values refuses a name that is
 * not a variable of the program (with the closest one suggested), a constant (`pi`, `e`), an
 * assigned name (with the variables to use instead), a name given twice and a value that is not
 * a number, as a typed `EvalError`; points count their own enumerable properties only.
 *
 * Each reproduction of the issue is a test; property tests check that any other key is refused
 * and that suggestions are close.
 */
import fc from 'fast-check'
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { closest, editDistance } from '../../src/expr/names.js'
import { variable } from '../../src/expr/node.js'
import { naturalCompare } from '../../src/expr/order.js'
import { program, type Program } from '../../src/expr/program.js'
import { derivativeAt, evaluate, jvp } from '../../src/forward/index.js'
import { derivative, derivativesAt, hessian, hvp, hvpExpr, sparseHessian } from '../../src/hvp/index.js'
import { chooseMode, jacobian, sparsityPattern } from '../../src/jacobian/index.js'
import { parse } from '../../src/lang/index.js'
import { build } from '../../src/ops/build.js'
import { grad, gradExpr, vjp } from '../../src/reverse/index.js'
import { describeName, isNameError, type EvalError, type Point } from '../../src/tape/point.js'

const p = (source: string): Program => {
  const r = parse(source)
  if (isLeft(r)) throw new Error(r.left.message)
  return r.right
}

function unwrap<A>(e: Either<EvalError, A>): A {
  if (isLeft(e)) throw new Error(`unexpected Left: ${e.left.message}`)
  return e.right
}

/** The error of a call that must fail. */
function failure<A>(e: Either<EvalError, A>): EvalError {
  if (!isLeft(e)) throw new Error('expected an error, got a result')
  return e.left
}

const xy = p('x*y')
const at = { x: 1, y: 2 }

/** Every API that takes a wrt list (or one name), called on `program` at `point`. */
const wrtApis: Record<string, (program: Program, point: Point, wrt: readonly string[]) => Either<EvalError, unknown>> = {
  grad: (q, pt, wrt) => grad(q, pt, wrt),
  vjp: (q, pt, wrt) => vjp(q, pt, [1], wrt),
  gradExpr: (q, _pt, wrt) => gradExpr(q, wrt),
  jacobian: (q, pt, wrt) => jacobian(q, pt, { wrt }),
  'jacobian (sparse)': (q, pt, wrt) => jacobian(q, pt, { wrt, sparse: true }),
  chooseMode: (q, _pt, wrt) => chooseMode(q, wrt),
  sparsityPattern: (q, _pt, wrt) => sparsityPattern(q, wrt),
  hvp: (q, pt, wrt) => hvp(q, pt, {}, { wrt }),
  hvpExpr: (q, _pt, wrt) => hvpExpr(q, {}, { wrt }),
  hessian: (q, pt, wrt) => hessian(q, pt, { wrt }),
  'hessian (sparse)': (q, pt, wrt) => hessian(q, pt, { wrt, sparse: true }),
  sparseHessian: (q, pt, wrt) => sparseHessian(q, pt, { wrt }),
  compile: (q, _pt, wrt) => compile(q, { wrt }),
  // One name: the last of the list (the others are checked by the rest).
  jvp: (q, pt, wrt) => jvp(q, pt, { [wrt[wrt.length - 1]]: 1 }),
  derivativeAt: (q, pt, wrt) => derivativeAt(q, pt, wrt[wrt.length - 1]),
  derivativesAt: (q, pt, wrt) => derivativesAt(q, pt, wrt[wrt.length - 1], 2),
  derivative: (q, _pt, wrt) => derivative(q, wrt[wrt.length - 1], 2),
}

/** The APIs that take a whole list (a duplicate is only possible there). */
const listApis = Object.keys(wrtApis).filter((name) => !['jvp', 'derivativeAt', 'derivativesAt', 'derivative'].includes(name))

/** Every API that takes a point. */
const pointApis: Record<string, (program: Program, point: Point) => Either<EvalError, unknown>> = {
  evaluate: (q, pt) => evaluate(q, pt),
  grad: (q, pt) => grad(q, pt),
  vjp: (q, pt) => vjp(q, pt, q.outputs.map(() => 1)),
  jvp: (q, pt) => jvp(q, pt, { [q.variables[0]]: 1 }),
  derivativeAt: (q, pt) => derivativeAt(q, pt, q.variables[0]),
  derivativesAt: (q, pt) => derivativesAt(q, pt, q.variables[0], 2),
  jacobian: (q, pt) => jacobian(q, pt),
  hvp: (q, pt) => hvp(q, pt, {}),
  hessian: (q, pt) => hessian(q, pt),
  sparseHessian: (q, pt) => sparseHessian(q, pt),
}

describe('wrt: the issue, reproduced', () => {
  it("grad(p, pt, ['x', 'yy']) is an UnknownName error suggesting 'y', not a zero derivative", () => {
    const e = failure(grad(xy, at, ['x', 'yy']))
    expect(e).toMatchObject({ _tag: 'UnknownName', name: 'yy', argument: 'wrt', suggestion: 'y' })
    expect(e.message).toBe("unknown variable 'yy' in wrt (did you mean 'y'?)")
  })

  it("jacobian(..., { wrt: [..., 'zz'] }) is an error: a typo cannot make a Newton matrix singular", () => {
    const r = p('[x*x + y, x - y]')
    expect(failure(jacobian(r, at, { wrt: ['x', 'y', 'zz'] }))).toMatchObject({ _tag: 'UnknownName', name: 'zz' })
  })

  it("'z' for a program of x and y: suggests 'y'", () => {
    expect(failure(grad(xy, at, ['z']))).toMatchObject({ _tag: 'UnknownName', name: 'z', suggestion: 'y' })
  })

  it('a constant of the language (pi, e) is a ConstantName error with its value', () => {
    const q = p('pi*x + e')
    expect(failure(grad(q, { x: 1 }, ['pi']))).toMatchObject({ _tag: 'ConstantName', name: 'pi', value: Math.PI })
    const e = failure(grad(q, { x: 1 }, ['x', 'e']))
    expect(e).toMatchObject({ _tag: 'ConstantName', name: 'e', value: Math.E })
    expect(e.message).toBe("'e' in wrt is a constant (2.718281828459045) in the language, not a variable")
  })

  it('an assigned name is an AssignedName error that names the variables to differentiate instead', () => {
    const q = p('q = x + y; q*z')
    const e = failure(grad(q, { x: 1, y: 2, z: 3 }, ['q']))
    expect(e).toMatchObject({ _tag: 'AssignedName', name: 'q', variables: ['x', 'y'] })
    expect(e.message).toBe("'q' in wrt is assigned in the program, not a variable; differentiate with respect to 'x', 'y' instead")
  })

  it('a program that reassigns a constant name: it is an assigned name there, not a constant', () => {
    const q = p('e = x*2; e + y')
    expect(failure(grad(q, { x: 1, y: 2 }, ['e']))).toMatchObject({ _tag: 'AssignedName', name: 'e', variables: ['x'] })
  })

  it('a name given twice is a DuplicateName error', () => {
    expect(failure(grad(xy, at, ['x', 'y', 'x']))).toMatchObject({ _tag: 'DuplicateName', name: 'x', argument: 'wrt' })
    // A declared variable the outputs do not use has no slot: found twice by name.
    const declared = program(xy.outputs, { variables: ['w'] })
    expect(failure(grad(declared, at, ['w', 'x', 'w']))).toMatchObject({ _tag: 'DuplicateName', name: 'w', argument: 'wrt' })
    expect(grad(declared, at, ['w', 'x'])).toMatchObject({ _tag: 'Right', right: { gradient: { w: 0 } } })
  })

  it('a wrt that is not a list of names is a BadArgument', () => {
    expect(failure(grad(xy, at, 'x' as unknown as string[]))).toMatchObject({ _tag: 'BadArgument' })
    expect(failure(grad(xy, at, [1] as unknown as string[]))).toMatchObject({ _tag: 'BadArgument' })
  })
})

describe('wrt: every API', () => {
  for (const [api, call] of Object.entries(wrtApis)) {
    it(`${api}: unknown, constant and assigned names are refused; the program's own names work`, () => {
      const q = p('s = x*y; sin(s) + pi')
      const pt = { x: 0.5, y: 2 }
      expect(failure(call(q, pt, ['x', 'yy']))).toMatchObject({ _tag: 'UnknownName', name: 'yy', suggestion: 'y' })
      expect(failure(call(q, pt, ['x', 'pi']))).toMatchObject({ _tag: 'ConstantName', name: 'pi' })
      expect(failure(call(q, pt, ['x', 's']))).toMatchObject({ _tag: 'AssignedName', name: 's', variables: ['x', 'y'] })
      unwrap(call(q, pt, ['y', 'x']))
    })
  }
  for (const api of listApis) {
    it(`${api}: a repeated name is refused`, () => {
      expect(failure(wrtApis[api](p('sin(x*y)'), at, ['y', 'x', 'y']))).toMatchObject({ _tag: 'DuplicateName', name: 'y' })
    })
  }
})

describe('points: the issue, reproduced', () => {
  it("a value for a name the program does not use is an error: 'e*x' at x=1, e=5 does not silently use e = 2.718…", () => {
    const e = failure(grad(p('e*x'), { x: 1, e: 5 }))
    expect(e).toMatchObject({ _tag: 'ConstantName', name: 'e', argument: 'point', value: Math.E })
    expect(e.message).toBe("'e' in the point is a constant (2.718281828459045) in the language; it cannot be given a value")
  })

  it('an unused key is an UnknownName error, with a suggestion when one is close', () => {
    expect(failure(evaluate(p('x+1'), { x: 1, unused: 5 }))).toMatchObject({ _tag: 'UnknownName', name: 'unused', argument: 'point', known: ['x'] })
    const e = failure(evaluate(xy, { x: 1, yy: 2 }))
    expect(e).toMatchObject({ _tag: 'UnknownName', name: 'yy', suggestion: 'y' })
    expect(e.message).toBe("unknown variable 'yy' in the point (did you mean 'y'?)")
    // Between names as close, one the point does not give is the likelier meaning (z for zz, not y).
    expect(failure(evaluate(p('q = x + y; q*zz'), { x: 1, y: 2, z: 3 })).message).toBe("unknown variable 'z' in the point (did you mean 'zz'?)")
    expect(failure(evaluate(xy, { x: 1, Y: 2 })).message).toBe("unknown variable 'Y' in the point (did you mean 'y'?)")
  })

  it('a value for an assigned name is an AssignedName error', () => {
    const e = failure(evaluate(p('q = x + 1; q*2'), { x: 1, q: 5 }))
    expect(e).toMatchObject({ _tag: 'AssignedName', name: 'q', variables: ['x'] })
    expect(e.message).toContain('cannot be given a value')
  })

  it('inherited properties are not values: Object.create({x: 5}) gives no x', () => {
    const e = failure(grad(p('x*2'), Object.create({ x: 5 }) as Point))
    expect(e).toMatchObject({ _tag: 'MissingVariable', names: ['x'] })
    // Session 11 trial: the names came in the tape's order ('x10' before 'x2').
    const many = failure(evaluate(p('a+b+c+x10+x2'), { a: 1 }))
    expect(many).toMatchObject({ _tag: 'MissingVariable', names: ['b', 'c', 'x2', 'x10'], message: "no values given for variables 'b', 'c', 'x2', 'x10'" })
    expect(e.message).toContain('only inherited')
  })

  it('a polluted Object.prototype is never a value, and never an extra key', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.zz = 42
    try {
      expect(failure(evaluate(p('zz+1'), {}))).toMatchObject({ _tag: 'MissingVariable', names: ['zz'] })
      expect(unwrap(evaluate(p('x+1'), { x: 1 })).values).toEqual([2])
    } finally {
      delete proto.zz
    }
  })

  it('a value that is not a number is a NotANumber error naming the key', () => {
    const e = failure(evaluate(xy, { x: '1', y: 2 } as unknown as Point))
    expect(e).toMatchObject({ _tag: 'NotANumber', name: 'x', argument: 'point', got: 'a string' })
    expect(e.message).toBe("the value of 'x' in the point is a string, not a number")
    for (const [v, got] of [[null, 'null'], [undefined, 'undefined'], [[1], 'an array'], [{}, 'an object'], [1n, 'a bigint'], [true, 'a boolean']] as const) {
      expect(failure(evaluate(xy, { x: v, y: 2 } as unknown as Point))).toMatchObject({ _tag: 'NotANumber', name: 'x', got })
    }
  })

  it('a point that is not an object is a BadArgument', () => {
    for (const v of [null, undefined, 3, 'x=1']) expect(failure(evaluate(xy, v as unknown as Point))).toMatchObject({ _tag: 'BadArgument' })
  })

  it('a non-enumerable own property is not a value either', () => {
    const pt = Object.defineProperty({ y: 2, zz: 1 }, 'x', { value: 1, enumerable: false })
    expect(failure(evaluate(xy, pt))).toMatchObject({ _tag: 'UnknownName', name: 'zz' })
    expect(failure(evaluate(xy, Object.defineProperty({ y: 2 }, 'x', { value: 1, enumerable: false })))).toMatchObject({ _tag: 'MissingVariable', names: ['x'] })
  })

  it('an unknown key is reported before a missing variable (the typo explains the gap)', () => {
    expect(failure(evaluate(xy, { x: 1, yy: 2 }))).toMatchObject({ _tag: 'UnknownName', name: 'yy' })
  })

  for (const [api, call] of Object.entries(pointApis)) {
    it(`${api}: checks its point`, () => {
      const q = p('sin(x)*y')
      expect(failure(call(q, { x: 1, y: 2, w: 3 }))).toMatchObject({ _tag: 'UnknownName', name: 'w', argument: 'point' })
      expect(failure(call(q, { x: 1, y: 2, pi: 3 }))).toMatchObject({ _tag: 'ConstantName', name: 'pi' })
      expect(failure(call(q, Object.assign(Object.create({ y: 2 }) as object, { x: 1 })))).toMatchObject({ _tag: 'MissingVariable', names: ['y'] })
      expect(failure(call(q, { x: 1, y: '2' } as unknown as Point))).toMatchObject({ _tag: 'NotANumber', name: 'y' })
      unwrap(call(q, { x: 1, y: 2 }))
    })
  }

  it('a name such as __proto__ or constructor is a variable like any other', () => {
    const q = program([build.mul(variable('__proto__'), variable('constructor'))])
    const pt = JSON.parse('{"__proto__": 3, "constructor": 2}') as Point
    expect(unwrap(evaluate(q, pt)).values).toEqual([6])
    expect(unwrap(grad(q, pt)).gradient).toEqual(JSON.parse('{"__proto__": 2, "constructor": 3}'))
    expect(failure(evaluate(q, {}))).toMatchObject({ _tag: 'MissingVariable', names: ['__proto__', 'constructor'] })
  })
})

describe('points that cannot gain keys are counted once', () => {
  it('a sealed point reused with new values gives the new results', () => {
    const pt = Object.seal({ x: 1, y: 2 })
    expect(unwrap(grad(xy, pt)).gradient).toEqual({ x: 2, y: 1 })
    pt.x = 3
    expect(unwrap(grad(xy, pt)).gradient).toEqual({ x: 2, y: 3 })
  })

  it('the same sealed point is still checked against another program', () => {
    const pt = Object.freeze({ x: 1, y: 2 })
    unwrap(evaluate(xy, pt))
    expect(failure(evaluate(p('x+1'), pt))).toMatchObject({ _tag: 'UnknownName', name: 'y' })
    unwrap(evaluate(xy, pt))
  })

  it('a non-extensible point that loses a key is missing it', () => {
    const pt: Record<string, number> = Object.preventExtensions({ x: 1, y: 2 })
    unwrap(evaluate(xy, pt))
    delete pt.y
    expect(failure(evaluate(xy, pt))).toMatchObject({ _tag: 'MissingVariable', names: ['y'] })
  })
})

describe('tangents, directions, cotangents', () => {
  it('jvp: a tangent key that is not a variable is refused (it used to give a zero direction)', () => {
    expect(failure(jvp(xy, at, { x: 1, yy: 1 }))).toMatchObject({ _tag: 'UnknownName', name: 'yy', argument: 'tangent', suggestion: 'y' })
    expect(failure(jvp(p('q = x*y; q + x'), at, { q: 1 }))).toMatchObject({ _tag: 'AssignedName', name: 'q', argument: 'tangent' })
    expect(failure(jvp(xy, at, { x: '1' } as unknown as Point))).toMatchObject({ _tag: 'NotANumber', name: 'x', argument: 'tangent' })
    // An inherited tangent entry is not an entry: the direction is zero.
    expect(unwrap(jvp(xy, at, Object.create({ x: 1 }) as Point)).tangents).toEqual([0])
  })

  it('hvp: v may name only differentiated variables', () => {
    const e = failure(hvp(xy, at, { x: 1, y: 1 }, { wrt: ['x'] }))
    expect(e).toMatchObject({ _tag: 'NotDifferentiated', name: 'y', argument: 'direction', wrt: ['x'] })
    expect(e.message).toBe("'y' in v is not among the variables differentiated ('x')")
    expect(failure(hvp(xy, at, { x: 1, w: 1 }))).toMatchObject({ _tag: 'UnknownName', name: 'w', argument: 'direction' })
    expect(failure(hvp(xy, at, { x: 1, yy: 1 }))).toMatchObject({ _tag: 'UnknownName', name: 'yy', suggestion: 'y' })
    expect(failure(hvp(xy, at, { e: 1 }))).toMatchObject({ _tag: 'ConstantName', name: 'e', argument: 'direction' })
    expect(failure(hvp(xy, at, { x: 'a' } as unknown as Point))).toMatchObject({ _tag: 'NotANumber', name: 'x', argument: 'direction' })
    // Inherited entries are not entries.
    expect(unwrap(hvp(xy, at, Object.create({ x: 1 }) as Point)).hvp).toEqual({ x: 0, y: 0 })
  })

  it('hvpExpr: the direction may hold numbers and nodes, for differentiated variables only', () => {
    expect(failure(hvpExpr(xy, { z: 1 }))).toMatchObject({ _tag: 'UnknownName', name: 'z' })
    expect(failure(hvpExpr(xy, { x: 1 }, { wrt: ['y'] }))).toMatchObject({ _tag: 'NotDifferentiated', name: 'x' })
    expect(failure(hvpExpr(xy, { x: 'a' } as unknown as Record<string, number>))).toMatchObject({ _tag: 'NotANumber', name: 'x' })
    const h = unwrap(hvpExpr(xy, { x: variable('y') }))
    expect(unwrap(evaluate(h, at)).values).toEqual([0, 2])
  })

  it('vjp: the cotangent holds one number per output', () => {
    const e = failure(vjp(p('[x, y]'), at, [1, '2'] as unknown as number[]))
    expect(e).toMatchObject({ _tag: 'NotANumber', name: '1', argument: 'cotangent', got: 'a string' })
    expect(e.message).toBe('entry 1 of the cotangent is a string, not a number')
    expect(failure(vjp(p('[x, y]'), at, [1]))).toMatchObject({ _tag: 'BadArgument' })
    expect(failure(vjp(p('[x, y]'), at, { 0: 1, 1: 1, length: 2 } as unknown as number[]))).toMatchObject({ _tag: 'BadArgument' })
    expect(unwrap(vjp(p('[x, y]'), at, Float64Array.of(1, 2) as unknown as number[])).vjp).toEqual({ x: 1, y: 2 })
  })
})

describe('compile checks its names once', () => {
  const q = p('sin(x)*y + z')
  it('wrt and fixed: unknown, constant, assigned, duplicate, inherited and non-number entries are refused', () => {
    expect(failure(compile(q, { wrt: ['x', 'yy'], fixed: { z: 1 } }))).toMatchObject({ _tag: 'UnknownName', name: 'yy' })
    expect(failure(compile(q, { wrt: ['x', 'y'], fixed: { z: 1, zz: 2 } }))).toMatchObject({ _tag: 'UnknownName', name: 'zz', argument: 'fixed', suggestion: 'z' })
    expect(failure(compile(q, { wrt: ['x', 'y'], fixed: { z: 1, pi: 2 } }))).toMatchObject({ _tag: 'ConstantName', name: 'pi', argument: 'fixed' })
    const e = failure(compile(q, { wrt: ['x', 'y'], fixed: { z: 1, y: 2 } }))
    expect(e).toMatchObject({ _tag: 'DuplicateName', name: 'y', argument: 'fixed', also: 'wrt' })
    expect(e.message).toBe("'y' is in both fixed and wrt")
    expect(failure(compile(q, { wrt: ['x', 'y'], fixed: Object.create({ z: 1 }) as Point }))).toMatchObject({ _tag: 'MissingVariable', names: ['z'] })
    expect(failure(compile(q, { wrt: ['x', 'y'], fixed: { z: '1' } as unknown as Point }))).toMatchObject({ _tag: 'NotANumber', name: 'z', argument: 'fixed' })
  })

  it('the compiled functions take Float64Arrays in wrt order: no names to check per call', () => {
    const f = unwrap(compile(q, { wrt: ['y', 'x'], fixed: { z: 1 } }))
    const g = f.grad(Float64Array.of(2, 0)).gradient
    expect([...g]).toEqual([0, 2])
  })
})

describe('derived programs keep the variables of their program', () => {
  it('the gradient of x + y is [1, 1], a program of x and y: evaluated at the same point, differentiated again', () => {
    const s = p('x + y')
    const g = unwrap(gradExpr(s))
    expect(g.variables).toEqual(['x', 'y'])
    expect(unwrap(evaluate(g, at)).values).toEqual([1, 1])
    const h = unwrap(gradExpr(program([g.outputs[0]], { variables: g.variables })))
    expect(unwrap(evaluate(h, at)).values).toEqual([0, 0])
  })

  it('a node of a derivative made into a program is a program of its own variables unless they are declared', () => {
    const g = unwrap(gradExpr(xy))
    const dx = program([g.outputs[0]])
    expect(dx.variables).toEqual(['y'])
    expect(failure(gradExpr(dx, ['x', 'y']))).toMatchObject({ _tag: 'UnknownName', name: 'x' })
    expect(unwrap(grad(program([g.outputs[0]], { variables: ['x', 'y'] }), at, ['x', 'y'])).gradient).toEqual({ x: 0, y: 1 })
  })

  it('derivative keeps them too: the second derivative of x^2 is 2, still a program of x', () => {
    const d = unwrap(derivative(p('x^2'), 'x', 2))
    expect(d.variables).toEqual(['x'])
    expect(unwrap(evaluate(d, { x: 3 })).values).toEqual([2])
    expect(unwrap(evaluate(d, {})).values).toEqual([2])
  })

  it('a declared variable may be given a value, and may be omitted; any other name may not', () => {
    const q = program([build.mul(variable('x'), 2)], { variables: ['y'] })
    expect(unwrap(evaluate(q, { x: 1, y: 5 })).values).toEqual([2])
    expect(unwrap(evaluate(q, { x: 1 })).values).toEqual([2])
    expect(failure(evaluate(q, { x: 1, yy: 5 }))).toMatchObject({ _tag: 'UnknownName', name: 'yy', suggestion: 'y' })
    expect(failure(evaluate(q, { x: 1, y: '5' } as unknown as Point))).toMatchObject({ _tag: 'NotANumber', name: 'y' })
    expect(unwrap(grad(q, { x: 1 })).gradient).toEqual({ x: 2, y: 0 })
  })
})

describe('messages', () => {
  it('the CLI names its flags through describeName', () => {
    const e = failure(grad(xy, at, ['z']))
    expect(isNameError(e)).toBe(true)
    if (!isNameError(e)) return
    expect(describeName(e, (a) => (a === 'wrt' ? '--wrt' : a))).toBe("unknown variable 'z' in --wrt (did you mean 'y'?)")
  })

  it('without a close name, the message lists the variables (a few of them)', () => {
    expect(failure(grad(xy, at, ['speed'])).message).toBe("unknown variable 'speed' in wrt (the program's variables: 'x', 'y')")
    const many = p(Array.from({ length: 10 }, (_, i) => `v${i}`).join(' + '))
    expect(failure(grad(many, {}, ['speed'])).message).toBe("unknown variable 'speed' in wrt (the program's variables: 'v0', 'v1', 'v2', 'v3', 'v4', 'v5', … (10 in all))")
    expect(failure(evaluate(p('2 + 3'), { x: 1 })).message).toBe("unknown variable 'x' in the point (the program's variables: none)")
  })

  it('isNameError tells the name errors from the others', () => {
    expect(isNameError(failure(evaluate(xy, {})))).toBe(false)
    expect(isNameError(failure(grad(p('[x, y]'), at)))).toBe(false)
    expect(isNameError(failure(grad(xy, at, ['x', 'x'])))).toBe(true)
  })
})

// -------------------------------------------------------------------------------------------------
// Properties
// -------------------------------------------------------------------------------------------------

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/)
/** A program over 1–6 distinct variables (a sum of products), with a point for them. */
const programs = fc.uniqueArray(identifier.filter((n) => n !== 'pi' && n !== 'e'), { minLength: 1, maxLength: 6 }).map((names) => {
  const vars = names.map((n) => variable(n))
  const out = vars.reduce((s, v, i) => build.add(s, build.mul(v, vars[(i + 1) % vars.length])), build.sin(vars[0]))
  const point = Object.fromEntries(names.map((n, i) => [n, 0.25 * (i + 1)]))
  return { program: program([out]), point }
})

describe('properties', () => {
  it('any key that is not a variable of the program is refused, by name, by every API that takes a point', () => {
    fc.assert(
      fc.property(programs, identifier, ({ program: q, point }, key) => {
        fc.pre(!q.variables.includes(key))
        for (const call of Object.values(pointApis)) {
          const e = failure(call(q, { ...point, [key]: 1 }))
          expect(isNameError(e) && e.name === key && e.argument === 'point').toBe(true)
          expect(e.message).toContain(`'${key}'`)
        }
        unwrap(evaluate(q, point))
      }),
      { numRuns: 60 },
    )
  })

  it('any wrt with a name that is not a variable of the program is refused, by every API that takes one', () => {
    fc.assert(
      fc.property(programs, identifier, fc.nat(), ({ program: q, point }, key, at) => {
        fc.pre(!q.variables.includes(key))
        const wrt = [...q.variables]
        wrt.splice(at % (wrt.length + 1), 0, key)
        for (const call of Object.values(wrtApis)) {
          const e = failure(call(q, point, [...wrt.filter((n) => n !== key), key]))
          expect(isNameError(e) && e.name === key).toBe(true)
          if (call !== wrtApis.jvp && call !== wrtApis.derivativeAt && call !== wrtApis.derivativesAt && call !== wrtApis.derivative) {
            const f = failure(call(q, point, wrt))
            expect(isNameError(f) && f.name === key).toBe(true)
          }
        }
      }),
      { numRuns: 40 },
    )
  })

  it('a point whose values are all inherited is missing every variable', () => {
    fc.assert(
      fc.property(programs, ({ program: q, point }) => {
        const e = failure(evaluate(q, Object.create(point) as Point))
        expect(e).toMatchObject({ _tag: 'MissingVariable', names: [...q.variables].sort(naturalCompare) })
      }),
      { numRuns: 50 },
    )
  })

  it('a one-edit typo of a variable of three or more characters gets a suggestion one edit away', () => {
    const edit = fc.record({ kind: fc.constantFrom('substitute', 'insert', 'delete'), at: fc.nat(), char: fc.constantFrom(...'abcxyz019_') })
    fc.assert(
      fc.property(programs, fc.nat(), edit, ({ program: q, point }, which, { kind, at, char }) => {
        const target = q.variables[which % q.variables.length]
        fc.pre(target.length >= 3)
        const i = at % target.length
        const typo =
          kind === 'substitute' ? target.slice(0, i) + char + target.slice(i + 1) : kind === 'insert' ? target.slice(0, i) + char + target.slice(i) : target.slice(0, i) + target.slice(i + 1)
        fc.pre(!q.variables.includes(typo) && /^[A-Za-z_]/.test(typo) && typo !== 'pi' && typo !== 'e')
        const e = failure(grad(q, point, [typo]))
        expect(e._tag).toBe('UnknownName')
        const suggestion = e._tag === 'UnknownName' ? e.suggestion : undefined
        expect(suggestion).toBeDefined()
        expect(editDistance(typo, suggestion as string, 2)).toBe(1)
        expect(e.message).toContain(`did you mean '${suggestion}'?`)
      }),
      { numRuns: 200 },
    )
  })

  it('closest never suggests a name more than two edits away, nor the name itself', () => {
    fc.assert(
      fc.property(fc.uniqueArray(identifier, { maxLength: 8 }), identifier, (known, name) => {
        const s = closest(name, known)
        if (s === undefined) return
        expect(s).not.toBe(name)
        expect(editDistance(name, s, 2)).toBeLessThanOrEqual(name.length <= 2 ? 1 : 2)
      }),
      { numRuns: 300 },
    )
  })
})
