/**
 * Issue 8, findings 2 and 3: derivatives written from the output (1 − tanh², σ(1 − σ), 1/√(1 − x²),
 * 1/(1 + x²), x/(x² + y²)) lost all relative accuracy in the tails, or overflowed and underflowed
 * where the true derivative is an ordinary double. Each reproduction of the issue, by the CLI and
 * through every engine (forward, reverse, symbolic, compiled); the reference values are mpmath's at
 * 60 digits, rounded to the nearest double (the whole-table sweep is `rules.test.ts`).
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { derivativeAt, evaluate } from '../../src/forward/index.js'
import { hessian } from '../../src/hvp/index.js'
import { parse } from '../../src/lang/index.js'
import { grad, gradExpr } from '../../src/reverse/index.js'
import { cliJson } from '../cli/helpers.js'
import { unwrap } from '../core/helpers.js'

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))

/** The first derivative of a one-variable program by forward, reverse, symbolic and compiled sweeps. */
function firstDerivatives(source: string, at: Record<string, number>): Record<string, number[]> {
  const p = unwrap(parse(source))
  const names = p.variables
  const x = Float64Array.from(names, (n) => at[n])
  const compiled = unwrap(compile(p))
  const symbolic = unwrap(evaluate(unwrap(gradExpr(p)), at)).values
  return {
    forward: names.map((n) => unwrap(derivativeAt(p, at, n)).derivative),
    reverse: names.map((n) => unwrap(grad(p, at)).gradient[n]),
    symbolic: [...symbolic],
    compiled: [...compiled.grad(x).gradient],
  }
}

function expectAll(source: string, at: Record<string, number>, want: readonly number[], tol = 1e-14): void {
  for (const [engine, got] of Object.entries(firstDerivatives(source, at))) {
    got.forEach((g, j) => expect(rel(g, want[j]), `${engine} ${source} at ${JSON.stringify(at)}: ${g}, want ${want[j]}`).toBeLessThanOrEqual(tol))
  }
}

describe('derivatives in the tails', () => {
  it("tanh'(10) to the last bits (relative error 1.1e-8 before), tanh'(20) = 1.7e-17 (0 before)", () => {
    expect(cliJson(['grad', 'tanh(x)', '--at', 'x=20']).gradient).toEqual({ x: 1.6993417021166355e-17 })
    expectAll('tanh(x)', { x: 10 }, [8.244614455767397e-9])
    expectAll('tanh(x)', { x: 20 }, [1.6993417021166355e-17])
    expectAll('tanh(x)', { x: -300 }, [1.0601586212017243e-260])
  })

  it("sigmoid'(40) = 4.2e-18 (0 before)", () => {
    expect(cliJson(['grad', 'sigmoid(x)', '--at', 'x=40']).gradient).toEqual({ x: 4.248354255291589e-18 })
    expectAll('sigmoid(x)', { x: 40 }, [4.248354255291589e-18])
    expectAll('sigmoid(x)', { x: -700 }, [9.85967654375977e-305])
  })

  it("softplus''(50) = 1.9e-22 (0 before)", () => {
    const cli = (cliJson(['hessian', 'softplus(x)', '--at', 'x=50']).hessian as number[][])[0][0]
    expect(rel(cli, 1.9287498479639178e-22)).toBeLessThan(1e-14)
    const h = unwrap(hessian(unwrap(parse('softplus(x)')), { x: 50 })).hessian[0][0]
    expect(rel(h, 1.9287498479639178e-22)).toBeLessThan(1e-14)
  })

  it("asin'(1 − 1e-10) to the last bits (error 2.5e-11 before)", () => {
    // 1/√(1 − x²) at the double nearest 1 − 1e-10.
    expectAll('asin(x)', { x: 1 - 1e-10 }, [70710.67519510884], 1e-13)
    expectAll('acos(x)', { x: 1 - 1e-10 }, [-70710.67519510884], 1e-13)
  })

  it('atan2 at (1e200, 1e200) and (1e-200, 1e-200): finite, not 0 and ∞', () => {
    const big = cliJson(['grad', 'atan2(y,x)', '--at', 'x=1e200,y=1e200'])
    expect(big.warnings).toBeUndefined()
    expectAll('atan2(y,x)', { x: 1e200, y: 1e200 }, [-5e-201, 5e-201])
    expectAll('atan2(y,x)', { x: 1e-200, y: 1e-200 }, [-5e199, 5e199])
  })

  it("atan'(1e160) = 1e-320 (0 before)", () => {
    expect(cliJson(['grad', 'atan(x)', '--at', 'x=1e160']).gradient).toEqual({ x: 1e-320 })
    expectAll('atan(x)', { x: 1e160 }, [1e-320])
  })

  it('the compiled and interpreted Hessians agree in the tails', () => {
    for (const [source, x] of [['tanh(x)', 20], ['sigmoid(x)', 40], ['asin(x)', 1 - 1e-10], ['atan(x)', 1e100]] as const) {
      const p = unwrap(parse(source))
      const h = unwrap(hessian(p, { x })).hessian[0][0]
      const c = unwrap(compile(p))
      expect(rel(c.hvp(Float64Array.of(x), Float64Array.of(1)).hvp[0], h), source).toBeLessThan(1e-14)
    }
  })
})
