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
import type { Node } from '../expr/node.js'
import * as T from '../ops/tensor/build.js'
import { tensorApply } from '../ops/tensor/systems.js'
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
/** Names other systems give functions the language has under another name (ln is log). */
const otherNames: ReadonlyMap<string, string> = new Map([
  ['ln', 'log'], ['arcsin', 'asin'], ['arccos', 'acos'], ['arctan', 'atan'], ['arctan2', 'atan2'], ['arsinh', 'asinh'], ['arcosh', 'acosh'], ['artanh', 'atanh'],
  ['logistic', 'sigmoid'], ['expit', 'sigmoid'], ['fabs', 'abs'], ['signum', 'sign'], ['heaviside', 'step'], ['log_sum_exp', 'logsumexp'], ['dot', 'matmul'],
])

export function unknownFunction(name: string): string {
  const shown = name.length > 24 ? `${name.slice(0, 23)}…` : name
  const known = [...functions.keys(), ...tensorByName.keys()]
  const other = otherNames.get(name.toLowerCase())
  const best = other !== undefined && known.includes(other) ? other : closest(name, known)
  return `unknown function '${shown}'` + (best === undefined ? '' : ` (did you mean '${best}'?)`)
}

// -------------------------------------------------------------------------------------------------
// Tensor functions: the structural operations, with their integer attributes written as arguments
// -------------------------------------------------------------------------------------------------

/** A tensor function of the language: how many arguments it takes, and how it builds its node. */
export interface TensorFunction {
  readonly name: string
  readonly min: number
  readonly max: number
  /** Builds the node; throws a `ShapeError` (shapes) or an `AttributeError` (an argument that must be an integer). */
  readonly build: (args: readonly Node[]) => Node
}

/** An argument that must be an integer literal (an axis, a size) is not one. */
export class AttributeError extends Error {}

/** The integer written as argument `k` of `fn` (`sum(X, 1)`: the axis 1). */
function integerArg(fn: string, args: readonly Node[], k: number, what: string): number {
  const a = args[k] as Node
  if (a._tag !== 'const' || !Number.isInteger(a.value)) throw new AttributeError(`${fn}: the ${what} (argument ${k + 1}) must be an integer written in the program`)
  return a.value
}

/** Argument k of `fn` as a flag: 0 or 1 written in the program (any other integer was read as 0). */
function flagArg(fn: string, args: readonly Node[], k: number, what: string): 0 | 1 {
  const v = integerArg(fn, args, k, what)
  if (v !== 0 && v !== 1) throw new AttributeError(`${fn}: the ${what} (argument ${k + 1}) must be 0 or 1, not ${v}`)
  return v
}

/** Arguments k.. of `fn`, as integers. */
const integerArgs = (fn: string, args: readonly Node[], from: number, what: string): number[] => args.slice(from).map((_, i) => integerArg(fn, args, from + i, what))

/** The tensors of a variadic call, then its trailing integer axis (if any), for concat and stack. */
function partsAndAxis(fn: string, args: readonly Node[]): [Node[], number] {
  const last = args[args.length - 1] as Node
  const hasAxis = args.length > 1 && last._tag === 'const' && last.shape.length === 0
  return [args.slice(0, hasAxis ? -1 : undefined) as Node[], hasAxis ? integerArg(fn, args, args.length - 1, 'axis') : 0]
}

const many = 1 << 20

/** The tensor functions, by name. */
export const tensorFunctions: readonly TensorFunction[] = [
  // matmul(A, B, 1, 0) is transpose(A) @ B without the transpose (how printExpr writes a gradient's products).
  { name: 'matmul', min: 2, max: 4, build: (args) => (args.length === 2 ? T.matmul(args[0]!, args[1]!) : tensorApply('matmul', args.slice(0, 2), [0, 0].map((_, k) => (k + 2 < args.length ? flagArg('matmul', args, k + 2, 'transpose flag') : 0)))) },
  { name: 'transpose', min: 1, max: many, build: (args) => T.transpose(args[0]!, args.length > 1 ? integerArgs('transpose', args, 1, 'permutation') : undefined) },
  { name: 'reshape', min: 2, max: many, build: (args) => T.reshape(args[0]!, integerArgs('reshape', args, 1, 'size')) },
  { name: 'broadcast_to', min: 2, max: many, build: (args) => T.broadcastTo(args[0]!, integerArgs('broadcast_to', args, 1, 'size')) },
  { name: 'sum', min: 1, max: many, build: (args) => T.reduceSum(args[0]!, args.length > 1 ? integerArgs('sum', args, 1, 'axis') : undefined) },
  { name: 'mean', min: 1, max: many, build: (args) => T.reduceMean(args[0]!, args.length > 1 ? integerArgs('mean', args, 1, 'axis') : undefined) },
  { name: 'amax', min: 1, max: many, build: (args) => T.reduceMax(args[0]!, args.length > 1 ? integerArgs('amax', args, 1, 'axis') : undefined) },
  { name: 'logsumexp', min: 1, max: many, build: (args) => T.logsumexp(args[0]!, args.length > 1 ? integerArgs('logsumexp', args, 1, 'axis') : undefined) },
  { name: 'softmax', min: 1, max: 2, build: (args) => T.softmax(args[0]!, args.length > 1 ? integerArg('softmax', args, 1, 'axis') : -1) },
  { name: 'softmax_cross_entropy', min: 2, max: 2, build: ([l, y]) => T.softmaxCrossEntropy(l!, y!) },
  { name: 'one_hot', min: 2, max: 2, build: (args) => T.oneHot(args[0]!, integerArg('one_hot', args, 1, 'number of classes')) },
  { name: 'take', min: 2, max: 3, build: (args) => T.take(args[0]!, args[1]!, args.length > 2 ? integerArg('take', args, 2, 'axis') : 0) },
  { name: 'concat', min: 1, max: many, build: (args) => T.concat(...partsAndAxis('concat', args)) },
  { name: 'stack', min: 1, max: many, build: (args) => T.stack(...partsAndAxis('stack', args)) },
  { name: 'slice', min: 4, max: 4, build: (args) => T.slice(args[0]!, ...(integerArgs('slice', args, 1, 'axis, start and end') as [number, number, number])) },
]

const tensorByName: ReadonlyMap<string, number> = new Map(tensorFunctions.map((f, i) => [f.name, i]))

/** The index in `tensorFunctions` of the tensor function called `name`, if any. */
export const tensorFunctionIndex = (name: string): number | undefined => tensorByName.get(name)

/** `sum takes 1 or more arguments, got 0`. */
export function tensorArityMessage(f: TensorFunction, got: number): string {
  const count = f.min === f.max ? `${f.min}` : f.max >= many ? `${f.min} or more` : `${f.min} to ${f.max}`
  return `${f.name} takes ${count} argument${f.min === 1 && f.max === 1 ? '' : 's'}, got ${got}`
}
