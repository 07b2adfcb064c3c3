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
 * The stages, in order (their data types are all in `types.ts`): `partition.ts` cuts the tape into
 * units; `shape.ts` groups trees by shape and `plan.ts` chooses templates and classifies units into
 * items; `schedule.ts` orders items into steps (`batches.ts`, `sumtree.ts`); `segment.ts` and
 * `direct.ts` refine the plan; `bind.ts` and `run.ts` run it with the forms of `template.ts` and
 * `forms.ts`; `careful.ts` redoes a call that is not finite with the interpreted sweeps.
 *
 * Glossary:
 * - tree: an application with the single-use applications below it (and a temporary read twice
 *   only inside it), at most `maxTree` nodes; only its root is stored, the rest is recomputed.
 * - reduction: a long sum, computed as a loop over its terms in the interpreted order, bit for
 *   bit: a chain `s = s ± term`, or a sum tree (the balanced sums of `sum(...)`) evaluated level
 *   by level over its stored terms. A unit is a tree or a reduction, named by its root slot.
 * - spine: the links of a chain from its top down (`spine[i]`: the link below i).
 * - shape: a tree's structure with its leaves replaced by holes; trees of one shape are its
 *   instances. A block (a few links of a chain that repeat, with their terms) is a shape too.
 * - hole: a slot a tree reads but does not compute: a variable, a constant or another unit's
 *   root; of kind active, inactive, constant, or the sum so far of a block.
 * - template: the compiled code of one shape (with constants common to every instance baked in),
 *   run in a loop over instances. A form is one of its functions: value, grad, jvp, hvp, and the
 *   summing variants used inside reductions.
 * - item: a unit after classification: a node run by the tape kernels, an instance of a template,
 *   or a reduction. Items are scheduled by level (independent items share a level) into steps.
 * - batch: the instances of one template in one step, with their holes' slots in rows (indexed)
 *   or as base and stride per row position (affine).
 * - segment: a tree checkpointed without a template: its instructions are kept and the mode's
 *   segment kernels recompute it from its holes.
 * - lane: the row positions of an affine batch with one stride, which share one running offset.
 * - direct, sole, shared: a row position holding only wrt variables reads and writes the caller's
 *   arrays directly; a sole one is the only writer of its adjoints and assigns them; variables
 *   read anywhere else are shared, copied into the slot arrays and back.
 *
 * @example
 * import { compile, parse, orThrow } from 'chainrule'
 * const f = orThrow(compile(orThrow(parse('100*(y - x^2)^2 + (1 - x)^2')), { wrt: ['x', 'y'] }))
 * const { value, gradient } = f.grad(Float64Array.of(-1.2, 1))
 * value      // → 24.2
 * gradient   // → [-215.6, -88.0]
 *
 * @example
 * import { compile, parse, orThrow } from 'chainrule'
 * // Data as params: given at call time, never differentiated, never recompiled.
 * const fit = orThrow(compile(orThrow(parse('(a*t1 + b - y1)^2 + (a*t2 + b - y2)^2')), { wrt: ['a', 'b'], params: ['t1', 'y1', 't2', 'y2'] }))
 * const data = Float64Array.of(0, 1, 1, 3)               // t1, y1, t2, y2: in the order of params
 * const f = fit.withParams(data)                         // a view that reads data at every call
 * f.grad(Float64Array.of(2, 1)).gradient                 // → [0, 0]   y = 2t + 1 fits exactly
 * data.set([0, 1, 1, 4])                                 // new data, the same compiled functions
 * f.grad(Float64Array.of(2, 1)).gradient                 // → [-2, -2]
 */
