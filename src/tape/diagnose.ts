/**
 * Warnings: non-differentiable points, non-finite values and non-finite derivatives, each naming
 * the node and the point. Results never turn into NaN or infinity silently.
 *
 * The checks are cheap by construction: kinks are looked up only at the tape's `kinkSlots`, and
 * the scans for the origin of a non-finite number run only when a result is non-finite.
 */
import type { Node } from '../expr/node.js'
import { MIN_NORMAL, numbers, partialsIn, partialValue, singularPartial, times } from '../ops/math.js'
import { caveatsOf, Quotient, type Partial } from '../ops/rule.js'
import { printExpr } from '../ops/print.js'
import { rulesByCode } from '../ops/table.js'
import { opTags } from '../ops/tags.js'
import { getSingularScan } from './kernels.js'
import type { Tape } from './tape.js'

export type WarningKind = 'NonDifferentiable' | 'NonFiniteValue' | 'NonFiniteDerivative' | 'InexactDerivative'

export interface Warning {
  readonly _tag: WarningKind
  /** The node, printed (or its name in the program). */
  readonly node: string
  /** The values of the node's arguments. */
  readonly at: readonly number[]
  /** One sentence for a person. */
  readonly message: string
}

/** At most this many warnings of one kind are listed; the rest are counted. */
const limit = 10
const textLimit = 60

type Names = ReadonlyMap<Node, string>

/** A node as a warning names it: its name or printed expression, its arguments' values, and the point in words. */
export function describe(tape: Tape, names: Names, slot: number, values: Float64Array): { node: string; at: number[]; point: string } {
  const node = tape.nodes[slot]
  const text = names.get(node) ?? printExpr(node, { names, maxLength: textLimit })
  const argSlots = [tape.a0[slot], tape.a1[slot]].filter((s) => s >= 0)
  const at = argSlots.map((s) => values[s])
  const point = argSlots
    .filter((s, k) => tape.nodes[s]._tag !== 'const' && argSlots.indexOf(s) === k)
    .map((s) => `${names.get(tape.nodes[s]) ?? printExpr(tape.nodes[s], { names, maxLength: textLimit })} = ${values[s]}`)
    .join(', ')
  return { node: text, at, point }
}

function capped(found: Warning[], total: number, kind: WarningKind, what: string): Warning[] {
  if (total <= found.length) return found
  return [...found, { _tag: kind, node: '', at: [], message: `... and ${total - found.length} more ${what}` }]
}

/** Active non-differentiable points: relu or abs at 0, a tie in max or min, ... */
export function kinkWarnings(tape: Tape, values: Float64Array, names: Names): Warning[] {
  const out: Warning[] = []
  let total = 0
  for (const slot of tape.kinkSlots) {
    const rule = rulesByCode[tape.op[slot]]
    const args = [values[tape.a0[slot]], tape.a1[slot] >= 0 ? values[tape.a1[slot]] : NaN].slice(0, rule.arity)
    if (rule.kink === undefined || rule.kink.distance(args) !== 0) continue
    total++
    if (out.length >= limit) continue
    const d = describe(tape, names, slot, values)
    out.push({ _tag: 'NonDifferentiable', node: d.node, at: d.at, message: `${d.node} at ${d.point}: ${rule.kink.convention}` })
  }
  return capped(out, total, 'NonDifferentiable', 'non-differentiable points')
}

/**
 * The origins of non-finite values: a NaN from arguments that are not NaN (log(−1), ∞ − ∞, 0·∞),
 * or an infinity from finite arguments (1/0, exp(1000)).
 */
export function valueWarnings(tape: Tape, values: Float64Array, names: Names): Warning[] {
  const out: Warning[] = []
  let total = 0
  // Inputs first: a NaN or an infinity given as a variable's value is named as such.
  for (const [name, slot] of tape.variables) {
    const v = values[slot]
    if (Number.isFinite(v)) continue
    total++
    if (out.length < limit) out.push({ _tag: 'NonFiniteValue', node: name, at: [v], message: `the variable ${name} is given the value ${v}` })
  }
  for (let i = tape.leaves; i < tape.size; i++) {
    const v = values[i]
    if (Number.isFinite(v)) continue
    const a0 = values[tape.a0[i]]
    const a1 = tape.a1[i] >= 0 ? values[tape.a1[i]] : 0
    const origin = Number.isNaN(v) ? !Number.isNaN(a0) && !Number.isNaN(a1) : Number.isFinite(a0) && Number.isFinite(a1)
    if (!origin) continue
    total++
    if (out.length >= limit) continue
    const d = describe(tape, names, i, values)
    out.push({ _tag: 'NonFiniteValue', node: d.node, at: d.at, message: `${d.node} is ${values[i]} at ${d.point || 'its constant arguments'}` })
  }
  return capped(out, total, 'NonFiniteValue', 'non-finite values')
}

