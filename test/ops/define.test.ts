/**
 * defineOp, checked: a user operation with partials over M<T> works in every mode against
 * hand-derived values (forward: jvp and dual numbers; reverse: grad and vjp; symbolic: gradExpr and
 * higher derivatives; Jacobians in both modes; Hessian-vector products and Hessians; compiled
 * programs, including a sum compiled into a template loop); gradcheck finds a deliberately wrong
 * partial and names it; an operation without a derivative evaluates, and differentiating through
 * it is a NotDifferentiable error naming it in every mode; definitions are validated, and the
 * operation's name never reaches generated code.
 */
import fc from 'fast-check'
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { variable } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { derivativeAt, evaluate, jvp } from '../../src/forward/index.js'
import { derivative, derivativesAt, hessian, hvp } from '../../src/hvp/index.js'
import { jacobian } from '../../src/jacobian/index.js'
import { build, sum } from '../../src/ops/build.js'
import { dual, dualOf } from '../../src/ops/dual.js'
import { numbers } from '../../src/ops/math.js'
import type { M } from '../../src/ops/rule.js'
import { printProgram } from '../../src/ops/print.js'
import { defineOp, NotDifferentiableError } from '../../src/ops/registry.js'
import { grad, gradExpr, vjp } from '../../src/reverse/index.js'
import { getForwardKernels } from '../../src/forward/kernels.js'
import { getHvpKernels } from '../../src/hvp/kernels.js'
import { getReverseKernels } from '../../src/reverse/kernels.js'
import { getSingularScan, getValueKernels } from '../../src/tape/kernels.js'
import { arbitraryArgs, arbitraryProgram, gradcheck } from '../../src/testing/index.js'
import { tensorFunctions } from '../../src/lang/functions.js'

const { add, mul, sin } = build

function right<E extends { message: string }, A>(e: Either<E, A>): A {
  if (isLeft(e)) throw new Error(e.left.message)
  return e.right
}

// cube(x) = x³, and a binary one: wave(x, y) = x·sin(y), ∂x = sin y, ∂y = x·cos y.
const cube = defineOp({ name: 'cube', arity: 1, fn: (x) => x * x * x, partials: (m, [x]) => [m.mul(m.c(3), m.mul(x!, x!))] })
const wave = defineOp({ name: 'wave', arity: 2, fn: (x, y) => x * Math.sin(y), partials: (m, [x, y]) => [m.sin(y!), m.mul(x!, m.cos(y!))], domain: [[-2, 2], [-3, 3]] })

const x = variable('x')
const y = variable('y')
// f = cube(x·y) + wave(x, y) at (2, 1): with u = xy = 2,
// ∂f/∂x = 3u²·y + sin y = 12 + sin 1, ∂f/∂y = 3u²·x + x cos y = 24 + 2 cos 1.
const f = program([add(cube(mul(x, y)), wave(x, y))])
const at = { x: 2, y: 1 }
const value = 8 + 2 * Math.sin(1)
const gx = 12 + Math.sin(1)
const gy = 24 + 2 * Math.cos(1)
// Second derivatives: f_xx = 6u·y² = 12, f_xy = 6u·x·y + 3u² + cos y = 24 + 12 + cos 1, f_yy = 6u·x² − x sin y = 48 − 2 sin 1.
const H = [
  [12, 36 + Math.cos(1)],
  [36 + Math.cos(1), 48 - 2 * Math.sin(1)],
]

