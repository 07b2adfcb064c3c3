/**
 * The outside world of the command, injected so that tests can run it in-process: where output
 * goes, how files are read, the environment.
 *
 * @example
 * const out: string[] = []
 * run(['eval', 'x + 1', '--at', 'x=2', '--json'], { ...nodeIo(), stdout: (s) => out.push(s) })
 */
import { readFileSync, writeFileSync } from 'node:fs';
/** The real process. */
export function nodeIo() {
    return {
        stdout: (text) => void process.stdout.write(text),
        stderr: (text) => void process.stderr.write(text),
        readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
        writeFile: (path, text) => writeFileSync(path, text),
        env: process.env,
    };
}
