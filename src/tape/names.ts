/**
 * Checking the names a call is given against the program: `wrt` lists, tangents, directions and
 * fixed values. Every name must be a variable of the program (`program.variables`), given once; a
 * direction may only name variables that are differentiated. Anything else is a typed error that names it
 * (an unknown name with the closest variable, a constant, an assigned name with the variables
 * it is computed from), never a silent zero. Points are checked by `loadPoint` (`point.ts`).
 *
 * @example
 * checkWrt(program, tapeFor(program.outputs, ['x', 'yy']))
 * // left({ _tag: 'UnknownName', name: 'yy', argument: 'wrt', suggestion: 'y', ... })
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Program } from '../expr/program.js'
import { isDifferentiable, notDifferentiable, someWithoutDerivative } from '../ops/registry.js'
import { opTags } from '../ops/tags.js'
import { argumentLabel, badArgument, entriesOf, nameError, notAVariable, type Argument, type EvalError, type Point } from './point.js'
import { TensorProgramError } from './layout.js'
import { tapeFor, type Tape } from './tape.js'

/**
 * The tape of `program` differentiated with respect to `wrt`, checked by `checkWrt`. The
 * program's own `variables` need no check.
 */
export function wrtTape(program: Program, wrt: readonly string[], argument: Argument = 'wrt'): E.Either<EvalError, Tape> {
  if (!Array.isArray(wrt) || !wrt.every((w) => typeof w === 'string')) return E.left(badArgument(`${argumentLabel(argument)} must be a list of variable names`))
  return pipe(
    scalarTape(program, wrt),
    E.chain((tape) => (wrt === program.variables ? E.right(tape) : checkWrt(program, tape, argument))),
    E.chain(differentiable),
  )
}

/**
 * The tape, when no operation defined without a derivative (`defineOp` without partials) lies on
 * a path from a differentiated variable to an output; otherwise a `NotDifferentiable` error naming
 * the first. Every derivative entry point gets its tape here or from `tangentTape`, so every mode
 * refuses alike; nothing is scanned until such an operation has been defined.
 */
function differentiable(tape: Tape): E.Either<EvalError, Tape> {
  if (!someWithoutDerivative()) return E.right(tape)
  for (const i of tape.activeOrder) if (!isDifferentiable(tape.op[i])) return E.left(notDifferentiable(opTags[tape.op[i]]))
  return E.right(tape)
}

/** `tapeFor`, or a `BadArgument` for a tensor program (which the tensor evaluators take). */
export function scalarTape(program: Program, wrt: readonly string[]): E.Either<EvalError, Tape> {
  try {
    return E.right(tapeFor(program.outputs, wrt))
  } catch (e) {
    if (e instanceof TensorProgramError) return E.left(badArgument(e.message))
    throw e
  }
}

/** Tapes whose `wrt` was found to name distinct variables of a program (a tape never changes). */
const checkedTapes = new WeakMap<Tape, Program>()

/**
 * The tape when its `wrt` names distinct variables of `program` (a variable the program declares
 * but does not use, as a derivative may, has derivative 0); otherwise an error about the first
 * name that does not. Linear in the length of `wrt` the first time, then free.
 */
export function checkWrt(program: Program, tape: Tape, argument: Argument = 'wrt'): E.Either<EvalError, Tape> {
  if (checkedTapes.get(tape) === program) return E.right(tape)
  const declared = program.variables.length > tape.variables.size ? new Set(program.variables) : undefined
  // A name the tape uses has a slot, so a repeated one repeats its slot: a mark per slot finds it
  // without a set of names. Names without a slot (declared, unused) go in a set.
  const seenSlot = new Uint8Array(tape.size)
  const seen = new Set<string>()
  for (let j = 0; j < tape.wrt.length; j++) {
    const name = String(tape.wrt[j])
    const slot = tape.wrtSlots[j]
    if (slot < 0 && declared?.has(name) !== true) return E.left(notAVariable(name, argument, program.variables, program.names))
    if (slot >= 0 ? seenSlot[slot] === 1 : seen.has(name)) return E.left(nameError({ _tag: 'DuplicateName', name, argument }))
    if (slot >= 0) seenSlot[slot] = 1
    else seen.add(name)
  }
  checkedTapes.set(tape, program)
  return E.right(tape)
}