describe('a user operation works in every mode', () => {
  it('forward: jvp, derivativeAt and dual numbers', () => {
    expect(right(jvp(f, at, { x: 1 })).tangents[0]).toBeCloseTo(gx, 12)
    expect(right(derivativeAt(f, at, 'y')).derivative).toBeCloseTo(gy, 12)
    expect(dualOf(numbers).apply('cube' as never, [dual(2, 1)])).toEqual({ value: 8, tangent: 12 })
  })

  it('reverse: grad and vjp', () => {
    const g = right(grad(f, at))
    expect(g.value).toBeCloseTo(value, 14)
    expect(g.gradient.x).toBeCloseTo(gx, 12)
    expect(g.gradient.y).toBeCloseTo(gy, 12)
    expect(right(vjp(f, at, [2])).vjp.x).toBeCloseTo(2 * gx, 12)
  })

  it('symbolic: the gradient is a program that uses the operation, and higher derivatives follow', () => {
    const G = right(gradExpr(f))
    expect(printProgram(G)).toBe('t0 = x*y\nt1 = 3*(t0*t0)\n[sin(y) + t1*y, x*cos(y) + t1*x]')
    expect(right(evaluate(G, at)).values).toEqual([gx, gy].map((v) => expect.closeTo(v, 12)))
    // d³/dx³ cube(x) = 6.
    expect(right(derivativesAt(program([cube(x)]), { x: 0.5 }, 'x', 3)).derivatives).toEqual([0.125, 0.75, 3, 6])
    expect(printProgram(right(derivative(program([cube(x)]), 'x', 1)))).toBe('3*(x*x)')
  })

  it('Jacobians in both modes, Hessian-vector products and Hessians', () => {
    for (const mode of ['forward', 'reverse'] as const) {
      expect(right(jacobian(program([cube(x), wave(x, y)]), at, { mode })).jacobian).toEqual([
        [12, 0],
        [Math.sin(1), 2 * Math.cos(1)],
      ].map((row) => row.map((v) => expect.closeTo(v, 12))))
    }
    expect(right(hvp(f, at, { x: 1, y: 0 })).hvp).toEqual({ x: expect.closeTo(H[0][0], 12), y: expect.closeTo(H[1][0], 12) })
    expect(right(hessian(f, at)).hessian).toEqual(H.map((row) => row.map((v) => expect.closeTo(v, 12))))
  })

  it('compiled: grad and hvp, and a sum of 100 terms run as one template loop', () => {
    const c = right(compile(f))
    expect(Array.from(c.grad(Float64Array.of(2, 1)).gradient)).toEqual([gx, gy].map((v) => expect.closeTo(v, 12)))
    expect(Array.from(c.hvp(Float64Array.of(2, 1), Float64Array.of(0, 1)).hvp)).toEqual([H[0][1], H[1][1]].map((v) => expect.closeTo(v, 12)))
    const xs = Array.from({ length: 100 }, (_, i) => variable(`x${i}`))
    const s = program([sum(xs.map((xi) => wave(cube(xi), xi)))])
    const cs = right(compile(s))
    const point = Float64Array.from(xs, (_, i) => (i - 50) / 40)
    const g = cs.grad(point).gradient
    // d/dt wave(t³, t) = 3t²·sin t + t³·cos t
    point.forEach((t, i) => expect(g[i]).toBeCloseTo(3 * t * t * Math.sin(t) + t ** 3 * Math.cos(t), 12))
    expect(cs.stats.templates).toBeGreaterThan(0)
  })

  it('the kit checks it: gradcheck to second order, and random programs that use it', () => {
    expect(isRight(gradcheck(f, at, { order: 2 }))).toBe(true)
    fc.assert(
      fc.property(arbitraryProgram({ ops: ['cube', 'wave', 'add', 'tanh'], maxSteps: 5 }), ({ program: p, point }) => {
        const r = gradcheck(p, point, { order: 2 })
        if (isLeft(r)) throw new Error(r.left.message)
      }),
      { numRuns: 60 },
    )
    fc.assert(fc.property(arbitraryArgs('wave'), ([a, b]) => a! >= -2 && a! <= 2 && b! >= -3 && b! <= 3))
  }, 120_000)
})

