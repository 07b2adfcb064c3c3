/**
 * The program text, from the argument or from `-f FILE`, and parsed; the names the text uses; and
 * the one-value flags (`--at x=1 --at y=2` is refused rather than silently keeping the last).
 *
 * @example
 * programText('(x+y)*z', undefined, io)   // right('(x+y)*z')
 * programText(undefined, ['f.txt'], io)    // the text of f.txt
 * parseProgram('x +')                      // left(parseFailure(...)) with the caret excerpt
 * usesName('u = sin(z)  # y', 'y')        // false: comments do not count
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Shape } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import { parse } from '../lang/index.js'
import { parseFailure, usage, type CliError } from './errors.js'
import type { Io } from './io.js'
import { fileReason, quote } from './points.js'

/** The single value of a flag that may be given at most once. */
export function single(values: readonly string[] | undefined, flag: string): E.Either<CliError, string | undefined> {
  if (values === undefined || values.length === 0) return E.right(undefined)
  if (values.length > 1) return E.left(usage(`${flag} is given ${values.length} times; give it once`))
  return E.right(values[0])
}

/** The program text from exactly one of the argument and `-f`. */
export function programText(argument: string | undefined, file: readonly string[] | undefined, io: Io): E.Either<CliError, string> {
  return pipe(
    single(file, '-f/--file'),
    E.chain((path) => {
      if (path !== undefined && argument !== undefined) {
        return E.left(usage('give the program either as an argument or with -f FILE, not both'))
      }
      if (path === undefined) {
        return argument === undefined ? E.left(usage('missing program: give it as an argument or with -f FILE')) : E.right(argument)
      }
      try {
        return E.right(io.readFile(path).replace(/^\uFEFF/, ''))
      } catch (e) {
        return E.left(usage(`cannot read program file ${quote(path)}: ${fileReason(e)}`))
      }
    }),
  )
}

/** The program in `text` (read by `programText`), or its parse error. */
export const parseProgram = (text: string, shapes: Readonly<Record<string, Shape>> = {}): E.Either<CliError, Program> => pipe(parse(text, { shapes }), E.mapLeft(parseFailure))

/** The text without its comments (`#` to the end of a line). */
export const codeOf = (source: string): string => source.replace(/#.*$/gm, '')

/** Whether the text (outside comments) uses `name` as an identifier; false for anything that is no identifier. */
export const usesName = (source: string, name: string): boolean => /^[A-Za-z_][A-Za-z_0-9]*$/.test(name) && new RegExp(`\\b${name}\\b`).test(codeOf(source))
