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
        const hk = stepAt(args[along] as number, s.eps)
        const fd = (g(hk) - g(-hk)) / (2 * hk)
        const what = k === undefined ? `argument ${j + 1}` : `arguments ${j + 1} and ${k + 1}`
        // Differences that step outside the domain (sqrt at 0) say nothing about the rule; a
        // non-finite partial where the differences are finite does (1/(x − x) for a partial).
        if (!Number.isFinite(fd)) {
          note(`domain ${n.op}#${j}#${k}`, `central differences of '${n.op}' at ${at(args)} leave its domain (a step of ${show(hk)} in argument ${along + 1} gives ${show(g(hk))} and ${show(g(-hk))}): a smaller eps, or a point further inside the domain`)
          return
        }
        const e = compareEntry({ output: 0, variable: String(j), index: [j], mode: n.op }, analytic, fd, s.tol)
        if (e.ok) return
        // The same differences with the step divided by 4 and by 16: a wrong rule disagrees by the
        // same amount at every step (the disagreement is stable to a tenth), the differences'
        // own error shrinks 16-fold each time. The rule is blamed only for a stable disagreement.
        // Where the smaller step agrees with it, or the disagreement moves, the step is too large
        // there (near a pole: the larger steps may even cross it), and the rule is not blamed.
        const d = (m: number): number => (g(hk / m) - g(-hk / m)) / ((2 * hk) / m)
        const mid = d(4)
        const fine = d(16)
        const agrees = compareEntry(e, analytic, fine, s.tol).ok
        const stable = Number.isFinite(fine) && Number.isFinite(mid) && Math.abs(mid - fine) <= 0.1 * Math.abs(analytic - fine)
        if (agrees || !stable) {
          note(`step ${n.op}#${j}#${k}`, `central differences of '${n.op}'${k === undefined ? '' : "'s first partial"} at ${at(args)} in argument ${along + 1} move from ${show(fd)} to ${show(fine)} when the step ${show(hk)} is divided by 16, against ${k === undefined ? 'its partial' : 'its second partial'} ${show(analytic)} (${what}): they are not reliable there (a step too large near a pole or a steep bend, or too small against rounding), so the rule is not blamed; another eps may settle them`)
          return
        }
        const key = `${n.op}#${j}#${k}`
        const prev = found.get(key)
        const suspect: Suspect = { op: n.op, argument: j, at: args, partial: e.analytic, numeric: mid, ...(k === undefined ? {} : { second: k }) }
        if (prev === undefined || e.excess > prev.excess) found.set(key, { suspect, excess: e.excess })
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
