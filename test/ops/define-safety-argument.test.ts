/**
 * As define-safety-result.test.ts, for text passed as an argument to one of m's operations.
 */
import { describe, expect, it } from 'vitest'
import { defineOp } from '../../src/ops/registry.js'
import { getReverseKernels } from '../../src/reverse/kernels.js'

describe('partials over generated code are checked', () => {
  it('a foreign string given to m is refused', () => {
    defineOp({ name: 'smuggle2', arity: 1, fn: (t) => t, partials: (m, [t]) => [m.add(t!, 'globalThis.pwned = 2' as unknown as typeof t)] })
    expect(() => getReverseKernels()).toThrow('defineOp(smuggle2): partials may only combine the arguments, the output and values made by m')
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
  })
})
