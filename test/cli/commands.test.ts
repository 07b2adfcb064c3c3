/** Every command's JSON fields and its tables for a person, on the document's worked examples. */
import { describe, expect, it } from 'vitest'
import { cli, cliJson, expectBadInput } from './helpers.js'

const at = ['--at', 'x=-2,y=5,z=-4']

describe('eval', () => {
  it('prints {"value": v} for a scalar program', () => {
    expect(cliJson(['eval', '(x+y)*z', ...at])).toEqual({ value: -12 })
  })

  it('prints a list for a vector program, even of length one', () => {
    expect(cliJson(['eval', '[(x+y)*z, x*y, z]', ...at])).toEqual({ value: [-12, -10, -4] })
    expect(cliJson(['eval', '[x]', '--at', 'x=3'])).toEqual({ value: [3] })
  })

  it('needs no --at for a program without free variables', () => {
    expect(cliJson(['eval', '2^3^2'])).toEqual({ value: 512 })
  })

  it('accepts a program that starts with a minus sign', () => {
    expect(cliJson(['eval', '-x^2', '--at', 'x=3'])).toEqual({ value: -9 })
    expect(cliJson(['eval', '--at', 'x=3', '-x*2'])).toEqual({ value: -6 })
  })

  it('refuses a variable of --at the program does not use (test/cli/names.test.ts has the rest)', () => {
    expect(expectBadInput(cli(['eval', 'x+1', '--at', 'x=1,unused=5']))).toContain("'unused'")
  })

  it('prints a table without --json', () => {
    expect(cli(['eval', 'f = (x+y)*z', ...at]).stdout).toBe('f = -12\n')
    expect(cli(['eval', 'x+1', '--at', 'x=1']).stdout).toBe('value = 2\n')
    expect(cli(['eval', 'q = x*y\n[q, x]', '--at', 'x=-2,y=5']).stdout).toBe('output  value\n[0] q     -10\n[1]        -2\n')
  })
})

describe('grad', () => {
  it('gives the value and the gradient over every free variable, sorted', () => {
    const out = cliJson(['grad', 'f = (x+y)*z', ...at])
    expect(out).toEqual({ value: -12, gradient: { x: -4, y: -4, z: 3 } })
    expect(Object.keys(out.gradient as object)).toEqual(['x', 'y', 'z'])
  })

  it('follows --wrt, in its order', () => {
    const out = cliJson(['grad', '(x+y)*z', ...at, '--wrt', 'z,x'])
    expect(out).toEqual({ value: -12, gradient: { z: 3, x: -4 } })
    expect(Object.keys(out.gradient as object)).toEqual(['z', 'x'])
  })

  it('refuses an empty --wrt (an unset shell variable, as an empty --v is refused)', () => {
    expect(expectBadInput(cli(['grad', '(x+y)*z', ...at, '--wrt', '']))).toContain('--wrt is empty')
  })

  it('splits a tie in max evenly, with a warning', () => {
    const out = cliJson(['grad', 'f = 2*(x*y + max(z,w))', '--at', 'x=1,y=1,z=2,w=2'])
    expect(out.gradient).toEqual({ w: 1, x: 2, y: 2, z: 1 })
    expect(out.warnings).toEqual([expect.stringContaining('max')])
  })

  it('prints a table without --json, warnings after', () => {
    const r = cli(['grad', 'f = (x+y)*z', ...at])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('f = -12\n\nvariable  gradient\nx               -4\ny               -4\nz                3\n')
    const w = cli(['grad', 'sqrt(x)', '--at', 'x=0'])
    expect(w.stdout).toMatch(/x\s+Infinity\n\nwarnings \(1\):\n {2}- .*sqrt/)
  })
})

describe('hvp', () => {
  it('gives the value and H·v (and the gradient from the same sweep)', () => {
    const out = cliJson(['hvp', '(x+y)*z', ...at, '--v', 'x=1,y=0,z=-2'])
    expect(out).toEqual({ value: -12, hvp: { x: -2, y: -2, z: 1 }, gradient: { x: -4, y: -4, z: 3 } })
  })

  it('takes absent entries of --v as 0', () => {
    expect(cliJson(['hvp', '(x+y)*z', ...at, '--v', 'z=1']).hvp).toEqual({ x: 1, y: 1, z: 0 })
  })

  it('prints a table', () => {
    const r = cli(['hvp', '(x+y)*z', ...at, '--v', 'x=1,y=0,z=-2'])
    expect(r.stdout).toContain('variable   v  gradient  H·v\nx          1        -4   -2\n')
  })
})