describe('gradcheck finds a wrong partial and names the operation', () => {
  // square(x) = x², with the partial 3x instead of 2x.
  const square = defineOp({ name: 'square_wrong', arity: 1, fn: (t) => t * t, partials: (m, [t]) => [m.mul(m.c(3), t!)] })

  it('the report points at the entry and at the operation', () => {
    const r = gradcheck(program([mul(square(x), y)]), { x: 0.5, y: 2 })
    if (isRight(r) || r.left._tag !== 'GradcheckFailure') throw new Error('expected a GradcheckFailure')
    expect(r.left.suspects).toEqual([{ op: 'square_wrong', argument: 0, at: [0.5], partial: 1.5, numeric: expect.closeTo(1, 9) }])
    expect(r.left.message).toBe(
      [
        'gradcheck failed at x = 0.5, y = 2: 2 of 4 first derivatives differ from central differences',
        '(step 0.000001·max(1, |x|), |analytic − numeric| ≤ 0.00001 + 0.001·|numeric|)',
        '',
        'output  variable  mode     analytic  numeric  abs error  rel error',
        '0       x         forward  3         2        1          0.5',
        '0       x         reverse  3         2        1          0.5',
        '',
        'worst: ∂out0/∂x (forward): analytic 3, numeric 2; abs error 1, rel error 0.5',
        "operation 'square_wrong': its partial with respect to argument 1 at (0.5) is 1.5, but central differences of 'square_wrong' itself give 1: its derivative rule is wrong",
      ].join('\n'),
    )
  })

  it('inside a larger program, only the wrong operation is a suspect', () => {
    const r = gradcheck(program([add(sin(square(add(x, 1))), cube(y))]), { x: 0.3, y: -0.7 })
    expect(isLeft(r) && r.left._tag === 'GradcheckFailure' && r.left.suspects.map((s) => s.op)).toEqual(['square_wrong'])
  })
})

describe('an operation without a derivative', () => {
  const floorish = defineOp({ name: 'floorish', arity: 1, fn: Math.floor })
  const g = program([add(mul(floorish(x), y), x)])
  const point = { x: 2.5, y: 3 }
  const message = "operation 'floorish' has no derivative (it was defined without partials), so nothing that depends on a differentiated variable through it can be differentiated"

  it('evaluates, and differentiates where no derivative flows through it', () => {
    expect(right(evaluate(g, point)).values).toEqual([8.5])
    expect(right(grad(g, point, ['y'])).gradient).toEqual({ y: 2 })
    expect(right(compile(g, { wrt: ['y'], fixed: { x: 2.5 } })).grad(Float64Array.of(3)).gradient[0]).toBe(2)
  })

  const modes: [string, () => Either<{ _tag: string; message: string }, unknown>][] = [
    ['jvp (forward)', () => jvp(g, point, { x: 1 })],
    ['derivativeAt (forward)', () => derivativeAt(g, point, 'x')],
    ['grad (reverse)', () => grad(g, point)],
    ['vjp (reverse)', () => vjp(g, point, [1])],
    ['gradExpr (symbolic)', () => gradExpr(g)],
    ['derivative (higher order)', () => derivative(g, 'x', 2)],
    ['jacobian, forward mode', () => jacobian(g, point, { mode: 'forward' })],
    ['jacobian, reverse mode', () => jacobian(g, point, { mode: 'reverse' })],
    ['hvp', () => hvp(g, point, { x: 1, y: 0 })],
    ['hessian', () => hessian(g, point)],
    ['compile', () => compile(g)],
  ]
  it.each(modes)('%s: a NotDifferentiable error naming it', (_, run) => {
    const r = run()
    if (isRight(r)) throw new Error('expected an error')
    expect(r.left).toEqual({ _tag: 'NotDifferentiable', op: 'floorish', message })
  })

  it('dual numbers throw a NotDifferentiableError carrying the same error', () => {
    const D = dualOf(numbers)
    expect(() => D.apply('floorish' as never, [dual(2.5, 1)])).toThrow(NotDifferentiableError)
    expect(() => D.apply('floorish' as never, [dual(2.5, 1)])).toThrow(message)
    // A zero tangent needs no partial.
    expect(D.apply('floorish' as never, [dual(2.5, 0)])).toEqual({ value: 2, tangent: 0 })
  })

  it('gradcheck: a GradcheckError carrying it', () => {
    const r = gradcheck(g, point)
    expect(isLeft(r) && r.left).toMatchObject({ _tag: 'GradcheckError', error: { _tag: 'NotDifferentiable', op: 'floorish' }, message: `gradcheck could not differentiate at x = 2.5, y = 3: ${message}` })
  })
})

