/**
 * The public types of the Jacobian module: modes, the cost model's answer, options and results,
 * and the sparse matrix formats.
 *
 * @example
 * import { jacobian, parse, orThrow, type JacobianOptions } from 'chainrule'
 * const opts: JacobianOptions = { wrt: ['x', 'y'], mode: 'auto', format: 'csr' }
 * orThrow(jacobian(orThrow(parse('[x*y]')), { x: 2, y: 3 }, opts)).jacobian   // → { format: 'csr', values: [3, 2] }
 */
import type { Warning } from '../tape/diagnose.js'
import type { ModeCost } from './cost.js'

/** The two ways of accumulating a Jacobian. */
export type Mode = 'forward' | 'reverse'

/** What the sparsity analysis found (present when the pattern was computed). */
export interface SparseInfo {
  /** Structural non-zeros of the Jacobian. */
  readonly nnz: number
  /** Colours of the columns (forward lanes) and of the rows (reverse lanes). */
  readonly columnColours: number
  readonly rowColours: number
  /** True when the chosen computation is compressed by these colours. */
  readonly used: boolean
}

/** The answer of `chooseMode`: the mode, what each mode costs on this graph, and why. */
export interface ModeChoice {
  readonly mode: Mode
  readonly forward: ModeCost
  readonly reverse: ModeCost
  /** One sentence for a student. */
  readonly reason: string
  /** Columns that need a sweep (`wrt` names present in the program) and rows (outputs that depend on them). */
  readonly inputs: number
  readonly outputs: number
  /** Slots of the tape, and edges of one derivative sweep over G′. */
  readonly slots: number
  readonly edges: number
  readonly sparse?: SparseInfo
}

/** `auto` lets the cost model choose. */
export type ModeOption = 'auto' | Mode

export interface ChooseOptions {
  readonly mode?: ModeOption | undefined
  /**
   * true: compute the sparsity pattern and compress by colouring; false: dense sweeps; absent: the
   * auto mode looks for sparsity within a small budget and uses it when the model says it pays
   * (a forced mode is then dense).
   */
  readonly sparse?: boolean | undefined
}

export type Format = 'dense' | 'coo' | 'csr'

export interface JacobianOptions extends ChooseOptions {
  /** Default: every variable of the program, in natural order. Each name must be a variable of the program, once. */
  readonly wrt?: readonly string[] | undefined
  /**
   * Default: dense rows. A Jacobian computed by colouring with more than `denseLimit` entries
   * needs an explicit format (then 'csr' or 'coo' is what one wants).
   */
  readonly format?: Format | undefined
}

/** Row i = output i, column j = `wrt[j]`. */
export type DenseMatrix = number[][]

/** Coordinate form: entry k is (rows[k], cols[k]) = values[k]. */
export interface CooMatrix {
  readonly format: 'coo'
  readonly shape: readonly [rows: number, columns: number]
  readonly rows: number[]
  readonly cols: number[]
  readonly values: number[]
}

/** Compressed rows: row i holds columns colIdx[rowPtr[i] .. rowPtr[i+1]) with their values. */
export interface CsrMatrix {
  readonly format: 'csr'
  readonly shape: readonly [rows: number, columns: number]
  readonly rowPtr: number[]
  readonly colIdx: number[]
  readonly values: number[]
}

export type SparseMatrix = CooMatrix | CsrMatrix
export type JacobianMatrix = DenseMatrix | SparseMatrix

export interface JacobianResult<J extends JacobianMatrix = JacobianMatrix> {
  /** The output values. */
  readonly values: readonly number[]
  readonly jacobian: J
  readonly mode: Mode
  readonly wrt: readonly string[]
  readonly cost: ModeChoice
  /** Derivative sweeps run. */
  readonly sweeps: number
  /** Colours used, when the computation was compressed. */
  readonly colours?: number
  readonly warnings: readonly Warning[]
}
