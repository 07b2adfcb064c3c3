/**
 * The outputs written in examples, `expr  // → value`, and how they are checked against what the
 * example computed (sent over as `Encoded` JSON by `harness/check.ts`).
 *
 * The value is written like a JavaScript literal: numbers (also `NaN`, `Infinity`, `-0`), strings
 * in single or double quotes, `true`, `false`, `null`, `undefined`, arrays, objects, and
 * `Right(v)` / `Left(v)` for an `Either`. Matching is by what is written:
 * - an integer matches exactly; a number written with decimals or an exponent matches anything
 *   that rounds to it (within half a unit of its last digit: `0.841` matches sin 1);
 * - an object matches an object that has at least the keys written (the rest is not shown);
 *   an array (or a typed array) matches one of the same length, entry by entry;
 * - a string ending in `...` matches any string that starts with what precedes the dots.
 * Text two or more spaces after the value is a remark (`// → 3   the number of sweeps`).
 *
 * @example
 * mismatches(parseExpected('{ value: -12, gradient: [0.841, 2] }'), { value: -12, gradient: [Math.sin(1), 2], warnings: [] })  // []
 */

/** A value as the example process sends it: JSON, with tagged non-JSON numbers and leaves. */
import type { Encoded } from './harness/check.js'

export type { Encoded }

export type Expected =
  | { readonly _tag: 'number'; readonly value: number; readonly tol: number; readonly text: string }
  | { readonly _tag: 'string'; readonly value: string; readonly prefix: boolean }
  | { readonly _tag: 'literal'; readonly value: boolean | null | undefined }
  | { readonly _tag: 'array'; readonly items: readonly Expected[] }
  | { readonly _tag: 'object'; readonly entries: readonly (readonly [string, Expected])[] }
  | { readonly _tag: 'either'; readonly side: 'Left' | 'Right'; readonly value: Expected }

// -------------------------------------------------------------------------------------------------
// Parsing
// -------------------------------------------------------------------------------------------------

const token = /\s*(?:(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(-?Infinity|NaN)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_$][\w$]*)|([[\]{}(),:]))/y

/** The written value `text`; throws with the position of anything it cannot read. */
export function parseExpected(text: string): Expected {
  let at = 0
  const next = (): RegExpExecArray => {
    token.lastIndex = at
    const m = token.exec(text)
    if (m === null) throw new Error(`cannot read the expected value at ${at}: ${text.slice(at, at + 20)}`)
    at = token.lastIndex
    return m
  }
  const peek = (): string | undefined => {
    token.lastIndex = at
    return token.exec(text)?.[5]
  }
  const expect = (punct: string): void => {
    const m = next()
    if (m[5] !== punct) throw new Error(`expected '${punct}' at ${at} in: ${text}`)
  }
  const list = <T>(close: string, item: () => T): T[] => {
    const out: T[] = []
    if (peek() === close) {
      next()
      return out
    }
    for (;;) {
      out.push(item())
      const m = next()
      if (m[5] === close) return out
      if (m[5] !== ',') throw new Error(`expected ',' or '${close}' at ${at} in: ${text}`)
      if (peek() === close) {
        next()
        return out
      }
    }
  }
  const value = (): Expected => {
    const m = next()
    const [, num, special, str, word, punct] = m
    if (num !== undefined) return number(num)
    if (special !== undefined) return { _tag: 'number', value: Number(special), tol: 0, text: special }
    if (str !== undefined) {
      const body = str.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
      return body.endsWith('...') ? { _tag: 'string', value: body.slice(0, -3), prefix: true } : { _tag: 'string', value: body, prefix: false }
    }
    if (word !== undefined) {
      if (word === 'true' || word === 'false') return { _tag: 'literal', value: word === 'true' }
      if (word === 'null') return { _tag: 'literal', value: null }
      if (word === 'undefined') return { _tag: 'literal', value: undefined }
      if (word === 'Right' || word === 'Left') {
        expect('(')
        const inner = value()
        expect(')')
        return { _tag: 'either', side: word, value: inner }
      }
      throw new Error(`unknown word '${word}' in: ${text}`)
    }
    if (punct === '[') return { _tag: 'array', items: list(']', value) }
    if (punct === '{')
      return {
        _tag: 'object',
        entries: list('}', () => {
          const k = next()
          const key = k[4] ?? k[3]?.slice(1, -1) ?? k[1]
          if (key === undefined) throw new Error(`expected a key at ${at} in: ${text}`)
          expect(':')
          return [key, value()] as const
        }),
      }
    throw new Error(`unexpected '${punct ?? ''}' at ${at} in: ${text}`)
  }
  const result = value()
  const rest = text.slice(at)
  if (rest.trim() !== '' && !/^\s{2,}\S/.test(rest)) throw new Error(`unexpected text after the value (a remark starts two spaces on): ${rest}`)
  return result
}

