/** Helpers for the command-line tests: run the CLI in-process with captured output. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll } from 'vitest'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { run } from '../../src/cli/main.js'
import type { Io } from '../../src/cli/io.js'

export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** An Io that collects stdout and stderr. */
function capturing(overrides: Partial<Io>): { io: Io; ran: (code: number) => Ran } {
  let stdout = ''
  let stderr = ''
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text),
    env: {},
    ...overrides,
  }
  return { io, ran: (code) => ({ code, stdout, stderr }) }
}

/** Runs `chainrule ...argv` in-process. */
export function cli(argv: readonly string[], overrides: Partial<Io> = {}): Ran {
  const { io, ran } = capturing(overrides)
  const code = run(argv, io)
  if (typeof code !== 'number') throw new Error('this command finishes later: use cliAsync')
  return ran(code)
}

/** Runs `chainrule ...argv` in-process, waiting for output that finishes later (graph --format svg, cost --plot). */
export async function cliAsync(argv: readonly string[], overrides: Partial<Io> = {}): Promise<Ran> {
  const { io, ran } = capturing(overrides)
  return ran(await run(argv, io))
}

/** Runs with --json and parses the single line of output (fails if there is not exactly one). */
export function cliJson(argv: readonly string[]): Record<string, unknown> {
  const r = cli([...argv, '--json'])
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`)
  const lines = r.stdout.split('\n').filter((l) => l !== '')
  if (lines.length !== 1) throw new Error(`expected one line of JSON, got ${lines.length}`)
  return JSON.parse(lines[0]) as Record<string, unknown>
}

/** The contract runner's test for a stack trace in stderr. */
export const stackLike = /^\s+at\s.*(\(.*:\d+:\d+\)|:\d+:\d+)\s*$|Traceback \(most recent call last\)|^\s+at (async |new )?[\w$.<>]+ \(/m

/** A bad-input run: exit 2, one to five lines on stderr starting `chainrule: error:`, no stack. */
export function expectBadInput(r: Ran): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '')
  const problems: string[] = []
  if (r.code !== 2) problems.push(`exit ${r.code}`)
  if (lines.length < 1 || lines.length > 5) problems.push(`${lines.length} stderr lines`)
  if (!r.stderr.startsWith('chainrule: error: ')) problems.push('no "chainrule: error:" prefix')
  if (stackLike.test(r.stderr)) problems.push('stack trace')
  if (r.stdout !== '') problems.push('output on stdout')
  if (problems.length > 0) throw new Error(`${problems.join(', ')}\n${r.stderr}`)
  return r.stderr
}

const made: string[] = []
// Every directory made by tempFiles is removed when the test file finishes.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory with the given files (removed after the test file). */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-cli-'))
  made.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}