/**
 * The non-finite entries of a seed the caller gave (a direction v, a cotangent w), named as such:
 * a NaN tangent is not the chain rule's overflow, and must not be reported as one. `label(k)` names
 * entry k (`x`, or `output 1`).
 */
export function seedWarnings(what: string, seed: ArrayLike<number>, label: (k: number) => string): Warning[] {
  const out: Warning[] = []
  for (let k = 0; k < seed.length; k++) {
    const v = seed[k] as number
    if (Number.isFinite(v)) continue
    out.push({ _tag: 'NonFiniteValue', node: label(k), at: [v], message: `the ${what} gives ${label(k)} the value ${v}` })
  }
  return out
}

/** Where a sweep's derivatives became non-finite: the adjoints (reverse) or tangents (forward). */
export interface Sensitivities {
  readonly direction: 'forward' | 'reverse'
  /** Slot-indexed adjoints or tangents of one sweep. */
  readonly array: Float64Array
  /** The adjoints were computed to weigh warnings, not by the sweep that gave the results (a forward-mode Jacobian). */
  readonly weightsOnly?: true
  /**
   * Reverse mode with several outputs swept (a Jacobian): every row's adjoints, `array` among them,
   * so that what one row's sweep absorbed is found whichever output it is.
   */
  readonly rows?: readonly Float64Array[]
}

/**
 * Why a derivative came out NaN or infinite. First, active nodes whose local partial is not finite
 * at arguments that are not NaN (sqrt or log at 0, x·y at y = ∞, ...). Failing that, the node where the sweep's own
 * numbers first became non-finite (finite partials whose product overflowed, ∞ − ∞). Failing
 * that, a general warning: this never returns an empty list, so no NaN is silent.
 * Call it only when a derivative is non-finite: it evaluates partials one node at a time.
 */
export function derivativeWarnings(tape: Tape, values: Float64Array, names: Names, sens?: Sensitivities): Warning[] {
  const out: Warning[] = []
  let total = 0
  for (const i of tape.activeOrder) {
    const found = singularAt(tape, values, names, i, true)
    if (found === undefined) continue
    total++
    if (out.length < limit) out.push(found)
  }
  if (out.length > 0) return capped(out, total, 'NonFiniteDerivative', 'non-finite derivatives')
  const through = throughNonFinite(tape, values, names)
  if (through !== undefined) return [{ ...through, message: `a derivative is not finite: it is computed through ${through.message}` }]
  const origin = sens === undefined ? -1 : firstNonFinite(tape, sens)
  if (origin >= 0 && sens !== undefined) {
    const d = describe(tape, names, origin, values)
    const what = sens.direction === 'reverse' ? 'the derivative of the output with respect to' : 'the tangent of'
    return [{ _tag: 'NonFiniteDerivative', node: d.node, at: d.at, message: `${what} ${d.node} is ${sens.array[origin]}: finite local derivatives overflowed or cancelled (∞ − ∞)` }]
  }
  return [{ _tag: 'NonFiniteDerivative', node: '', at: [], message: 'a derivative is not finite although every local derivative is finite (overflow in the chain rule)' }]
}

/**
 * Singular local partials (sqrt′(0), asin′(1), atan2 at the origin, ...) into active arguments,
 * for a sweep whose results are finite: such a partial can only have been multiplied by zeros (a
 * zero adjoint, tangent or partial), which the toolkit's convention 0·∞ = 0 turns into zero. The
 * results are then right for the function with that convention, and the user is told. Cheap: a
 * generated scan of the tape's `singularSlots`; partials are evaluated one node at a time only
 * when the scan finds one.
 */
