/**
 * The outside world of the command, injected so that tests can run it in-process: where output
 * goes, how files are read, the environment.
 *
 * @example
 * const out: string[] = []
 * run(['eval', 'x + 1', '--at', 'x=2', '--json'], { ...nodeIo(), stdout: (s) => out.push(s) })
 */
import { readFileSync, writeFileSync } from 'node:fs'

export interface Io {
  /** Writes text to standard output (the text carries its own newlines). */
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** The text of a file (UTF-8); `-` is standard input. Throws on failure (caught by the caller). */
  readonly readFile: (path: string) => string
  /** Writes a file (UTF-8). Throws on failure (caught by the caller). */
  readonly writeFile: (path: string, text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
}

/** The real process. */
export function nodeIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text),
    env: process.env,
  }
}
