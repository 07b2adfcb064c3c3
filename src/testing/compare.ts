/**
 * Comparing derivatives, and saying how they differ: the tolerance test shared by `gradcheck`,
 * `checkAgainst` and the vitest matchers, the entries of a comparison, the worst of them, and the
 * table a failure prints (the point, both derivatives side by side, the absolute and relative
 * errors, and the entry where it is worst).
 *
 * @example
 * import { compareEntry, formatTable } from 'chainrule/testing'
 * const e = compareEntry({ output: 0, variable: 'x', index: [0, 0], mode: 'reverse' }, 3, 1, { atol: 1e-5, rtol: 1e-3 })
 * e.ok                                        // → false
 * e.absError                                  // → 2
 * formatTable([e], ['analytic', 'numeric']).split('\n')[0]   // → 'output  variable  mode     analytic  numeric  abs error  rel error'
 */

// -------------------------------------------------------------------------------------------------
// Tolerances
// -------------------------------------------------------------------------------------------------

/** How close two derivatives must be: |a − b| ≤ atol + rtol·|b|, with b the reference. */
export interface Tolerance {
  readonly atol: number
  readonly rtol: number
}

/**
 * The defaults, those of `torch.autograd.gradcheck` for doubles: atol 1e-5, rtol 1e-3 (JAX's
 * `check_grads` uses 1e-5 for both in float64).
 */
export const defaultTolerance: Tolerance = { atol: 1e-5, rtol: 1e-3 }

