/**
 * Helpers shared by the commands: refusing vector programs where a scalar is needed, labels for
 * outputs, warning messages.
 *
 * @example
 * requireScalar(parsed('[x, y]'), 'grad')  // left(usage('grad needs a program with one output, ...'))
 * outputLabels(parsed('f = x*y'))          // ['f']
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../../expr/program.js'
import type { Warning } from '../../tape/diagnose.js'
import { usage, type CliError } from '../errors.js'
import { jvp } from '../../forward/index.js'
import { jacobian } from '../../jacobian/index.js'
import { grad } from '../../reverse/index.js'
import type { Input } from './types.js'

/** The program itself when its output is one scalar; an error naming the command otherwise. */
export function requireScalar(program: Program, command: string): E.Either<CliError, Program> {
  if (!program.vector && program.outputs.length === 1) return E.right(program)
  const m = program.outputs.length
  return E.left(
    usage(`${command} needs a program with one scalar output, but this one's output is a list of ${m} (use jacobian for vector programs)`),
  )
}

/** One label per output: the name a statement gave it, else `value` (scalar) or `[i]` (vector). */
export function outputLabels(program: Program): string[] {
  return program.outputs.map((node, i) => {
    const name = program.names.get(node)
    if (name !== undefined) return program.vector ? `[${i}] ${name}` : name
    return program.vector ? `[${i}]` : 'value'
  })
}

export const messages = (warnings: readonly Warning[]): string[] => warnings.map((w) => w.message)

/**
 * The warnings the engine gives for the sweep a teaching view shows (kinks met, non-finite values
 * and derivatives, 0·∞ = 0): `trace` and `graph` show the document's arithmetic, and must not be
 * quieter than grad, jvp or jacobian about a point where that arithmetic is not the derivative.
 * Forward mode along `direction` is jvp's sweep; forward mode without one, the Jacobian's.
 */
export function engineWarnings(input: Input, wrt: readonly string[], mode: 'forward' | 'reverse', direction?: Readonly<Record<string, number>>): string[] {
  const r: E.Either<unknown, { readonly warnings: readonly Warning[] }> =
    mode === 'reverse'
      ? grad(input.program, input.point, wrt)
      : direction !== undefined
        ? jvp(input.program, input.point, Object.fromEntries(wrt.map((name) => [name, direction[name] ?? 0])))
        : jacobian(input.program, input.point, { wrt, mode: 'forward', format: 'dense' })
  return E.isRight(r) ? messages(r.right.warnings) : []
}

/** The most entries printed as dense rows (about 80 MB of JSON). */
export const printLimit = 4_000_000
