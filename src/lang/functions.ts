/**
 * The functions of the program language: every rule of the table written as a call (`sin`,
 * `max`, `stop_gradient`, ...), plus `pow(a, b)` as a synonym for `a ^ b`. An unknown name gets
 * a suggestion when a known one is within edit distance 2.
 *
 * @example
 * functionNamed('atan2') // { op: 'atan2', arity: 2 }
 * unknownFunction('sni')  // "unknown function 'sni' (did you mean 'sin'?)"
 */
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

/** Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost))
    }
    prev = row
  }
  return prev[b.length]
}

/** The message for a call of an unknown function, with the closest known name if it is close. */
export function unknownFunction(name: string): string {
  const shown = name.length > 24 ? `${name.slice(0, 23)}…` : name
  let best: string | undefined
  let bestDistance = 3
  for (const known of functions.keys()) {
    const d = editDistance(name, known, 2)
    if (d < bestDistance) {
      best = known
      bestDistance = d
    }
  }
  return `unknown function '${shown}'` + (best === undefined ? '' : ` (did you mean '${best}'?)`)
}
