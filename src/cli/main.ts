/**
 * The `chainrule` command. `run(argv, io)` does everything and returns the exit status, writing
 * only to the injected sinks (tests call it in-process); `main()` wires it to the real process.
 *
 * Exit status: 0 success (and --help, --version); 2 bad input of any kind (commander's own
 * errors included), with a short `chainrule: error: ...` on stderr; 1 an internal error, one line
 * (the stack only when CHAINRULE_DEBUG is set).
 *
 * @example
 * run(['grad', '(x+y)*z', '--at', 'x=-2,y=5,z=-4', '--json'], io)
 * // writes {"value":-12,"gradient":{"x":-4,"y":-4,"z":3}} and returns 0
 */
import { readFileSync } from 'node:fs'
import { CommanderError } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { buildCommander, normalizeArgv, type RawOptions } from './args.js'
import { commands } from './commands/index.js'
import type { CommandSpec, Output } from './commands/types.js'
import { BAD_INPUT, formatCliError, formatInternal, INTERNAL, oneLine, usage, type CliError } from './errors.js'
import { readInput } from './input.js'
import { usesName } from './source.js'
import { quote } from './points.js'
import { nodeIo, type Io } from './io.js'
import { jsonObject, jsonText } from './json.js'
import { renderWarnings } from './table.js'

/**
 * Runs one command line (without `node` and the script) and returns the exit status: at once,
 * or as a promise for the few outputs that finish later (`graph --format svg`, `cost --plot`).
 */
export function run(argv: readonly string[], io: Io): number | Promise<number> {
  const internal = (e: unknown): number => {
    io.stderr(formatInternal(e, Boolean(io.env.CHAINRULE_DEBUG)) + '\n')
    return INTERNAL
  }
  try {
    const status = runChecked(argv, io)
    return typeof status === 'number' ? status : status.catch(internal)
  } catch (e) {
    return internal(e)
  }
}

/** The real process: arguments from `process.argv`, status through `process.exitCode`. */
export function main(): void {
  // A closed pipe (`chainrule ... | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(formatInternal(e, Boolean(process.env.CHAINRULE_DEBUG)) + '\n')
    process.exit(e.code === 'EPIPE' ? (process.exitCode ?? 0) : INTERNAL)
  })
  const status = run(process.argv.slice(2), nodeIo())
  if (typeof status === 'number') process.exitCode = status
  else void status.then((code) => (process.exitCode = code))
}

const names = commands.map((c) => c.name)
const missingCommand = `missing command: one of ${names.join(', ')} (see chainrule --help)`

function fail(io: Io, error: CliError): number {
  io.stderr(formatCliError(error) + '\n')
  return BAD_INPUT
}

function runChecked(argv: readonly string[], io: Io): number | Promise<number> {
  if (argv.length === 0) return fail(io, usage(missingCommand))
  let outcome: { result: E.Either<CliError, Output>; json: boolean } | undefined
  const onAction = (spec: CommandSpec, programText: string | undefined, options: RawOptions): void => {
    outcome = { result: readInputAndRun(spec, programText, options, io), json: options.json === true }
  }
  const root = buildCommander(commands, version(), io.stdout, onAction)
  try {
    root.parse(normalizeArgv(argv, new Set(names)), { from: 'user' })
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e
    if (e.exitCode === 0) return 0
    return fail(io, usage(commanderMessage(e, argv)))
  }
  if (outcome === undefined) return fail(io, usage(missingCommand))
  if (E.isLeft(outcome.result)) return fail(io, outcome.result.left)
  const output = outcome.result.right
  const json = outcome.json
  if (output.later === undefined) {
    print(output, json, io)
    return 0
  }
  return output.later(io).then((done) => {
    if (E.isLeft(done)) return fail(io, done.left)
    print({ ...output, text: done.right.text, json: jsonObject([...Object.entries(output.json), ...Object.entries(done.right.json)]) }, json, io)
    return 0
  })
}

/** Commander's error as one line, pointing to the command's help where that helps. */
function commanderMessage(e: CommanderError, argv: readonly string[]): string {
  if (e.code === 'commander.help') {
    // `chainrule help NAME` with an unknown NAME, or no command at all.
    const asked = argv[0] === 'help' ? argv[1] : undefined
    return asked !== undefined ? `unknown command ${quote(asked)} (commands: ${names.join(', ')})` : missingCommand
  }
  const message = oneLine(e.message).replace(/^error:\s*/, '')
  const command = names.includes(argv[0]) ? argv[0] : undefined
  return command !== undefined && e.code !== 'commander.invalidArgument' ? `${message} (see chainrule ${command} --help)` : message
}

function readInputAndRun(spec: CommandSpec, programText: string | undefined, options: RawOptions, io: Io): E.Either<CliError, Output> {
  const input = readInput(spec, programText, options, io)
  if (E.isLeft(input)) return input
  const source = input.right.source
  return E.mapLeft((e: CliError) => deadName(e, source) ?? e)(spec.run(input.right))
}

/**
 * A name the text uses that is no variable of the program: it appears only in statements whose
 * values the result never reads (`u = sin(z); x*y` with z in --at), which the program leaves out.
 * "Unknown variable 'z'" would contradict the text the user is looking at.
 */
function deadName(e: CliError, source: string): CliError | undefined {
  if (e._tag !== 'Eval' || e.error._tag !== 'UnknownName') return undefined
  const { name, argument } = e.error
  const flag = argument === 'point' ? '--at' : argument === 'wrt' ? '--wrt' : argument === 'direction' ? '--v' : undefined
  if (flag === undefined || !usesName(source, name)) return undefined
  return usage(`'${name}' in ${flag} is not a variable of the program: it appears only in statements whose values the result does not use, which the program leaves out`)
}

function print(output: Output, json: boolean, io: Io): void {
  if (json) {
    const fields = Object.entries(output.json)
    if (output.warnings.length > 0) fields.push(['warnings', output.warnings.slice()])
    io.stdout(jsonText(jsonObject(fields)) + '\n')
  } else if (output.document === true) {
    io.stdout(output.text + '\n')
    if (output.warnings.length > 0) io.stderr(renderWarnings(output.warnings).replace(/^\n+/, '') + '\n')
  } else {
    io.stdout(output.text + renderWarnings(output.warnings) + '\n')
  }
}

/** The package's version, read from package.json two levels up (from src/cli or dist/cli). */
function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}