import * as E from 'fp-ts/lib/Either.js'
import { closest } from '../expr/names.js'
import type { Program } from '../expr/program.js'
import { textbookOf } from '../jacobian/textbook.js'
import { hvp as interpretedHvp } from '../hvp/index.js'
import { oneOutputOnly, vjp } from '../reverse/index.js'
import type { Warning } from '../tape/diagnose.js'
import { checkFixed, wrtTape } from '../tape/names.js'
import { badArgument, recordOf, type EvalError, type Point, notAProgram } from '../tape/point.js'
import { arrayKind, bind, type Compiled } from './bind.js'
import { pointAtOf, right, withCarefulFallback } from './careful.js'
import { withDirectInputs } from './direct.js'
import { buildPlan } from './plan.js'
import { withSegments } from './segment.js'
import { given, oneOf, optionsError, type Check } from '../tape/options.js'

export interface CompileOptions {
  /** Variables, in the order of the input vector (default: every free variable, in natural order). */
  readonly wrt?: readonly string[] | undefined
  /** Values of the variables that are not in `wrt` (they stay fixed), and of no other name. */
  readonly fixed?: Point | undefined
  /**
   * Free variables that are not differentiated and whose values change from call to call (data,
   * hyper-parameters), in the order of the params vector: the compiled functions read them from
   * the array given to `withParams(p)` at every call, so new data never recompile. Each must be a
   * variable of the program, and neither in `wrt` nor in `fixed`.
   */
  readonly params?: readonly string[] | undefined
  /**
   * Largest number of nodes whose values are recomputed instead of stored in the reverse sweep
   * (the checkpoint interval of long chains): about one value in k is stored. Default 32 for
   * repeated structure only; given explicitly, unique stretches of at least k/2 nodes are
   * checkpointed too (recomputed by the segment kernels, see `segment.ts`). 1 stores every value.
   */
  readonly checkpoint?: number | undefined
  /**
   * How `jacobian` sweeps: by default the mode the cost model (`jacobian/cost.ts`) estimates
   * faster for one lane per pass, n jvp passes against a values pass and m reverse passes (see
   * `textbookChoice`, which `chainrule cost` shows).
   */
  readonly mode?: 'auto' | 'forward' | 'reverse' | undefined
}

export type { Compiled, CompileStats } from './bind.js'

/**
 * A program compiled with params, before they are given: `withParams(p)` gives its functions.
 * (The object is a `Compiled` whose functions throw until params are bound; this type hides them.)
 */
export type Parametric = Pick<Compiled, 'names' | 'params' | 'inputs' | 'outputs' | 'stats' | 'withParams'>

/** The checkpoint interval: a number of at least 1 (rounded down; Infinity stores no more than needed). */
const atLeastOne: Check = (v) => (typeof v === 'number' && v >= 1 ? undefined : `must be a number of at least 1, not ${typeof v === 'number' ? v : JSON.stringify(v) ?? String(v)}`)

/** What is wrong with the params option, or undefined. */
function checkParams(program: Program, wrt: readonly string[], fixed: Point, params: readonly string[]): string | undefined {
  if (params.length === 0) return undefined
  const variables = new Set(program.variables)
  const inputs = new Set(wrt)
  const seen = new Set<string>()
  for (const name of params) {
    if (seen.has(name)) return `param '${name}' is given twice`
    seen.add(name)
    if (!variables.has(name)) {
      const near = closest(name, program.variables)
      return `param '${name}' is not a variable of the program${near !== undefined ? ` (did you mean '${near}'?)` : ''}`
    }
    if (inputs.has(name)) return `param '${name}' is also in wrt (params are not differentiated)`
    if (Object.prototype.hasOwnProperty.call(fixed, name)) return `param '${name}' is also fixed`
  }
  return undefined
}

/**
 * Compiles `program` for repeated evaluation. The names are checked here, once: `wrt` must name
 * distinct variables of the program, `params` others (given at call time: `withParams(p)` gives the
 * functions of a `Parametric`), and `fixed` (own properties only) a number for each of the rest and
 * nothing else; the compiled functions take `Float64Array`s and check only their lengths.
 */
