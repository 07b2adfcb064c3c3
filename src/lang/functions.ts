/**
 * The functions of the program language: every rule of the table written as a call (`sin`,
 * `max`, `stop_gradient`, ...), plus `pow(a, b)` as a synonym for `a ^ b`. An unknown name gets
 * a suggestion when a known one is close (`closest` in `src/expr/names.ts`).
 *
 * @example
 * functionNamed('atan2') // { op: 'atan2', arity: 2 }
 * unknownFunction('sni')  // "unknown function 'sni' (did you mean 'sin'?)"
 */
import { closest } from '../expr/names.js'
import { callNames, table } from '../ops/table.js'
import type { OpTag } from '../ops/tags.js'

export interface FunctionInfo {
  readonly op: OpTag
  readonly arity: number
}

const functions: ReadonlyMap<string, FunctionInfo> = new Map<string, FunctionInfo>([
  ...[...callNames].map(([name, op]) => [name, { op, arity: table[op].arity }] as const),
  ['pow', { op: 'pow', arity: table.pow.arity }],
])

/** The function called `name` in the language, if any. */
export const functionNamed = (name: string): FunctionInfo | undefined => functions.get(name)

/** `sin takes 1 argument, got 2`. */
export const arityMessage = (name: string, arity: number, got: number): string =>
  `${name} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${got}`

/** The message for a call of an unknown function, with the closest known name if it is close. */
export function unknownFunction(name: string): string {
  const shown = name.length > 24 ? `${name.slice(0, 23)}…` : name
  const best = closest(name, functions.keys())
  return `unknown function '${shown}'` + (best === undefined ? '' : ` (did you mean '${best}'?)`)
}