/** A written number: exact when written as an integer, else within half a unit of its last digit. */
function number(text: string): Expected {
  const [mantissa = '', exponent = '0'] = text.toLowerCase().split('e')
  const decimals = mantissa.includes('.') ? (mantissa.split('.')[1] ?? '').length : 0
  const exact = !mantissa.includes('.') && !text.toLowerCase().includes('e')
  return { _tag: 'number', value: Number(text), tol: exact ? 0 : 0.5 * 10 ** (Number(exponent) - decimals), text }
}

/** True when the brackets of `text` (outside strings) are balanced: the written value is complete. */
export function balanced(text: string): boolean {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === '[' || c === '{' || c === '(') depth++
    else if (c === ']' || c === '}' || c === ')') depth--
  }
  return depth <= 0 && quote === undefined
}

// -------------------------------------------------------------------------------------------------
// Matching
// -------------------------------------------------------------------------------------------------

const isRecord = (v: Encoded | undefined): v is { [key: string]: Encoded } => typeof v === 'object' && v !== null && !Array.isArray(v)

/** An encoded number (NaN, ±Infinity and −0 come tagged), or undefined. */
function numberOf(v: Encoded | undefined): number | undefined {
  if (typeof v === 'number') return v
  if (isRecord(v) && typeof v.$ === 'string' && ['NaN', 'Infinity', '-Infinity', '-0'].includes(v.$) && Object.keys(v).length === 1) return Number(v.$)
  return undefined
}

const show = (v: Encoded | undefined): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 200))

/** Where `actual` differs from `expected`, one line per difference ([] when it matches). */
export function mismatches(expected: Expected, actual: Encoded | undefined, path = ''): string[] {
  const here = path === '' ? 'the value' : path
  switch (expected._tag) {
    case 'number': {
      const a = numberOf(actual)
      if (a === undefined) return [`${here}: expected ${expected.text}, got ${show(actual)}`]
      const e = expected.value
      const ok = Number.isNaN(e) ? Number.isNaN(a) : expected.text === '-0' ? Object.is(a, -0) : a === e || Math.abs(a - e) <= expected.tol
      return ok ? [] : [`${here}: expected ${expected.text}, got ${a}`]
    }
    case 'string': {
      if (typeof actual !== 'string') return [`${here}: expected a string, got ${show(actual)}`]
      const ok = expected.prefix ? actual.startsWith(expected.value) : actual === expected.value
      return ok ? [] : [`${here}: expected ${JSON.stringify(expected.value)}${expected.prefix ? '...' : ''}, got ${JSON.stringify(actual)}`]
    }
    case 'literal': {
      const ok = expected.value === undefined ? isRecord(actual) && actual.$ === 'undefined' : actual === expected.value
      return ok ? [] : [`${here}: expected ${String(expected.value)}, got ${show(actual)}`]
    }
    case 'array': {
      if (!Array.isArray(actual)) return [`${here}: expected an array, got ${show(actual)}`]
      if (actual.length !== expected.items.length) return [`${here}: expected ${expected.items.length} entries, got ${actual.length}: ${show(actual)}`]
      return expected.items.flatMap((item, i) => mismatches(item, actual[i], `${path}[${i}]`))
    }
    case 'object': {
      if (!isRecord(actual)) return [`${here}: expected an object, got ${show(actual)}`]
      return expected.entries.flatMap(([key, item]) =>
        Object.prototype.hasOwnProperty.call(actual, key) ? mismatches(item, actual[key], `${path}.${key}`) : [`${here}: no field ${key} in ${show(actual)}`],
      )
    }
    case 'either': {
      if (!isRecord(actual) || actual._tag !== expected.side) return [`${here}: expected ${expected.side}(...), got ${show(actual)}`]
      return mismatches(expected.value, expected.side === 'Right' ? actual.right : actual.left, `${path}.${expected.side.toLowerCase()}`)
    }
  }
}
