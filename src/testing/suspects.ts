/**
 * Suspects: each operation of a program checked on its own, its local partials against central
 * differences of its own evaluation (and, at order 2, its second partials against differences of
 * its first), so that a gradcheck failure can name the rule that is wrong, or say why no rule is
 * to blame (a kink inside the step, differences leaving a domain or moving with the step).
 *
 * @example
 * import { defineOp, program, variable } from 'chainrule'
 * import { defaultTolerance, localSuspects } from 'chainrule/testing'
 * const twice = defineOp({ name: 'twice_wrong', arity: 1, fn: (a) => 2 * a, partials: (m) => [m.c(3)] })   // should be 2
 * localSuspects(program([twice(variable('x'))]), { x: 0.7 }, { tol: defaultTolerance, eps: 1e-6 }).map((s) => s.op)   // → ['twice_wrong']
 */
import { topoOrder } from '../expr/graph.js'
import type { Node } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import { dual, dualOf } from '../ops/dual.js'
import { numbers, partialsIn, partialValue } from '../ops/math.js'
import type { Point } from '../tape/point.js'
import { compareEntry, show, showExact, stepAt, type Tolerance } from './compare.js'
import { ruleNamed } from './rules.js'

/** An operation whose own local partial disagrees with central differences of its own evaluation. */
export interface Suspect {
  readonly op: string
  /** Which argument's partial (0-based). */
  readonly argument: number
  /** The operation's arguments where it was checked. */
  readonly at: readonly number[]
  /** What its rule says, and what differences of its evaluation give. */
  readonly partial: number
  readonly numeric: number
  /**
   * For a second partial (order 2): the other argument (0-based), ∂²op/∂argument∂second; the
   * numbers are then the second partial and differences of the first partial.
   */
  readonly second?: number
}

/** What the diagnosis reads of gradcheck's settings. */
export interface DiagnosisSettings {
  readonly tol: Tolerance
  readonly eps: number
  /** 2: second partials are checked too. */
  readonly order?: 1 | 2
  /** Only the operations it accepts are checked (default: all). */
  readonly only?: (op: string) => boolean
}

const D1 = dualOf(numbers)


/**
 * The operations of `p` whose local partial at the arguments they see at `point` disagrees with
 * central differences of the operation's evaluation: one suspect per (operation, argument), the
 * worst. Operations at (or within a few steps of) a kink are skipped, as are tensor operations,
 * and so is a partial whose differences have not settled (see `localDiagnosis`).
 */
export function localSuspects(p: Program, point: Point, s: DiagnosisSettings): Suspect[] {
  return localDiagnosis(p, point, s).suspects
}

/**
 * `localSuspects`, and what else the operations of `p` say about a failure at `point` (`notes`):
 * - a step that crosses, or comes within a few steps of, an operation's kink (relu at 1e-7 with a
 *   step of 1e-6: the differences average the two sides);
 * - differences that leave an operation's domain (log at 1e-7 − 1e-6 is NaN);
 * - differences that have not settled at this step: halving it moves them by more than a tenth of
 *   their distance to the rule's partial (log near its pole, tan near π/2). The rule is not blamed
 *   then: the step is too large there.
 */
