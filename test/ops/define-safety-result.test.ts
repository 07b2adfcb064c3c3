/**
 * defineOp's partials over generated code: a partial that is not built from `m` and the arguments
 * (text a caller smuggles in as a value) is refused when the kernels are generated, before any
 * source is compiled; the toolkit's own kernels never contain it. (Its own file: the refusal
 * leaves this process unable to generate kernels, as it should.)
 */
import { describe, expect, it } from 'vitest'
import { variable } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { defineOp } from '../../src/ops/registry.js'
import { grad } from '../../src/reverse/index.js'
import { getReverseKernels } from '../../src/reverse/kernels.js'

describe('partials over generated code are checked', () => {
  it('a foreign string as a partial, or as an argument of m, never reaches new Function', () => {
    const refused = 'defineOp(smuggle): partials may only combine the arguments, the output and values made by m'
    const smuggle = defineOp({ name: 'smuggle', arity: 1, fn: (t) => t, partials: <T>() => ['globalThis.pwned = 1' as unknown as T] })
    const p = program([smuggle(variable('x'))])
    expect(() => grad(p, { x: 1 })).toThrow(refused)
    expect(() => getReverseKernels()).toThrow(refused)
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
  })
})