/**
 * The tape of a forward sweep along `tangent`: its `wrt` is the tangent's own enumerable keys,
 * sorted, each a variable of `program` with a number (checked once per tape, like any `wrt`).
 */
export function tangentTape(program: Program, tangent: Point): E.Either<EvalError, Tape> {
  const keys = entriesOf(tangent, 'tangent')
  if (E.isLeft(keys)) return keys
  return pipe(
    scalarTape(program, keys.right.slice().sort()),
    E.chain((tape) => checkWrt(program, tape, 'tangent')),
    E.chain(differentiable),
  )
}

/** Per tape, the position of each `wrt` name (distinct names: see `checkWrt`). */
const wrtIndexes = new WeakMap<Tape, ReadonlyMap<string, number>>()

function wrtIndex(tape: Tape): ReadonlyMap<string, number> {
  let index = wrtIndexes.get(tape)
  if (index === undefined) {
    index = new Map(tape.wrt.map((name, j) => [name, j]))
    wrtIndexes.set(tape, index)
  }
  return index
}

/**
 * A direction `v` over `tape.wrt` (absent entries 0), when each own enumerable key of `v` is a
 * name of `tape.wrt` and `isValue` accepts its value (a number, by default); otherwise an error
 * about the first key that is not: a variable outside `wrt`, or no variable at all.
 */
export function directionOf(program: Program, tape: Tape, v: unknown, isValue?: (x: unknown) => boolean): E.Either<EvalError, Float64Array> {
  const keys = entriesOf(v, 'direction', isValue)
  if (E.isLeft(keys)) return keys
  const index = wrtIndex(tape)
  const out = new Float64Array(tape.wrt.length)
  for (const key of keys.right) {
    const j = index.get(key)
    if (j !== undefined) {
      const x = (v as Record<string, unknown>)[key]
      if (typeof x === 'number') out[j] = x
      continue
    }
    if (program.variables.includes(key)) return E.left(nameError({ _tag: 'NotDifferentiated', name: key, argument: 'direction', wrt: tape.wrt }))
    return E.left(notAVariable(key, 'direction', tape.wrt, program.names))
  }
  return E.right(out)
}

/** Whether every variable of the tape is in its `wrt` (whose names `checkWrt` found distinct). */
function wrtCovers(tape: Tape): boolean {
  let found = 0
  for (let j = 0; j < tape.wrtSlots.length; j++) if (tape.wrtSlots[j] >= 0) found++
  return found === tape.variables.size
}

/**
 * Checks the fixed values of a compiled program: every own enumerable key a variable of the
 * program that is not in `wrt`, every value a number, and every variable of the tape (those the
 * program uses) not in `wrt` given one.
 */
export function checkFixed(program: Program, tape: Tape, fixed: unknown, params: readonly string[] = []): E.Either<EvalError, Point> {
  const wrt = tape.wrt
  const keys = entriesOf(fixed, 'fixed')
  if (E.isLeft(keys)) return keys
  // Nothing fixed and no params, and every variable the tape uses in wrt (checked distinct): no
  // name to check, none missing. Compiling a program of 10^5 variables skips two sets of them.
  if (keys.right.length === 0 && params.length === 0 && wrtCovers(tape)) return E.right(fixed as Point)
  const inputs = new Set(wrt)
  const known = new Set(program.variables)
  const record = fixed as Point
  for (const key of keys.right) {
    if (inputs.has(key)) return E.left(nameError({ _tag: 'DuplicateName', name: key, argument: 'fixed', also: 'wrt' }))
    if (!known.has(key)) return E.left(notAVariable(key, 'fixed', program.variables, program.names))
  }
  const given = new Set(params)
  const missing = [...tape.variables.keys()].filter((n) => !inputs.has(n) && !given.has(n) && !Object.prototype.propertyIsEnumerable.call(record, n)).sort()
  if (missing.length > 0) {
    const list = missing.map((n) => `'${n}'`).join(', ')
    return E.left({ _tag: 'MissingVariable', names: missing, message: `${missing.length === 1 ? 'variable' : 'variables'} ${list} ${missing.length === 1 ? 'is' : 'are'} neither in wrt${params.length > 0 ? ', params' : ''} nor fixed` })
  }
  return E.right(record)
}
