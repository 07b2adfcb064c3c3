/**
 * defineOp's partials over generated code: a partial that is not built from `m` and the arguments
 * (text a caller smuggles in as a value) is refused by `defineOp` itself, before the operation is
 * registered and before any source is compiled; the toolkit's kernels never contain it, and every
 * other derivative keeps working. (The kernel generators check again, as a second line: see
 * define-safety-argument.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { variable } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { defineOp } from '../../src/ops/registry.js'
import { build } from '../../src/ops/build.js'
import { grad } from '../../src/reverse/index.js'
import { getReverseKernels } from '../../src/reverse/kernels.js'

const x = variable('x')
const y = variable('y')

describe('partials are checked when the operation is defined', () => {
  it('a foreign string as a partial never reaches new Function, and nothing is left broken', () => {
    expect(() => defineOp({ name: 'smuggle', arity: 1, fn: (t) => t, partials: <T>() => ['globalThis.pwned = 1' as unknown as T] })).toThrow(/^defineOp\(smuggle\): partial 1 is string, not a value made by m$/)
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
    expect(() => getReverseKernels()).not.toThrow()
    expect(grad(program([build.mul(x, y)]), { x: 1, y: 2 })).toMatchObject({ _tag: 'Right', right: { gradient: { x: 2, y: 1 } } })
  })

  it('a constant not made by m (3 for m.c(3)) is refused, and the name stays free', () => {
    expect(() => defineOp({ name: 'triple', arity: 1, fn: (a) => 3 * a, partials: <T>() => [3 as unknown as T] })).toThrow('defineOp(triple): partials may only combine the arguments, the output and values made by m')
    expect(grad(program([build.mul(x, y)]), { x: 1, y: 2 })).toMatchObject({ _tag: 'Right' })
    const triple = defineOp({ name: 'triple', arity: 1, fn: (a) => 3 * a, partials: (m) => [m.c(3)] })
    expect(grad(program([triple(x)]), { x: 1 })).toMatchObject({ _tag: 'Right', right: { gradient: { x: 3 } } })
  })

  it('one partial per argument: too few or too many is refused, not a silent zero', () => {
    expect(() => defineOp({ name: 'my_hyp', arity: 2, fn: Math.hypot, partials: (m, [a], out) => [m.div(a!, out)] })).toThrow('defineOp(my_hyp): partials must give one partial per argument (2), not 1')
    expect(() => defineOp({ name: 'my_sq', arity: 1, fn: (a) => a * a, partials: (m, [a]) => [m.mul(m.c(2), a!), m.c(0), m.c(0)] })).toThrow('defineOp(my_sq): partials must give one partial per argument (1), not 3')
  })

  it('partials that throw are refused with what they threw', () => {
    expect(() => defineOp({ name: 'oops', arity: 1, fn: (a) => a, partials: () => { throw new Error('not written yet') } })).toThrow('defineOp(oops): its partials threw at (0): not written yet')
  })
})

describe('partials that branch on an argument’s value', () => {
  it('are refused: the branch is decided once, when the code is generated', () => {
    expect(() => defineOp({ name: 'branchy', arity: 1, fn: Math.abs, partials: <T>(m: { c: (x: number) => T }, [x]: readonly T[]) => [(x as unknown as number) > 0 ? m.c(1) : m.c(-1)] })).toThrow(/^defineOp\(branchy\): partial 1 is 1 at \(1\.8[0-9]*\) on numbers but -1 in generated code/)
    // Written with m, the same derivative passes (sign is in the table).
    const fine = defineOp({ name: 'abs_too', arity: 1, fn: Math.abs, partials: (m, [x]) => [m.sign(x!)] })
    expect(grad(program([fine(x)]), { x: -2 })).toMatchObject({ _tag: 'Right', right: { gradient: { x: -1 } } })
  })
})