describe('definitions are checked, and names stay out of generated code', () => {
  it('refuses bad names, taken names, bad arities and missing functions', () => {
    const fn = (t: number): number => t
    expect(() => defineOp({ name: '1x', arity: 1, fn })).toThrow('defineOp: the name must be an identifier (letters, digits and _, not starting with a digit), not "1x"')
    expect(() => defineOp({ name: 'f); process.exit(1', arity: 1, fn })).toThrow('the name must be an identifier')
    expect(() => defineOp({ name: 'sin', arity: 1, fn })).toThrow("defineOp: an operation named 'sin' already exists")
    expect(() => defineOp({ name: 'cube', arity: 1, fn })).toThrow("defineOp: an operation named 'cube' already exists")
    expect(() => defineOp({ name: 'pi', arity: 1, fn })).toThrow("defineOp: 'pi' is a constant of the language, not a free name")
    // Session 10 trial: '__proto__' replaced the table's prototype, and every later kernel failed.
    expect(() => defineOp({ name: '__proto__', arity: 1, fn, partials: (m) => [m.c(1)] })).toThrow("defineOp: '__proto__' cannot name an operation")
    const after = grad(program([build.mul(build.sin(variable('x')), variable('y'))]), { x: 0, y: 2 })
    expect(isRight(after) && after.right.gradient).toEqual({ x: 2, y: 0 })
    expect(() => defineOp({ name: 'tri', arity: 3 as 2, fn })).toThrow('defineOp(tri): arity must be 1 or 2, not 3')
    expect(() => defineOp({ name: 'nofn', arity: 1, fn: undefined as never })).toThrow('defineOp(nofn): fn must be a function on numbers')
    expect(() => defineOp({ name: 'dom', arity: 2, fn, domain: [[0, 1]] })).toThrow('defineOp(dom): the domain needs one interval per argument (2)')
  })

  it("refuses the names of m's own members and of the language's functions, and bad domains and kinks (session 11 trial)", () => {
    // 'over' replaced the quotient of every rule's partials: tanh'(0.5) came out 0.8868, silently;
    // 'c' or 'num' made every later grad throw a TypeError.
    const f = program([add(build.tanh(x), build.log(x))])
    const before = right(grad(f, { x: 0.5 })).gradient
    for (const name of ['over', 'c', 'num']) expect(() => defineOp({ name, arity: 1, fn: (a) => a, partials: (m) => [m.c(1)] })).toThrow(`defineOp: '${name}' is a member of the number system m`)
    expect(right(grad(f, { x: 0.5 })).gradient).toEqual(before)
    // A call to sum(...) in a program means the language's sum, never the user's operation.
    for (const name of [...tensorFunctions.map((t) => t.name), 'scatter_add']) expect(() => defineOp({ name, arity: 1, fn: (a) => a })).toThrow(`defineOp: '${name}' is a function of the program language`)
    const fn = (t: number): number => t
    expect(() => defineOp({ name: 'rev', arity: 1, fn, domain: [[3, 1]] })).toThrow('defineOp(rev): the domain of argument 1 must be [lo, hi] with finite lo ≤ hi, not [3,1]')
    expect(() => defineOp({ name: 'nan', arity: 1, fn })).toThrow('constant of the language')
    expect(() => defineOp({ name: 'nandom', arity: 1, fn, domain: [[Number.NaN, 1]] })).toThrow('defineOp(nandom): the domain of argument 1 must be [lo, hi] with finite lo ≤ hi, not [null,1]')
    expect(() => defineOp({ name: 'k3', arity: 1, fn, kink: 3 as never })).toThrow('defineOp(k3): kink must be { distance: (args) => number, convention: string }, not 3')
    const throwing = { distance: (): number => { throw new Error('no') }, convention: 'none' }
    expect(() => defineOp({ name: 'kt', arity: 1, fn, kink: throwing })).toThrow('defineOp(kt): kink.distance threw at (0): no')
    expect(() => defineOp(undefined as never)).toThrow('defineOp takes a definition { name, arity, fn, partials? }, not undefined')
    // A distance that throws later on names the operation.
    let calls = 0
    const distance = ([a]: readonly number[]): number => {
      if (calls++ > 0) throw new Error('boom')
      return Math.abs(a!)
    }
    const later = defineOp({ name: 'later', arity: 1, fn: Math.abs, partials: (m, [a]) => [m.sign(a!)], kink: { distance, convention: 'sign(0) = 0' } })
    expect(() => grad(program([later(x)]), { x: 1 })).toThrow('defineOp(later): kink.distance threw at (1): boom')
  })

  it("an infinite partial met only by zeros is reported, as for the table's sqrt (session 11 trial)", () => {
    const mysqrt = defineOp({ name: 'mysqrt_singular', arity: 1, fn: Math.sqrt, partials: (m, [a], out) => [m.over(m.c(0.5), out)] })
    const builtin = right(grad(program([mul(build.sqrt(x), 0)]), { x: 0 }))
    const mine = right(grad(program([mul(mysqrt(x), 0)]), { x: 0 }))
    expect(mine.gradient).toEqual({ x: 0 })
    expect(builtin.warnings.map((w) => w.message)).toEqual([expect.stringContaining('0·∞ = 0')])
    expect(mine.warnings.map((w) => w.message)).toEqual([expect.stringContaining('0·∞ = 0')])
    expect(right(jvp(program([mul(mysqrt(x), 0)]), { x: 0 }, { x: 1 })).warnings.map((w) => w.message)).toEqual([expect.stringContaining('0·∞ = 0')])
  })

  it('a function over M<T> calls a user operation as m.name, also when m was made before it (session 11 trial)', () => {
    // mathOf kept the view of each number system from before the definition: m.cube_late was undefined.
    const late = defineOp({ name: 'cube_late', arity: 1, fn: (t) => t * t * t, partials: (m, [t]) => [m.mul(m.c(3), m.mul(t!, t!))] })
    type WithLate<T> = { readonly cube_late: (t: T) => T }
    const r = gradcheck(<T>(m: M<T>, t: T) => (m as unknown as WithLate<T>).cube_late(t), [0.5])
    expect(isRight(r)).toBe(true)
    // The builder given a dual number names it, and the remedy.
    const wrong = gradcheck(<T>(_m: M<T>, t: T) => late(t as never) as unknown as T, [0.5])
    expect(isLeft(wrong) && wrong.left.message).toContain('cube_late: argument 1 is a dual number')
    // A function that throws is reported at its point.
    const throws = gradcheck(<T>(_m: M<T>, _t: T): T => {
      throw new Error('boom')
    }, [1])
    expect(isLeft(throws) && throws.left.message).toBe('gradcheck could not differentiate at x = 1: the function threw: boom')
  })

  it('the builder checks its arity and lifts numbers', () => {
    expect(() => (cube as (...a: unknown[]) => unknown)(x, y)).toThrow('cube takes 1 argument(s), got 2')
    expect(right(evaluate(program([wave(2, y)]), { y: 1 })).values[0]).toBeCloseTo(2 * Math.sin(1), 15)
  })

  it('generated kernels call user operations by code, never by name', () => {
    // Every kernel of every mode, fast and careful, as generated source (a Function's text is its source).
    const kernels = [getValueKernels(), getForwardKernels(), getForwardKernels(true), getReverseKernels(), getReverseKernels(true), getHvpKernels(), getHvpKernels(true)]
    const sources = [...kernels.flatMap((k) => Object.values(k).map(String)), String(getSingularScan())].join('\n')
    expect(sources).toMatch(/case \d+: /)
    for (const name of ['cube', 'wave', 'floorish', 'square_wrong']) expect(sources).not.toContain(name)
  })
})
