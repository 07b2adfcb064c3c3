/**
 * Compile once, evaluate many times. `compile(program, { wrt })` builds the derivative program
 * once and returns plain functions over `Float64Array`s, for optimisers and solvers that call the
 * same function and its derivatives at thousands of points.
 *
 * The compiled form is a plan (see `plan.ts`): repeated subgraphs (a model assembled term by term,
 * a residual per data point) run through one compiled template each, long sums become loops, and
 * whatever has no repeated structure runs on the typed-array tape kernels. No allocation per node;
 * none per call when the caller passes output buffers. The functions share working buffers, so a
 * compiled object must not be used from two computations at once (it is not re-entrant).
 *
 * Compiled functions return plain numbers and do not collect warnings: `warnings(x)` runs the
 * interpreted sweeps at a point of interest to report non-differentiable points and non-finite
 * values.
 *
 * @example
 * const f = compile(unwrap(parse('100*(y - x^2)^2 + (1 - x)^2')), { wrt: ['x', 'y'] })
 * const { value, gradient } = f.grad(Float64Array.of(-1.2, 1))
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { vjp } from '../reverse/index.js'
import type { Warning } from '../tape/diagnose.js'
import { checkFixed, wrtTape } from '../tape/names.js'
import type { EvalError, Point } from '../tape/point.js'
import { bind, type Compiled } from './bind.js'
import { withDirectInputs } from './direct.js'
import { buildPlan } from './plan.js'
import { withSegments } from './segment.js'

export interface CompileOptions {
  /** Variables, in the order of the input vector (default: every free variable, sorted). */
  readonly wrt?: readonly string[]
  /** Values of the variables that are not in `wrt` (they stay fixed), and of no other name. */
  readonly fixed?: Point
  /**
   * Largest number of nodes whose values are recomputed instead of stored in the reverse sweep
   * (the checkpoint interval of long chains): about one value in k is stored. Default 32 for
   * repeated structure only; given explicitly, unique stretches of at least k/2 nodes are
   * checkpointed too (recomputed by the segment kernels, see `segment.ts`). 1 stores every value.
   */
  readonly checkpoint?: number
  /** How `jacobian` sweeps: by default the mode with the lower counted cost (see `jacobianMode`). */
  readonly mode?: 'auto' | 'forward' | 'reverse'
}

export { jacobianMode, reversePassCost, type Compiled, type CompileStats } from './bind.js'

/**
 * Compiles `program` for repeated evaluation. The names are checked here, once: `wrt` must name
 * distinct variables of the program, and `fixed` (own properties only) give a number for
 * each of the others and nothing else; the compiled functions take `Float64Array`s in `wrt`
 * order and check only their lengths.
 */
export function compile(program: Program, options: CompileOptions = {}): E.Either<EvalError, Compiled> {
  const wrt = options.wrt ?? program.variables
  const checked = wrtTape(program, wrt)
  if (E.isLeft(checked)) return checked
  const fixedValues = checkFixed(program, checked.right, options.fixed ?? {})
  if (E.isLeft(fixedValues)) return fixedValues
  const fixed = fixedValues.right
  const maxTree = Math.max(1, Math.floor(options.checkpoint ?? 32))
  const tape = checked.right
  // An explicit checkpoint interval also compiles large unique trees (at most 2 per k nodes), so
  // that chains without repeated structure are checkpointed too.
  const uniqueTreeSize = options.checkpoint === undefined ? undefined : Math.max(2, Math.ceil(maxTree / 2))
  const minInstances = 8
  // Trees whose shape has too few instances for a template (the unique trees of an explicit
  // checkpoint interval) run as segments on the segment kernels (see `segment.ts`).
  const direct = withDirectInputs(withSegments(buildPlan(tape, { maxTree, minChain: 8, minInstances, uniqueTreeSize }), tape, minInstances))
  const warnings = (x: Float64Array, w?: Float64Array): readonly Warning[] => {
    if (x.length !== wrt.length) throw new RangeError(`expected ${wrt.length} inputs (${wrt.join(', ')}), got ${x.length}`)
    const point: Record<string, number> = { ...fixed }
    wrt.forEach((name, j) => {
      point[name] = x[j]
    })
    const r = vjp(program, point, Array.from(w ?? program.outputs.map(() => 1)), wrt)
    if (E.isLeft(r)) throw new RangeError(r.left.message)
    return r.right.warnings
  }
  return E.right({ ...bind(direct, wrt, fixed, tape.size, options.mode ?? 'auto'), warnings })
}
