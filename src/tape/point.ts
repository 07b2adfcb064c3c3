/**
 * Points and the errors an evaluation can report.
 *
 * A point binds the program's variables to numbers, and nothing else: loading one checks that
 * every free variable has a number, and that every key names a free variable. Only the point's
 * OWN enumerable properties count (a prototype's `x`, or `zz` added to `Object.prototype`
 * elsewhere, are never values); a key the program does not use is an error (most likely a typo:
 * ignoring it would silently use something else), and so is a value that is not a number. Each
 * error names the key and, when a known name is close, suggests it.
 *
 * @example
 * import { evaluate, parse, orThrow } from 'chainrule'
 * const r = evaluate(orThrow(parse('x*y')), { x: 1, yy: 2 })
 * r._tag === 'Left' ? r.left._tag : 'Right'   // → 'UnknownName'   (did you mean 'y'?)
 */
import type { NotDifferentiable } from '../ops/registry.js'
import * as E from 'fp-ts/lib/Either.js'
import { freeVariables } from '../expr/graph.js'
import { closest, constants } from '../expr/names.js'
import { kindOf, optionsProblem, type Check } from '../expr/options.js'
import type { Node } from '../expr/node.js'
import { naturalCompare } from '../expr/order.js'
import type { Program } from '../expr/program.js'
import type { Tape } from './tape.js'
export { recordOf } from '../expr/record.js'

export { kindOf }

/** A binding of variable names to numbers. */
export type Point = Readonly<Record<string, number>>

// -------------------------------------------------------------------------------------------------
// Errors
// -------------------------------------------------------------------------------------------------

/** The argument of a call that a name or a value came from. */
export type Argument = 'wrt' | 'point' | 'tangent' | 'cotangent' | 'direction' | 'fixed'

/** How a message refers to an argument: `wrt`, `the point`, ... (the CLI says `--wrt`, `--at`, `--v`). */
export type Labels = (argument: Argument) => string

/** The library's words for its arguments. */
export const argumentLabel: Labels = (argument) => {
  switch (argument) {
    case 'wrt':
      return 'wrt'
    case 'point':
      return 'the point'
    case 'tangent':
      return 'the tangent'
    case 'cotangent':
      return 'the cotangent'
    case 'direction':
      return 'v'
    case 'fixed':
      return 'fixed'
  }
}

export type EvalError =
  | { readonly _tag: 'MissingVariable'; readonly names: readonly string[]; readonly message: string }
  | { readonly _tag: 'BadArgument'; readonly message: string }
  /** A tensor of the wrong shape for its variable, or operations whose shapes do not fit. */
  | { readonly _tag: 'ShapeError'; readonly message: string }
  /** Differentiating through an operation defined without a derivative (`defineOp` without partials). */
  | NotDifferentiable
  | NameError

/** An error about one name given in one argument of a call. */
export type NameError =
  /** Not a variable of the program (nor a constant or an assigned name); `known` are the names accepted there. */
  | NameErrorOf<'UnknownName', { readonly suggestion?: string; readonly known: readonly string[] }>
  /** `pi` or `e` where a variable is expected. */
  | NameErrorOf<'ConstantName', { readonly value: number }>
  /** A name the program assigns (`q = x + y`), which is not a variable; `variables`: what it is computed from. */
  | NameErrorOf<'AssignedName', { readonly variables: readonly string[] }>
  /** A name given twice in `argument`, or in `argument` and in `also` (`fixed` and `wrt`). */
  | NameErrorOf<'DuplicateName', { readonly also?: Argument }>
  /** A direction entry for a variable of the program that is not among the variables differentiated. */
  | NameErrorOf<'NotDifferentiated', { readonly wrt: readonly string[] }>
  /** A value that is not a number; `got` says what it is (`a string`, `undefined`, ...). */
  | NameErrorOf<'NotANumber', { readonly got: string }>

/** True for the errors about one name (they carry `name` and `argument`). */
export function isNameError(e: EvalError): e is NameError {
  switch (e._tag) {
    case 'MissingVariable':
    case 'BadArgument':
    case 'ShapeError':
    case 'NotDifferentiable':
      return false
    case 'UnknownName':
    case 'ConstantName':
    case 'AssignedName':
    case 'DuplicateName':
    case 'NotDifferentiated':
    case 'NotANumber':
      return true
  }
}

type NameErrorOf<Tag extends string, Fields> = {
  readonly _tag: Tag
  readonly name: string
  readonly argument: Argument
  readonly message: string
} & Fields

