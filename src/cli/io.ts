/**
 * The outside world of the command, injected so that tests can run it in-process: where output
 * goes, how files are read, the environment.
 *
 * @example
 * const out: string[] = []
 * run(['eval', 'x + 1', '--at', 'x=2', '--json'], { ...nodeIo(), stdout: (s) => out.push(s) })
 */
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs'

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
    readFile: (path) => readBounded(path),
    writeFile: (path, text) => writeFileSync(path, text),
    env: process.env,
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/** The largest program or point file read (a program of 10^6 statements is about 50 MB). */
export const maxInputBytes = 256 * 2 ** 20

/** A file longer than `maxInputBytes` (or endless: /dev/zero), refused once that much is read. */
export class InputTooLarge extends Error {
  readonly code = 'ETOOLARGE'
}

/**
 * The file's text (UTF-8), `-` standard input, read in chunks up to `maxInputBytes`: a device or
 * pipe that never ends (`-f /dev/zero`) is refused instead of filling the memory.
 */
export function readBounded(path: string, limit = maxInputBytes): string {
  const fd = path === '-' ? 0 : openSync(path, 'r')
  try {
    const chunks: Buffer[] = []
    let total = 0
    // One buffer for every read, and a copy of what each read gave: a pipe gives 64 KB at a time,
    // and keeping a view of a fresh 1 MB buffer per read held 16 times the input.
    const chunk = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      let got: number
      try {
        got = readSync(fd, chunk, 0, chunk.length, null)
      } catch (e) {
        // Standard input that is a non-blocking pipe with nothing yet: wait for it.
        if ((e as { code?: unknown }).code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 10)
          continue
        }
        throw e
      }
      if (got === 0) break
      total += got
      if (total > limit) throw new InputTooLarge(`it is larger than ${limit >= 2 ** 20 ? `${limit / 2 ** 20} MB` : `${limit} bytes`}`)
      chunks.push(Buffer.from(chunk.subarray(0, got)))
    }
    return Buffer.concat(chunks, total).toString('utf8')
  } finally {
    if (fd !== 0) closeSync(fd)
  }
}
