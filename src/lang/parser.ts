/**
 * The program language: statements `name = expr` separated by newlines or `;`, then optionally a
 * final expression, which may be a list `[e1, ..., em]` (a vector output). Without a final
 * expression the output is the last assigned name. A name may be assigned again; later uses see
 * the new value. An identifier never assigned is a free variable, except `pi` and `e`.
 *
 * `parse` never throws: every failure, even an unexpected one, is a `ParseError` value. Statements
 * are a loop and expressions use explicit stacks, so neither a million statements nor a hundred
 * thousand nested parentheses can overflow the call stack, and parsing takes linear time.
 *
 * @example
 * import { parse, printProgram, orThrow } from 'chainrule'
 * const p = orThrow(parse('q = x + y  # a comment\n[q * q, sin(q)]'))
 * printProgram(p)   // → 't0 = x + y\n[t0*t0, sin(t0)]'
 * p.names.size      // → 1   the name q, kept for messages
 * parse('y = sin(x')   // → Left({ _tag: 'ParseError', message: "expected ')' to close this '('", line: 1, column: 8 })
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js'
import { constants } from '../expr/names.js'
import { constant, variable, type Node } from '../expr/node.js'
import { program, type Program } from '../expr/program.js'
import { parseError, type ParseError } from './errors.js'
import { Failure, isSymbol, parseExpression } from './expression.js'
import { describe, Tokens, type Token } from './lexer.js'

/** Names that mean a constant unless the program assigns them (`constants` of `src/expr/names.ts`). */
const constantNodes: ReadonlyMap<string, Node> = new Map([...constants].map(([name, value]) => [name, constant(value)] as const))

/** Parse program text into a `Program`, or the first error in it. Never throws. */
export function parse(source: string): Either<ParseError, Program> {
  if (typeof source !== 'string') return left(parseError('', 0, 'the program text must be a string'))
  try {
    return right(parseProgram(source))
  } catch (e) {
    return left(toParseError(source, e))
  }
}

function toParseError(source: string, e: unknown): ParseError {
  try {
    if (e instanceof Failure) return parseError(source, e.offset, e.message)
    if (e instanceof RangeError && /call stack/i.test(e.message)) return parseError(source, 0, 'expression nested too deeply')
    return parseError(source, 0, `internal error: ${e instanceof Error ? e.message : 'unknown'}`)
  } catch {
    return { _tag: 'ParseError', message: 'internal error', line: 1, column: 1, offset: 0, excerpt: '\n^' }
  }
}

// -------------------------------------------------------------------------------------------------
// Statements
// -------------------------------------------------------------------------------------------------

const isSeparator = (t: Token): boolean => t._tag === 'newline' || isSymbol(t, ';')

function skip(tokens: Tokens, which: (t: Token) => boolean): void {
  while (which(tokens.peek())) tokens.next()
}

function parseProgram(source: string): Program {
  const tokens = new Tokens(source)
  const bindings = new Map<string, Node>()
  const names = new Map<Node, string>()
  const lookup = (name: string): Node => bindings.get(name) ?? constantNodes.get(name) ?? variable(name)
  let last: Node | undefined
  for (;;) {
    skip(tokens, isSeparator)
    const t = tokens.peek()
    if (t._tag === 'eof') break
    if (t._tag === 'ident' && isSymbol(tokens.peek2(), '=')) {
      tokens.next()
      tokens.next()
      const value = parseExpression(tokens, lookup, 'statement')
      bindings.set(t.name, value)
      // Only operations get display names: naming a variable or constant would rename it everywhere.
      if (value._tag === 'apply') names.set(value, t.name)
      last = value
      continue
    }
    const output = parseFinal(tokens, lookup)
    skip(tokens, isSeparator)
    const after = tokens.peek()
    if (after._tag === 'bad') throw new Failure(after.start, after.message)
    if (after._tag !== 'eof') throw new Failure(after.start, 'the final expression must be the last statement')
    return program(output.outputs, { vector: output.vector, names })
  }
  if (last === undefined) throw new Failure(source.length, 'empty program: expected a statement or an expression')
  return program([last], { vector: false, names })
}

// -------------------------------------------------------------------------------------------------
// The final expression
// -------------------------------------------------------------------------------------------------

interface Output {
  readonly outputs: readonly Node[]
  readonly vector: boolean
}

/** The final expression: an expression, or a list of them (which may span lines). */
function parseFinal(tokens: Tokens, lookup: (name: string) => Node): Output {
  const open = tokens.peek()
  if (!isSymbol(open, '[')) return { outputs: [parseExpression(tokens, lookup, 'statement')], vector: false }
  tokens.next()
  const outputs: Node[] = []
  for (;;) {
    skip(tokens, (t) => t._tag === 'newline')
    const t = tokens.peek()
    if (isSymbol(t, ']')) {
      if (outputs.length === 0) throw new Failure(t.start, 'an empty list has no outputs')
      tokens.next()
      break
    }
    outputs.push(parseExpression(tokens, lookup, 'element'))
    skip(tokens, (u) => u._tag === 'newline')
    const u = tokens.peek()
    if (isSymbol(u, ',')) tokens.next()
    else if (u._tag === 'eof' || isSymbol(u, ';')) throw new Failure(open.start, "expected ']' to close this '['")
    else if (!isSymbol(u, ']')) throw new Failure(u.start, `expected ',' or ']', found ${describe(tokens, u)}`)
  }
  const after = tokens.peek()
  if (!(isSeparator(after) || after._tag === 'eof')) {
    throw new Failure(after.start, `unexpected ${describe(tokens, after)} after the list: a list is only allowed as the final expression`)
  }
  return { outputs, vector: true }
}