export function annihilatedWarnings(tape: Tape, values: Float64Array, names: Names): Warning[] {
  const slots = tape.singularSlots
  if (slots.length === 0) return []
  const first = getSingularScan()(tape.op, tape.a0, tape.a1, values, tape.active, slots, slots.length)
  if (first < 0) return []
  const out: Warning[] = []
  let total = 0
  for (let k = first; k < slots.length; k++) {
    const found = singularAt(tape, values, names, slots[k])
    if (found === undefined) continue
    total++
    const they = found.message.startsWith('the derivatives') ? 'they' : 'it'
    if (out.length < limit) out.push({ ...found, message: `${found.message}; ${they} met only zeros (a zero adjoint or tangent, or a zero numerator of its own, as a/hypot at a = 0), and the toolkit takes 0·∞ = 0, so the result is finite` })
  }
  return capped(out, total, 'NonFiniteDerivative', 'singular derivatives')
}

/**
 * The warning for slot i when one of its partials into an active argument is singular, or, with
 * `overflowing`, also when it is a quotient whose ratio is not finite (1/x at x = 1e-310: the
 * product with a small tangent is representable, with 1 it is not).
 */
function singularAt(tape: Tape, values: Float64Array, names: Names, i: number, overflowing = false): Warning | undefined {
  const argSlots = [tape.a0[i], tape.a1[i]].filter((s) => s >= 0)
  if (argSlots.some((s) => Number.isNaN(values[s]))) return undefined
  const ps = partialsIn(numbers, opTags[tape.op[i]], argSlots.map((s) => values[s]), values[i])
  // Every such partial of the node: x^y at (0, 0) has NaN for x and −∞ for y.
  const bad = argSlots.flatMap((s, j) => {
    const p = ps[j]
    return tape.active[s] === 1 && p !== null && p !== undefined && (singularPartial(p) || (overflowing && !Number.isFinite(partialValue(numbers, p)))) ? [j] : []
  })
  if (bad.length === 0) return undefined
  const d = describe(tape, names, i, values)
  const shown = (j: number): number => {
    const p = ps[j]
    return p === null || p === undefined ? 0 : partialValue(numbers, p)
  }
  if (bad.length === 2) {
    return { _tag: 'NonFiniteDerivative', node: d.node, at: d.at, message: `the derivatives of ${d.node} with respect to arguments 1 and 2 are ${shown(0)} and ${shown(1)} at ${d.point}` }
  }
  const which = argSlots.length > 1 ? ` with respect to argument ${(bad[0] as number) + 1}` : ''
  return { _tag: 'NonFiniteDerivative', node: d.node, at: d.at, message: `the derivative of ${d.node}${which} is ${shown(bad[0] as number)} at ${d.point}` }
}

/**
 * Nodes where the rule's finite partials are known to be wrong (`caveat`: pow with a negative base
 * and an exponent past 2^53). A loop over the tape's `caveatSlots`, which is empty unless such an
 * op has arguments its constants do not rule out.
 */
export function caveatWarnings(tape: Tape, values: Float64Array, names: Names, order: 1 | 2 = 1): Warning[] {
  const out: Warning[] = []
  let total = 0
  // One scratch list for the arguments (a caveat's `where` reads it and keeps nothing).
  const args = [0, 0]
  for (const slot of tape.caveatSlots) {
    const rule = rulesByCode[tape.op[slot]]
    args[0] = values[tape.a0[slot]]
    args[1] = tape.a1[slot] >= 0 ? values[tape.a1[slot]] : NaN
    const bothActive = tape.active[tape.a0[slot]] === 1 && (tape.a1[slot] < 0 || tape.active[tape.a1[slot]] === 1)
    for (const caveat of caveatsOf(rule.caveat)) {
      if ((caveat.order ?? 1) > order || (caveat.mixed === true && !bothActive) || !caveat.where(args)) continue
      total++
      if (out.length >= limit) continue
      const d = describe(tape, names, slot, values)
      out.push({ _tag: 'InexactDerivative', node: d.node, at: d.at, message: `${d.node} at ${d.point}: ${caveat.message}` })
    }
  }
  return capped(out, total, 'InexactDerivative', 'unreliable derivatives')
}

/**
 * The derivative warnings a sweep owes: where its results came out non-finite (`finite` false),
 * or, when they are finite, the singular partials that only zeros met.
 */
export function sweepWarnings(tape: Tape, values: Float64Array, names: Names, finite: boolean, sens?: Sensitivities | (() => Sensitivities | undefined)): Warning[] {
  const caveats = tape.caveatSlots.length === 0 ? [] : caveatWarnings(tape, values, names)
  if (!finite) return [...caveats, ...derivativeWarnings(tape, values, names, typeof sens === 'function' ? sens() : sens)]
  return [...caveats, ...finiteWarnings(tape, values, names, sens)]
}

