/**
 * From raw flags to a command's `Input`: the program (argument or `-f`), the point, `--wrt`
 * (default: every free variable, in natural order), `--v`, `--mode`, `--sparse`. The first problem
 * found is returned as a `CliError`.
 *
 * @example
 * readInput(gradCommand, '(x+y)*z', { at: ['x=-2,y=5,z=-4'] }, io)
 * // right({ program, point: { x: -2, y: 5, z: -4 }, wrt: ['x', 'y', 'z'], v: undefined, mode: 'auto', sparse: false })
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { missingVariable, type Point } from '../tape/point.js'
import type { RawOptions } from './args.js'
import type { CommandSpec, Input, Mode } from './commands/types.js'
import { evalFailure, usage, type CliError } from './errors.js'
import type { Io } from './io.js'
import { isTensorProgram } from '../tape/tensor.js'
import { parseNames, parsePoint, quote, type CliPoint } from './points.js'
import { constants } from '../expr/names.js'
import { codeOf, parseProgram, programText as programTextOf, single, usesName } from './source.js'

const modes: readonly Mode[] = ['auto', 'forward', 'reverse']

export function readInput(spec: CommandSpec, programText: string | undefined, options: RawOptions, io: Io): E.Either<CliError, Input> {
  // The point first: the shapes of its tensors are the shapes of the program's variables.
  const point = optionalPoint(options.at, '--at', io)
  if (E.isLeft(point)) return point
  // Read once: `-f -` is standard input, which cannot be read twice.
  const source = programTextOf(programText, options.file, io)
  if (E.isLeft(source)) return source
  // The shapes of --at's tensors, for the names the text uses (a misspelt --at key is then the
  // point's error, named with a suggestion, not a shape given for no variable).
  const shapes = Object.fromEntries(Object.entries(point.right ?? {}).flatMap(([k, v]) => (typeof v === 'number' || !usesName(source.right, k) ? [] : [[k, v.shape] as const])))
  const program = parseProgram(source.right, shapes)
  if (E.isLeft(program)) return Object.keys(shapes).length > 0 ? missingFirst(program, source.right, point.right ?? {}) : program
  const wrt = names(options.wrt, program.right)
  if (E.isLeft(wrt)) return wrt
  const v = optionalPoint(options.v, '--v', io)
  if (E.isLeft(v)) return v
  const mode = modeOf(options.mode)
  if (E.isLeft(mode)) return mode
  const format = single(options.format, '--format')
  if (E.isLeft(format)) return format
  if (format.right !== undefined && format.right !== 'svg' && format.right !== 'dot') return E.left(usage(`--format must be svg or dot, not ${quote(format.right)}`))
  const plot = single(options.plot, '--plot')
  if (E.isLeft(plot)) return plot
  const hasTensors = Object.keys(shapes).length > 0 || Object.values(v.right ?? {}).some((x) => typeof x !== 'number')
  return E.right({
    program: program.right,
    source: source.right,
    point: numbersOf(point.right ?? {}),
    tensor: hasTensors || isTensorProgram(program.right),
    tensorPoint: point.right ?? {},
    tensorV: v.right,
    wrt: wrt.right,
    v: v.right === undefined ? undefined : numbersOf(v.right),
    mode: mode.right,
    sparse: spec.options.includes('sparse') && options.sparse === true,
    format: format.right,
    textbook: options.textbook === true,
    plot: plot.right,
  })
}

/**
 * A tensor program that does not parse with the shapes of --at may only lack a value: a variable
 * missing from --at is parsed as a scalar, and `X @ ww` is then a shape error about [] where the
 * user left out ww. Then the missing value is the error reported.
 */
function missingFirst(failed: E.Left<CliError>, source: string, point: CliPoint): E.Either<CliError, Input> {
  // Only a shape error can come from a variable missing from --at (taken for a scalar): a syntax
  // error is the error.
  const e = failed.left
  if (e._tag !== 'Parse' || !/\bshapes?\b/.test(e.error.message)) return failed
  // The names the program reads: identifiers that are not called, not assigned, not constants.
  const code = codeOf(source)
  const assigned = new Set([...code.matchAll(/(?:^|[\n;])\s*([A-Za-z_]\w*)\s*=(?!=)/g)].map((m) => m[1] as string))
  const read = [...code.matchAll(/\b([A-Za-z_]\w*)\b(?!\s*\()/g)].map((m) => m[1] as string)
  const missing = [...new Set(read)].filter((name) => !assigned.has(name) && !constants.has(name) && !Object.hasOwn(point, name))
  return missing.length === 0 ? failed : E.left(evalFailure(missingVariable(missing)))
}

/** The entries of a point that are numbers (all of them, for a scalar program). */
const numbersOf = (p: CliPoint): Point => Object.fromEntries(Object.entries(p).filter((e): e is [string, number] => typeof e[1] === 'number'))

function optionalPoint(values: readonly string[] | undefined, flag: string, io: Io): E.Either<CliError, CliPoint | undefined> {
  const text = single(values, flag)
  if (E.isLeft(text) || text.right === undefined) return text as E.Either<CliError, undefined>
  // An empty --at is the empty point (enough for a program without variables); an empty
  // direction is almost certainly a mistake.
  if (flag === '--v' && text.right.trim() === '') return E.left(usage('--v is empty: give a direction such as x=1,y=0'))
  return parsePoint(text.right, flag, io)
}

function names(values: readonly string[] | undefined, program: Program): E.Either<CliError, readonly string[]> {
  const text = single(values, '--wrt')
  if (E.isLeft(text)) return text
  return text.right === undefined ? E.right(program.variables) : parseNames(text.right, '--wrt')
}

function modeOf(values: readonly string[] | undefined): E.Either<CliError, Mode> {
  const text = single(values, '--mode')
  if (E.isLeft(text)) return text
  if (text.right === undefined) return E.right('auto')
  const mode = modes.find((m) => m === text.right)
  return mode === undefined ? E.left(usage(`--mode must be auto, forward or reverse, not ${quote(text.right)}`)) : E.right(mode)
}
