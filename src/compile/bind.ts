/**
 * Binding a plan to its buffers: the functions of a compiled program (`value`, `grad`, `jvp`,
 * `vjp`, `jacobian`, `hvp`) over the caller's `Float64Array`s, with the value, tangent and adjoint
 * arrays allocated once. In a direct plan the caller's input and output arrays are read and
 * written in place (see `direct.ts`).
 *
 * @example
 * import { compile, parse, orThrow } from 'chainrule'
 * const f = orThrow(compile(orThrow(parse('x*y'))))
 * const out = new Float64Array(f.inputs)
 * f.grad(Float64Array.of(1, 2), out).gradient   // → [2, 1]   written into out
 */
import { oneOutputOnly } from '../reverse/index.js'
import type { Warning } from '../tape/diagnose.js'
import type { Point } from '../tape/point.js'
import { Io } from './access.js'
import type { DirectPlan } from './direct.js'
import { finite, finiteAt } from './finite.js'
import { Runner } from './run.js'
import type { Plan } from './types.js'

export interface CompileStats {
  /** Distinct nodes of the program. */
  readonly nodes: number
  /** Values stored per evaluation (leaves and unit roots). */
  readonly stored: number
  readonly templates: number
  /** Checkpointed trees recomputed by the segment kernels. */
  readonly segments: number
  readonly steps: number
  /** Bytes kept for a reverse sweep (values and adjoints of stored slots, index arrays), per node. */
  readonly bytesPerNode: number
  /**
   * Whether templates read the input vector and write gradients in place (see `direct.ts`), and
   * how many variables are read elsewhere too and so still pass through the slot arrays.
   */
  readonly direct: boolean
  readonly shared: number
}

export interface Compiled {
  /** The variables, in input order. */
  readonly names: readonly string[]
  /**
   * The params (the `params` option): inputs that are not differentiated, read at every call from
   * the array given to `withParams`, in this order. Empty without the option.
   */
  readonly params: readonly string[]
  readonly inputs: number
  readonly outputs: number
  readonly stats: CompileStats
  /**
   * The same functions, reading the params from `p` (one entry per name of `params`) at every
   * call: refill `p` and call again, nothing is recompiled. The view costs a few closures; its calls
   * allocate nothing more than the compiled object's own. `p` is read, never written or kept
   * beyond the view. Throws a RangeError when `p` has the wrong length.
   */
  withParams(p: Float64Array): Compiled
  /** The value of a program with one output (a program with several throws: use `values`). */
  value(x: Float64Array): number
  /** Every output's value. */
  values(x: Float64Array, out?: Float64Array): Float64Array
  /**
   * Value and gradient of a program with one output, in one forward and one reverse sweep. A
   * program with several outputs throws, as the interpreted `grad` refuses it: `vjp` weights them.
   */
  grad(x: Float64Array, out?: Float64Array): { value: number; gradient: Float64Array }
  /** J·v for every output (`valuesOut` receives the outputs' values). */
  jvp(x: Float64Array, v: Float64Array, out?: Float64Array, valuesOut?: Float64Array): { values: Float64Array; tangents: Float64Array }
  /** wᵀJ, one weight per output. */
  vjp(x: Float64Array, w: Float64Array, out?: Float64Array, valuesOut?: Float64Array): { values: Float64Array; vjp: Float64Array }
  /** The m×n Jacobian, row-major, in the mode of `textbookChoice` (the cost model at one lane per pass), or the `mode` option. */
  jacobian(x: Float64Array, out?: Float64Array, valuesOut?: Float64Array): { values: Float64Array; jacobian: Float64Array; mode: 'forward' | 'reverse' }
  /** H·v of a program with one output (forward-over-reverse); several outputs throw, as in `hvp`. */
  hvp(x: Float64Array, v: Float64Array, out?: Float64Array): { value: number; hvp: Float64Array }
  /**
   * What the interpreted sweeps warn about at x, back-propagating the output weights w (default
   * all 1): kinks, non-finite values and where they start. With a direction v (a program with one
   * output), what the interpreted `hvp` along v warns about: second derivatives too. The compiled
   * functions never check (that would cost every call), so call this where a result looks wrong.
   */
  warnings(x: Float64Array, w?: Float64Array, v?: Float64Array): readonly Warning[]
}