/**
 * What finite derivatives owe: singular partials that only zeros met (0·∞ = 0), a non-finite value
 * they were computed through, and a subnormal one (which has lost bits the derivatives may carry).
 * One pass over the values finds neither of the last two on ordinary points.
 */
export function finiteWarnings(tape: Tape, values: Float64Array, names: Names, given?: Sensitivities | (() => Sensitivities | undefined)): Warning[] {
  const out = annihilatedWarnings(tape, values, names)
  // Asked for at most once (they may cost a careful sweep per output), by whichever check needs them first.
  const sens = once(given)
  if (tape.sameArgSlots.length > 0) {
    const s = sens()
    if (s?.direction === 'reverse' && s.weightsOnly !== true) {
      for (const g of s.rows ?? [s.array]) {
        const absorbed = absorbedAt(tape, values, names, g)
        if (absorbed === undefined) continue
        out.push(absorbed)
        break
      }
    }
  }
  if (allOrdinary(values)) return out
  const through = nonFiniteMet(tape, values, names)
  if (through !== undefined) out.push({ ...through, message: `the derivatives are finite but computed through ${through.message}: they are not reliable` })
  const tiny = subnormalMet(tape, values, names, sens)
  if (tiny !== undefined) out.push(tiny)
  return out
}

const isSubnormal = (v: number): boolean => v !== 0 && Math.abs(v) < MIN_NORMAL

/** `given` as a function that computes it at most once (it may be a value, or a function computing one). */
function once(given: Sensitivities | (() => Sensitivities | undefined) | undefined): () => Sensitivities | undefined {
  if (typeof given !== 'function') return () => given
  let resolved: Sensitivities | undefined | null = null
  return () => (resolved === null ? (resolved = given()) : resolved)
}

/** True when every value is finite and 0 or normal: nothing overflowed, nothing lost bits to underflow. */
function allOrdinary(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i])
    if (!(a < Infinity) || (a < MIN_NORMAL && a !== 0)) return false
  }
  return true
}

/**
 * Reverse mode adds a node's two contributions to an argument it reads twice (atan2(t, t), t − t)
 * one after the other. Where they cancel (±5e199) and are far larger than what the argument's
 * adjoint ends up as, whatever was added before them was absorbed: `t = x*x; atan2(t, t) + t` at
 * x = 1e-100 gives 0 in reverse mode, 2e-100 in forward mode, which adds them in one expression.
 * Checks the tape's `sameArgSlots` (rare) against the sweep's final adjoints.
 */
function absorbedAt(tape: Tape, values: Float64Array, names: Names, g: Float64Array): Warning | undefined {
  // Whether slot a's adjoint has another source than node i (another user, or a seed as an output):
  // only then can something have been absorbed (t − t alone is exactly 0). Counted when needed.
  let uses: Int32Array | undefined
  const otherSource = (a: number): boolean => {
    if (uses === undefined) {
      const u = new Int32Array(tape.size)
      for (const k of tape.activeOrder) {
        u[tape.a0[k]]++
        if (tape.a1[k] >= 0 && tape.a1[k] !== tape.a0[k]) u[tape.a1[k]]++
      }
      for (const o of tape.outputs) u[o]++
      uses = u
    }
    return uses[a] > 1
  }
  for (const i of tape.sameArgSlots) {
    const a = tape.a0[i]
    if (tape.active[a] !== 1 || g[i] === 0) continue
    const [p0, p1] = partialsIn(numbers, opTags[tape.op[i]], [values[a], values[a]], values[i])
    if (p0 === null || p1 === null || p0 === undefined || p1 === undefined) continue
    const t0 = times(numbers, p0, g[i])
    const t1 = times(numbers, p1, g[i])
    const net = Math.abs(t0 + t1)
    const big = Math.max(Math.abs(t0), Math.abs(t1))
    // Cancelling contributions, each 2^40 times the final adjoint or more: bits of it were lost.
    if (!(big > 0) || !Number.isFinite(big) || net > 1e-3 * big || big < 2 ** 40 * Math.abs(g[a]) || !otherSource(a)) continue
    const d = describe(tape, names, i, values)
    return {
      _tag: 'InexactDerivative',
      node: d.node,
      at: d.at,
      message: `${d.node} at ${d.point}: its two contributions to the adjoint of its argument (±${big}) cancel, and reverse mode adds them one at a time, so what the adjoint held before was absorbed (forward mode adds them together)`,
    }
  }
  return undefined
}