/** The variables without a value, listed in natural order (`x2` before `x10`) whatever order they were found in. */
export function missingVariable(found: readonly string[], hint = ''): EvalError {
  const names = [...found].sort(naturalCompare)
  return {
    _tag: 'MissingVariable',
    names,
    message: (names.length === 1 ? `no value given for variable '${names[0]}'` : `no values given for variables ${names.map((n) => `'${n}'`).join(', ')}`) + hint,
  }
}

export const badArgument = (message: string): EvalError => ({ _tag: 'BadArgument', message })

/**
 * Why `p`, given to `what` as a program, is none (the `Either` that `parse` returns, the program's
 * text), or undefined when it is one: a `BadArgument`, where reading it would have thrown a
 * TypeError about `length` of undefined.
 */
export function notAProgram(what: string, p: unknown): EvalError | undefined {
  if (typeof p === 'object' && p !== null && (p as { _tag?: unknown })._tag === 'program') return undefined
  const tag = typeof p === 'object' && p !== null ? (p as { _tag?: unknown })._tag : undefined
  const why =
    tag === 'Right' || tag === 'Left'
      ? "an Either, as parse and trace return it: unwrap it first (orThrow(parse(text)), or check ._tag and take .right)"
      : typeof p === 'string'
        ? 'a string: parse it first (orThrow(parse(text)))'
        : typeof p === 'object' && p !== null && !Array.isArray(p)
          ? 'an object that is not a program'
          : `${p === null ? 'null' : Array.isArray(p) ? 'an array' : `a ${typeof p}`}, not a program`
  return badArgument(`${what} takes a program, and was given ${why}`)
}

/** A name error without its message, which `nameError` writes (an Omit for each member of the union). */
export type NameErrorFields = NameError extends infer T ? (T extends unknown ? Omit<T, 'message'> : never) : never

/** The error, with its message in the library's words. */
export const nameError = (fields: NameErrorFields): NameError => ({ ...fields, message: describeName(fields) }) as NameError

/** At most `limit` names, quoted, then how many there are in all. */
function listed(names: readonly string[], limit = 6): string {
  const shown = names.slice(0, limit).map((n) => `'${n}'`).join(', ')
  return names.length > limit ? `${shown}, … (${names.length} in all)` : shown
}

/** The message for a name error, naming the argument as `label` does (the CLI passes its flags). */
export function describeName(e: NameErrorFields, label: Labels = argumentLabel): string {
  const name = `'${e.name}'`
  const where = label(e.argument)
  const takesValues = e.argument === 'point' || e.argument === 'fixed'
  switch (e._tag) {
    case 'UnknownName': {
      const among = e.argument === 'direction' ? 'the variables differentiated' : "the program's variables"
      const hint =
        e.suggestion !== undefined
          ? `did you mean '${e.suggestion}'?`
          : e.known.length === 0
            ? `${among}: none`
            : `${among}: ${listed(e.known)}`
      return `unknown variable ${name} in ${where} (${hint})`
    }
    case 'ConstantName':
      return `${name} in ${where} is a constant (${e.value}) in the language` + (takesValues ? '; it cannot be given a value' : ', not a variable')
    case 'AssignedName': {
      const from = e.variables.length === 0 ? 'no variable' : listed(e.variables)
      if (takesValues) return `${name} in ${where} is assigned in the program, not a variable; it cannot be given a value (it is computed from ${from})`
      if (e.variables.length === 0) return `${name} in ${where} is assigned in the program, not a variable, and depends on no variable`
      const instead = e.argument === 'wrt' ? 'differentiate with respect to' : 'give entries for'
      return `${name} in ${where} is assigned in the program, not a variable; ${instead} ${from} instead`
    }
    case 'DuplicateName':
      return e.also === undefined ? `${name} is given twice in ${where}` : `${name} is in both ${where} and ${label(e.also)}`
    case 'NotDifferentiated':
      return `${name} in ${where} is not among the variables differentiated (${e.wrt.length === 0 ? 'none' : listed(e.wrt)})`
    case 'NotANumber':
      return e.argument === 'cotangent'
        ? `entry ${e.name} of ${where} is ${e.got}, not a number`
        : `the value of ${name} in ${where} is ${e.got}, not a number`
  }
}

/**
 * Why `name`, given in `argument`, is not a variable: a name the program assigns (it wins over a
 * constant it reassigns), a constant of the language, or unknown, with the closest of `known`.
 * Walks the assigned names: for error paths only.
 */
