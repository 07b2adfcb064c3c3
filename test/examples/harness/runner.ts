/**
 * Runs the compiled examples one after the other in one process (as a user's Node would run
 * them: ESM, the package resolved from node_modules), and writes what happened to a JSON file:
 * per example, the error it threw (if any), and every value `__check` recorded.
 *
 * @example
 * // node out/runner.js list.json results.json
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { recorded } from './check.js'

interface Listed {
  readonly id: string
  readonly file: string
}

const [listFile, outFile] = process.argv.slice(2)
if (listFile === undefined || outFile === undefined) throw new Error('usage: runner LIST.json OUT.json')
const listed = JSON.parse(readFileSync(listFile, 'utf8')) as Listed[]
const errors: Record<string, string> = {}
for (const { id, file } of listed) {
  try {
    await import(pathToFileURL(file).href)
  } catch (e) {
    errors[id] = e instanceof Error ? (e.stack ?? e.message) : String(e)
  }
}
writeFileSync(outFile, JSON.stringify({ errors, recorded }))
