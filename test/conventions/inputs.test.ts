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
