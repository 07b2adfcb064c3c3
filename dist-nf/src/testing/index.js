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
export { gradcheck, localSuspects, formatFailure, traceFunction } from './gradcheck.js';
export { checkAgainst, compareAgainst } from './against.js';
export { arbitraryProgram, arbitraryArgs, arbitraryPoint, programOf, allOps, smoothOps } from './arbitraries.js';
export { compareEntry, defaultTolerance, formatTable, formatWorst, show, showPoint, worstEntries } from './compare.js';
