/**
 * Options records at the API boundary: an object (or left out) whose own keys are those the
 * function takes, each value of the kind it takes. A misspelt key (`wtr` for `wrt`) is named with
 * the closest one; a value outside its choices (`mode: 'sideways'`) names the choices. Without
 * this, the default would be used silently in place of what the caller meant.
 *
 * Names (`wrt`, `params`) and values (`fixed`) are checked where they are used, with their typed
 * errors; here they are only declared (`given`). Each layer wraps the message in its own error
 * (`tape/options.ts`: a `BadArgument`).
 *
 * @example
 * optionsProblem('jacobian', { wrtt: ['x'] }, { wrt: given, mode: oneOf('auto', 'forward', 'reverse') })
 * // "unknown option 'wrtt' of jacobian (did you mean 'wrt'?)"
 */
import { closest } from './names.js'

/** Why a value is wrong (a phrase after the option's name), or undefined when it is right. */
export type Check = (value: unknown) => string | undefined

const shown = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : kindOf(v))

/** Any value: checked where it is used. */
export const given: Check = () => undefined

/** One of the strings `choices`. */
export const oneOf =
  (...choices: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && choices.includes(v) ? undefined : `must be ${choices.map((c) => `'${c}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}, not ${shown(v)}`

export const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : `must be true or false, not ${shown(v)}`)

/** An integer of at least `min`. */
export const integerFrom =
  (min: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? undefined : `must be an integer of at least ${min}, not ${shown(v)}`

/** `a string`, `undefined`, `an object`, ... for a value that is not what was wanted. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  const t = typeof value
  return t === 'object' ? 'an object' : `a ${t}`
}

/** What is wrong with `options` for `what` (a function's name), or undefined. */
export function optionsProblem(what: string, options: unknown, spec: Readonly<Record<string, Check>>): string | undefined {
  if (options === undefined) return undefined
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return `the options of ${what} must be an object such as { wrt: ['x'] }, not ${kindOf(options)}`
  const record = options as Readonly<Record<string, unknown>>
  for (const key of Object.keys(record)) {
    const check = Object.hasOwn(spec, key) ? spec[key] : undefined
    if (check === undefined) {
      const near = closest(key, Object.keys(spec))
      return `unknown option '${key}' of ${what} (${near !== undefined ? `did you mean '${near}'?` : `it takes ${Object.keys(spec).join(', ')}`})`
    }
    const v = record[key]
    if (v === undefined) continue
    const why = check(v)
    if (why !== undefined) return `${key} ${why}`
  }
  return undefined
}