export function localDiagnosis(p: Program, point: Point, s: DiagnosisSettings): { suspects: Suspect[]; notes: string[] } {
  const value = new Map<Node, number>()
  const found = new Map<string, { suspect: Suspect; excess: number }>()
  const notes = new Map<string, string>()
  const note = (key: string, text: string): void => {
    if (!notes.has(key)) notes.set(key, text)
  }
  const done = (): { suspects: Suspect[]; notes: string[] } => ({ suspects: [...found.values()].map((f) => f.suspect), notes: [...notes.values()] })
  const at = (args: readonly number[]): string => `(${args.map(showExact).join(', ')})`
  for (const n of topoOrder(p.outputs)) {
    if (n._tag === 'var') value.set(n, point[n.name] ?? NaN)
    else if (n._tag === 'const') value.set(n, n.value)
    else {
      const rule = ruleNamed(n.op)
      if (rule === undefined || n.shape.length !== 0) return done()
      const args = n.args.map((a) => value.get(a) ?? NaN)
      const out = rule.fn(args[0], args[1])
      value.set(n, out)
      if (s.only !== undefined && !s.only(n.op)) continue
      if (!args.every(Number.isFinite) || !Number.isFinite(out)) continue
      const h = Math.max(...args.map((a) => stepAt(a, s.eps)))
      if (rule.kink !== undefined && rule.kink.distance(args) <= 10 * h) {
        note(`kink ${n.op}`, `'${n.op}' at ${at(args)} is within ${show(rule.kink.distance(args))} of its kink, closer than 10 steps (${show(h)}): central differences there average both sides, and say nothing about its derivative`)
        continue
      }
      let partials
      try {
        partials = partialsIn(numbers, n.op as never, args, out)
      } catch {
        continue
      }
      // Checks `analytic` (a partial of the rule: first, or second when `k` is given) against
      // central differences of `g` (the rule's value, or its first partial j) along argument `along`.
      const judge = (analytic: number, g: (d: number) => number, j: number, along: number, k?: number): void => {
        const a = args[along] as number
        const hk = stepAt(a, s.eps)
        const what = k === undefined ? `argument ${j + 1}` : `arguments ${j + 1} and ${k + 1}`
        const first = differences(g, a, hk)
        // Differences that step outside the domain (sqrt at 0) say nothing about the rule; a
        // non-finite partial where the differences are finite does (1/(x − x) for a partial).
        if (!Number.isFinite(first.fd)) {
          note(`domain ${n.op}#${j}#${k}`, `central differences of '${n.op}' at ${at(args)} leave its domain (a step of ${show(hk)} in argument ${along + 1} gives ${show(g(hk))} and ${show(g(-hk))}): a smaller eps, or a point further inside the domain`)
          return
        }
        const e = compareEntry({ output: 0, variable: String(j), index: [j], mode: n.op }, analytic, first.fd, s.tol)
        if (e.ok) return
        const verdict = ladder(analytic, g, a, hk, first, (fd) => compareEntry(e, analytic, fd, s.tol).ok)
        const partialName = k === undefined ? 'its partial' : 'its second partial'
        const differencesOf = `central differences of '${n.op}'${k === undefined ? '' : "'s first partial"} at ${at(args)} in argument ${along + 1}`
        switch (verdict._tag) {
          case 'blame': {
            const key = `${n.op}#${j}#${k}`
            const prev = found.get(key)
            const suspect: Suspect = { op: n.op, argument: j, at: args, partial: e.analytic, numeric: verdict.fd, ...(k === undefined ? {} : { second: k }) }
            if (prev === undefined || e.excess > prev.excess) found.set(key, { suspect, excess: e.excess })
            return
          }
          case 'rounding':
            note(`step ${n.op}#${j}#${k}`, `${differencesOf} are lost to rounding: its values (${show(verdict.size)}) are too large against their change over the step ${show(hk)} (the rounding alone may move the differences by ${show(verdict.noise)}, against ${partialName} ${show(analytic)} (${what})), so the rule is not blamed; a larger eps, or a point where the values are smaller`)
            return
          case 'unsettled':
            note(`step ${n.op}#${j}#${k}`, `${differencesOf} move from ${show(first.fd)} to ${show(verdict.fd)} when the step ${show(hk)} is divided by ${verdict.by}${verdict.agrees ? ', where they agree with' : ', against'} ${partialName} ${show(analytic)} (${what}): they are not reliable there (a step too large near a pole or a steep bend, or too small against rounding), so the rule is not blamed; another eps may settle them`)
            return
        }
      }
      const shifted = (along: number, d: number): number[] => args.map((a, m) => (m === along ? a + d : a))
      partials.forEach((p_, j) => {
        if (p_ === null) return
        judge(partialValue(numbers, p_), (d) => rule.fn(...(shifted(j, d) as [number, number])), j, j)
      })
      // Second partials (order 2): each first partial's derivative along each argument, from the rule
      // run over dual numbers, against central differences of the first partial itself. A partial
      // that goes through stop_gradient, or is otherwise not the derivative of its own formula, is
      // named here (the Hessian entries alone cannot say which operation is wrong).
      if (s.order === 2) {
        args.forEach((_, k) => {
          let duals
          try {
            const pk = partials[k]
            const outTangent = pk === null || pk === undefined ? 0 : partialValue(numbers, pk)
            duals = partialsIn(D1, n.op as never, args.map((a, m) => dual(a, m === k ? 1 : 0)), dual(out, outTangent))
          } catch {
            return
          }
          duals.forEach((pd, j) => {
            if (pd === null || pd === undefined || partials[j] === null) return
            const firstPartialAt = (d: number): number => {
              const moved = shifted(k, d)
              const q = partialsIn(numbers, n.op as never, moved, rule.fn(...(moved as [number, number])))[j]
              return q === null || q === undefined ? 0 : partialValue(numbers, q)
            }
            judge(partialValue(D1, pd).tangent, firstPartialAt, j, k, k)
          })
        })
      }
    }
  }
  return done()
}

