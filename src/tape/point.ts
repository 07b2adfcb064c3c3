/**
 * Points and the errors an evaluation can report. Loading a point checks that every free variable
 * has a number; the error names every missing one.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Tape } from './tape.js'

/** A binding of variable names to numbers. */
export type Point = Readonly<Record<string, number>>

export type EvalError =
  | { readonly _tag: 'MissingVariable'; readonly names: readonly string[]; readonly message: string }
  | { readonly _tag: 'BadArgument'; readonly message: string }

export const missingVariable = (names: readonly string[]): EvalError => ({
  _tag: 'MissingVariable',
  names,
  message:
    names.length === 1
      ? `no value given for variable '${names[0]}'`
      : `no values given for variables ${names.map((n) => `'${n}'`).join(', ')}`,
})

export const badArgument = (message: string): EvalError => ({ _tag: 'BadArgument', message })

/** The number bound to `name`; inherited properties (`constructor`, ...) are never numbers. */
const own = (point: Point, name: string): number | undefined => {
  const v = point[name]
  return typeof v === 'number' ? v : undefined
}

/** A fresh value array for `tape`: its constants, and the variables from `point`. */
export function loadPoint(tape: Tape, point: Point): E.Either<EvalError, Float64Array> {
  const values = tape.init.slice()
  const missing: string[] = []
  for (const [name, slot] of tape.variables) {
    const v = own(point, name)
    if (v === undefined) missing.push(name)
    else values[slot] = v
  }
  if (missing.length > 0) return E.left(missingVariable(missing.sort()))
  return E.right(values)
}

/** A vector over `names` read from a point-like record (absent names are 0). */
export function vectorOf(names: readonly string[], record: Point): Float64Array {
  const out = new Float64Array(names.length)
  for (let i = 0; i < names.length; i++) out[i] = own(record, names[i]) ?? 0
  return out
}

/** `{name: value}` for parallel arrays. */
export function recordOf(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (let i = 0; i < names.length; i++) {
    // Plain assignment is the fast path; `__proto__` must be defined, or it would set the prototype.
    if (names[i] === '__proto__') Object.defineProperty(out, names[i], { value: values[i], enumerable: true, writable: true, configurable: true })
    else out[names[i]] = values[i]
  }
  return out
}