/** |p′/p − 1| for two values of a partial (a quotient compared as num′/num · den/den′, which does not overflow where num/den does). */
function relativeChange(p: Partial<number>, q: Partial<number>): number {
  if (p === null || q === null) return p === q ? 0 : Infinity
  if (p instanceof Quotient && q instanceof Quotient) {
    if (p.num === 0) return q.num === 0 ? 0 : Infinity
    return Math.abs((q.num / p.num) * (p.den / q.den) - 1)
  }
  const a = partialValue(numbers, p)
  const b = partialValue(numbers, q)
  if (a === b) return 0
  return a === 0 || !Number.isFinite(a) ? Infinity : Math.abs(b / a - 1)
}

/** The smallest non-zero magnitude among a sweep's results: the wrt entries (reverse) or the outputs' tangents (forward). */
function smallestResult(tape: Tape, s: Sensitivities): number {
  const slots = s.direction === 'reverse' ? tape.wrtSlots : tape.outputs
  let least = Infinity
  for (const slot of slots) {
    const v = slot >= 0 ? Math.abs(s.array[slot]) : 0
    if (v > 0 && v < least) least = v
  }
  return least === Infinity ? 0 : least
}

/**
 * Where a subnormal value cost the derivatives bits. A subnormal v (|v| < 2.2e-308) is known only to
 * ±5e-324, so a partial that reads it (−(a/b)/b reads a/b; hypot's a/h reads h) is off by up to
 * δp = |p(v ± 5e-324) − p(v)|, and what it adds to an argument's derivative by |adjoint|·δp (or, in
 * forward mode, δp·|tangent of the argument|). The warning names the first node where that error
 * is more than 1e-13 of the derivative it goes into: exp(−x) + x at x = 720 (exp's partial
 * 1e-313 beside 1) and x² at 1e-155 (whose partial 2x does not read x²) say nothing; a/b at
 * a = 3e-323 does. `sensitivities` gives the sweep's adjoints or tangents; without them a partial's own
 * relative error decides (which may say more than needed).
 */
function subnormalMet(tape: Tape, values: Float64Array, names: Names, sensitivities: () => Sensitivities | undefined): Warning | undefined {
  const order = tape.activeOrder
  let found = -1
  let total = 0
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    const a0 = tape.a0[i]
    const a1 = tape.a1[i]
    const operands = [a0, ...(a1 >= 0 ? [a1] : []), i]
    if (!operands.some((s) => isSubnormal(values[s]))) continue
    const argSlots = a1 >= 0 ? [a0, a1] : [a0]
    const rule = rulesByCode[tape.op[i]]
    const partialsAt = (vs: readonly number[]): (Partial<number> | null)[] => [...partialsIn(numbers, opTags[tape.op[i]], vs.slice(0, argSlots.length), vs[argSlots.length])]
    const at = operands.map((s) => values[s])
    const base = partialsAt(at)
    // The relative change of each partial when a subnormal operand moves by one unit (5e-324); an
    // argument moved moves the output with it (sqrt's partial reads only its output).
    const spread = base.map(() => 0)
    at.forEach((v, m) => {
      if (!isSubnormal(v)) return
      const moved = at.slice()
      moved[m] = v + Math.sign(v) * Number.MIN_VALUE
      if (m < argSlots.length) moved[argSlots.length] = rule.fn(moved[0], argSlots.length > 1 ? moved[1] : NaN)
      partialsAt(moved).forEach((p, j) => (spread[j] = Math.max(spread[j], relativeChange(base[j] ?? null, p))))
    })
    const lost = argSlots.some((a, j) => {
      const p = base[j]
      if (tape.active[a] !== 1 || p === null || p === undefined || !(spread[j] > 0)) return false
      const s = sensitivities()
      if (s === undefined) return spread[j] > 1e-13
      // What the partial adds into the argument's adjoint (or the node's tangent), by the engine's
      // own product (a quotient divides first), times its relative error.
      const contribution = Math.abs(times(numbers, p, s.direction === 'reverse' ? s.array[i] : s.array[a]))
      const error = contribution === 0 ? 0 : spread[j] * contribution
      const into = s.direction === 'reverse' ? Math.abs(s.array[a]) : Math.abs(s.array[i])
      // Sensitivities that overflowed (the adjoints of a forward-mode Jacobian's reverse check:
      // 1/x² at x² = 1e-320 is ∞ there, 2e160 in forward mode) cannot weigh the error: as without them.
      if (!Number.isFinite(error) || !Number.isFinite(into)) return spread[j] > 1e-13
      // Larger than 1e-13 of the derivative it goes into, and than 1e-13 of the smallest non-zero
      // result (the gradient's entries, or the outputs' tangents): what is absorbed later is harmless.
      return error > 1e-13 * into && error > 1e-13 * smallestResult(tape, s)
    })
    if (!lost) continue
    total++
    if (found < 0) found = i
  }
  if (found < 0) return undefined
  const d = describe(tape, names, found, values)
  const more = total > 1 ? ` (and at ${total - 1} more node${total > 2 ? 's' : ''})` : ''
  return { _tag: 'InexactDerivative', node: d.node, at: d.at, message: `${d.node} at ${d.point}: a subnormal value there has fewer than 53 significant bits, and a local derivative formed from it carries the error into the result${more}` }
}

