/**
 * Bad input of every kind: exit status 2, a short `chainrule: error:` message (with the caret
 * excerpt for parse errors), never a stack trace. Internal errors: exit 1, one line.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, cliJson, expectBadInput, stackLike, tempFiles } from './helpers.js'

const bad = (...argv: string[]): string => expectBadInput(cli(argv))

describe('parse errors', () => {
  it('show the position and a caret under the offending column', () => {
    const err = bad('eval', 'y = (x + 1', '--at', 'x=1', '--json')
    expect(err).toBe("chainrule: error: parse error at line 1, column 5: expected ')' to close this '('\n  y = (x + 1\n      ^\n")
  })

  it('name an unknown function', () => {
    expect(bad('grad', 'sni(x)', '--at', 'x=1')).toMatch(/unknown function 'sni'.*\n {2}sni\(x\)\n {2}\^/)
  })

  it('cover garbage, an empty program and a multi-line program', () => {
    bad('eval', '')
    bad('eval', ')(*&^%', '--json')
    expect(bad('eval', 'a = 1\nb = a +* 2', '--json')).toContain('line 2')
  })
})

describe('points and names', () => {
  it('name a free variable missing from --at', () => {
    expect(bad('grad', 'x*y', '--at', 'x=1')).toContain("'y'")
    expect(bad('eval', 'x*y*zz', '--json')).toMatch(/'x', 'y', 'zz'/)
  })

  it('refuse values that are not numbers', () => {
    for (const v of ['abc', '', '1.2.3', '0x10', '1_000', '1e', 'inf', 'nan', '--1', '1 2']) {
      bad('eval', 'x', '--at', `x=${v}`)
    }
    expect(bad('eval', 'x', '--at', 'x=1e400')).toContain('too large')
    // A non-zero number written that rounds to 0 is not the number written; subnormals are numbers.
    expect(bad('eval', 'x', '--at', 'x=1e-400')).toContain("the value of 'x' is too small for a double (it would be 0; write 0 for 0)")
    expect(cliJson(['eval', 'x', '--at', 'x=5e-324'])).toEqual({ value: 5e-324 })
    expect(cliJson(['eval', 'x', '--at', 'x=0e-400'])).toEqual({ value: 0 })
    expect(bad('eval', 'sum(x)', '--at', '{"x": [1e-400, 1]}')).toContain('1e-400 at character 8 is too small for a double')
    expect(bad('eval', 'sum(x)', '--at', '{"x": [1, 1e400]}')).toContain('1e400 at character 11 is too large for a double')
    for (const v of ['true', 'null', '"1"', '[1, "a"]', '[[1], 2]', '[]', '{"a": 1}', '"abc"', '1abc']) bad('eval', 'x', '--at', `{"x": ${v}}`)
  })

  it('refuse empty names, invalid names and repeated names', () => {
    for (const a of ['=1', 'x=1,,y=2', 'x=1,', ',x=1', '1x=2', 'x y=1', 'x', 'x=1,x=2', '{"x": 1, "x": 2}', '{"": 1}', '{"a b": 1}']) {
      bad('eval', 'x', '--at', a)
    }
    for (const w of ['x,,y', 'x,', '1x', 'x-y', 'x,x', ' , ']) bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', w)
    expect(bad('grad', 'x*y', '--at', 'x=1,y=2', '--wrt', '')).toContain('--wrt is empty: give variable names such as x,y')
    expect(bad('jacobian', 'X*2', '--at', '{"X": [1, 2]}', '--sparse')).toContain('--sparse colours scalar programs')
    expect(bad('hessian', 'sum(w*w)', '--at', '{"w": [1, 2]}', '--sparse')).toContain('--sparse colours scalar programs')
    expect(bad('cost', 'x*y', '--plot', 'out.png')).toContain('--plot writes SVG: give a file name ending in .svg, not "out.png"')
  })

  it('refuse malformed JSON', () => {
    for (const a of ['{', '{"x": 1', '{"x" 1}', '{x: 1}', '{"x": 1} extra', "{'x': 1}"]) bad('eval', 'x', '--at', a)
  })
})

describe('flags and commands', () => {
  it('refuse unknown commands, unknown flags, missing values and a missing command', () => {
    expect(bad('frobnicate', 'x')).toContain("unknown command 'frobnicate'")
    expect(bad('eval', 'x', '--at', 'x=1', '--jsn')).toContain("unknown option '--jsn'")
    bad('eval', 'x', '--at')
    expect(bad()).toContain('missing command')
    bad('--json')
    bad('eval', 'x', '--wrt', 'x') // eval takes no --wrt
    bad('grad', 'x', '--at', 'x=1', '--mode', 'forward') // only jacobian takes --mode
  })

  it('refuse a missing program, two programs, and a flag given twice', () => {
    expect(bad('eval', '--at', 'x=1')).toContain('missing program')
    bad('eval', 'x', 'y', '--at', 'x=1')
    const dir = tempFiles({ 'p.txt': 'x + 1' })
    expect(bad('eval', 'x', '-f', join(dir, 'p.txt'))).toContain('not both')
    expect(bad('eval', 'x', '--at', 'x=1', '--at', 'x=2')).toContain('--at is given 2 times')
  })

  it('refuse unreadable files', () => {
    const dir = tempFiles({ 'bad.json': '[1, 2]', 'empty.json': '' })
    expect(bad('eval', '-f', join(dir, 'missing.txt'))).toContain('no such file')
    expect(bad('eval', '-f', dir)).toContain('directory')
    expect(bad('eval', 'x', '--at', `@${join(dir, 'missing.json')}`)).toContain('no such file')
    bad('eval', 'x', '--at', `@${join(dir, 'bad.json')}`)
    bad('eval', 'x', '--at', `@${join(dir, 'empty.json')}`)
    bad('eval', 'x', '--at', '@')
  })

  it('refuse a bad --mode, and hvp without --v', () => {
    expect(bad('hvp', 'x*y', '--at', 'x=1,y=2')).toContain('--v')
    bad('hvp', 'x*y', '--at', 'x=1,y=2', '--v', 'x=abc')
    expect(bad('hvp', 'x*y', '--at', 'x=1,y=2', '--v', ' ')).toContain('--v is empty')
    expect(bad('hvp', 'x*y', '--at', 'x=1,y=2', '--wrt', 'x', '--v', 'x=1,y=1')).toContain("'y'")
  })

  it('refuse grad, hvp and hessian of a vector program', () => {
    expect(bad('grad', '[x, y]', '--at', 'x=1,y=2')).toContain('jacobian')
    bad('grad', '[x]', '--at', 'x=1')
    bad('hvp', '[x*y, y]', '--at', 'x=1,y=2', '--v', 'x=1')
    bad('hessian', '[x*y, y]', '--at', 'x=1,y=2')
  })

  it('keep long user text out of the message and stay within five lines', () => {
    const err = bad('eval', 'x', '--at', `x=${'9'.repeat(5000)}z`)
    expect(err.length).toBeLessThan(400)
    const long = bad('eval', `${'x+'.repeat(3000)}`)
    expect(long.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(5)
  })
})

describe('help, version and internal errors', () => {
  it('--help and --version exit 0 on stdout', () => {
    for (const argv of [['--help'], ['-h'], ['eval', '--help'], ['help', 'grad'], ['--version'], ['-V']]) {
      const r = cli(argv)
      expect(r.code, argv.join(' ')).toBe(0)
      expect(r.stdout).not.toBe('')
      expect(r.stderr).toBe('')
    }
    expect(cli(['--help']).stdout).toContain('grad')
    expect(cli(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('an unexpected exception exits 1 with one line, the stack only with CHAINRULE_DEBUG', () => {
    const boom = (): void => {
      throw new Error('disk full')
    }
    const r = cli(['eval', '1'], { stdout: boom })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('chainrule: internal error: disk full\n')
    expect(stackLike.test(r.stderr)).toBe(false)
    const d = cli(['eval', '1'], { stdout: boom, env: { CHAINRULE_DEBUG: '1' } })
    expect(d.code).toBe(1)
    expect(d.stderr).toMatch(/^chainrule: internal error: disk full\nError: disk full\n\s+at /)
  })
})

describe('jacobian and cost input errors', () => {
  it('refuse a bad --mode, a bad program and missing variables', () => {
    expect(bad('jacobian', '[x, y]', '--at', 'x=1,y=2', '--mode', 'fast')).toContain('--mode')
    bad('jacobian', '[x, y]', '--at', 'x=1,y=2', '--mode', 'forward', '--mode', 'reverse')
    expect(bad('jacobian', '[x, y]', '--at', 'x=1')).toContain("'y'")
    bad('cost', '[x, y', '--json')
    bad('cost', '[x, y]', '--wrt', 'x,,y')
  })
})

describe('a name the text uses only in statements the result does not read (session 10 teacher trial)', () => {
  it('is said to be left out, not unknown', () => {
    const r = cli(['trace', 'u = sin(z); x*y', '--at', 'x=2,y=3,z=1'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("'z' in --at is not a variable of the program: it appears only in statements whose values the result does not use")
    expect(cli(['grad', 'x*y', '--at', 'x=2,y=3,zz=1']).stderr).toContain("unknown variable 'zz' in --at")
  })
})
