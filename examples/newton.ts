/**
 * Newton's method on 1,000 unknowns, with the toolkit's sparse Jacobian.
 *
 * The Broyden tridiagonal problem: find x ∈ ℝⁿ with
 *
 *     F_i(x) = (3 − 2xᵢ)·xᵢ − xᵢ₋₁ − 2xᵢ₊₁ + 1 = 0,   i = 1 … n   (x₀ = xₙ₊₁ = 0),
 *
 * from x = (−1, …, −1). Each Newton step solves J(x)·Δx = −F(x). The residuals are written once,
 * as a TypeScript function traced into a program; the toolkit reads the Jacobian's sparsity off
 * the graph (each Fᵢ reads xᵢ₋₁, xᵢ, xᵢ₊₁), colours its columns (columns j, j+3, j+6, … share no
 * row) and computes the 1,000 × 1,000 Jacobian in one forward sweep carrying 3 tangents instead
 * of 1,000. The band the solver needs is taken from that same sparsity pattern, not assumed.
 *
 *     npm run example:newton
 *
 * Run from a clone: the toolkit is imported from its sources (a user writes `from 'chainrule'`).
 */
import { fileURLToPath } from 'node:url'
import { add, jacobian, mul, orThrow, pointOf, sparsityPattern, sub, trace, type CsrMatrix, type Traced } from '../src/index.js'

// -------------------------------------------------------------------------------------------------
// The problem
// -------------------------------------------------------------------------------------------------

/** The residuals F₁ … Fₙ as one program of the variables x0 … x(n−1) (the neighbours outside are 0). */
export function broyden(n: number): Traced<readonly [readonly [number]]> {
  return orThrow(
    trace((x) => x.map((xi, i) => add(sub(sub(mul(sub(3, mul(2, xi)), xi), x[i - 1] ?? 0), mul(2, x[i + 1] ?? 0)), 1)), {
      args: [[n]],
      names: ['x'],
    }),
  )
}

// -------------------------------------------------------------------------------------------------
// A banded solver: LU without pivoting, in band storage
// -------------------------------------------------------------------------------------------------

/** How far the non-zeros of a square pattern reach below (`lower`) and above (`upper`) the diagonal. */
export interface Band {
  readonly lower: number
  readonly upper: number
}

/** The band of a pattern in compressed rows. */
export function bandOf(rowPtr: ArrayLike<number>, colIdx: ArrayLike<number>): Band {
  let lower = 0
  let upper = 0
  for (let i = 0; i + 1 < rowPtr.length; i++) {
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      lower = Math.max(lower, i - colIdx[k])
      upper = Math.max(upper, colIdx[k] - i)
    }
  }
  return { lower, upper }
}

/**
 * Solves A·x = b for a square CSR matrix A whose non-zeros lie in `band`: Gaussian elimination
 * without pivoting, which keeps the fill-in inside the band (n·(lower + upper + 1) numbers; for
 * a tridiagonal matrix this is the Thomas algorithm). Fine for the diagonally dominant Jacobians
 * here; a zero pivot throws.
 */
export function solveBanded(a: CsrMatrix, band: Band, b: Float64Array): Float64Array {
  const n = b.length
  const { lower: p, upper: q } = band
  const w = p + q + 1
  const at = (i: number, j: number): number => i * w + j - i + p // A[i][j] in band storage
  const lu = new Float64Array(n * w)
  for (let i = 0; i < n; i++) {
    for (let k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) {
      const j = a.colIdx[k]
      if (j < i - p || j > i + q) throw new RangeError(`entry (${i}, ${j}) lies outside the band (${p} below, ${q} above)`)
      lu[at(i, j)] = a.values[k]
    }
  }
  const x = Float64Array.from(b)
  for (let k = 0; k < n; k++) {
    const pivot = lu[at(k, k)]
    if (pivot === 0) throw new RangeError(`zero pivot in row ${k}`)
    for (let i = k + 1; i <= Math.min(n - 1, k + p); i++) {
      const l = (lu[at(i, k)] /= pivot)
      for (let j = k + 1; j <= Math.min(n - 1, k + q); j++) lu[at(i, j)] -= l * lu[at(k, j)]
      x[i] -= l * x[k] // forward substitution with L, as we go
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j <= Math.min(n - 1, i + q); j++) x[i] -= lu[at(i, j)] * x[j]
    x[i] /= lu[at(i, i)]
  }
  return x
}

// -------------------------------------------------------------------------------------------------
// Newton's method
// -------------------------------------------------------------------------------------------------