/**
 * For finite derivatives: the first node whose value or arguments are not finite and whose local
 * partial into an active argument is not finite either (exp(x) at x = 1000: value ∞, partial ∞).
 * The chain rule met ∞ there and the convention 0·∞ = 0 may have made it a zero (log(exp(x))′ at
 * x = 1000 comes out 0, not 1). A node with finite partials passes a non-finite value on without
 * harm to the derivative (x + 1 at x = ∞ has derivative 1). One pass of finiteness tests over the
 * active slots; partials only where a value is not finite.
 */
function nonFiniteMet(tape: Tape, values: Float64Array, names: Names): Warning | undefined {
  const order = tape.activeOrder
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    const argSlots = [tape.a0[i], tape.a1[i]].filter((s) => s >= 0)
    if (Number.isFinite(values[i]) && argSlots.every((s) => Number.isFinite(values[s]))) continue
    const ps = partialsIn(numbers, opTags[tape.op[i]], argSlots.map((s) => values[s]), values[i])
    const bad = argSlots.some((s, j) => tape.active[s] === 1 && ps[j] !== null && !Number.isFinite(partialValue(numbers, ps[j] as number | Quotient<number>)))
    if (!bad) continue
    const d = describe(tape, names, i, values)
    return { _tag: 'NonFiniteDerivative', node: d.node, at: d.at, message: `${d.node} = ${values[i]}${d.point === '' ? '' : ` at ${d.point}`}, whose local derivative is not finite` }
  }
  return undefined
}

/**
 * The first value the derivatives are computed through that is not finite (a NaN input, exp(1000)
 * overflowed): the chain rule meets ∞ or NaN there, and whatever comes out (a NaN, or a zero from
 * 0·∞ = 0: log(exp(x))′ at x = 1000 is 0, not 1) is not the derivative of the function. One pass
 * over the active slots.
 */
function throughNonFinite(tape: Tape, values: Float64Array, names: Names): Warning | undefined {
  // The inputs first: a NaN given for a variable is the cause of everything after it.
  let bad = -1
  for (const s of tape.wrtSlots) if (bad < 0 && s >= 0 && !Number.isFinite(values[s])) bad = s
  const order = tape.activeOrder
  for (let k = 0; k < order.length && bad < 0; k++) if (!Number.isFinite(values[order[k]])) bad = order[k]
  if (bad < 0) return undefined
  const d = describe(tape, names, bad, values)
  return { _tag: 'NonFiniteDerivative', node: d.node, at: d.at, message: `${d.node} = ${values[bad]}, where the chain rule meets a non-finite number` }
}

/** The first slot, in the order the sweep visited them, whose adjoint or tangent is not finite. */
function firstNonFinite(tape: Tape, sens: Sensitivities): number {
  const order = tape.activeOrder
  const a = sens.array
  if (sens.direction === 'forward') {
    for (let k = 0; k < order.length; k++) if (!Number.isFinite(a[order[k]])) return order[k]
    return -1
  }
  for (let k = order.length - 1; k >= 0; k--) if (!Number.isFinite(a[order[k]])) return order[k]
  for (const s of tape.wrtSlots) if (s >= 0 && !Number.isFinite(a[s])) return s
  return -1
}

/** True when every entry is finite. */
export function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false
  return true
}
