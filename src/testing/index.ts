/**
 * `chainrule/testing`: a kit for testing derivatives, the one the toolkit's own tests use.
 * `gradcheck` checks a program's (or a function's) derivatives in each mode against central
 * differences; `checkAgainst` is a fast-check property that a hand-written gradient or Jacobian
 * agrees with the toolkit's; the arbitraries draw random programs over chosen operations, arguments
 * inside an operation's domain, and points. The vitest matchers are in `chainrule/vitest`.
 *
 * @example
 * import { parse, orThrow, isLeft } from 'chainrule'
 * import { gradcheck } from 'chainrule/testing'
 * const r = gradcheck(orThrow(parse('abs(x)')), { x: 1e-7 })   // the step 1e-6 straddles abs's kink
 * isLeft(r) && r.left._tag                                     // → 'GradcheckFailure'
 * isLeft(r) && r.left._tag === 'GradcheckFailure' && r.left.worst[0]   // → { variable: 'x', analytic: 1, numeric: 0.1 }
 */
export { gradcheck, formatFailure, traceFunction, type GenericFunction, type GradcheckMode, type GradcheckOptions, type GradcheckResult, type GradcheckFailure, type GradcheckError, type GradcheckSummary, type TracedFunction } from './gradcheck.js'
export { localSuspects, localDiagnosis, type DiagnosisSettings, type Suspect } from './suspects.js'
export { checkAgainst, compareAgainst, type AgainstOptions, type HandWritten } from './against.js'
export { arbitraryProgram, arbitraryArgs, arbitraryPoint, programOf, allOps, smoothOps, type ArgsOptions, type PointOptions, type ProgramOptions, type ProgramSample, type Recipe, type RecipeStep } from './arbitraries.js'
export { compareEntry, defaultTolerance, formatTable, formatWorst, show, showExact, showPoint, worstEntries, type Entry, type EntryAt, type Tolerance } from './compare.js'
