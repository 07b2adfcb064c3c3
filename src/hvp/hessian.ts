/**
 * Hessians from Hessian-vector products.
 *
 * - Dense: column j of H is H·eⱼ, so n forward-over-reverse passes (each a jvp and an hvp sweep
 *   over the same tape and value array).
 * - Sparse (`sparse: true`, or on its own from `autoSparseFrom` variables when that saves at least
 *   half the passes): read the Hessian's symmetric sparsity pattern from the graph (`pattern.ts`), colour
 *   its columns so that no row meets two columns of a colour (`colouring.ts`), and run one pass
 *   per colour along the sum of that colour's unit vectors; each non-zero is read directly from
 *   the compressed products. Extended Rosenbrock of any size takes 2 passes, a tridiagonal
 *   Hessian 3.
 *
 * Symmetry: forward-over-reverse computes H[i][j] and H[j][i] by different sums, which may differ
 * in the last bits (and the sparse recovery reads them from different passes). When the
 * assembled matrix is not exactly symmetric, it is replaced by (H + Hᵀ)/2 and `symmetrised` is
 * true; an exactly symmetric matrix is returned untouched.
 *
 * @example
 * import { parse, hessian, sparseHessian, orThrow } from 'chainrule'
 * const f = orThrow(parse('(x + y)*z'))
 * orThrow(hessian(f, { x: -2, y: 5, z: -4 }))   // → { hessian: [[0, 0, 1], [0, 0, 1], [1, 1, 0]], sweeps: 3 }
 * const rosenbrock = orThrow(parse('100*(y - x^2)^2 + (1 - x)^2'))
 * orThrow(sparseHessian(rosenbrock, { x: -1.2, y: 1 }))
 * // → { rows: [0, 0, 1, 1], cols: [0, 1, 0, 1], values: [1330, 480, 480, 200], sweeps: 2 }
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Program } from '../expr/program.js'
import type { Warning } from '../tape/diagnose.js'
import { badArgument, recordOf, type EvalError, type Point, notAProgram } from '../tape/point.js'
import type { Tape } from '../tape/tape.js'
import { distance2Colouring, trivialColouring, type Colouring } from './colouring.js'
import { hessianPattern, type SymmetricPattern } from './pattern.js'
import { underflowWarning } from '../reverse/underflow.js'
import { atWrt, forwardOnly, hvpSweep, prepare, workspace } from './sweep.js'
import { hvpWarnings } from './warnings.js'
import { given, isBoolean, optionsError } from '../tape/options.js'

export interface HessianOptions {
  /** The variables of H; defaults to every free variable, in natural order. */
  readonly wrt?: readonly string[] | undefined
  /**
   * true: detect the sparsity pattern and colour it (fewer passes when H is sparse); false: n dense
   * passes. Absent: from `autoSparseFrom` variables on, the pattern is looked for (within the
   * pattern's own budget) and used when its colouring needs at most half the passes, as `jacobian`
   * looks for sparsity on its own; the plan is kept with the tape, so it is paid once.
   */
  readonly sparse?: boolean | undefined
}

export interface HessianResult {
  readonly value: number
  readonly gradient: Readonly<Record<string, number>>
  /** hessian[i][j] = ∂²f/∂wrt[i]∂wrt[j]. */
  readonly hessian: number[][]
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
  /** Forward-over-reverse passes used (n dense; the number of colours sparse). */
  readonly sweeps: number
  /** True when H and Hᵀ differed in some entry and were averaged. */
  readonly symmetrised: boolean
}

export interface SparseHessianResult {
  readonly value: number
  readonly gradient: Readonly<Record<string, number>>
  /** The structural non-zeros in coordinate form, row-major: H[rows[k]][cols[k]] = values[k]. */
  readonly rows: readonly number[]
  readonly cols: readonly number[]
  readonly values: readonly number[]
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
  readonly sweeps: number
  readonly symmetrised: boolean
}

interface Passes {
  readonly value: number
  readonly gradient: Float64Array
  /** products[c] = H·(Σ_{colour j = c} eⱼ), over the wrt variables. */
  readonly products: readonly Float64Array[]
  readonly warnings: Warning[]
}

/** One forward-over-reverse pass per colour. */
function runPasses(program: Program, tape: Tape, values: Float64Array, colouring: Colouring): Passes {
  const n = tape.wrt.length
  const work = workspace(tape)
  const products: Float64Array[] = []
  let gradient: Float64Array = new Float64Array(n)
  let badTangents: Float64Array | undefined
  const direction = new Float64Array(n)
  let underflow = -1
  for (let c = 0; c < colouring.count; c++) {
    for (let j = 0; j < n; j++) direction[j] = colouring.colour[j] === c ? 1 : 0
    const at = hvpSweep(tape, values, direction, work)
    if (underflow < 0) underflow = at
    const hv = atWrt(tape, work.h)
    products.push(hv)
    if (c === 0) gradient = atWrt(tape, work.g)
    if (badTangents === undefined && !hv.every(Number.isFinite)) badTangents = work.t.slice()
  }
  if (colouring.count === 0) forwardOnly(tape, values)
  const warnings = [...hvpWarnings(program, tape, values, badTangents ?? work.t, [gradient, ...products]), ...(underflow < 0 ? [] : [underflowWarning(tape, values, program.names, underflow)])]
  return { value: values[tape.outputs[0]], gradient, products, warnings }
}

/** Entry (i, j) of H read from the passes (one product per column when the colouring is trivial). */
const entry = (p: Passes, colouring: Colouring, i: number, j: number): number => p.products[colouring.colour[j]][i]

/** `a` and `b` are the same number (NaN included). */
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b))