/** Central differences of `g` with the step h around a (over the shift the argument really got), and what rounding may move them by. */
interface Differences {
  readonly fd: number
  readonly noise: number
  /** The larger of the two values differenced. */
  readonly size: number
}

function differences(g: (d: number) => number, a: number, h: number): Differences {
  const up = g(h)
  const down = g(-h)
  const width = a + h - (a - h)
  // Each value is within an ulp or two of the true one (an operation's own error): 2 EPSILON of
  // each, and at least the smallest subnormal where it underflows (x·sin(5e-324) over a step is 0).
  return { fd: (up - down) / width, noise: (2 * Number.EPSILON * (Math.abs(up) + Math.abs(down)) + 2 * Number.MIN_VALUE) / width, size: Math.max(Math.abs(up), Math.abs(down)) }
}

/** What central differences at ever smaller steps say of a partial they disagree with at the first step. */
type Verdict =
  /** They settle on another value, far above their rounding: the rule is wrong (`fd`: their value). */
  | { readonly _tag: 'blame'; readonly fd: number }
  /** Their rounding is as large as the disagreement: they say nothing. */
  | { readonly _tag: 'rounding'; readonly noise: number; readonly size: number }
  /** They move with the step (or agree at a smaller one): the step is too large there. */
  | { readonly _tag: 'unsettled'; readonly fd: number; readonly by: number; readonly agrees: boolean }

/** Finest step tried: the first divided by 4^12 (about 1.7·10^7). */
const finest = 4 ** 12

/**
 * The step divided by 4, 16, ... until the differences agree with the partial (the step was too
 * large: near a pole, or far beyond the scale of the function, sin at 10^10 with a step of 10^4),
 * or drown in rounding (x + 10^9 with a step of 10^−6: the rounding of the values alone is a tenth
 * of the disagreement or more), or the finest step is reached. The rule is blamed when they settled
 * elsewhere (two steps within a tenth of the disagreement of each other, the changes shrinking)
 * and stayed there down to the last step tried.
 */
function ladder(analytic: number, g: (d: number) => number, a: number, h: number, first: Differences, agrees: (fd: number) => boolean): Verdict {
  const reliable = (d: Differences): boolean => d.noise <= 0.1 * Math.abs(analytic - d.fd)
  if (!reliable(first)) return { _tag: 'rounding', noise: first.noise, size: first.size }
  let prev = first
  let change = Infinity
  // Where the differences first settled (a wrong rule's value), kept while the finer steps stay
  // there: settling is not enough by itself, since with steps far beyond the function's scale
  // (sin at 1e9, a step of 1e3) cos(a)·sin(h)/h can look settled; finer steps then agree.
  let settled: number | undefined
  const end = (m: number, fd: number): Verdict => (settled !== undefined ? { _tag: 'blame', fd: settled } : { _tag: 'unsettled', fd, by: m, agrees: false })
  for (let m = 4; m <= finest; m *= 4) {
    const d = differences(g, a, h / m)
    if (!Number.isFinite(d.fd)) return end(m, d.fd)
    if (agrees(d.fd)) return { _tag: 'unsettled', fd: d.fd, by: m, agrees: true }
    if (!reliable(d)) return settled !== undefined ? end(m, d.fd) : m === 4 ? { _tag: 'rounding', noise: d.noise, size: d.size } : end(m, d.fd)
    const moved = Math.abs(d.fd - prev.fd)
    if (settled !== undefined && Math.abs(d.fd - settled) > 0.1 * Math.abs(analytic - settled)) settled = undefined
    // Two changes at least (three steps), the second no larger than half the first or than rounding.
    if (settled === undefined && change !== Infinity && moved <= 0.1 * Math.abs(analytic - d.fd) && moved <= Math.max(change / 2, d.noise + prev.noise)) settled = d.fd
    change = moved
    prev = d
  }
  return end(finest, prev.fd)
}