export function notAVariable(name: string, argument: Argument, known: readonly string[], names: ReadonlyMap<Node, string>): NameError {
  let assigned: Node | undefined
  for (const [node, n] of names) if (n === name) assigned = node
  if (assigned !== undefined) return nameError({ _tag: 'AssignedName', name, argument, variables: freeVariables([assigned]).map((v) => v.name) })
  const value = constants.get(name)
  if (value !== undefined) return nameError({ _tag: 'ConstantName', name, argument, value })
  const suggestion = closest(name, known)
  return nameError(suggestion === undefined ? { _tag: 'UnknownName', name, argument, known } : { _tag: 'UnknownName', name, argument, suggestion, known })
}

// -------------------------------------------------------------------------------------------------
// Loading a point
// -------------------------------------------------------------------------------------------------

/** What a point is checked against besides the tape: the program's assigned names and variables. */
export type PointContext = Pick<Program, 'names' | 'variables'>

/** True for an own enumerable property (so never an inherited one). */
const ownEnumerable = (record: object, key: string): boolean => Object.prototype.propertyIsEnumerable.call(record, key)

/** Per tape, its variables' slots by name, in an object without a prototype (a quick lookup per key). */
const slotTables = new WeakMap<Tape, Readonly<Record<string, number>>>()

function slotTable(tape: Tape): Readonly<Record<string, number>> {
  let table = slotTables.get(tape)
  if (table === undefined) {
    const t = Object.create(null) as Record<string, number>
    for (const [name, slot] of tape.variables) t[name] = slot
    slotTables.set(tape, t)
    table = t
  }
  return table
}

/**
 * Sealed (or frozen) points that were found to hold exactly the variables of a tape: they can
 * neither gain nor lose a key, nor change one's attributes, so reading them again needs no
 * listing of their keys.
 */
const sealedPoints = new WeakMap<object, ReadonlyMap<string, number>>()

/**
 * A fresh value array for `tape`: its constants, and the variables from `point`, which must give
 * a number for every variable of the tape and name no other variable than those of `program`
 * (when given: a derivative may keep variables it no longer uses; the program's assigned names
 * also improve the message for a key that is one of them).
 *
 * Cost: the point's keys are listed once (`Object.keys`: own enumerable keys only, so inherited
 * ones never count) and each is looked up once; a sealed point already checked against this tape
 * is read variable by variable without listing its keys. Only a failing point is examined further.
 */
export function loadPoint(tape: Tape, point: Point, program?: PointContext): E.Either<EvalError, Float64Array> {
  if (typeof point !== 'object' || point === null) return E.left(badArgument(`the point must be an object such as { x: 1 }, not ${kindOf(point)}`))
  const values = tape.init.slice()
  let ok: boolean
  if (sealedPoints.get(point) === tape.variables && !Object.isExtensible(point)) ok = readSealed(tape, point, values)
  else {
    ok = readKeys(tape, point, values)
    if (ok && !Object.isExtensible(point) && Object.isSealed(point)) sealedPoints.set(point, tape.variables)
  }
  if (ok) return E.right(values)
  const error = pointError(tape, point, program)
  return error === undefined ? E.right(values) : E.left(error)
}

/** Reads every key of `point` into `values`; true when each is a variable of the tape with a number and none is missing. */
function readKeys(tape: Tape, point: Point, values: Float64Array): boolean {
  const slots = slotTable(tape)
  const keys = Object.keys(point)
  let ok = keys.length === tape.variables.size
  for (let i = 0; i < keys.length; i++) {
    const slot = slots[keys[i]]
    const v = point[keys[i]]
    if (slot !== undefined && typeof v === 'number') values[slot] = v
    else ok = false
  }
  return ok
}

/** Reads a sealed point known to hold exactly the tape's variables (their values may have changed). */
function readSealed(tape: Tape, point: Point, values: Float64Array): boolean {
  let ok = true
  for (const [name, slot] of tape.variables) {
    const v = point[name]
    if (typeof v === 'number') values[slot] = v
    else ok = false
  }
  return ok
}

/**
 * What is wrong with a point that failed the quick check of `loadPoint`, if anything (it may name
 * variables the program declares but does not use): a key that is no variable, a value that is
 * no number, missing variables.
 */
