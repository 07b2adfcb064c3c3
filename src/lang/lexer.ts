/**
 * The lexer of the program language: source text to tokens that carry their offsets.
 *
 * The lexer is a cursor that holds one token, the current one, in its own fields (`kind`,
 * `start`, `end`, and `value`, `name`, `symbol` or `message` by kind): scanning a token allocates
 * nothing, so a program of a million statements costs no token objects. It reads char codes,
 * with no regular expression and no substring but for a name seen for the first time or a
 * number that is not a plain integer. Names are interned per lexer: `name` is a small integer, the
 * same for every occurrence of the same identifier (`names[name]` is its text), so the parser
 * keeps per-name state in arrays instead of maps of strings.
 *
 * Spaces, tabs, carriage returns and comments (`#` to the end of the line) are skipped; a newline
 * is a token because it ends a statement. `**` is read as `^`. A character that starts no token,
 * or a malformed number, is a `BAD` token whose message the parser reports: the lexer never
 * throws.
 *
 * @example
 * const t = new Lexer('y = 2.5e-1 ** x  # comment')
 * t.kind, t.names[t.name], t.start, t.end    // IDENT, 'y', 0, 1
 * t.next(); t.kind, t.symbol                 // SYMBOL, '='.charCodeAt(0)
 * t.next(); t.kind, t.value                  // NUMBER, 0.25
 * t.next(); t.kind, t.symbol, t.end          // SYMBOL, '^'.charCodeAt(0), 13
 */

import { nameHashStep } from '../expr/node.js'

// -------------------------------------------------------------------------------------------------
// Token kinds and symbols
// -------------------------------------------------------------------------------------------------

export const EOF = 0
export const NEWLINE = 1
export const NUMBER = 2
export const IDENT = 3
export const SYMBOL = 4
/** Text that is no token; `message` says why. */
export const BAD = 5

/** Char codes of the symbols (`SYMBOL` tokens carry one; `**` carries `CARET`). */
export const PLUS = 43
export const MINUS = 45
export const STAR = 42
export const SLASH = 47
export const CARET = 94
export const OPEN = 40
export const CLOSE = 41
export const OPEN_LIST = 91
export const CLOSE_LIST = 93
export const COMMA = 44
export const SEMICOLON = 59
export const EQUALS = 61
export const AT_SIGN = 64

/** 1 at the char code of each one-character symbol. */
const isSymbolCode = new Uint8Array(128)
for (const c of '+-*/^()[],;=@') isSymbolCode[c.charCodeAt(0)] = 1

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c)

/** `'c'` for a printable ASCII character, `U+XXXX` otherwise. */
function showChar(source: string, at: number): string {
  const cp = source.codePointAt(at) ?? 0
  if (cp > 32 && cp < 127) return `'${String.fromCharCode(cp)}'`
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
}

/** Whether source[from, to) has a digit other than 0. */
function hasNonzeroDigit(source: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i)
    if (c > 48 && c <= 57) return true
  }
  return false
}

/** `text`, cut to 24 characters with an ellipsis, for messages. */
export const shorten = (text: string): string => (text.length > 24 ? `${text.slice(0, 23)}…` : text)

// -------------------------------------------------------------------------------------------------
// The cursor
// -------------------------------------------------------------------------------------------------

/** A cursor over the tokens of `source`; it starts on the first token. */
export class Lexer {
  /** The current token: its kind (`EOF`, `NEWLINE`, ...) and offsets (UTF-16 code units). */
  kind = EOF
  start = 0
  end = 0
  /** `NUMBER`: its value. */
  value = 0
  /** `IDENT`: the index of its text in `names`. */
  name = 0
  /** `SYMBOL`: its char code (`CARET` for `**`). */
  symbol = 0
  /** `BAD`: why. */
  message = ''

  /** The text of each distinct identifier, by `name`, and its `nameHash`. */
  readonly names: string[] = []
  readonly nameHashes: number[] = []
  // Open addressing over the names: (hash, name + 1) pairs, 0 empty; each name's first occurrence.
  private pairs = new Int32Array(512)
  private readonly starts: number[] = []
  private readonly lengths: number[] = []

  constructor(readonly source: string) {
    this.next()
  }

  /** Scans the next token into the fields (at the end of input, `EOF` forever). */
  next(): void {
    const source = this.source
    const length = source.length
    let at = this.end
    let c = 0
    for (;;) {
      if (at >= length) {
        this.kind = EOF
        this.start = this.end = length
        return
      }
      c = source.charCodeAt(at)
      if (c === 32 || c === 9 /* space tab */) at++
      else if (c === 13 /* CR */) {
        if (source.charCodeAt(at + 1) !== 10) return this.bareCarriageReturn(at)
        at++
      } else if (c === 35 /* # */) {
        const from = at
        const nl = source.indexOf('\n', at)
        at = nl < 0 ? length : nl
        // A comment runs to the line feed: a bare CR inside it would hide the code after it.
        for (let k = from; k < at; k++) if (source.charCodeAt(k) === 13 && k + 1 !== nl) return this.bareCarriageReturn(k)
      } else break
    }
    this.start = at
    if (isIdentStart(c)) {
      let h = c
      let end = at + 1
      for (; end < length; end++) {
        const d = source.charCodeAt(end)
        if (!isIdentPart(d)) break
        h = nameHashStep(h, d)
      }
      this.kind = IDENT
      this.end = end
      this.name = this.intern(at, end, h)
    } else if (isDigit(c) || (c === 46 /* . */ && isDigit(source.charCodeAt(at + 1)))) {
      this.number(at)
    } else if (c === 10) {
      this.kind = NEWLINE
      this.end = at + 1
    } else if (c === STAR && source.charCodeAt(at + 1) === STAR) {
      this.kind = SYMBOL
      this.symbol = CARET
      this.end = at + 2
    } else if (c < 128 && isSymbolCode[c] === 1) {
      this.kind = SYMBOL
      this.symbol = c
      this.end = at + 1
    } else {
      this.bad(`unexpected character ${showChar(source, at)}`, at + ((source.codePointAt(at) ?? 0) > 0xffff ? 2 : 1))
    }
  }

