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
 * Compiled functions return plain numbers and do not collect warnings: use the interpreted
 * `grad`/`jvp` at a point of interest to see non-differentiable points and non-finite values.
 *
 * @example
 * const f = compile(unwrap(parse('100*(y - x^2)^2 + (1 - x)^2')), { wrt: ['x', 'y'] })
 * const { value, gradient } = f.grad(Float64Array.of(-1.2, 1))
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { badArgument, type EvalError, type Point } from '../tape/point.js'
import { tapeFor } from '../tape/tape.js'
import { buildPlan, type Plan } from './plan.js'
import { Runner } from './run.js'

export interface CompileOptions {
  /** Variables, in the order of the input vector (default: every free variable, sorted). */
  readonly wrt?: readonly string[]
  /** Values of free variables that are not in `wrt` (they stay fixed). */
  readonly fixed?: Point
  /**
   * Largest number of nodes whose values are recomputed instead of stored in the reverse sweep
   * (the checkpoint interval of long chains): about one value in k is stored. Default 32 for
   * repeated structure only; given explicitly, unique stretches of at least k/2 nodes are
   * compiled and checkpointed too (one generated function each). 1 stores every value.
   */
  readonly checkpoint?: number
  /** How `jacobian` sweeps: by default the mode with the lower counted cost (see `jacobianMode`). */
  readonly mode?: 'auto' | 'forward' | 'reverse'
}

/**
 * Per pass, a compiled reverse sweep costs about this many compiled jvp passes: a jvp pass
 * recomputes every value along with the tangents, a reverse pass reuses the stored values
 * (measured by `npm run bench`, compile group, on the dense Jacobian programs: 0.5–0.6).
 */
export const reversePassCost = 0.55

/**
 * The mode of a compiled Jacobian: forward takes n jvp passes, reverse one value pass and m
 * reverse passes; the cheaper count wins.
 */
export function jacobianMode(inputs: number, outputs: number): 'forward' | 'reverse' {
  return inputs <= 1 + outputs * reversePassCost ? 'forward' : 'reverse'
}

export interface CompileStats {
  /** Distinct nodes of the program. */
  readonly nodes: number
  /** Values stored per evaluation (leaves and unit roots). */
  readonly stored: number
  readonly templates: number
  readonly steps: number
  /** Bytes kept for a reverse sweep (values and adjoints of stored slots, index arrays), per node. */
  readonly bytesPerNode: number
}

export interface Compiled {
  /** The variables, in input order. */
  readonly names: readonly string[]
  readonly inputs: number
  readonly outputs: number
  readonly stats: CompileStats
  /** The first output's value. */
  value(x: Float64Array): number
  /** Every output's value. */
  values(x: Float64Array, out?: Float64Array): Float64Array
  /** Value and gradient of the first output, in one forward and one reverse sweep. */
  grad(x: Float64Array, out?: Float64Array): { value: number; gradient: Float64Array }
  /** J·v for every output (`valuesOut` receives the outputs' values). */
  jvp(x: Float64Array, v: Float64Array, out?: Float64Array, valuesOut?: Float64Array): { values: Float64Array; tangents: Float64Array }
  /** wᵀJ, one weight per output. */
  vjp(x: Float64Array, w: Float64Array, out?: Float64Array, valuesOut?: Float64Array): { values: Float64Array; vjp: Float64Array }
  /** The m×n Jacobian, row-major, in the mode of `jacobianMode` (or the `mode` option). */
  jacobian(x: Float64Array, out?: Float64Array, valuesOut?: Float64Array): { values: Float64Array; jacobian: Float64Array; mode: 'forward' | 'reverse' }
  /** H·v for the first output (forward-over-reverse). */
  hvp(x: Float64Array, v: Float64Array, out?: Float64Array): { value: number; hvp: Float64Array }
}

/** Compiles `program` for repeated evaluation; an error names missing fixed variables. */
export function compile(program: Program, options: CompileOptions = {}): E.Either<EvalError, Compiled> {
  const wrt = options.wrt ?? program.variables
  const fixed = options.fixed ?? {}
  const inputs = new Set(wrt)
  const missing = program.variables.filter((n) => !inputs.has(n) && typeof fixed[n] !== 'number')
  if (missing.length > 0) return E.left(badArgument(`variables ${missing.join(', ')} are neither in wrt nor fixed`))
  const maxTree = Math.max(1, Math.floor(options.checkpoint ?? 32))
  const tape = tapeFor(program.outputs, wrt)
  // An explicit checkpoint interval also compiles large unique trees (at most 2 per k nodes), so
  // that chains without repeated structure are checkpointed too.
  const uniqueTreeSize = options.checkpoint === undefined ? undefined : Math.max(2, Math.ceil(maxTree / 2))
  const plan = buildPlan(tape, { maxTree, minChain: 8, minInstances: 8, uniqueTreeSize })
  return E.right(compiled(plan, wrt, fixed, tape.size, options.mode ?? 'auto'))
}