export interface NewtonOptions {
  /** Stop when ‖F(x)‖∞ ≤ tolerance (default 1e-10). */
  readonly tolerance?: number
  /** At most this many Newton steps (default 20). */
  readonly maxIterations?: number
  /** Called after each iteration (the CLI prints a line). */
  readonly onIteration?: (it: Iteration) => void
}

/** One iteration: the residual at xₖ, the step taken from it (NaN when none was), the Jacobian's time. */
export interface Iteration {
  readonly k: number
  readonly residual: number
  readonly step: number
  readonly jacobianMs: number
}

export interface NewtonResult {
  readonly x: Float64Array
  /** ‖F(xₖ)‖∞ for k = 0, 1, …, the last one at or below the tolerance when `converged`. */
  readonly residuals: number[]
  readonly iterations: Iteration[]
  readonly converged: boolean
  readonly band: Band
  /** How the toolkit computed each Jacobian. */
  readonly mode: 'forward' | 'reverse'
  readonly sweeps: number
  readonly colours: number | undefined
  readonly nonZeros: number
  /** Tracing the program and reading its sparsity (once, before iterating). */
  readonly setupMs: number
}

const normInf = (v: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]))
  return m
}

/** The residuals and the sparse Jacobian of `F` at `x` (columns in the order of x). */
export function residualAndJacobian(F: Traced<readonly [readonly [number]]>, x: Float64Array) {
  return orThrow(jacobian(F, pointOf(F, x), { wrt: F.args[0], sparse: true, format: 'csr' }))
}

/** Newton's method on the Broyden tridiagonal system of n unknowns, from x = −1. */
export function solve(n: number, options: NewtonOptions = {}): NewtonResult {
  const { tolerance = 1e-10, maxIterations = 20, onIteration } = options
  const t0 = performance.now()
  const F = broyden(n)
  const pattern = orThrow(sparsityPattern(F, F.args[0]))
  const band = bandOf(pattern.rowPtr, pattern.colIdx)
  const setupMs = performance.now() - t0

  const x = new Float64Array(n).fill(-1)
  const residuals: number[] = []
  const iterations: Iteration[] = []
  for (let k = 0; ; k++) {
    const t = performance.now()
    const J = residualAndJacobian(F, x) // F(x) comes with it: J.values
    const jacobianMs = performance.now() - t
    const residual = normInf(J.values)
    residuals.push(residual)
    const done = residual <= tolerance || k === maxIterations
    let step = NaN
    if (!done) {
      const dx = solveBanded(J.jacobian, band, Float64Array.from(J.values, (f) => -f))
      for (let i = 0; i < n; i++) x[i] += dx[i]
      step = normInf(dx)
    }
    const it = { k, residual, step, jacobianMs }
    iterations.push(it)
    onIteration?.(it)
    if (done) {
      return { x, residuals, iterations, converged: residual <= tolerance, band, mode: J.mode, sweeps: J.sweeps, colours: J.colours, nonZeros: pattern.nnz, setupMs }
    }
  }
}

// -------------------------------------------------------------------------------------------------
// The command: npm run example:newton
// -------------------------------------------------------------------------------------------------

function main(): void {
  const n = 1000
  const e = (v: number): string => (Number.isNaN(v) ? '—' : v.toExponential(2))
  const start = performance.now()
  console.log(`Newton's method on the Broyden tridiagonal system, n = ${n}, from x = −1`)
  console.log('')
  console.log('iteration   ‖F‖∞        ‖Δx‖∞       Jacobian')
  const r = solve(n, {
    onIteration: (it) => console.log(`${String(it.k).padStart(9)}   ${e(it.residual).padEnd(10)}  ${e(it.step).padEnd(10)}  ${it.jacobianMs.toFixed(1).padStart(5)} ms`),
  })
  const total = performance.now() - start
  console.log('')
  console.log(r.converged ? `converged: ‖F‖∞ ≤ 1e-10 after ${r.iterations.length - 1} Newton steps` : 'did not converge')
  console.log(`Jacobian: ${n}×${n}, ${r.nonZeros.toLocaleString('en')} non-zeros, band ${r.band.lower} below and ${r.band.upper} above the diagonal`)
  console.log(`          ${r.mode} mode, ${r.colours ?? n} colours: ${r.sweeps} sweep${r.sweeps === 1 ? '' : 's'} carrying ${r.colours ?? n} ${r.mode === 'forward' ? 'tangents' : 'adjoint rows'}, not ${n}`)
  console.log(`total ${total.toFixed(0)} ms, of which ${r.setupMs.toFixed(0)} ms tracing the program and reading its sparsity`)
  console.log('(the first Jacobian also plans the sweeps once: which mode, which colours)')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
