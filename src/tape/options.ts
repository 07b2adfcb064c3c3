/**
 * Options records at the API boundary, as typed errors: `optionsProblem` (expr/options.ts) as a
 * `BadArgument`.
 *
 * @example
 * optionsError('jacobian', { wrtt: ['x'] }, { wrt: given })   // BadArgument: "unknown option 'wrtt' of jacobian (did you mean 'wrt'?)"
 */
import { optionsProblem, type Check } from '../expr/options.js'
import { badArgument, type EvalError } from './point.js'

export { given, integerFrom, isBoolean, oneOf, type Check } from '../expr/options.js'

/** What is wrong with `options` for `what` (a function's name), as a `BadArgument`, or undefined. */
export function optionsError(what: string, options: unknown, spec: Readonly<Record<string, Check>>): EvalError | undefined {
  const problem = optionsProblem(what, options, spec)
  return problem === undefined ? undefined : badArgument(problem)
}
