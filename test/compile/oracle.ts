/**
 * The interpreted evaluators as oracles for the compiled functions, and the tolerances.
 *
 * Values must be bit-for-bit equal: a template computes the same operations in the same order,
 * a chain reduction accumulates its terms in the original order (a block of links computes
 * `(acc + a) + b` as written), and a sum tree adds its terms in its own association.
 *
 * Derivatives are sums of products of local partials (the chain rule sums over paths). A template
 * sums a hole's contributions inside the tree before adding them into the hole's adjoint, and the
 * plan runs units in another order than the tape, so the same terms are added in another order:
 * the results may differ in the last bits, by up to a few ulps of the largest partial sum, which
 * can be much larger than the result when terms cancel. So each derivative is compared with
 * |a − b| ≤ 1e-14·max(1, |a|, |b|, S), where S = Σ over paths of |product of partials| (computed by
 * a reverse sweep over absolute values, `pathScale`; `hvpScale` is the same for second order), a
 * bound on every partial sum whatever the order. S ≥ |a| always, so it widens the 1e-14 relative
 * test of the issue only where terms cancel. (Measured over ~13 000 generated cases, the plain
 * relative difference never exceeded 2e-15 for first derivatives; one H·v entry reached 7.6e-15,
 * which is what made the scale worth having.)
 *
 * @example
 * const ref = reference(c)
 * expectClose('grad', compiled.grad(c.x).gradient, ref.grad, ref.scale[0])
 */
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import { compile, type Compiled } from '../../src/compile/index.js'
import { textbookChoice } from '../../src/jacobian/textbook.js'
import { program } from '../../src/expr/program.js'
import { evaluate, jvp } from '../../src/forward/index.js'
import { hvp } from '../../src/hvp/index.js'
import { dual, dualOf, type Dual } from '../../src/ops/dual.js'
import { Quotient } from '../../src/ops/rule.js'
import { numbers, partialsIn, partialValue } from '../../src/ops/math.js'
import { opTags } from '../../src/ops/tags.js'
import { grad, vjp } from '../../src/reverse/index.js'
import { forwardValues } from '../../src/tape/run.js'
import { tapeFor } from '../../src/tape/tape.js'
import type { Case } from './gen.js'

export const REL = 1e-14

/** The right side of `e`; throws (failing the test) with the left side otherwise. */
export function unwrap<E, A>(e: Either<E, A>): A {
  if (isLeft(e)) throw new Error(`unexpected Left: ${JSON.stringify(e.left)}`)
  return e.right
}

/** Equal numbers, or both NaN (−0 and 0 are equal here; see the −0 tests for the sign). */
export const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b))

/** The relative test: |a − b| ≤ REL·max(1, |a|, |b|, scale); a NaN scale (no bound) counts as 0. */
export const close = (a: number, b: number, scale = 0): boolean =>
  same(a, b) || Math.abs(a - b) <= REL * Math.max(1, Math.abs(a), Math.abs(b), Number.isNaN(scale) ? 0 : scale)

/** Throws with every mismatch (index, got, want, scale) when `got` and `want` differ. */
export function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, scales?: ArrayLike<number>): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, want ${want.length}`)
  const bad: string[] = []
  for (let i = 0; i < want.length; i++) {
    const s = scales === undefined ? 0 : scales[i]
    if (!close(got[i], want[i], s)) bad.push(`[${i}] got ${got[i]} want ${want[i]} (scale ${s})`)
  }
  if (bad.length > 0) throw new Error(`${what}: ${bad.slice(0, 5).join('; ')}`)
}

/** Throws unless `got` and `want` are equal element by element (NaN equals NaN). */
export function expectSame(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, want ${want.length}`)
  for (let i = 0; i < want.length; i++) if (!same(got[i], want[i])) throw new Error(`${what}: [${i}] got ${got[i]} want ${want[i]}`)
}

// -------------------------------------------------------------------------------------------------
// Path scales
// -------------------------------------------------------------------------------------------------

/**
 * S[i][j]: Σ over the paths from wrt variable j to output i of |product of local partials|, by a
 * reverse sweep of absolute values over the tape (skipping zero adjoints, like the kernels).
 */
