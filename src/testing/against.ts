/**
 * `checkAgainst`: a fast-check property that a hand-written gradient or Jacobian agrees with the
 * toolkit's at random points. The toolkit differentiates the program in reverse mode; the
 * hand-written function returns the gradient (a record by variable, or a list in `wrt` order) of a
 * program with one output, or the Jacobian (rows by output, columns in `wrt` order) of a program
 * with several. When they disagree, the property throws an error whose message shows the point,
 * both derivatives side by side, the errors and the worst entry; fast-check shrinks the point and
 * prints that message for the smallest counterexample.
 *
 * @example
 * import fc from 'fast-check'
 * import { parse, orThrow } from 'chainrule'
 * import { arbitraryPoint, checkAgainst } from 'chainrule/testing'
 * const f = orThrow(parse('x*x*y'))
 * const mine = ({ x = 0, y = 0 }) => ({ x: 2 * x * y, y: x * x })
 * fc.assert(checkAgainst(mine, f, arbitraryPoint(['x', 'y'])))    // passes: the hand-written gradient is right
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import type { Program } from '../expr/program.js'
import { jacobian } from '../jacobian/index.js'
import type { Point } from '../tape/point.js'
import { compareEntry, formatTable, formatWorst, showPoint, toleranceOf, warnedLines, worstEntries, type Entry, type Tolerance } from './compare.js'
import { given, integerFrom, optionsError } from '../tape/options.js'

/** A hand-written gradient (record or list in `wrt` order) or Jacobian (rows by output). */
export type HandWritten = (point: Point) => Readonly<Record<string, number>> | readonly number[] | readonly (readonly number[])[]

export interface AgainstOptions {
  readonly atol?: number | undefined
  readonly rtol?: number | undefined
  /** The variables differentiated, the columns' order (default the program's variables). */
  readonly wrt?: readonly string[] | undefined
  /** How many of the worst entries a failure lists (default 5). */
  readonly show?: number | undefined
}

const againstSpec = { atol: given, rtol: given, wrt: given, show: integerFrom(1) }

/** Compares `handWritten(point)` with the toolkit's derivative; the failure message when they differ, else undefined. */
export function compareAgainst(handWritten: HandWritten, program: Program, point: Point, options: AgainstOptions = {}): string | undefined {
  const bad = optionsError('compareAgainst', options, againstSpec)
  if (bad !== undefined) throw new RangeError(bad.message)
  const tol: Tolerance = toleranceOf(options)
  const wrt = options.wrt ?? program.variables
  const J = jacobian(program, point, { wrt, mode: 'reverse', sparse: false })
  if (E.isLeft(J)) return `chainrule could not differentiate the program at ${showPoint(point)}: ${J.left.message}`
  const theirs = J.right.jacobian
  const yours = rowsOf(handWritten(point), wrt, program.outputs.length)
  if (typeof yours === 'string') return `the hand-written derivative at ${showPoint(point)} ${yours}`
  const entries: Entry[] = []
  theirs.forEach((row, i) => row.forEach((t, j) => entries.push(compareEntry({ output: i, variable: wrt[j], index: [i, j], mode: 'reverse' }, yours[i][j], t, tol))))
  const worst = worstEntries(entries, options.show ?? 5)
  if (worst.length === 0) return undefined
  const labels = ['yours', 'chainrule'] as const
  const what = program.outputs.length === 1 ? 'gradient' : 'Jacobian'
  // What the toolkit warns at the point (an overflow, a kink): where chainrule's own number is not
  // reliable, the disagreement may not be the hand-written derivative's fault.
  const warnings = [...new Set(J.right.warnings.map((w) => w.message))]
  return [
    `the hand-written ${what} differs from chainrule's at ${showPoint(point)}: ${entries.filter((e) => !e.ok).length} of ${entries.length} entries`,
    `(|yours − chainrule| ≤ ${tol.atol} + ${tol.rtol}·|chainrule|)`,
    '',
    formatTable(worst, labels),
    '',
    formatWorst(worst[0], labels),
    ...warnedLines(warnings),
  ].join('\n')
}

/** The hand-written result as rows × wrt, or what is wrong with it. */
function rowsOf(r: ReturnType<HandWritten>, wrt: readonly string[], outputs: number): number[][] | string {
  const isNumber = (v: unknown): v is number => typeof v === 'number'
  if (Array.isArray(r)) {
    if (r.every(Array.isArray)) {
      const rows = r as readonly (readonly number[])[]
      if (rows.length !== outputs || rows.some((row) => row.length !== wrt.length || !row.every(isNumber))) return `should be ${outputs} rows of ${wrt.length} numbers`
      return rows.map((row) => [...row])
    }
    if (outputs !== 1 || r.length !== wrt.length || !r.every(isNumber)) return `should be a list of ${wrt.length} numbers (in the order ${wrt.join(', ')})`
    return [[...(r as readonly number[])]]
  }
  if (typeof r !== 'object' || r === null || outputs !== 1) return outputs === 1 ? 'should be a record of the gradient or a list of numbers' : `should be ${outputs} rows (a Jacobian)`
  const rec = r as Readonly<Record<string, number>>
  const missing = wrt.filter((n) => !isNumber(rec[n]))
  if (missing.length > 0) return `has no number for ${missing.join(', ')}`
  // A key that is none of them (a typo, or a variable not differentiated) would go unchecked.
  const extra = Object.keys(rec).filter((n) => !wrt.includes(n))
  if (extra.length > 0) return `has entries for ${extra.join(', ')}, which ${extra.length === 1 ? 'is' : 'are'} not among the variables differentiated (${wrt.join(', ')})`
  return [wrt.map((n) => rec[n] as number)]
}

/**
 * A fast-check property: at every point `arbitraryPoint` draws, `handWritten` agrees with the
 * toolkit's gradient (one output) or Jacobian (several) of `program`. Run it with `fc.assert`.
 */
export function checkAgainst(handWritten: HandWritten, program: Program, arbitraryPoint: fc.Arbitrary<Point>, options: AgainstOptions = {}): fc.IPropertyWithHooks<[Point]> {
  const bad = optionsError('checkAgainst', options, againstSpec)
  if (bad !== undefined) throw new RangeError(bad.message)
  toleranceOf(options)
  return fc.property(arbitraryPoint, (point) => {
    const failure = compareAgainst(handWritten, program, point, options)
    if (failure !== undefined) throw new Error(failure)
  })
}