  /**
   * A carriage return without a line feed (the old Mac line ending) would be read as a blank, so
   * `y = 2*x<CR>-3` would be `2*x - 3`: refused, not guessed.
   */
  private bareCarriageReturn(at: number): void {
    this.start = at
    this.bad('a carriage return (\\r) without a line feed: end lines with \\n or \\r\\n', at + 1)
  }

  /** Whether the next character after the current token and any blanks is `=`. */
  equalsFollows(): boolean {
    const source = this.source
    let at = this.end
    let c = source.charCodeAt(at)
    while (c === 32 || c === 9 || c === 13) c = source.charCodeAt(++at)
    return c === EQUALS
  }

  /** Whether the current token is the symbol with char code `s`. */
  is(s: number): boolean {
    return this.kind === SYMBOL && this.symbol === s
  }

  /** How the current token is named in messages: `'sin'`, `')'`, `end of line`. */
  describe(): string {
    switch (this.kind) {
      case NEWLINE:
        return 'end of line'
      case EOF:
        return 'end of input'
      case BAD:
        return this.message
      default:
        return `'${shorten(this.source.slice(this.start, this.end))}'`
    }
  }

  private bad(message: string, end: number): void {
    this.kind = BAD
    this.message = message
    this.end = end
  }

  /** A number starting at `start` (a digit, or a `.` followed by a digit). */
  private number(start: number): void {
    const source = this.source
    // Plain integers of up to 15 digits are read here, exactly; anything else by `Number`.
    let at = start
    let whole = 0
    let c = source.charCodeAt(at)
    while (isDigit(c)) {
      whole = whole * 10 + (c - 48)
      c = source.charCodeAt(++at)
    }
    let plain = at - start <= 15
    if (c === 46 /* . */) {
      plain = false
      c = source.charCodeAt(++at)
      while (isDigit(c)) c = source.charCodeAt(++at)
    }
    const mantissaEnd = at
    if (c === 101 || c === 69 /* e E */) {
      plain = false
      let digits = at + 1
      const sign = source.charCodeAt(digits)
      if (sign === PLUS || sign === MINUS) digits++
      let end = digits
      while (isDigit(source.charCodeAt(end))) end++
      if (end === digits) {
        const text = source.slice(start, Math.max(digits, at + 1))
        this.bad(`malformed number '${text}': the exponent has no digits`, digits)
        return
      }
      at = end
    }
    const value = plain ? whole : Number(source.slice(start, at))
    if (!Number.isFinite(value)) {
      this.bad(`number '${shorten(source.slice(start, at))}' is too large`, at)
      return
    }
    // A literal with a nonzero digit that underflows to 0 (1e-400) is refused, as --at refuses it:
    // silently 0, it would drop the term it multiplies.
    if (value === 0 && hasNonzeroDigit(source, start, mantissaEnd)) {
      this.bad(`number '${shorten(source.slice(start, at))}' is too small for a double (it would be 0; the smallest is 5e-324): write 0 if 0 is meant`, at)
      return
    }
    this.kind = NUMBER
    this.value = value
    this.end = at
  }

  /** The index of the identifier source[start, end) with hash `h`, added if new. */
  private intern(start: number, end: number, h: number): number {
    // One Int32Array of (hash, name) pairs, name + 1 (0: empty); a name's text is compared with its
    // first occurrence in the source, which is read anyway and usually close by.
    const source = this.source
    const length = end - start
    const pairs = this.pairs
    const mask = pairs.length - 2
    let i = h & mask
    for (let k = pairs[i + 1]; k !== 0; k = pairs[i + 1]) {
      if (pairs[i] === h && this.lengths[k - 1] === length) {
        const at = this.starts[k - 1]
        let j = 0
        while (j < length && source.charCodeAt(at + j) === source.charCodeAt(start + j)) j++
        if (j === length) return k - 1
      }
      i = (i + 2) & mask
    }
    const name = this.names.length
    this.names.push(source.slice(start, end))
    this.nameHashes.push(h | 1)
    this.starts.push(start)
    this.lengths.push(length)
    pairs[i] = h
    pairs[i + 1] = name + 1
    if (this.names.length * 4 > pairs.length) {
      const grown = new Int32Array(pairs.length * 2)
      const m = grown.length - 2
      for (let j = 0; j < pairs.length; j += 2) {
        if (pairs[j + 1] === 0) continue
        let n = pairs[j] & m
        while (grown[n + 1] !== 0) n = (n + 2) & m
        grown[n] = pairs[j]
        grown[n + 1] = pairs[j + 1]
      }
      this.pairs = grown
    }
    return name
  }
}
