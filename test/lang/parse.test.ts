import { describe, expect, it } from 'vitest'
import { constant, variable } from '../../src/expr/node.js'
import { build } from '../../src/ops/build.js'
import { err, ok, out } from './helpers.js'

const x = variable('x')
const y = variable('y')
const z = variable('z')
const { add, sub, mul, div, neg, pow, sin, cos, atan2, max } = build

describe('precedence and associativity', () => {
  it('unary minus binds looser than ^', () => {
    expect(out('-x^2')).toBe(neg(pow(x, 2)))
    expect(out('(-x)^2')).toBe(pow(neg(x), 2))
  })
  it('unary minus binds tighter than * and /', () => {
    expect(out('-x*y')).toBe(mul(neg(x), y))
    expect(out('-x/y')).toBe(div(neg(x), y))
    expect(out('x*-y')).toBe(mul(x, neg(y)))
    expect(out('-x + y')).toBe(add(neg(x), y))
  })
  it('^ is right-associative and folds constants', () => {
    expect(out('2^3^2')).toBe(constant(512))
    expect(out('x^y^z')).toBe(pow(x, pow(y, z)))
    expect(out('(x^y)^z')).toBe(pow(pow(x, y), z))
  })
  it('the exponent is a unary expression', () => {
    expect(out('2^-1')).toBe(constant(0.5))
    expect(out('x^-y')).toBe(pow(x, neg(y)))
    expect(out('x^-y^z')).toBe(pow(x, neg(pow(y, z))))
    expect(out('x^-y*z')).toBe(mul(pow(x, neg(y)), z))
  })
  it('+ - * / are left-associative', () => {
    expect(out('x - y - z')).toBe(sub(sub(x, y), z))
    expect(out('x / y / z')).toBe(div(div(x, y), z))
    expect(out('x - (y - z)')).toBe(sub(x, sub(y, z)))
    expect(out('x + y*z')).toBe(add(x, mul(y, z)))
    expect(out('(x+y)*z')).toBe(mul(add(x, y), z))
  })
  it('** is a synonym of ^, pow() too; unary + is ignored', () => {
    expect(out('x ** 2')).toBe(pow(x, 2))
    expect(out('x**y**z')).toBe(pow(x, pow(y, z)))
    expect(out('pow(x, 2)')).toBe(pow(x, 2))
    expect(out('+x * +y')).toBe(mul(x, y))
    expect(out('--x')).toBe(x)
  })
})

describe('literals, names and functions', () => {
  it('reads numbers', () => {
    expect(out('.5')).toBe(constant(0.5))
    expect(out('1e-3')).toBe(constant(0.001))
    expect(out('2.5E+4')).toBe(constant(25000))
    expect(out('1.')).toBe(constant(1))
    expect(out('-0')).toBe(constant(-0))
  })
  it('knows pi and e unless they are assigned', () => {
    expect(out('pi')).toBe(constant(Math.PI))
    expect(out('e')).toBe(constant(Math.E))
    expect(out('e = 3; e * pi')).toBe(constant(3 * Math.PI))
  })
  it('calls functions of one and two arguments', () => {
    expect(out('sin(cos(x))')).toBe(sin(cos(x)))
    expect(out('atan2(y, x) + max(x, 1)')).toBe(add(atan2(y, x), max(x, 1)))
    expect(out('stop_gradient(x)')).toBe(build.stop_gradient(x))
  })
  it('treats unassigned identifiers as free variables', () => {
    const p = ok('a = x_1 + Y2\na * sin')
    expect(p.variables).toEqual(['Y2', 'sin', 'x_1'])
  })
})

describe('statements', () => {
  it('skips comments, blank lines and trailing separators', () => {
    const p = ok('# header\n\nq = x + y  # sum\n;;\nq * q ;\n# end\n')
    expect(p.outputs).toEqual([mul(add(x, y), add(x, y))])
    expect(p.names.get(add(x, y))).toBe('q')
  })
  it('separates statements with ;', () => {
    expect(out('a = x; b = a * 2; b + 1')).toBe(add(mul(x, 2), 1))
  })
  it('lets a name be assigned again; later uses see the new value', () => {
    expect(out('t = x\nt = sin(t)\nt = sin(t)\nt')).toBe(sin(sin(x)))
    expect(out('x = x + 1; x * 2')).toBe(mul(add(x, 1), 2))
  })
  it('without a final expression the output is the last assigned name', () => {
    const p = ok('a = x * 2\nb = a + y\n')
    expect(p.outputs).toEqual([add(mul(x, 2), y)])
    expect(p.vector).toBe(false)
    expect(p.names.get(p.outputs[0])).toBe('b')
  })
  it('reads a final list as a vector output, across lines', () => {
    const p = ok('q = x*y\n[q, sin(q),\n  z]')
    expect(p.vector).toBe(true)
    expect(p.outputs).toEqual([mul(x, y), sin(mul(x, y)), z])
    expect(ok('[x]').vector).toBe(true)
    expect(ok('[x, y,]').outputs).toEqual([x, y])
  })
  it('accepts Windows line ends', () => {
    expect(out('a = x\r\nb = a + 1\r\n')).toBe(add(x, 1))
  })
  it('reports errors as values', () => {
    expect(err('').message).toMatch(/empty program/)
  })
})