function compiled(plan: Plan, names: readonly string[], fixed: Point, nodes: number, modeOption: 'auto' | 'forward' | 'reverse'): Compiled {
  const runner = new Runner(plan)
  const n = names.length
  const m = plan.outputs.length
  const v = plan.init.slice()
  const inputs = new Set(names)
  for (const [name, s] of plan.variables) if (!inputs.has(name)) v[s] = fixed[name]
  const g = new Float64Array(plan.size)
  const t = new Float64Array(plan.size)
  const h = new Float64Array(plan.size)
  const { wrtSlots, outputs } = plan

  // The plan puts the wrt variables first, in order: then inputs and gradients are block copies.
  const identity = wrtSlots.every((s, j) => s === j)
  const load = (x: Float64Array): void => {
    if (x.length !== n) throw new RangeError(`expected ${n} inputs (${names.join(', ')}), got ${x.length}`)
    if (identity) v.set(x)
    else for (let j = 0; j < n; j++) if (wrtSlots[j] >= 0) v[wrtSlots[j]] = x[j]
  }
  const readOutputs = (out: Float64Array): Float64Array => {
    for (let i = 0; i < m; i++) out[i] = v[outputs[i]]
    return out
  }
  const readInputs = (arr: Float64Array, out: Float64Array): Float64Array => {
    if (identity) out.set(arr.subarray(0, n))
    else for (let j = 0; j < n; j++) out[j] = wrtSlots[j] >= 0 ? arr[wrtSlots[j]] : 0
    return out
  }
  const seedTangent = (dir: Float64Array): void => {
    t.fill(0)
    for (let j = 0; j < n; j++) if (wrtSlots[j] >= 0) t[wrtSlots[j]] += dir[j]
  }
  const reverseFrom = (weights: ArrayLike<number>): void => {
    g.fill(0)
    for (let i = 0; i < m; i++) g[outputs[i]] += weights[i]
    runner.reverse(v, g)
  }
  const unit = new Float64Array(Math.max(m, n))
  const indexBytes = plan.steps.reduce((b, s) => b + (s._tag === 'template' ? s.batch.idx.byteLength + s.out.byteLength : s._tag === 'tape' ? s.order.byteLength : 0), 0)

  return {
    names,
    inputs: n,
    outputs: m,
    stats: {
      nodes,
      stored: plan.size,
      templates: plan.templates.length,
      steps: plan.steps.length,
      bytesPerNode: (16 * plan.size + 12 * plan.size + indexBytes) / Math.max(1, nodes),
    },
    value(x) {
      load(x)
      runner.forward(v)
      return v[outputs[0]]
    },
    values(x, out = new Float64Array(m)) {
      load(x)
      runner.forward(v)
      return readOutputs(out)
    },
    grad(x, out = new Float64Array(n)) {
      load(x)
      g.fill(0)
      runner.grad(v, g)
      return { value: v[outputs[0]], gradient: readInputs(g, out) }
    },
    jvp(x, dir, out = new Float64Array(m), valuesOut = new Float64Array(m)) {
      load(x)
      seedTangent(dir)
      runner.jvp(v, t)
      for (let i = 0; i < m; i++) out[i] = t[outputs[i]]
      return { values: readOutputs(valuesOut), tangents: out }
    },
    vjp(x, w, out = new Float64Array(n), valuesOut = new Float64Array(m)) {
      load(x)
      runner.forward(v)
      reverseFrom(w)
      return { values: readOutputs(valuesOut), vjp: readInputs(g, out) }
    },
    jacobian(x, out = new Float64Array(m * n), valuesOut = new Float64Array(m)) {
      load(x)
      const mode = modeOption === 'auto' ? jacobianMode(n, m) : modeOption
      if (mode === 'forward') {
        for (let j = 0; j < n; j++) {
          unit.fill(0)
          unit[j] = 1
          seedTangent(unit)
          runner.jvp(v, t)
          for (let i = 0; i < m; i++) out[i * n + j] = t[outputs[i]]
        }
      } else {
        runner.forward(v)
        for (let i = 0; i < m; i++) {
          unit.fill(0)
          unit[i] = 1
          reverseFrom(unit)
          for (let j = 0; j < n; j++) out[i * n + j] = wrtSlots[j] >= 0 ? g[wrtSlots[j]] : 0
        }
      }
      return { values: readOutputs(valuesOut), jacobian: out, mode }
    },
    hvp(x, dir, out = new Float64Array(n)) {
      load(x)
      seedTangent(dir)
      g.fill(0)
      h.fill(0)
      runner.hvpFull(v, t, g, h)
      return { value: v[outputs[0]], hvp: readInputs(h, out) }
    },
  }
}