/** Dense n×n matrix from the passes; pattern entries only when a sparse pattern is given. */
function assemble(p: Passes, colouring: Colouring, pattern: SymmetricPattern | undefined, n: number): { matrix: number[][]; symmetrised: boolean } {
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  if (pattern === undefined || pattern.dense) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i][j] = entry(p, colouring, i, j)
  } else {
    for (let i = 0; i < n; i++) {
      for (let r = pattern.rowStart[i]; r < pattern.rowStart[i + 1]; r++) matrix[i][pattern.cols[r]] = entry(p, colouring, i, pattern.cols[r])
    }
  }
  let symmetrised = false
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (same(matrix[i][j], matrix[j][i])) continue
      matrix[i][j] = matrix[j][i] = (matrix[i][j] + matrix[j][i]) / 2
      symmetrised = true
    }
  }
  return { matrix, symmetrised }
}

/** From this many variables on, `hessian` looks for sparsity unless told not to (below, n passes cost less than looking). */
export const autoSparseFrom = 8

interface HessianPlan {
  readonly pattern: SymmetricPattern | undefined
  readonly colouring: Colouring
}

/** The pattern and colouring found for a tape (the plan depends on the tape only, not the point). */
const sparsePlans = new WeakMap<Tape, HessianPlan>()

/**
 * Pattern and colouring for `tape`: the trivial colouring when not sparse or not worth it. Auto
 * (`sparse` undefined) uses the colouring only when it needs at most half the passes: a pattern
 * that saves little would change the last bits of the result for nothing.
 */
function plan(tape: Tape, sparse: boolean | undefined): HessianPlan {
  const n = tape.wrt.length
  const dense = { pattern: undefined, colouring: trivialColouring(n) }
  if (sparse === false || (sparse === undefined && n < autoSparseFrom)) return dense
  let found = sparsePlans.get(tape)
  if (found === undefined) {
    const pattern = hessianPattern(tape)
    const colouring = distance2Colouring(pattern)
    found = colouring.count < n ? { pattern, colouring } : dense
    sparsePlans.set(tape, found)
  }
  if (sparse === undefined && found.colouring.count * 2 > n) return dense
  return found
}

/** The most entries a dense Hessian may have (2^26: half a gigabyte of numbers). */
export const denseHessianLimit = 1 << 26

/**
 * The value, gradient and Hessian of a scalar program at `point`, dense (n passes) or through a
 * colouring of the Hessian's pattern (one pass per colour): with `sparse: true` whenever colouring
 * saves a pass, and by default from `autoSparseFrom` variables on when it saves at least half of
 * them (see `HessianOptions.sparse`). More than `denseHessianLimit` entries is an error:
 * use `sparseHessian`, which never builds the n×n matrix.
 */
export function hessian(program: Program, point: Point, options: HessianOptions = {}): E.Either<EvalError, HessianResult> {
  const notProgram = notAProgram('hessian', program)
  if (notProgram !== undefined) return E.left(notProgram)
  const bad = optionsError('hessian', options, { wrt: given, sparse: isBoolean })
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  if (wrt.length * wrt.length > denseHessianLimit) {
    return E.left(badArgument(`a dense Hessian of ${wrt.length} variables has ${wrt.length}² entries, too many; use sparseHessian`))
  }
  return pipe(
    prepare(program, point, wrt, 'hessian'),
    E.map(({ tape, values }) => {
      const { pattern, colouring } = plan(tape, options.sparse)
      const passes = runPasses(program, tape, values, colouring)
      const { matrix, symmetrised } = assemble(passes, colouring, pattern, wrt.length)
      const gradient = recordOf(wrt, passes.gradient)
      return { value: passes.value, gradient, hessian: matrix, wrt, warnings: passes.warnings, sweeps: colouring.count, symmetrised }
    }),
  )
}

/**
 * The Hessian's structural non-zeros in coordinate form, through colouring: never builds an n×n
 * array, so it serves n = 10⁵ with a sparse Hessian. A dense pattern takes n passes.
 */
export function sparseHessian(program: Program, point: Point, options: { readonly wrt?: readonly string[] } = {}): E.Either<EvalError, SparseHessianResult> {
  const notProgram = notAProgram('sparseHessian', program)
  if (notProgram !== undefined) return E.left(notProgram)
  // hessian's options may be passed as they are (sparse is implied here).
  const bad = optionsError('sparseHessian', options, { wrt: given, sparse: given })
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  return pipe(
    prepare(program, point, wrt, 'sparseHessian'),
    E.map(({ tape, values }) => {
      const n = wrt.length
      const pattern = hessianPattern(tape)
      const colouring = distance2Colouring(pattern)
      const passes = runPasses(program, tape, values, colouring)
      const rows: number[] = []
      const cols: number[] = []
      const vals: number[] = []
      let symmetrised = false
      const add = (i: number, j: number): void => {
        const a = entry(passes, colouring, i, j)
        const b = entry(passes, colouring, j, i)
        if (!same(a, b)) symmetrised = true
        rows.push(i)
        cols.push(j)
        vals.push(same(a, b) ? a : (a + b) / 2)
      }
      for (let i = 0; i < n; i++) {
        if (pattern.dense) for (let j = 0; j < n; j++) add(i, j)
        else for (let r = pattern.rowStart[i]; r < pattern.rowStart[i + 1]; r++) add(i, pattern.cols[r])
      }
      const gradient = recordOf(wrt, passes.gradient)
      return { value: passes.value, gradient, rows, cols, values: vals, wrt, warnings: passes.warnings, sweeps: colouring.count, symmetrised }
    }),
  )
}
