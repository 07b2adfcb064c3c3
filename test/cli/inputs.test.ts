/** Point syntax (k=v, JSON, @file), -f FILE, non-finite numbers in and out, exact round trips. */
import { join } from 'node:path'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { jsonText } from '../../src/cli/json.js'
import { nodeIo, readBounded } from '../../src/cli/io.js'
import { parseNames, parsePoint } from '../../src/cli/points.js'
import { cli, cliJson, tempFiles } from './helpers.js'

const io = nodeIo()
const point = (text: string) => parsePoint(text, '--at', io)

describe('points', () => {
  it('read k=v, JSON objects and @file.json alike', () => {
    const dir = tempFiles({ 'p.json': '\uFEFF{ "x": -2, "y": 5.0,\n "z": -4e0 }\n' })
    for (const a of ['x=-2,y=5,z=-4', ' x = -2 , y=5.0, z=-4e0 ', '{"x": -2, "y": 5, "z": -4}', `@${join(dir, 'p.json')}`]) {
      expect(cliJson(['grad', '(x+y)*z', '--at', a]), a).toEqual({ value: -12, gradient: { x: -4, y: -4, z: 3 } })
    }
  })

  it('take --v in the same forms', () => {
    const dir = tempFiles({ 'v.json': '{"x": 1, "z": -2}' })
    for (const v of ['x=1,z=-2', '{"x":1,"z":-2}', `@${join(dir, 'v.json')}`]) {
      expect(cliJson(['hvp', '(x+y)*z', '--at', 'x=-2,y=5,z=-4', '--v', v]).hvp).toEqual({ x: -2, y: -2, z: 1 })
    }
  })

  it('a file that never ends (/dev/zero) is refused once past the limit, not read into all memory (session 11 trial)', () => {
    expect(() => readBounded('/dev/zero', 3 << 20)).toThrow('it is larger than 3 MB')
    const dir = tempFiles({ 'p.cr': 'x*2\n' })
    expect(readBounded(join(dir, 'p.cr'))).toBe('x*2\n')
    expect(point('@/dev/zero')).toMatchObject(E.left({ message: expect.stringMatching(/^--at: cannot read "\/dev\/zero": it is larger than \d+ MB$/) }))
  })

  it('a JSON value that is no number is named for what it is (session 11 trial: "{\\"y\\":1" lost its brace)', () => {
    expect(point('{"x": 1, "__proto__": {"y": 1}}')).toMatchObject(E.left({ message: "--at: the value of '__proto__' is an object, not a number" }))
    expect(point('{"x": "abc"}')).toMatchObject(E.left({ message: "--at: the value of 'x' is a string, not a number" }))
    expect(point('{"x": null}')).toMatchObject(E.left({ message: "--at: the value of 'x' is null, not a number" }))
  })

  it('accept NaN and ±Infinity, bare or as JSON strings', () => {
    expect(point('a=NaN,b=Infinity,c=-Infinity,d=+Infinity')).toEqual(E.right({ a: NaN, b: Infinity, c: -Infinity, d: Infinity }))
    expect(point('{"a": NaN, "b": "Infinity", "c": -Infinity, "d": "-Infinity"}')).toEqual(E.right({ a: NaN, b: Infinity, c: -Infinity, d: -Infinity }))
  })

  it('read the decimal forms, signs and exponents', () => {
    expect(point('a=.5,b=1.,c=+2,d=-0,e=2.5E+4,f=1e-3')).toEqual(E.right({ a: 0.5, b: 1, c: 2, d: -0, e: 25000, f: 0.001 }))
    expect(point('')).toEqual(E.right({}))
    expect(point('{}')).toEqual(E.right({}))
  })

  it('keep a variable called __proto__ an ordinary name', () => {
    const p = point('__proto__=3')
    expect(E.isRight(p) && Object.prototype.hasOwnProperty.call(p.right, '__proto__')).toBe(true)
  })

  it('read back every double written with String() (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/)
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, fc.double()), { selector: ([n]) => n, maxLength: 6 }), (entries) => {
        const text = entries.map(([n, x]) => `${n}=${Object.is(x, -0) ? '-0' : String(x)}`).join(',')
        const got = point(text)
        expect(E.isRight(got)).toBe(true)
        if (E.isRight(got)) for (const [n, x] of entries) expect(Object.is(got.right[n], x)).toBe(true)
      }),
    )
  })

  it('read --wrt lists', () => {
    expect(parseNames('x, y ,z', '--wrt')).toEqual(E.right(['x', 'y', 'z']))
    expect(E.isLeft(parseNames('', '--wrt'))).toBe(true)
    expect(E.isLeft(parseNames('x,,y', '--wrt'))).toBe(true)
  })
})

describe('-f FILE', () => {
  it('reads the program from a file, comments and several lines included', () => {
    const dir = tempFiles({ 'prog.cr': '# the worked example\nq = x + y\nf = q * z\n' })
    expect(cliJson(['grad', '-f', join(dir, 'prog.cr'), '--at', 'x=-2,y=5,z=-4'])).toEqual({ value: -12, gradient: { x: -4, y: -4, z: 3 } })
    expect(cliJson(['eval', '--file', join(dir, 'prog.cr'), '--at', 'x=-2,y=5,z=-4'])).toEqual({ value: -12 })
  })
})

describe('JSON output', () => {
  it('writes non-finite numbers as strings, with warnings', () => {
    const out = cliJson(['grad', 'sqrt(x) + log(y)', '--at', 'x=0,y=0'])
    expect(out.value).toBe('-Infinity')
    expect(out.gradient).toEqual({ x: 'Infinity', y: 'Infinity' })
    expect((out.warnings as string[]).length).toBeGreaterThan(0)
    expect(cliJson(['eval', '[x, -x, x - x]', '--at', 'x=Infinity']).value).toEqual(['Infinity', '-Infinity', 'NaN'])
  })

  it('has no warnings field when there are none', () => {
    expect(cliJson(['eval', 'x', '--at', 'x=1'])).not.toHaveProperty('warnings')
  })

  it('prints exactly one line', () => {
    const r = cli(['hessian', 'x*y', '--at', 'x=1,y=2', '--json'])
    expect(r.stdout.endsWith('\n')).toBe(true)
    expect(r.stdout.trimEnd().includes('\n')).toBe(false)
  })

  it('writes numbers that parse back to the same double, -0 included', () => {
    expect(cliJson(['eval', 'x/3', '--at', 'x=1']).value).toBe(1 / 3)
    expect(cli(['eval', '-x', '--at', 'x=0', '--json']).stdout).toBe('{"value":-0}\n')
    fc.assert(
      fc.property(fc.double(), (x) => {
        const back = JSON.parse(jsonText({ v: x })).v as number | string
        if (Number.isFinite(x)) expect(Object.is(back, x)).toBe(true)
        else expect(back).toBe(String(x))
      }),
    )
  })
})