/** Templates that some step runs (the rare ones may all have become segments). */
function templatesUsed(plan: Plan): number {
  const used = new Set<number>()
  for (const s of plan.steps) {
    if (s._tag === 'template') used.add(s.batch.template)
    else if (s._tag === 'reduce') for (const part of s.parts) if (part._tag === 'batch') used.add(part.batch.template)
  }
  return used.size
}

/** The functions of a compiled program, before params are bound (see `withParams` in `index.ts`). */
export type Checked = Omit<Compiled, 'warnings' | 'params' | 'withParams'>

/** What an array argument is, for a message: `a Float32Array`, `an array`, `undefined`. */
export const arrayKind = (a: unknown): string =>
  Array.isArray(a) ? 'an array' : ArrayBuffer.isView(a) ? `a ${a.constructor.name}` : a === null || a === undefined ? String(a) : `a ${typeof a}`

/** Most entries of a dense Jacobian `jacobian` allocates by itself (128 MB); a larger one must be given as `out`. */
export const compiledDenseLimit = 1 << 24

/** A zeroed m×n array, unless it is larger than `compiledDenseLimit` (a sparse problem: n = 20 000 asked for 3.2 GB). */
function denseJacobian(m: number, n: number): Float64Array {
  if (m * n > compiledDenseLimit) {
    throw new RangeError(`the Jacobian is ${m}×${n}, ${m * n} entries (${((8 * m * n) / 2 ** 30).toFixed(1)} GiB dense): for a sparse problem use jacobian(program, point, { sparse: true, format: 'csr' }), or pass the dense array as out to have it anyway`)
  }
  return new Float64Array(m * n)
}

/**
 * The same, with `gradientFinite(gradient)`: whether the gradient that the last `grad` call returned
 * is finite everywhere (for the careful fallback, `careful.ts`). The entries that the output's terms
 * assign are checked as they are made (`io.check`); only the others are read again.
 */
export type Bound = Checked & { readonly gradientFinite: (gradient: Float64Array) => boolean }

/**
 * The functions of `plan` over the wrt variables `names`. Fixed variables are loaded into their
 * slots once, here; params are slots like them, written by `loadParams` before each call.
 */
