/**
 * Shared helpers for the core tests: unwrapping `Either`s, tolerances, and an independent
 * finite-difference oracle that evaluates a tape with a plain loop over the rule table's `fn`
 * (not the compiled kernels), freezing the ops of `special.ts` (stop_gradient) at their base
 * values so that finite differences see the derivative those ops define.
 *
 * @example
 * const g = unwrap(grad(p, { x: 1 }))
 * expect(close(g.gradient.x, fdGradient(tape, point)[0], fdTol(...))).toBe(true)
 */
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import { partialsIn, partialValue, numbers } from '../../src/ops/math.js'
import { special } from '../../src/ops/special.js'
import { rulesByCode } from '../../src/ops/table.js'
import { opTags, type OpTag } from '../../src/ops/tags.js'
import { CONST, VAR, type Tape } from '../../src/tape/tape.js'

// -------------------------------------------------------------------------------------------------
// Either and comparisons
// -------------------------------------------------------------------------------------------------

/** The right side of `e`; throws (failing the test) with the left side otherwise. */
export function unwrap<E, A>(e: Either<E, A>): A {
  if (isLeft(e)) throw new Error(`unexpected Left: ${JSON.stringify(e.left)}`)
  return e.right
}

/** |a − b| ≤ tol, with equal infinities and NaN never close. */
export const within = (a: number, b: number, tol: number): boolean => a === b || Math.abs(a - b) <= tol

/** The relative test of the issue: |a − b| ≤ rel·max(1, |a|, |b|, scale). */
export const relClose = (a: number, b: number, rel: number, scale = 0): boolean =>
  within(a, b, rel * Math.max(1, Math.abs(a), Math.abs(b), scale))

/** Purely relative: |a − b| ≤ rel·max(|a|, |b|) (for tiny values such as a long chain's derivative). */
export const pureRelClose = (a: number, b: number, rel: number): boolean => within(a, b, rel * Math.max(Math.abs(a), Math.abs(b)))

/** Agreement between the three AD modes: they compute the same partials, summed in other orders. */
export const AD_REL = 1e-12

export const EPS = Number.EPSILON

/** The step of central differences at x: 1e-6·max(1, |x|). */
export const stepAt = (x: number): number => 1e-6 * Math.max(1, Math.abs(x))

/**
 * Tolerance for a central difference (f(x+h) − f(x−h))/2h against the exact derivative d.
 * Two error sources, each scaling with the step:
 * - rounding: f(x±h) are each off by a few ulps of |f| (libm functions are faithful to ~1 ulp;
 *   composed programs lose a few more), so the quotient is off by ~k·ε·|f|/h. We allow
 *   k = 1000 ⇒ 1000·2.2e-16/1e-6 ≈ 2e-7 relative to max(1, |f|) at h = 1e-6.
 * - truncation: h²·|f‴|/6. On the sample domains f‴ is moderate, so we bound it by h·max(1, |d|)
 *   (≈ 1e-6 relative), which holds as long as |f‴| ≤ 6·max(1,|d|)/h ≈ 6e6·max(1,|d|).
 * The total is ≈ 1e-6 relative, as the issue asks, and shrinks/grows with the step.
 */
export const fdTol = (h: number, fScale: number, d: number): number =>
  (1000 * EPS * Math.max(1, Math.abs(fScale))) / h + h * Math.max(1, Math.abs(d))

// -------------------------------------------------------------------------------------------------
// An independent evaluator of a tape
// -------------------------------------------------------------------------------------------------

const specialTags: ReadonlySet<string> = new Set(Object.keys(special))

/** True for ops whose derivative is defined rather than mathematical (stop_gradient). */
export const isSpecial = (op: OpTag): boolean => specialTags.has(op)

/**
 * Values of every slot of `tape` with the variables from `x` (indexed like `tape.wrt`; variables
 * not in `wrt` take their value from `base`), by a plain loop over the table's `fn`. Slots whose op
 * is special (stop_gradient) keep their value from `frozen` when given.
 */
export function evalTape(tape: Tape, varValue: (name: string) => number, frozen?: Float64Array): Float64Array {
  const v = new Float64Array(tape.size)
  for (let i = 0; i < tape.size; i++) {
    const op = tape.op[i]
    if (op === CONST) v[i] = tape.init[i]
    else if (op === VAR) {
      const node = tape.nodes[i]
      v[i] = varValue(node._tag === 'var' ? node.name : '')
    } else if (frozen !== undefined && isSpecial(opTags[op])) v[i] = frozen[i]
    else v[i] = rulesByCode[op].fn(v[tape.a0[i]], tape.a1[i] >= 0 ? v[tape.a1[i]] : NaN)
  }
  return v
}

/**
 * Central differences of the outputs of `tape` with respect to each variable of `tape.wrt`, at
 * `point`, with special ops frozen at their values at `point`. Returns rows [output][wrt], the
 * steps used, the values at `point`, the values at every shifted point, and `trunc`, an estimate
 * of each entry's truncation error from the same difference with step 2h (Richardson: the error
 * h²f‴/6 quadruples, so D(2h) − D(h) ≈ 3·error). The estimate depends only on f, never on the
 * derivative under test, so adding it to the tolerance cannot hide a wrong derivative; it matters
 * for steep compositions (a chain of sigmoids with f′ ≈ 1e11) where f‴ is far above f′/h.
 */
