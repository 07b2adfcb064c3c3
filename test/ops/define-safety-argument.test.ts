/**
 * As define-safety-result.test.ts, for text passed as an argument to one of m's operations: refused
 * by defineOp, on numbers (it makes a string) and over generated code alike.
 */
import { describe, expect, it } from 'vitest'
import { defineOp } from '../../src/ops/registry.js'
import { getReverseKernels } from '../../src/reverse/kernels.js'

describe('partials over generated code are checked', () => {
  it('a foreign string given to m is refused', () => {
    expect(() => defineOp({ name: 'smuggle2', arity: 1, fn: (t) => t, partials: (m, [t]) => [m.add(t!, 'globalThis.pwned = 2' as unknown as typeof t)] })).toThrow(/^defineOp\(smuggle2\): /)
    // Text that only shows up over generated code (the partial looks at what it is given).
    const sly = <T>(m: { add: (a: T, b: T) => T }, [t]: readonly T[]): T[] => [typeof t === 'string' ? m.add(t, 'globalThis.pwned = 3' as unknown as T) : t!]
    expect(() => defineOp({ name: 'smuggle3', arity: 1, fn: (t) => t, partials: sly })).toThrow('defineOp(smuggle3): partials may only combine the arguments, the output and values made by m')
    expect(() => getReverseKernels()).not.toThrow()
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
  })
})