export function bind({ plan, direct, shared }: DirectPlan, names: readonly string[], fixed: Point, params: readonly string[], nodes: number, jacobianMode: () => 'forward' | 'reverse'): { bound: Bound; loadParams: (p: Float64Array) => void } {
  const runner = new Runner(plan)
  const n = names.length
  const m = plan.outputs.length
  const v = plan.init.slice()
  const inputs = new Set(names)
  const isParam = new Set(params)
  for (const [name, s] of plan.variables) if (!inputs.has(name) && !isParam.has(name)) v[s] = fixed[name]
  const paramSlots = Int32Array.from(params, (name) => plan.variables.get(name) ?? -1)
  const loadParams = (p: Float64Array): void => {
    for (let k = 0; k < paramSlots.length; k++) if (paramSlots[k] >= 0) v[paramSlots[k]] = p[k]
  }
  const g = new Float64Array(plan.size)
  const t = new Float64Array(plan.size)
  const h = new Float64Array(plan.size)
  const io = new Io(v, t, g, h)
  const { wrtSlots, outputs } = plan
  // Adjoints of the wrt variables in an hvp call (only their tangents are returned).
  const gScratch = direct ? new Float64Array(n) : g

  // In a direct plan the templates read x and write the gradient (or H·v) in place, and only the
  // shared variables pass through the slot arrays, unless the output array shares memory with an
  // input (then every variable does, as in other plans). Otherwise the plan puts the wrt variables
  // first, in order, when it can: then inputs and gradients are block copies.
  const identity = wrtSlots.every((s, j) => s === j)
  let inPlace = false
  const distinct = (x: Float64Array, a?: Float64Array, b?: Float64Array): boolean =>
    (a === undefined || a.buffer !== x.buffer) && (b === undefined || (b.buffer !== x.buffer && (a === undefined || a.buffer !== b.buffer)))
  /**
   * Binds x (and checks its length). `a` and `b` are the call's output array and any other input
   * that must not share memory with it (an output written during the sweep must not alias x).
   */
  const load = (x: Float64Array, a?: Float64Array, b?: Float64Array): void => {
    // A Float32Array would be read rounded, a plain array or strings coerced, silently.
    if (!(x instanceof Float64Array)) throw new TypeError(`expected the inputs (${names.join(', ')}) as a Float64Array, got ${arrayKind(x)}`)
    if (x.length !== n) throw new RangeError(`expected ${n} inputs (${names.join(', ')}), got ${x.length}`)
    inPlace = direct && distinct(x, a, b)
    if (inPlace) {
      io.x = x
      for (const s of shared) v[s] = x[s]
      return
    }
    io.x = v
    if (identity) v.set(x)
    else for (let j = 0; j < n; j++) if (wrtSlots[j] >= 0) v[wrtSlots[j]] = x[j]
  }
  /**
   * Zeroes `arr` (adjoints or their tangents) and binds `out`, zeroed, for the variables' share:
   * in place only the slots past the variables and the shared ones are used.
   */
  const clear = (arr: Float64Array, out: Float64Array): Float64Array => {
    if (!inPlace) return arr.fill(0)
    arr.fill(0, n)
    for (const s of shared) arr[s] = 0
    return out.fill(0)
  }
  const clearAdjoints = (out: Float64Array): void => {
    io.gx = clear(g, out)
  }
  // The gradient entries that the output's terms check as they write them, and those they assign
  // (see `gradCoverage`): in place, the assigned ones are not zeroed first, and the checked ones
  // are read again only when `io.check` is not finite. Zeroing or scanning through an index list
  // costs more than a whole pass over the array once a quarter of the entries are left.
  const coverage = direct ? runner.gradCoverage(n, shared) : { checked: new Uint8Array(n), assigned: new Uint8Array(n) }
  const where = (flags: Uint8Array, value: number): Int32Array => Int32Array.from(flags.keys()).filter((j) => flags[j] === value)
  const [checked, unchecked, unassigned] = [where(coverage.checked, 1), where(coverage.checked, 0), where(coverage.assigned, 0)]
  const zeroAll = unassigned.length * 4 > n
  const scanAll = unchecked.length * 4 > n
  const clearGradient = (out: Float64Array): void => {
    io.check = 0
    if (!inPlace || zeroAll) return clearAdjoints(out)
    g.fill(0, n)
    for (const s of shared) g[s] = 0
    for (let k = 0; k < unassigned.length; k++) out[unassigned[k]] = 0
    io.gx = out
  }
  const gradientFinite = (gradient: Float64Array): boolean =>
    scanAll ? finite(gradient) : finiteAt(gradient, unchecked) && (io.check - io.check === 0 || finiteAt(gradient, checked))
  const readOutputs = (out: Float64Array): Float64Array => {
    for (let i = 0; i < m; i++) out[i] = v[outputs[i]]
    return out
  }
  /** The wrt variables' entries of `arr` (adjoints or their tangents) into `out`. */
  const readInputs = (arr: Float64Array, out: Float64Array): Float64Array => {
    if (inPlace) {
      for (const s of shared) out[s] += arr[s]
      return out
    }
    if (identity) out.set(arr.subarray(0, n))
    else for (let j = 0; j < n; j++) out[j] = wrtSlots[j] >= 0 ? arr[wrtSlots[j]] : 0
    return out
  }
  /**
   * The functions of one output refuse several, with the interpreted functions' words: they would
   * otherwise differentiate output 0 and say nothing.
   */
  const scalarOnly = (message: string): void => {
    if (m !== 1) throw new RangeError(message)
  }
  /** A wrong length is an error, never a silent misread or a partial result. */
  const check = (arr: Float64Array, length: number, what: string): void => {
    // A Float32Array would round every result silently, a plain array has no .set: TypeScript
    // refuses both, JavaScript callers get this.
    if (!(arr instanceof Float64Array)) throw new TypeError(`expected ${what} as a Float64Array, got ${arrayKind(arr)}`)
    if (arr.length !== length) throw new RangeError(`expected ${what} of ${length} entries, got ${arr.length}`)
  }
  const checkDirection = (dir: Float64Array): void => check(dir, n, 'a direction')
  const seedTangent = (dir: Float64Array): void => {
    if (inPlace) {
      io.tx = dir
      for (const s of shared) t[s] = dir[s]
      return
    }
    io.tx = t
    t.fill(0)
    for (let j = 0; j < n; j++) if (wrtSlots[j] >= 0) t[wrtSlots[j]] += dir[j]
  }
  const reverseFrom = (weights: ArrayLike<number>, out: Float64Array): void => {
    clearAdjoints(out)
    for (let i = 0; i < m; i++) g[outputs[i]] += weights[i]
    runner.reverse(io)
  }
  const unit = new Float64Array(Math.max(m, n))
  const row = new Float64Array(n)
  const seg = plan.segments
  const segmentBytes = seg === undefined ? 0 : seg.op.byteLength * 3 + seg.holes.byteLength + seg.base.byteLength * 4
  const indexBytes = plan.steps.reduce((b, s) => b + (s._tag === 'template' ? s.batch.idx.byteLength + s.out.byteLength : s._tag === 'tape' ? s.order.byteLength : 0), segmentBytes)

  /** Unbinds the caller's arrays after a call, so that the compiled object does not keep them alive. */
  const done = <T>(result: T): T => {
    io.unbind()
    return result
  }

  const bound: Bound = {
    gradientFinite,
    names,
    inputs: n,
    outputs: m,
    stats: {
      nodes,
      stored: plan.size,
      templates: templatesUsed(plan),
      segments: seg === undefined ? 0 : seg.base.length,
      steps: plan.steps.length,
      bytesPerNode: (16 * plan.size + 12 * plan.size + indexBytes) / Math.max(1, nodes),
      direct,
      shared: shared.length,
    },
    value(x) {
      scalarOnly(`value needs a program with one output; this one has ${m} (use values)`)
      load(x)
      runner.forward(io)
      return done(v[outputs[0]])
    },
    values(x, out = new Float64Array(m)) {
      check(out, m, 'an output array')
      load(x)
      runner.forward(io)
      return done(readOutputs(out))
    },
    grad(x, out = new Float64Array(n)) {
      scalarOnly(oneOutputOnly('grad', m))
      check(out, n, 'a gradient array')
      load(x, out)
      clearGradient(out)
      runner.grad(io)
      return done({ value: v[outputs[0]], gradient: readInputs(g, out) })
    },
    jvp(x, dir, out = new Float64Array(m), valuesOut = new Float64Array(m)) {
      check(out, m, 'a tangent array')
      check(valuesOut, m, 'a values array')
      load(x)
      checkDirection(dir)
      seedTangent(dir)
      runner.jvp(io)
      for (let i = 0; i < m; i++) out[i] = t[outputs[i]]
      return done({ values: readOutputs(valuesOut), tangents: out })
    },
    vjp(x, w, out = new Float64Array(n), valuesOut = new Float64Array(m)) {
      check(w, m, 'output weights')
      check(out, n, 'a vjp array')
      check(valuesOut, m, 'a values array')
      load(x, out, w)
      runner.forward(io)
      reverseFrom(w, out)
      return done({ values: readOutputs(valuesOut), vjp: readInputs(g, out) })
    },
    jacobian(x, out = denseJacobian(m, n), valuesOut = new Float64Array(m)) {
      check(out, m * n, 'a Jacobian array')
      check(valuesOut, m, 'a values array')
      load(x, out)
      const mode = jacobianMode()
      if (mode === 'forward') {
        for (let j = 0; j < n; j++) {
          unit.fill(0)
          unit[j] = 1
          seedTangent(unit)
          runner.jvp(io)
          for (let i = 0; i < m; i++) out[i * n + j] = t[outputs[i]]
        }
      } else {
        runner.forward(io)
        for (let i = 0; i < m; i++) {
          unit.fill(0)
          unit[i] = 1
          reverseFrom(unit, row)
          out.set(readInputs(g, row), i * n)
        }
      }
      return done({ values: readOutputs(valuesOut), jacobian: out, mode })
    },
    hvp(x, dir, out = new Float64Array(n)) {
      scalarOnly(`hvp needs a program with one output; this one has ${m}`)
      check(out, n, 'an hvp array')
      load(x, dir, out)
      checkDirection(dir)
      seedTangent(dir)
      clearAdjoints(gScratch)
      io.hx = clear(h, out)
      runner.hvpFull(io)
      return done({ value: v[outputs[0]], hvp: readInputs(h, out) })
    },
  }
  return { bound, loadParams }
}