export function pathScale(c: Case): number[][] {
  const tape = tapeFor(c.program.outputs, c.wrt)
  const v = unwrap(forwardValues(tape, c.point, c.program))
  return Array.from(tape.outputs, (out) => {
    const g = new Float64Array(tape.size)
    g[out] = 1
    for (let k = tape.activeOrder.length - 1; k >= 0; k--) {
      const i = tape.activeOrder[k]
      const gi = g[i]
      if (gi === 0) continue
      const args = tape.a1[i] >= 0 ? [v[tape.a0[i]], v[tape.a1[i]]] : [v[tape.a0[i]]]
      partialsIn(numbers, opTags[tape.op[i]], args, v[i]).map((q) => (q === null ? null : partialValue(numbers, q))).forEach((p, j) => {
        const a = j === 0 ? tape.a0[i] : tape.a1[i]
        if (p !== null && tape.active[a] === 1) g[a] += Math.abs(gi * p)
      })
    }
    return Array.from(tape.wrtSlots, (s) => (s >= 0 ? g[s] : 0))
  })
}

/**
 * The same bound for H·dir of the first output (forward-over-reverse): absolute tangents T along
 * |dir|, then a reverse sweep of absolute adjoints G and adjoint tangents H, where
 * H[arg_k] += |hᵢ·p_k| + |gᵢ|·Σ_l |∂p_k/∂a_l|·T[a_l] (second partials from dual numbers).
 */
export function hvpScale(c: Case): number[] {
  const tape = tapeFor([c.program.outputs[0]], c.wrt)
  const v = unwrap(forwardValues(tape, c.point, c.program))
  const D = dualOf(numbers)
  const T = new Float64Array(tape.size)
  tape.wrtSlots.forEach((s, j) => {
    if (s >= 0) T[s] += Math.abs(c.dir[j])
  })
  const argsOf = (i: number): number[] => (tape.a1[i] >= 0 ? [tape.a0[i], tape.a1[i]] : [tape.a0[i]])
  const firsts = new Map<number, readonly (number | null)[]>()
  for (const i of tape.activeOrder) {
    const ps = partialsIn(numbers, opTags[tape.op[i]], argsOf(i).map((a) => v[a]), v[i]).map((q) => (q === null ? null : partialValue(numbers, q)))
    firsts.set(i, ps)
    T[i] = argsOf(i).reduce((sum, a, k) => (T[a] === 0 ? sum : sum + Math.abs((ps[k] ?? 0) * T[a])), 0)
  }
  const G = new Float64Array(tape.size)
  const H = new Float64Array(tape.size)
  G[tape.outputs[0]] = 1
  for (let n = tape.activeOrder.length - 1; n >= 0; n--) {
    const i = tape.activeOrder[n]
    const gi = G[i]
    const hi = H[i]
    if (gi === 0 && hi === 0) continue
    const args = argsOf(i)
    const ps = firsts.get(i) ?? []
    // second[l][k] = ∂p_k/∂a_l, by seeding a unit tangent on argument l.
    // A quotient n/d is differentiated as ṅ/d − (n/d)·(ḋ/d): bound by the sum of the two terms'
    // magnitudes, which cancel where the derivative is small (hypot's a/h where |a| ≫ |b|).
    const magnitude = (q: Dual<number> | Quotient<Dual<number>> | null): number => {
      if (q === null) return 0
      if (!(q instanceof Quotient)) return Math.abs(q.tangent)
      return Math.abs(q.num.tangent / q.den.value) + Math.abs(q.num.value / q.den.value) * Math.abs(q.den.tangent / q.den.value)
    }
    const second = args.map((_, l) => partialsIn(D, opTags[tape.op[i]], args.map((a, k) => dual(v[a], k === l ? 1 : 0)), dual(v[i], ps[l] ?? 0)).map(magnitude))
    args.forEach((a, k) => {
      const p = ps[k]
      if (p === null || tape.active[a] === 0) return
      G[a] += Math.abs(gi * p)
      const pdot = args.reduce((sum, b, l) => (T[b] === 0 ? sum : sum + Math.abs(second[l][k]) * T[b]), 0)
      H[a] += Math.abs(hi * p) + Math.abs(gi) * pdot
    })
  }
  return Array.from(tape.wrtSlots, (s) => (s >= 0 ? H[s] : 0))
}

// -------------------------------------------------------------------------------------------------
// The interpreted results
// -------------------------------------------------------------------------------------------------

export interface Reference {
  readonly values: number[]
  /** Gradient of the first output, wrt order. */
  readonly grad: number[]
  readonly jvp: number[]
  readonly vjp: number[]
  /** m × n, row-major. */
  readonly jacobian: number[]
  /** H·dir for the first output. */
  readonly hvp: number[]
  readonly scale: number[][]
  readonly hvpScale: number[]
}

