/**
 * Reading points (`--at`, `--v`) and name lists (`--wrt`) from the command line. User text is
 * only ever matched against fixed patterns and converted with `Number`: it never reaches `eval`.
 *
 * A point is written in one of three ways:
 * - `x=1,y=-2.5e3` (names are identifiers; spaces around names and values are allowed);
 * - a JSON object `{"x": 1, "y": -2.5e3}`, whose values may also be tensors written as nested
 *   arrays (`{"X": [[1, 2], [3, 4]], "w": [0.5, -1]}`, row-major);
 * - `@file.json`: a file holding such a JSON object.
 *
 * A value is a decimal number (`1`, `-1.5`, `.5`, `1e-3`, `+2`) that fits in a double. The
 * non-finite values are accepted in the spelling the JSON output uses: `NaN`, `Infinity`,
 * `-Infinity` (also `+Infinity`), bare or, in JSON, as strings. Anything else (`abc`, `0x10`,
 * `1_000`, `1e400`, `true`, a list) is an error, as are an empty name, a name that is not an
 * identifier, and a name given twice.
 *
 * @example
 * parsePoint('x=1, y=-2', '--at', io)      // right({ x: 1, y: -2 })
 * parsePoint('{"x": "NaN"}', '--at', io)   // right({ x: NaN })
 * parsePoint('x=abc', '--at', io)          // left(usage("--at: the value of 'x' is not a number: \"abc\""))
 * parseNames('x, y', '--wrt')              // right(['x', 'y'])
 */
import * as E from 'fp-ts/lib/Either.js'
import { fromNested, type Tensor } from '../ops/tensor/array.js'
import { usage, type CliError } from './errors.js'
import type { Io } from './io.js'

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/
const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const nonFinite: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['+Infinity', Infinity],
  ['-Infinity', -Infinity],
])