export function fdJacobian(
  tape: Tape,
  point: Readonly<Record<string, number>>,
): { jac: number[][]; trunc: number[][]; steps: number[]; base: Float64Array; evals: Float64Array[] } {
  const base = evalTape(tape, (n) => point[n])
  const jac = Array.from(tape.outputs, () => new Array<number>(tape.wrt.length).fill(0))
  const trunc = Array.from(tape.outputs, () => new Array<number>(tape.wrt.length).fill(0))
  const steps = tape.wrt.map((name) => stepAt(point[name]))
  const evals: Float64Array[] = []
  tape.wrt.forEach((name, j) => {
    const h = steps[j]
    const at = (x: number) => evalTape(tape, (n) => (n === name ? x : point[n]), base)
    const plus = at(point[name] + h)
    const minus = at(point[name] - h)
    const plus2 = at(point[name] + 2 * h)
    const minus2 = at(point[name] - 2 * h)
    evals.push(plus, minus)
    tape.outputs.forEach((s, k) => {
      jac[k][j] = (plus[s] - minus[s]) / (2 * h)
      trunc[k][j] = Math.abs((plus2[s] - minus2[s]) / (4 * h) - jac[k][j]) / 3
    })
  })
  return { jac, trunc, steps, base, evals }
}

/**
 * A plain reverse sweep with the table's number functions (independent of the compiled kernels),
 * adding g[i]·f(∂i/∂arg) into each argument; f = abs gives the path-sum scales.
 */
function backpropagate(tape: Tape, values: Float64Array, g: Float64Array, f: (p: number) => number): void {
  for (let k = tape.activeOrder.length - 1; k >= 0; k--) {
    const i = tape.activeOrder[k]
    if (g[i] === 0) continue
    const argSlots = tape.a1[i] >= 0 ? [tape.a0[i], tape.a1[i]] : [tape.a0[i]]
    const ps = partialsIn(numbers, opTags[tape.op[i]], argSlots.map((s) => values[s]), values[i]).map((q) => (q === null ? null : partialValue(numbers, q)))
    argSlots.forEach((s, j) => {
      const p = ps[j]
      if (p !== null) g[s] += g[i] * f(p)
    })
  }
}

/**
 * The summand magnitudes of the adjoints: for every slot, Σ over paths to the outputs of
 * |seed·product of partials|, by a reverse sweep with absolute partials.
 */
export function absAdjoints(tape: Tape, values: Float64Array, seeds: readonly number[]): Float64Array {
  const g = new Float64Array(tape.size)
  tape.outputs.forEach((s, k) => {
    g[s] += Math.abs(seeds[k])
  })
  backpropagate(tape, values, g, Math.abs)
  return g
}

/**
 * The summand magnitude of each gradient entry (per `tape.wrt`). Forward, reverse and symbolic
 * modes add the same path products in different orders, so their difference is bounded by a few ε
 * times this sum (not by the possibly cancelled gradient itself).
 */
export function absGradient(tape: Tape, values: Float64Array, seeds: readonly number[]): Float64Array {
  const g = absAdjoints(tape, values, seeds)
  return Float64Array.from(tape.wrtSlots, (s) => (s >= 0 ? g[s] : 0))
}

/**
 * How large the rounding error of an output can be, in units of ε: Σᵢ |∂out/∂vᵢ|·|vᵢ| over the
 * slots (each slot is computed with a relative error of about ε, propagated with its adjoint).
 * Used as the `fScale` of `fdTol` for composed programs, where |f| alone may have cancelled.
 */
export function valueScale(tape: Tape, values: Float64Array, output = 0): number {
  const g = absAdjoints(tape, values, Array.from(tape.outputs, (_, k) => (k === output ? 1 : 0)))
  let s = 0
  for (let i = 0; i < tape.size; i++) s += g[i] * Math.abs(values[i])
  return s
}

/** Smallest kink distance over the tape's active kink slots at `values` (Infinity if none). */
export function kinkDistance(tape: Tape, values: Float64Array): number {
  let d = Infinity
  for (const slot of tape.kinkSlots) {
    const rule = rulesByCode[tape.op[slot]]
    const args = rule.arity === 2 ? [values[tape.a0[slot]], values[tape.a1[slot]]] : [values[tape.a0[slot]]]
    d = Math.min(d, rule.kink?.distance(args) ?? Infinity)
  }
  return d
}

/** True when the tape applies a special op (whose derivative is defined, not mathematical). */
export const hasSpecial = (tape: Tape): boolean => tape.op.some((op) => op >= 0 && isSpecial(opTags[op]))

/**
 * An independent gradient of output 0 with respect to `tape.wrt`: values by `evalTape` (special
 * ops frozen at `frozen`), then a reverse sweep with signed partials from the table. Finite
 * differences of this, unlike of `grad`, keep stop_gradient's value fixed, as its derivative says.
 */
export function gradOracle(tape: Tape, varValue: (name: string) => number, frozen: Float64Array): Float64Array {
  const values = evalTape(tape, varValue, frozen)
  const g = new Float64Array(tape.size)
  g[tape.outputs[0]] = 1
  backpropagate(tape, values, g, (p) => p)
  return Float64Array.from(tape.wrtSlots, (s) => (s >= 0 ? g[s] : 0))
}