describe('hessian', () => {
  it('gives the value, the matrix and wrt', () => {
    const out = cliJson(['hessian', '(x+y)*z', ...at])
    expect(out).toMatchObject({ value: -12, hessian: [[0, 0, 1], [0, 0, 1], [1, 1, 0]], wrt: ['x', 'y', 'z'] })
  })

  it('follows --wrt, in its order', () => {
    const out = cliJson(['hessian', 'x*x*y', '--at', 'x=3,y=2', '--wrt', 'y,x'])
    expect(out).toMatchObject({ value: 18, hessian: [[0, 6], [6, 4]], wrt: ['y', 'x'] })
  })

  it('agrees with --sparse', () => {
    const p = 'a*b + b*c + c*d + sin(a)'
    const dense = cliJson(['hessian', p, '--at', 'a=1,b=2,c=3,d=4'])
    const sparse = cliJson(['hessian', p, '--at', 'a=1,b=2,c=3,d=4', '--sparse'])
    expect(sparse.hessian).toEqual(dense.hessian)
  })

  it('prints a labelled matrix', () => {
    expect(cli(['hessian', '(x+y)*z', ...at]).stdout).toContain('   x  y  z\nx  0  0  1\ny  0  0  1\nz  1  1  0\n')
  })
})

describe('jacobian', () => {
  const vec = '[(x+y)*z, x*y, z]'
  const J = [
    [-4, -4, 3],
    [5, -2, 0],
    [0, 0, 1],
  ]

  it('gives values, matrix, mode, wrt and cost, in every mode', () => {
    for (const mode of ['auto', 'forward', 'reverse']) {
      const out = cliJson(['jacobian', vec, ...at, '--mode', mode])
      expect(out).toMatchObject({ value: [-12, -10, -4], jacobian: J, wrt: ['x', 'y', 'z'] })
      if (mode !== 'auto') expect(out.mode).toBe(mode)
      expect(['forward', 'reverse']).toContain(out.mode)
      expect(out.cost).toMatchObject({ mode: out.mode, forward: { sweeps: expect.any(Number), ops: expect.any(Number), bytes: expect.any(Number) }, reason: expect.any(String) })
    }
  })

  it('treats a scalar program as one row, with the columns in --wrt order', () => {
    expect(cliJson(['jacobian', '(x+y)*z', ...at, '--wrt', 'z,x'])).toMatchObject({ value: [-12], jacobian: [[3, -4]], wrt: ['z', 'x'] })
  })

  it('with --sparse gives the same matrix and adds the CSR form', () => {
    const out = cliJson(['jacobian', '[a*b, b*c, c*d, d]', '--at', 'a=1,b=2,c=3,d=4', '--sparse'])
    expect(out.jacobian).toEqual(cliJson(['jacobian', '[a*b, b*c, c*d, d]', '--at', 'a=1,b=2,c=3,d=4']).jacobian)
    expect(out.sparse).toMatchObject({ format: 'csr', shape: [4, 4], rowPtr: [0, 2, 4, 6, 7] })
  })

  it('prints the matrix with values and the cost table', () => {
    const r = cli(['jacobian', vec, ...at, '--mode', 'reverse'])
    expect(r.stdout).toContain('output  value   x   y  z\n[0]       -12  -4  -4  3\n[1]       -10   5  -2  0\n[2]        -4   0   0  1\n')
    expect(r.stdout).toMatch(/reverse mode, \d+ derivative sweeps?, as asked/)
    expect(r.stdout).toMatch(/why: reverse mode/)
  })

  it('cuts a wide matrix in the table, not in JSON', () => {
    const names = Array.from({ length: 20 }, (_, i) => `x${i}`)
    const program = `[${names.join('+')}, ${names.join('*')}]`
    const point = names.map((n) => `${n}=1`).join(',')
    expect(cli(['jacobian', program, '--at', point]).stdout).toContain('(showing 2 of 2 rows and 12 of 20 columns; use --json for all)')
    expect((cliJson(['jacobian', program, '--at', point]).jacobian as number[][])[0]).toHaveLength(20)
  })
})

describe('cost', () => {
  it('gives both modes figures, the choice and the reason, without a point', () => {
    const out = cliJson(['cost', '[x*y, x+y, sin(x)]'])
    expect(out).toMatchObject({
      mode: 'forward',
      forward: { sweeps: 1, ops: expect.any(Number), bytes: expect.any(Number) },
      reverse: { sweeps: 1, ops: expect.any(Number), bytes: expect.any(Number) },
      reason: expect.stringMatching(/forward/),
      wrt: ['x', 'y'],
    })
  })

  it('calls a tie a tie, and counts one slot as one', () => {
    const r = cli(['cost', 'x'])
    expect(r.stdout).toContain('1 input → 1 output, 1 slot, 0 edges per derivative sweep')
    expect(r.stdout).toMatch(/so the two are estimated alike \(a tie: (forward|reverse) mode is taken\)/)
  })

  it('prefers reverse mode for many inputs and one output', () => {
    const names = Array.from({ length: 40 }, (_, i) => `x${i}`)
    expect(cliJson(['cost', names.map((n) => `sin(${n})`).join('*')]).mode).toBe('reverse')
  })

  it('prints a table that teaches the trade', () => {
    const text = cli(['cost', '[x*y, x+y, sin(x)]']).stdout
    for (const row of ['derivative sweeps', 'edge visits', 'memory', 'chosen: forward mode', 'why: ']) expect(text).toContain(row)
    expect(text).toMatch(/forward \*\s+reverse\n/)
  })
})
