/**
 * The lexer of the program language: source text to tokens that carry their offsets.
 *
 * Tokens are produced on demand (`Tokens` is a cursor), so a program of a million statements is
 * never held as a million-element token array. Spaces, tabs, carriage returns and comments (`#` to
 * the end of the line) are skipped; a newline is a token because it ends a statement. `**` is read
 * as `^`. A character that starts no token, or a malformed number, becomes a `bad` token whose
 * message the parser reports: the lexer never throws.
 *
 * @example
 * const t = new Tokens('y = 2.5e-1 ** x  # comment')
 * t.next() // { _tag: 'ident', name: 'y', start: 0, end: 1 }
 * t.next() // { _tag: 'symbol', symbol: '=', start: 2, end: 3 }
 * t.next() // { _tag: 'number', value: 0.25, start: 4, end: 10 }
 * t.next() // { _tag: 'symbol', symbol: '^', start: 11, end: 13 }
 */

// -------------------------------------------------------------------------------------------------
// Tokens
// -------------------------------------------------------------------------------------------------

export type Sym = '+' | '-' | '*' | '/' | '^' | '(' | ')' | '[' | ']' | ',' | ';' | '='

interface Span {
  /** Offset of the first character (UTF-16 code units, as `String.prototype.slice`). */
  readonly start: number
  /** Offset just after the last character. */
  readonly end: number
}

export interface NumberToken extends Span { readonly _tag: 'number'; readonly value: number }
export interface IdentToken extends Span { readonly _tag: 'ident'; readonly name: string }
export interface SymbolToken extends Span { readonly _tag: 'symbol'; readonly symbol: Sym }
export interface NewlineToken extends Span { readonly _tag: 'newline' }
export interface EofToken extends Span { readonly _tag: 'eof' }
/** Text that is no token; `message` says why. */
export interface BadToken extends Span { readonly _tag: 'bad'; readonly message: string }

export type Token = NumberToken | IdentToken | SymbolToken | NewlineToken | EofToken | BadToken

// -------------------------------------------------------------------------------------------------
// Scanning one token
// -------------------------------------------------------------------------------------------------

const symbols: ReadonlySet<string> = new Set(['+', '-', '*', '/', '^', '(', ')', '[', ']', ',', ';', '='])

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c)

/** `'c'` for a printable ASCII character, `U+XXXX` otherwise. */
function showChar(source: string, at: number): string {
  const cp = source.codePointAt(at) ?? 0
  if (cp > 32 && cp < 127) return `'${String.fromCharCode(cp)}'`
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
}

function scanDigits(source: string, at: number): number {
  while (at < source.length && isDigit(source.charCodeAt(at))) at++
  return at
}

/** A number starting at `start` (a digit, or a `.` followed by a digit). */
function scanNumber(source: string, start: number): Token {
  let at = scanDigits(source, start)
  if (source.charCodeAt(at) === 46 /* . */) at = scanDigits(source, at + 1)
  const c = source.charCodeAt(at)
  if (c === 101 || c === 69 /* e E */) {
    let digits = at + 1
    const sign = source.charCodeAt(digits)
    if (sign === 43 || sign === 45 /* + - */) digits++
    const end = scanDigits(source, digits)
    if (end === digits) {
      const text = source.slice(start, Math.max(digits, at + 1))
      return { _tag: 'bad', message: `malformed number '${text}': the exponent has no digits`, start, end: digits }
    }
    at = end
  }
  const text = source.slice(start, at)
  const value = Number(text)
  if (!Number.isFinite(value)) {
    const shown = text.length > 24 ? `${text.slice(0, 23)}…` : text
    return { _tag: 'bad', message: `number '${shown}' is too large`, start, end: at }
  }
  return { _tag: 'number', value, start, end: at }
}

/** The token at or after `pos`, skipping blanks and comments. */
export function scan(source: string, pos: number): Token {
  let at = pos
  for (;;) {
    if (at >= source.length) return { _tag: 'eof', start: source.length, end: source.length }
    const c = source.charCodeAt(at)
    if (c === 32 || c === 9 || c === 13 /* space tab CR */) {
      at++
    } else if (c === 35 /* # */) {
      const nl = source.indexOf('\n', at)
      at = nl < 0 ? source.length : nl
    } else {
      break
    }
  }
  const start = at
  const c = source.charCodeAt(at)
  if (c === 10) return { _tag: 'newline', start, end: start + 1 }
  if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(at + 1)))) return scanNumber(source, start)
  if (isIdentStart(c)) {
    let end = at + 1
    while (end < source.length && isIdentPart(source.charCodeAt(end))) end++
    return { _tag: 'ident', name: source.slice(start, end), start, end }
  }
  if (c === 42 /* * */ && source.charCodeAt(at + 1) === 42) return { _tag: 'symbol', symbol: '^', start, end: start + 2 }
  const ch = source[at]
  if (symbols.has(ch)) return { _tag: 'symbol', symbol: ch as Sym, start, end: start + 1 }
  const width = (source.codePointAt(at) ?? 0) > 0xffff ? 2 : 1
  return { _tag: 'bad', message: `unexpected character ${showChar(source, at)}`, start, end: start + width }
}

// -------------------------------------------------------------------------------------------------
// The cursor
// -------------------------------------------------------------------------------------------------

/** A cursor over the tokens of `source`, with two tokens of lookahead. */
export class Tokens {
  // Up to two scanned tokens not yet consumed (no array: this is the parser's innermost loop).
  private first: Token | undefined
  private second: Token | undefined
  private pos = 0

  constructor(readonly source: string) {}

  /** The next token, without consuming it. */
  peek(): Token {
    return (this.first ??= this.scanNext())
  }

  /** The token after the next one. */
  peek2(): Token {
    this.peek()
    return (this.second ??= this.scanNext())
  }

  /** Consume and return the next token (the end of input repeats forever). */
  next(): Token {
    const t = this.peek()
    this.first = this.second
    this.second = undefined
    return t
  }

  private scanNext(): Token {
    const t = scan(this.source, this.pos)
    this.pos = t.end
    return t
  }

  /** The source text of `t`, shortened for messages. */
  text(t: Token): string {
    const s = this.source.slice(t.start, t.end)
    return s.length > 24 ? `${s.slice(0, 23)}…` : s
  }
}

/** How a token is named in messages: `'sin'`, `')'`, `end of line`. */
export function describe(tokens: Tokens, t: Token): string {
  switch (t._tag) {
    case 'newline': return 'end of line'
    case 'eof': return 'end of input'
    case 'bad': return t.message
    case 'number':
    case 'ident':
    case 'symbol': return `'${tokens.text(t)}'`
  }
}