function pointError(tape: Tape, point: Point, program: PointContext | undefined): EvalError | undefined {
  const declared = program !== undefined && program.variables.length > tape.variables.size ? new Set(program.variables) : undefined
  for (const key of Object.keys(point)) {
    if (tape.variables.has(key)) continue
    if (declared?.has(key) === true) {
      const v = point[key]
      if (typeof v !== 'number') return nameError({ _tag: 'NotANumber', name: key, argument: 'point', got: kindOf(v) })
      continue
    }
    const known = program?.variables ?? [...tape.variables.keys()].sort()
    // A misspelt key most likely meant a variable the point does not give: those are suggested first.
    const missing = known.filter((name) => !ownEnumerable(point, name))
    const error = notAVariable(key, 'point', known, program?.names ?? new Map())
    const near = error._tag === 'UnknownName' ? closest(key, missing) : undefined
    return near === undefined || error._tag !== 'UnknownName' ? error : nameError({ _tag: 'UnknownName', name: key, argument: 'point', suggestion: near, known })
  }
  const missing: string[] = []
  for (const name of tape.variables.keys()) {
    const v = point[name]
    if (!ownEnumerable(point, name)) missing.push(name)
    else if (typeof v !== 'number') return nameError({ _tag: 'NotANumber', name, argument: 'point', got: kindOf(v) })
  }
  if (missing.length === 0) return undefined
  missing.sort()
  const inherited = missing.filter((name) => name in point && !Object.hasOwn(point, name))
  const hint = inherited.length === 0 ? '' : ` (${listed(inherited)} ${inherited.length === 1 ? 'is' : 'are'} only inherited: a point's values are its own properties)`
  return missingVariable(missing, hint)
}

/**
 * The own enumerable entries of a record of values (a tangent, a direction, fixed values), or an
 * error naming the first key whose value `isValue` refuses.
 */
export function entriesOf(record: unknown, argument: Argument, isValue: (v: unknown) => boolean = isNumber): E.Either<EvalError, readonly string[]> {
  if (typeof record !== 'object' || record === null) return E.left(badArgument(`${argumentLabel(argument)} must be an object such as { x: 1 }, not ${kindOf(record)}`))
  const keys = Object.keys(record)
  for (const key of keys) {
    const v = (record as Record<string, unknown>)[key]
    if (!isValue(v)) return E.left(nameError({ _tag: 'NotANumber', name: key, argument, got: kindOf(v) }))
  }
  return E.right(keys)
}

const isNumber = (v: unknown): boolean => typeof v === 'number'

export interface VectorOfOptions {
  /** `0`: names the record does not give are 0 (a direction, a sparse seed). Default: they throw. */
  readonly missing?: 0 | undefined
}

/**
 * A vector over `names` read from a point-like record (own enumerable properties). A name the
 * record does not give throws a `RangeError` that names it (a point without y would be computed
 * with y = 0), unless `{ missing: 0 }` (a direction, whose absent entries are 0). A key that is none
 * of `names` (a typo: `{ Y: 1 }` for y) or a value that is not a number throws too.
 */
export function vectorOf(names: readonly string[], record: Point, options: VectorOfOptions = {}): Float64Array {
  const zeroOnly: Check = (v) => (v === 0 ? undefined : `must be 0 (names the record does not give are 0), not ${String(v)}`)
  const bad = optionsProblem('vectorOf', options, { missing: zeroOnly })
  if (bad !== undefined) throw new RangeError(bad)
  if (typeof record !== 'object' || record === null) throw new RangeError(`vectorOf: the record must be an object such as { x: 1 }, not ${kindOf(record)}`)
  const index = new Map<string, number>()
  names.forEach((name, i) => index.set(name, i))
  const out = new Float64Array(names.length)
  const keys = Object.keys(record)
  for (const key of keys) {
    const i = index.get(key)
    if (i === undefined) {
      const near = closest(key, names)
      throw new RangeError(`vectorOf: '${key}' is none of the names (${near !== undefined ? `did you mean '${near}'?` : names.length === 0 ? 'there are none' : listed(names)})`)
    }
    const v: unknown = record[key]
    if (typeof v !== 'number') throw new RangeError(`vectorOf: the value of '${key}' is ${kindOf(v)}, not a number`)
    out[i] = v
  }
  if (options.missing !== 0 && keys.length !== names.length) {
    const absent = names.filter((n) => !Object.prototype.hasOwnProperty.call(record, n))
    if (absent.length > 0) {
      const shown = absent.length > 5 ? `${absent.slice(0, 5).join(', ')} and ${absent.length - 5} more` : absent.join(', ')
      throw new RangeError(`vectorOf: the record gives no value for ${shown} (a point needs every name; for a direction whose absent entries are 0, pass { missing: 0 })`)
    }
  }
  return out
}

