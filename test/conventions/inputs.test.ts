/**
 * Issue 8, finding 5: a NaN or an infinity given as a variable's value is reported, naming the
 * variable (it used to pass with no warning: `grad "x+1" --at x=Infinity`, `eval x --at x=NaN`).
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { evaluate, jvp } from '../../src/forward/index.js'
import { hessian, hvp } from '../../src/hvp/index.js'
import { jacobian } from '../../src/jacobian/index.js'
import { parse } from '../../src/lang/index.js'
import { grad } from '../../src/reverse/index.js'
import { cliJson } from '../cli/helpers.js'
import { unwrap } from '../core/helpers.js'

describe('non-finite inputs', () => {
  it('a finite derivative computed through an overflowed value is warned about (log(exp(x))′ at 1000 comes out 0, not 1)', () => {
    const r = cliJson(['grad', 'log(exp(x))', '--at', 'x=1000'])
    expect(r.gradient).toEqual({ x: 0 })
    expect(r.warnings).toEqual(['exp(x) is Infinity at x = 1000', 'the derivatives are finite but computed through exp(x) = Infinity at x = 1000, whose local derivative is not finite: they are not reliable'])
    // Both modes warn, whatever number each makes of ∞·0.
    const f = cliJson(['jacobian', 'log(exp(x)+exp(y))', '--at', 'x=1000,y=1000', '--mode', 'forward'])
    const b = cliJson(['jacobian', 'log(exp(x)+exp(y))', '--at', 'x=1000,y=1000', '--mode', 'reverse'])
    for (const j of [f, b]) expect((j.warnings as string[]).some((w) => w.includes('exp(x) = Infinity') || w.includes('derivative'))).toBe(true)
  })

  it('a non-finite derivative from a NaN input names the input', () => {
    const r = cliJson(['grad', 'x*y', '--at', 'x=NaN,y=2'])
    expect(r.warnings).toEqual(['the variable x is given the value NaN', 'a derivative is not finite: it is computed through x = NaN, where the chain rule meets a non-finite number'])
  })

  it('grad "x+1" --at x=Infinity warns about x', () => {
    const r = cliJson(['grad', 'x+1', '--at', 'x=Infinity'])
    expect(r.value).toBe('Infinity')
    expect(r.gradient).toEqual({ x: 1 })
    expect(r.warnings).toEqual(['the variable x is given the value Infinity'])
  })

  it('eval x --at x=NaN warns about x', () => {
    const r = cliJson(['eval', 'x', '--at', 'x=NaN'])
    expect(r.value).toBe('NaN')
    expect(r.warnings).toEqual(['the variable x is given the value NaN'])
  })

  it('every evaluator names each non-finite variable, and only those', () => {
    const p = unwrap(parse('x*y + z'))
    const at = { x: -Infinity, y: 2, z: NaN }
    const lists = [
      unwrap(evaluate(p, at)).warnings,
      unwrap(grad(p, at)).warnings,
      unwrap(jvp(p, at, { y: 1 })).warnings,
      unwrap(jacobian(p, at)).warnings,
      unwrap(hvp(p, at, { x: 1, y: 0, z: 0 })).warnings,
      unwrap(hessian(p, at)).warnings,
      unwrap(compile(p)).warnings(Float64Array.of(-Infinity, 2, NaN)),
    ]
    for (const ws of lists) {
      const inputs = ws.filter((w) => w.message.startsWith('the variable'))
      expect(inputs.map((w) => w.node)).toEqual(['x', 'z'])
      expect(inputs.map((w) => w.at)).toEqual([[-Infinity], [NaN]])
    }
  })
})
