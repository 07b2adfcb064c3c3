/**
 * Names on the command line (issue 8): `--wrt`, `--at` and `--v` may name only the program's
 * variables. Every other name (unknown, a constant, an assigned name, a direction outside --wrt)
 * exits with status 2 and one short line that names it and the flag, with the closest variable
 * when one is close; with --json too (errors always go to stderr, stdout stays empty).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, cliJson, expectBadInput, tempFiles } from './helpers.js'

const bad = (...argv: string[]): string => expectBadInput(cli(argv))
const line = (message: string): string => `chainrule: error: ${message}\n`

describe('--wrt: the issue, reproduced', () => {
  it('an unknown name exits 2 with a suggestion (it printed {"z":0} and exit 0)', () => {
    expect(bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', 'z')).toBe(line("unknown variable 'z' in --wrt (did you mean 'y'?)"))
    expect(bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', 'z', '--json')).toBe(line("unknown variable 'z' in --wrt (did you mean 'y'?)"))
  })

  it('a typo among good names', () => {
    expect(bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x,yy')).toBe(line("unknown variable 'yy' in --wrt (did you mean 'y'?)"))
  })

  it('a constant: pi', () => {
    expect(bad('grad', 'pi*x', '--at', 'x=1', '--wrt', 'pi')).toBe(line("'pi' in --wrt is a constant (3.141592653589793) in the language, not a variable"))
  })

  it('an assigned name: says so and names the variables to differentiate instead', () => {
    expect(bad('grad', 'q = x+y; q*z', '--at', 'x=1,y=2,z=3', '--wrt', 'q')).toBe(
      line("'q' in --wrt is assigned in the program, not a variable; differentiate with respect to 'x', 'y' instead"),
    )
  })

  it('no close name: the message lists the variables', () => {
    expect(bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', 'speed')).toBe(line("unknown variable 'speed' in --wrt (the program's variables: 'x', 'y')"))
  })

  it('every command that takes --wrt checks it', () => {
    for (const argv of [
      ['jacobian', '[x*y, y]', '--at', 'x=1,y=2', '--wrt', 'x,zz'],
      ['jacobian', '[x*y, y]', '--at', 'x=1,y=2', '--wrt', 'x,zz', '--sparse'],
      ['hessian', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x,zz'],
      ['hessian', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x,zz', '--sparse'],
      ['hvp', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x,zz', '--v', 'x=1'],
      ['cost', '[x*y, y]', '--wrt', 'x,zz'],
    ]) {
      expect(bad(...argv)).toContain("unknown variable 'zz' in --wrt")
      expect(bad(...argv, '--json')).toContain("unknown variable 'zz' in --wrt")
    }
  })

  it('a name given twice is still refused by the flag parser', () => {
    expect(bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x,x')).toContain("'x' is given twice")
  })
})

describe('--at: the issue, reproduced', () => {
  it('a value for a constant is an error that says so (it silently used e = 2.718…)', () => {
    expect(bad('grad', 'e*x', '--at', 'x=1,e=5')).toBe(line("'e' in --at is a constant (2.718281828459045) in the language; it cannot be given a value"))
  })

  it('a value the program does not use is an error', () => {
    expect(bad('eval', 'x+1', '--at', 'x=1,unused=5')).toBe(line("unknown variable 'unused' in --at (the program's variables: 'x')"))
    expect(bad('grad', 'x*y', '--at', 'x=1,yy=2')).toBe(line("unknown variable 'yy' in --at (did you mean 'y'?)"))
    expect(bad('eval', '2+3', '--at', 'x=1')).toBe(line("unknown variable 'x' in --at (the program's variables: none)"))
  })

  it('a value for an assigned name is an error', () => {
    expect(bad('eval', 'q = x+1; q*2', '--at', 'x=1,q=5')).toBe(
      line("'q' in --at is assigned in the program, not a variable; it cannot be given a value (it is computed from 'x')"),
    )
  })

  it('every command that takes --at checks it, in every form of the point', () => {
    const dir = tempFiles({ 'pt.json': '{"x": 1, "y": 2, "wind": 3}' })
    for (const point of ['x=1,y=2,wind=3', '{"x": 1, "y": 2, "wind": 3}', `@${join(dir, 'pt.json')}`]) {
      for (const argv of [
        ['eval', 'x*y', '--at', point],
        ['grad', 'x*y', '--at', point],
        ['jacobian', '[x*y, y]', '--at', point],
        ['hvp', 'x*y', '--at', point, '--v', 'x=1'],
        ['hessian', 'x*y', '--at', point],
      ]) {
        expect(bad(...argv, '--json')).toBe(line("unknown variable 'wind' in --at (the program's variables: 'x', 'y')"))
      }
    }
  })

  it('a missing variable is still named (a typo is reported before the gap it leaves)', () => {
    expect(bad('grad', 'x*y', '--at', 'x=1')).toBe(line("no value given for variable 'y'"))
  })
})

describe('--v', () => {
  it('an entry for a variable outside --wrt', () => {
    expect(bad('hvp', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x', '--v', 'x=1,y=1')).toBe(line("'y' in --v is not among the variables differentiated ('x')"))
  })

  it('an entry for a name that is not a variable, with a suggestion among the variables differentiated', () => {
    expect(bad('hvp', 'x*y', '--at', 'x=1,y=2', '--v', 'x=1,yy=1')).toBe(line("unknown variable 'yy' in --v (did you mean 'y'?)"))
    expect(bad('hvp', 'x*y', '--at', 'x=1,y=2', '--v', 'x=1,pi=1')).toBe(line("'pi' in --v is a constant (3.141592653589793) in the language, not a variable"))
  })
})

describe('good names still work', () => {
  it('--wrt in any order, --at with exactly the variables, --v over --wrt', () => {
    expect(cliJson(['grad', 'q = x+y; q*z', '--at', 'x=1,y=2,z=3', '--wrt', 'z,x'])).toEqual({ value: 9, gradient: { z: 3, x: 3 } })
    expect(cliJson(['hvp', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x', '--v', 'x=1'])).toMatchObject({ hvp: { x: 0 } })
    expect(cliJson(['eval', 'e*x + pi', '--at', 'x=1'])).toEqual({ value: Math.E + Math.PI })
  })
})