/** User text inside a message: quoted, control characters escaped, long text cut. */
export function quote(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 39)}…` : text
  return JSON.stringify(cut)
}

export const isIdentifier = (name: string): boolean => identifier.test(name)

/** The number written in `text`, or undefined when `text` is not exactly a number we accept. */
export function numberFrom(text: string): number | undefined {
  const special = nonFinite.get(text)
  if (special !== undefined) return special
  if (!decimal.test(text)) return undefined
  const x = Number(text)
  return Number.isFinite(x) && !(x === 0 && tooSmall(text)) ? x : undefined
}

const tooLarge = (text: string): boolean => decimal.test(text) && !Number.isFinite(Number(text))
/** A number written with a non-zero digit that rounds to 0 (1e-400): not the number written. */
const tooSmall = (text: string): boolean => decimal.test(text) && Number(text) === 0 && /[1-9]/.test(text.split(/[eE]/)[0] ?? '')

function badNumber(flag: string, name: string, text: string): CliError {
  const why = tooLarge(text) ? 'is too large for a double' : tooSmall(text) ? 'is too small for a double (it would be 0; write 0 for 0)' : 'is not a number'
  return usage(`${flag}: the value of '${name}' ${why}: ${quote(text)}`)
}

/** A point as the command line gives it: numbers, and tensors for tensor programs. */
export type CliPoint = Readonly<Record<string, number | Tensor>>

/** Collects entries, refusing empty, invalid and repeated names. */
class PointBuilder {
  readonly point: Record<string, number | Tensor> = Object.create(null) as Record<string, number | Tensor>
  constructor(private readonly flag: string) {}
  add(name: string, value: number | Tensor): CliError | undefined {
    if (name === '') return usage(`${this.flag}: an entry has an empty name`)
    if (!isIdentifier(name)) return usage(`${this.flag}: ${quote(name)} is not a variable name`)
    if (Object.prototype.hasOwnProperty.call(this.point, name)) return usage(`${this.flag}: '${name}' is given twice`)
    this.point[name] = value
    return undefined
  }
}

/** A point from `k=v,...`, a JSON object, or `@file.json`. */
export function parsePoint(text: string, flag: string, io: Io): E.Either<CliError, CliPoint> {
  const trimmed = text.trim()
  if (trimmed.startsWith('@')) return fromFile(trimmed.slice(1), flag, io)
  if (trimmed.startsWith('{')) return fromJson(trimmed, flag)
  return fromPairs(trimmed, flag)
}

function fromFile(path: string, flag: string, io: Io): E.Either<CliError, CliPoint> {
  if (path === '') return E.left(usage(`${flag}: '@' must be followed by a file name`))
  let content: string
  try {
    content = io.readFile(path)
  } catch (e) {
    return E.left(usage(`${flag}: cannot read ${quote(path)}: ${fileReason(e)}`))
  }
  const trimmed = content.replace(/^\uFEFF/, '').trim()
  if (!trimmed.startsWith('{')) return E.left(usage(`${flag}: ${quote(path)} must hold a JSON object such as {"x": 1}`))
  return fromJson(trimmed, `${flag} ${quote(path)}`)
}

/** A short reason for a failed read: `no such file`, `is a directory`, ... */
export function fileReason(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : ''
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'EISDIR':
      return 'it is a directory'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOTDIR':
      return 'a part of the path is not a directory'
    case 'ETOOLARGE':
      return e instanceof Error ? e.message : 'too large'
    default:
      return code || (e instanceof Error ? e.message.split('\n')[0] : 'unreadable')
  }
}

function fromPairs(text: string, flag: string): E.Either<CliError, CliPoint> {
  const builder = new PointBuilder(flag)
  if (text === '') return E.right(builder.point)
  for (const raw of text.split(',')) {
    const entry = raw.trim()
    if (entry === '') return E.left(usage(`${flag}: empty entry (two commas in a row, or a comma at an end)`))
    const eq = entry.indexOf('=')
    if (eq < 0) return E.left(usage(`${flag}: ${quote(entry)} is not of the form name=value`))
    const name = entry.slice(0, eq).trim()
    const valueText = entry.slice(eq + 1).trim()
    if (name !== '' && valueText === '') return E.left(usage(`${flag}: no value given for '${name}'`))
    const value = numberFrom(valueText)
    if (name !== '' && isIdentifier(name) && value === undefined) return E.left(badNumber(flag, name, valueText))
    const failed = builder.add(name, value ?? NaN)
    if (failed !== undefined) return E.left(failed)
  }
  return E.right(builder.point)
}

// -------------------------------------------------------------------------------------------------
// A flat JSON object of numbers (a small scanner, so that repeated keys are seen, not merged)
// -------------------------------------------------------------------------------------------------

const jsonString = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
const jsonNumber = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const bareWord = /-?[A-Za-z]+/y

/** A position in JSON text: spaces skipped, sticky regular expressions matched from it. */
class Scanner {
  pos = 0
  constructor(readonly text: string) {}
  /** The character here. */
  char(): string | undefined {
    return this.text[this.pos]
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++
  }
  /** The text `re` (sticky) matches here, moving past it; undefined (and no move) when it does not. */
  match(re: RegExp): string | undefined {
    re.lastIndex = this.pos
    const m = re.exec(this.text)
    if (m === null) return undefined
    this.pos += m[0].length
    return m[0]
  }
}

function fromJson(text: string, flag: string): E.Either<CliError, CliPoint> {
  const builder = new PointBuilder(flag)
  const sc = new Scanner(text)
  const fail = (what: string): E.Either<CliError, CliPoint> =>
    E.left(usage(`${flag}: not a valid JSON object of numbers: ${what} at character ${sc.pos + 1}`))
  sc.skipSpace()
  if (sc.char() !== '{') return fail("expected '{'")
  sc.pos++
  sc.skipSpace()
  if (sc.char() === '}') sc.pos++
  else {
    for (;;) {
      sc.skipSpace()
      const keyText = sc.match(jsonString)
      if (keyText === undefined) return fail('expected a quoted name')
      const key = JSON.parse(keyText) as string
      sc.skipSpace()
      if (sc.char() !== ':') return fail("expected ':'")
      sc.pos++
      sc.skipSpace()
      const at = sc.pos
      let value: number | Tensor
      if (sc.char() === '[') {
        const nested = jsonArray(sc)
        if (typeof nested === 'string') return E.left(usage(`${flag}: the value of ${quote(key)} is not an array of numbers: ${nested}`))
        const tensor = fromNested(nested)
        if (typeof tensor === 'string') return E.left(usage(`${flag}: the value of ${quote(key)} is not a tensor: ${tensor}`))
        value = tensor
      } else {
        const number = jsonValue(sc)
        if (number === undefined) {
          if (!isIdentifier(key)) return E.left(usage(`${flag}: ${quote(key)} is not a variable name`))
          // An object or a string is named as such; a malformed number is shown up to its end.
          const kind = text[at] === '{' ? 'an object' : text[at] === '"' ? 'a string' : text.startsWith('null', at) || text.startsWith('true', at) || text.startsWith('false', at) ? text.slice(at, at + 5).replace(/[^a-z]/g, '') : undefined
          if (kind !== undefined) return E.left(usage(`${flag}: the value of '${key}' is ${kind}, not a number`))
          const shown = text.slice(at, at + 20).split(/[,}\s]/)[0] || text.slice(at, at + 1)
          return E.left(badNumber(flag, key, shown || 'nothing'))
        }
        value = number
      }
      const failed = builder.add(key, value)
      if (failed !== undefined) return E.left(failed)
      sc.skipSpace()
      if (sc.char() === ',') {
        sc.pos++
        continue
      }
      if (sc.char() === '}') {
        sc.pos++
        break
      }
      return fail("expected ',' or '}'")
    }
  }
  sc.skipSpace()
  if (sc.pos < text.length) return fail('unexpected text after the object')
  return E.right(builder.point)
}

/** Nesting deeper than this is refused (a tensor of rank 32 is already absurd). */
const maxDepth = 32

/**
 * The nested arrays of numbers starting at the scanner's '[', moving past them; or why they are
 * not (a message with the character position). Numbers are read as `jsonValue` reads them.
 */
function jsonArray(sc: Scanner): unknown[] | string {
  // An explicit stack of open arrays: the depth is bounded, but no recursion is needed either.
  const stack: unknown[][] = []
  let root: unknown[] | undefined
  for (;;) {
    sc.skipSpace()
    if (sc.char() === '[') {
      if (stack.length >= maxDepth) return `nested more than ${maxDepth} deep at character ${sc.pos + 1}`
      const a: unknown[] = []
      if (stack.length > 0) (stack[stack.length - 1] as unknown[]).push(a)
      else root = a
      stack.push(a)
      sc.pos++
      continue
    }
    if (sc.char() === ']') {
      stack.pop()
      sc.pos++
      if (stack.length === 0) return root as unknown[]
    } else {
      const start = sc.pos
      const number = jsonValue(sc)
      if (number === undefined) {
        sc.pos = start
        const text = sc.match(jsonNumber)
        if (text !== undefined && Number(text) === 0) return `${text} at character ${start + 1} is too small for a double (it would be 0; write 0 for 0)`
        if (text !== undefined && !Number.isFinite(Number(text))) return `${text} at character ${start + 1} is too large for a double`
        return `expected a number at character ${start + 1}`
      }
      ;(stack[stack.length - 1] as unknown[]).push(number)
    }
    sc.skipSpace()
    if (sc.char() === ',') {
      sc.pos++
      sc.skipSpace()
      if (sc.char() === ']') return `unexpected ']' after ',' at character ${sc.pos + 1}`
    } else if (sc.char() !== ']') return `expected ',' or ']' at character ${sc.pos + 1}`
  }
}

/** A JSON number, a bare NaN/Infinity/-Infinity, or one of those three as a string. */
function jsonValue(sc: Scanner): number | undefined {
  const n = sc.match(jsonNumber)
  if (n !== undefined) return numberFrom(n)
  const word = sc.match(bareWord)
  if (word !== undefined) return nonFinite.get(word)
  const s = sc.match(jsonString)
  return s === undefined ? undefined : nonFinite.get(JSON.parse(s) as string)
}

/** A comma-separated list of variable names (`--wrt`); empty text is refused (an unset shell variable). */
export function parseNames(text: string, flag: string): E.Either<CliError, string[]> {
  const trimmed = text.trim()
  if (trimmed === '') return E.left(usage(`${flag} is empty: give variable names such as x,y`))
  const names: string[] = []
  const seen = new Set<string>()
  for (const raw of trimmed.split(',')) {
    const name = raw.trim()
    if (name === '') return E.left(usage(`${flag}: empty name (two commas in a row, or a comma at an end)`))
    if (!isIdentifier(name)) return E.left(usage(`${flag}: ${quote(name)} is not a variable name`))
    if (seen.has(name)) return E.left(usage(`${flag}: '${name}' is given twice`))
    seen.add(name)
    names.push(name)
  }
  return E.right(names)
}