/** `{name: x}` as own properties (a variable may be called `__proto__`). */
export const record = (names: readonly string[], xs: ArrayLike<number>): Record<string, number> => Object.fromEntries(names.map((name, j) => [name, xs[j]]))

/** Everything the interpreted evaluators say about case `c`. */
export function reference(c: Case): Reference {
  const { program: p, point, wrt } = c
  const m = p.outputs.length
  const first = m === 1 ? p : program([p.outputs[0]], { variables: p.variables })
  const dir = record(wrt, c.dir)
  const at = (r: Readonly<Record<string, number>>): number[] => wrt.map((name) => (Object.prototype.hasOwnProperty.call(r, name) ? r[name] : NaN))
  const unitVjp = (i: number): number[] => at(unwrap(vjp(p, point, Array.from({ length: m }, (_, k) => (k === i ? 1 : 0)), wrt)).vjp)
  return {
    values: [...unwrap(evaluate(p, point)).values],
    grad: at(unwrap(grad(first, point, wrt)).gradient),
    jvp: [...unwrap(jvp(p, point, dir)).tangents],
    vjp: at(unwrap(vjp(p, point, Array.from(c.weights), wrt)).vjp),
    jacobian: Array.from({ length: m }, (_, i) => unitVjp(i)).flat(),
    hvp: at(unwrap(hvp(first, point, dir, { wrt })).hvp),
    scale: pathScale(c),
    hvpScale: hvpScale(c),
  }
}

/** Scales of jvp entries: Σⱼ S[i][j]·|dirⱼ|. */
export const jvpScale = (ref: Reference, dir: ArrayLike<number>): number[] =>
  ref.scale.map((row) => row.reduce((s, x, j) => s + x * Math.abs(dir[j]), 0))

/** Scales of vjp entries: Σᵢ |wᵢ|·S[i][j]. */
export const vjpScale = (ref: Reference, w: ArrayLike<number>, n: number): number[] =>
  Array.from({ length: n }, (_, j) => ref.scale.reduce((s, row, i) => s + Math.abs(w[i]) * row[j], 0))

// -------------------------------------------------------------------------------------------------
// Every mode at once
// -------------------------------------------------------------------------------------------------

export interface AgreeOptions {
  /**
   * Compare H·v only where the gradient is finite. Where a partial is NaN or infinite, whether
   * 0·NaN terms of the second-order sweep are skipped (explicit zeros) is a convention the
   * compiled templates and the interpreted `hvp` do not share (see the report of this suite).
   */
  readonly hvpWhereGradientFinite?: boolean
  /**
   * Widens the first-order tolerance (grad, jvp, vjp) by this factor. For programs whose terms are
   * chains of a dozen smooth operations, summed by the hundred: the templates multiply each
   * chain's partials in another association than the interpreted sweep, and the path scale, a
   * sum of |products|, does not see that (a 483-term sum was off by 1.04× the 1e-14 bound once
   * in about 40 runs). Default 1.
   */
  readonly slack?: number
}

/** Scales multiplied by the options' slack (a slack of s allows s times the error). */
const widened = (scales: ArrayLike<number>, options: AgreeOptions): number[] => Array.from(scales, (x) => (options.slack ?? 1) * Math.max(1, x))

/**
 * Compiles case `c` (with `checkpoint`) and checks every mode against the interpreted evaluators:
 * values bit-for-bit, derivatives to 1e-14 relative (widened by the path scale only). Returns the
 * compiled object for further checks (stats).
 */