export function compile(program: Program, options: CompileOptions & { readonly params: readonly string[] }): E.Either<EvalError, Parametric>
export function compile(program: Program, options?: CompileOptions): E.Either<EvalError, Compiled>
export function compile(program: Program, options: CompileOptions = {}): E.Either<EvalError, Compiled> {
  const notProgram = notAProgram('compile', program)
  if (notProgram !== undefined) return E.left(notProgram)
  const bad = optionsError('compile', options, { wrt: given, fixed: given, params: given, checkpoint: atLeastOne, mode: oneOf('auto', 'forward', 'reverse') })
  if (bad !== undefined) return E.left(bad)
  const wrt = options.wrt ?? program.variables
  const checked = wrtTape(program, wrt)
  if (E.isLeft(checked)) return checked
  const params = Object.freeze((options.params ?? []).slice())
  const wrong = checkParams(program, wrt, options.fixed ?? {}, params)
  if (wrong !== undefined) return E.left(badArgument(wrong))
  const fixedValues = checkFixed(program, checked.right, options.fixed ?? {}, params)
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
  // The compiled Jacobian sweeps one lane per pass: the cost model's textbook view chooses its
  // mode, on its first call (a program compiled for its gradient never pays for the count).
  let chosen: 'forward' | 'reverse' | undefined
  const mode = options.mode ?? 'auto'
  const jacobianMode = (): 'forward' | 'reverse' => (mode !== 'auto' ? mode : (chosen ??= textbookOf(tape).mode))
  const { bound, loadParams } = bind(direct, wrt, fixed, params, tape.size, jacobianMode)
  const unbound = (): never => {
    throw new RangeError(`this program was compiled with params (${params.join(', ')}): give their values with withParams(p)`)
  }
  /**
   * The compiled functions at the params `p` (undefined: not bound yet, and every function throws).
   * Each call loads `p` into the params' slots first (another view may have loaded its own).
   */
  const pointAt = pointAtOf(wrt, fixed, params)
  const view = (p: Float64Array | undefined): Compiled => {
    const at = p ?? new Float64Array(params.length)
    const load = p === undefined ? (params.length === 0 ? () => {} : unbound) : () => loadParams(p)
    const f = withCarefulFallback(
      {
        ...bound,
        value: (x) => (load(), bound.value(x)),
        values: (x, out) => (load(), bound.values(x, out)),
        grad: (x, out) => (load(), bound.grad(x, out)),
        jvp: (x, v, out, valuesOut) => (load(), bound.jvp(x, v, out, valuesOut)),
        vjp: (x, w, out, valuesOut) => (load(), bound.vjp(x, w, out, valuesOut)),
        jacobian: (x, out, valuesOut) => (load(), bound.jacobian(x, out, valuesOut)),
        hvp: (x, v, out) => (load(), bound.hvp(x, v, out)),
      },
      program,
      wrt,
      pointAt,
      at,
    )
    const warnings = (x: Float64Array, w?: Float64Array, v?: Float64Array): readonly Warning[] => {
      load()
      if (x.length !== wrt.length) throw new RangeError(`expected ${wrt.length} inputs (${wrt.join(', ')}), got ${x.length}`)
      if (v !== undefined) {
        // Second derivatives: the interpreted H·v's warnings (its caveats of order 2 among them).
        if (v.length !== wrt.length) throw new RangeError(`expected a direction of ${wrt.length} entries, got ${v.length}`)
        if (program.outputs.length !== 1) throw new RangeError(oneOutputOnly('warnings with a direction', program.outputs.length))
        return right(interpretedHvp(program, pointAt(x, at), recordOf(wrt, v), { wrt })).warnings
      }
      return right(vjp(program, pointAt(x, at), Array.from(w ?? program.outputs.map(() => 1)), wrt)).warnings
    }
    const withParams = (q: Float64Array): Compiled => {
      if (!(q instanceof Float64Array)) throw new TypeError(`expected the params as a Float64Array, got ${arrayKind(q)}`)
      if (q.length !== params.length) throw new RangeError(`expected ${params.length} params${params.length > 0 ? ` (${params.join(', ')})` : ''}, got ${q.length}`)
      return view(q)
    }
    return { ...f, params, warnings, withParams }
  }
  return E.right(view(undefined))
}