/** The tolerance from `options`, checked: both non-negative finite numbers. */
export function toleranceOf(options: Partial<Tolerance>): Tolerance {
  const t = { atol: options.atol ?? defaultTolerance.atol, rtol: options.rtol ?? defaultTolerance.rtol }
  for (const [k, v] of Object.entries(t)) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${k} must be a finite number ≥ 0, not ${String(v)}`)
  return t
}

// -------------------------------------------------------------------------------------------------
// Entries
// -------------------------------------------------------------------------------------------------

/** Where an entry sits: output i, the variable (or `x, y` for a second derivative), how it was computed. */
export interface EntryAt {
  readonly output: number
  readonly variable: string
  /** [output, column] for a first derivative, [output, row, column] for a second. */
  readonly index: readonly number[]
  /** How `analytic` was computed: 'forward', 'reverse', 'forward-over-reverse', 'nested duals', or 'yours'. */
  readonly mode: string
}

/** One derivative compared with its reference. */
export interface Entry extends EntryAt {
  /** The derivative under test. */
  readonly analytic: number
  /** The reference: central differences, or the toolkit's derivative. */
  readonly numeric: number
  readonly absError: number
  /** absError / |numeric| (0 when both are 0, ∞ when only the reference is). */
  readonly relError: number
  /** absError ≤ atol + rtol·|numeric|, absError finite (equal values, infinities or NaNs pass). */
  readonly ok: boolean
  /** absError / (atol + rtol·|numeric|): how many tolerances off (above 1 fails). */
  readonly excess: number
}

/** Compares `analytic` with the reference `numeric`. */
export function compareEntry(at: EntryAt, analytic: number, numeric: number, tol: Tolerance): Entry {
  const same = analytic === numeric || (Number.isNaN(analytic) && Number.isNaN(numeric))
  const absError = same ? 0 : Math.abs(analytic - numeric)
  const relError = absError === 0 ? 0 : numeric === 0 ? Infinity : absError / Math.abs(numeric)
  const bound = tol.atol + tol.rtol * Math.abs(numeric)
  // An infinite or NaN difference never passes (an infinite reference would make any bound infinite).
  const finite = Number.isFinite(absError)
  const excess = absError === 0 ? 0 : !finite || bound === 0 ? Infinity : absError / bound
  return { ...at, analytic, numeric, absError: finite ? absError : Infinity, relError: Number.isNaN(relError) ? Infinity : relError, ok: same || (finite && absError <= bound), excess }
}

/** The `k` entries furthest outside the tolerance, worst first (failing ones only). */
export const worstEntries = (entries: readonly Entry[], k: number): Entry[] => entries.filter((e) => !e.ok).sort((a, b) => b.excess - a.excess).slice(0, k)

/** The entry with the largest excess (failing or not), for summaries. */
export const largestExcess = (entries: readonly Entry[]): Entry | undefined => entries.reduce<Entry | undefined>((w, e) => (w === undefined || e.excess > w.excess ? e : w), undefined)

// -------------------------------------------------------------------------------------------------
// Messages
// -------------------------------------------------------------------------------------------------

/** The step of central differences at x: eps·max(1, |x|). */
export const stepAt = (x: number, eps: number): number => eps * Math.max(1, Math.abs(x))

/** A number in at most 7 significant digits (exact integers as they are). */
export function show(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x)
  if (!Number.isFinite(x)) return String(x)
  return String(Number(x.toPrecision(7)))
}

/**
 * A number as JavaScript reads it back (`1.0000001`, `5e-324`): where a check failed, the point must
 * be the point, not a rounding of it (1 + 1e-7 is not 1 near a kink at 1).
 */
export const showExact = (x: number): string => String(x)

/** A value of a point: a number (exactly), or a tensor in brief (`[[1, 2], [3, 4]]`, or `784×256 tensor`). */
function showValue(v: unknown): string {
  if (typeof v === 'number') return showExact(v)
  const t = v as { shape?: unknown; data?: unknown }
  if (typeof v === 'object' && v !== null && Array.isArray(t.shape) && t.data instanceof Float64Array) {
    return t.data.length <= 8 ? `${t.shape.join('×')} tensor [${Array.from(t.data, show).join(', ')}]` : `${t.shape.join('×')} tensor`
  }
  const text = JSON.stringify(v, (_, x: unknown) => (typeof x === 'number' ? Number(show(x)) : x instanceof Float64Array ? Array.from(x) : x))
  return text !== undefined && text.length <= 60 ? text : 'an array'
}

/** `x = 0.5, y = 2` (tensors in brief). */
export const showPoint = (point: Readonly<Record<string, unknown>>): string =>
  Object.keys(point).length === 0 ? '(no variables)' : Object.entries(point).map(([k, v]) => `${k} = ${showValue(v)}`).join(', ')

/**
 * The entries as an aligned table: output, variable, mode, the two derivatives under `labels`
 * (e.g. analytic and numeric, or yours and chainrule), the absolute and the relative error.
 */
export function formatTable(entries: readonly Entry[], labels: readonly [string, string]): string {
  const rows = [
    ['output', 'variable', 'mode', labels[0], labels[1], 'abs error', 'rel error'],
    ...entries.map((e) => [String(e.output), e.variable, e.mode, show(e.analytic), show(e.numeric), show(e.absError), show(e.relError)]),
  ]
  // A loop, not Math.max(...): a table may have more rows than a call has room for arguments.
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0))
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n')
}

/** The toolkit's warnings as lines of a failure message: the first five, then how many more. */
export const warnedLines = (warnings: readonly string[]): string[] => [
  ...warnings.slice(0, 5).map((w) => `chainrule warns: ${w}`),
  ...(warnings.length > 5 ? [`chainrule warns of ${warnings.length - 5} more`] : []),
]

/** One line on the worst entry: `worst: ∂out0/∂x (reverse): analytic 3, numeric 1; abs error 2, rel error 2`. */
export function formatWorst(e: Entry, labels: readonly [string, string]): string {
  const d = e.index.length === 3 ? `∂²out${e.output}/∂${e.variable.replace(', ', '∂')}` : `∂out${e.output}/∂${e.variable}`
  return `worst: ${d} (${e.mode}): ${labels[0]} ${show(e.analytic)}, ${labels[1]} ${show(e.numeric)}; abs error ${show(e.absError)}, rel error ${show(e.relError)}`
}