export function agree(c: Case, checkpoint?: number, options: AgreeOptions = {}): Compiled {
  const f = unwrap(compile(c.program, { wrt: c.wrt, fixed: c.fixed, checkpoint }))
  const ref = reference(c)
  const n = c.wrt.length
  const m = c.program.outputs.length
  if (f.names.join('\u0000') !== c.wrt.join('\u0000') || f.inputs !== n || f.outputs !== m) throw new Error('names, inputs or outputs differ')
  expectSame('values', f.values(c.x), ref.values)
  if (m === 1) {
    expectSame('value', [f.value(c.x)], ref.values.slice(0, 1))
    const g = f.grad(c.x)
    expectSame('grad value', [g.value], ref.values.slice(0, 1))
    expectClose('grad', g.gradient, ref.grad, widened(ref.scale[0], options))
  } else expectScalarOnly(f, c)
  const j = f.jvp(c.x, c.dir)
  expectSame('jvp values', j.values, ref.values)
  expectClose('jvp', j.tangents, ref.jvp, widened(jvpScale(ref, c.dir), options))
  const w = f.vjp(c.x, c.weights)
  expectSame('vjp values', w.values, ref.values)
  expectClose('vjp', w.vjp, ref.vjp, widened(vjpScale(ref, c.weights, n), options))
  const J = f.jacobian(c.x)
  const mode = unwrap(textbookChoice(c.program, c.wrt)).mode
  if (J.mode !== mode) throw new Error(`jacobian mode ${J.mode}, want ${mode} (n = ${n}, m = ${m})`)
  expectSame('jacobian values', J.values, ref.values)
  // The reference Jacobian is reverse mode. A forward-mode Jacobian sums the same products in the
  // other order, so it gets the cross-mode tolerance, 1e-12 (the issue's): sums of hundreds of
  // terms drift past 1e-14 (a 997-term sum was off by 1.1e-14 once in about 13 runs).
  const crossMode = ref.scale.flat().map((x) => 100 * Math.max(1, x))
  expectClose(`jacobian (${J.mode})`, J.jacobian, ref.jacobian, J.mode === 'reverse' ? ref.scale.flat() : crossMode)
  // The other mode, forced, must agree too.
  const other = mode === 'forward' ? 'reverse' : 'forward'
  const K = unwrap(compile(c.program, { wrt: c.wrt, fixed: c.fixed, checkpoint, mode: other })).jacobian(c.x)
  if (K.mode !== other) throw new Error(`forced jacobian mode ${K.mode}, want ${other}`)
  expectSame('jacobian values (forced)', K.values, ref.values)
  expectClose(`jacobian (${K.mode}, forced)`, K.jacobian, ref.jacobian, crossMode)
  if (m === 1) {
    const h = f.hvp(c.x, c.dir)
    expectSame('hvp value', [h.value], ref.values.slice(0, 1))
    const finite = (xs: readonly number[]): number[] => xs.map((x, j) => (options.hvpWhereGradientFinite === true && !Number.isFinite(ref.grad[j]) ? NaN : x))
    expectClose('hvp', finite([...h.hvp]), finite(ref.hvp), ref.hvpScale)
  }
  return f
}

/** The message `run` throws (or a note that it did not throw). */
function thrown(run: () => unknown): string {
  try {
    run()
    return 'nothing thrown'
  } catch (e) {
    return e instanceof RangeError ? e.message : `not a RangeError: ${String(e)}`
  }
}

/**
 * The functions of one output refuse a program with several, with the interpreted functions'
 * message (they used to differentiate output 0 silently).
 */
export function expectScalarOnly(f: Compiled, c: Case): void {
  const wants: [string, string, string][] = [
    ['grad', thrown(() => f.grad(c.x)), leftMessage(grad(c.program, c.point, c.wrt))],
    ['hvp', thrown(() => f.hvp(c.x, c.dir)), leftMessage(hvp(c.program, c.point, record(c.wrt, c.dir), { wrt: c.wrt }))],
    ['value', thrown(() => f.value(c.x)), `value needs a program with one output; this one has ${c.program.outputs.length} (use values)`],
  ]
  for (const [what, got, want] of wants) if (got !== want) throw new Error(`compiled ${what} on ${c.program.outputs.length} outputs: ${got}; want ${want}`)
}

const leftMessage = (r: Either<{ readonly message: string }, unknown>): string => (isLeft(r) ? r.left.message : 'no Left')

/**
 * `c` with only the variables picked by `mask` differentiated and the others fixed at their values
 * (a variable the program declares but does not use has no value in the point and needs none).
 */
export function splitWrt(c: Case, mask: readonly boolean[]): Case {
  const vars = c.program.variables
  const wrt = vars.filter((_, i) => mask[i % mask.length])
  const rest = vars.filter((n, i) => !mask[i % mask.length] && Object.hasOwn(c.point, n))
  return {
    ...c,
    wrt,
    fixed: record(rest, rest.map((n) => c.point[n] as number)),
    x: Float64Array.from(wrt, (n) => c.point[n] as number),
    dir: Float64Array.from(wrt, (_, j) => c.dir[j % Math.max(1, c.dir.length)] as number),
  }
}
