/**
 * What every command receives (the parsed program and flags) and returns (a JSON object, a table
 * for a person, and the warnings). Commands never print: `main.ts` chooses the form.
 *
 * @example
 * const spec: CommandSpec = { name: 'eval', summary: '...', options: ['at'], run: (input) => ... }
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { Program } from '../../expr/program.js'
import type { Point } from '../../tape/point.js'
import type { CliError } from '../errors.js'
import type { CliPoint } from '../points.js'
import type { JsonObject } from '../json.js'
import type { Io } from '../io.js'

export type Mode = 'auto' | 'forward' | 'reverse'

/** The flags a command may take besides `-f`/`--json` (which every command takes). */
export type OptionName = 'at' | 'wrt' | 'v' | 'mode' | 'sparse' | 'format' | 'textbook' | 'plot'

export interface Input {
  readonly program: Program
  /** The program's text as the user gave it (for titles). */
  readonly source: string
  /** `--at`'s numbers; empty when not given (a program without free variables needs none). */
  readonly point: Point
  /** Whether the program works on tensors (a tensor in `--at`, or tensor operations): the commands' tensor versions run. */
  readonly tensor: boolean
  /** `--at` with its tensors, for tensor programs. */
  readonly tensorPoint: CliPoint
  /** `--v` with its tensors, when given. */
  readonly tensorV: CliPoint | undefined
  /** `--wrt`, or every free variable of the program in alphabetical order. */
  readonly wrt: readonly string[]
  /** `--v`, when given. */
  readonly v: Point | undefined
  readonly mode: Mode
  readonly sparse: boolean
  /** `--format` (graph: svg or dot), when given. */
  readonly format: string | undefined
  /** `--textbook` (cost). */
  readonly textbook: boolean
  /** `--plot FILE.svg` (cost), when given. */
  readonly plot: string | undefined
}

export interface Output {
  /** The fields of the JSON answer, without `warnings` (added by the printer when there are any). */
  readonly json: JsonObject
  /** The answer as aligned tables, without the warnings (listed after by the printer). */
  readonly text: string
  /** The warnings' messages. */
  readonly warnings: readonly string[]
  /**
   * The text is a document (an SVG or DOT file, usually redirected into one): its warnings go to
   * standard error, so that the file stays valid.
   */
  readonly document?: boolean
  /**
   * Work that finishes later (rendering with Graphviz's WebAssembly, writing a file): it returns
   * the text and JSON fields to print, or an error.
   */
  readonly later?: (io: Io) => Promise<Either<CliError, { readonly text: string; readonly json: JsonObject }>>
}

export interface CommandSpec {
  readonly name: string
  readonly summary: string
  readonly options: readonly OptionName[]
  readonly run: (input: Input) => Either<CliError, Output>
}
