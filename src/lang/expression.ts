/**
 * The expression parser: operator precedence with explicit stacks (shunting-yard), so nesting
 * depth costs heap, never call stack. Nodes are built with the smart constructor `apply`, so
 * constants fold and the result is the hash-consed node the builders would give.
 *
 * Binding, loosest first: `+ -` (left), `* /` (left), prefix `-` (a prefix `+` is ignored), `^`
 * (right; `**` is the same token). Prefix minus binds looser than `^` and tighter than `* /`:
 * `-x^2` is `-(x^2)`, `-a*b` is `(-a)*b`, and an exponent may start with a sign (`2^-1`).
 *
 * @example
 * parseExpression(new Tokens('-x^2 + 1'), variable, 'statement')
 * // the node add(neg(pow(x, 2)), 1)
 */
import { constant, type Node } from '../expr/node.js'
import { apply } from '../ops/build.js'
import { unaryPrec } from '../ops/print.js'
import { table } from '../ops/table.js'
import { opTags, type OpTag } from '../ops/tags.js'
import { arityMessage, functionNamed, unknownFunction, type FunctionInfo } from './functions.js'
import { describe, type Sym, type Token, type Tokens } from './lexer.js'

/** A parse failure inside the parser; `parse` turns it into a `ParseError` value. */
export class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** What may follow an expression: a statement's end, or a list element's end. */
export type Context = 'statement' | 'element'

// -------------------------------------------------------------------------------------------------
// Operators, from the table
// -------------------------------------------------------------------------------------------------

interface BinaryOp {
  readonly op: OpTag
  readonly prec: number
  readonly right: boolean
}

const binaryOps: ReadonlyMap<string, BinaryOp> = new Map(
  opTags.flatMap((op) => {
    const s = table[op].syntax
    return s._tag === 'infix' ? [[s.symbol, { op, prec: s.prec, right: s.symbol === '^' }] as const] : []
  }),
)

/** An operator or an open parenthesis waiting on the stack. */
type Pending =
  | { readonly _tag: 'binary'; readonly op: OpTag; readonly prec: number }
  | { readonly _tag: 'neg' }
  | { readonly _tag: 'paren'; readonly open: number }
  | { readonly _tag: 'call'; readonly name: string; readonly fn: FunctionInfo; readonly base: number; readonly at: number; readonly open: number }

const neg: Pending = { _tag: 'neg' }

export const isSymbol = (t: Token, s: Sym): boolean => t._tag === 'symbol' && t.symbol === s

const endsStatement = (t: Token): boolean => t._tag === 'newline' || t._tag === 'eof' || isSymbol(t, ';')
const endsElement = (t: Token): boolean => endsStatement(t) || isSymbol(t, ',') || isSymbol(t, ']')

// -------------------------------------------------------------------------------------------------
// The parser
// -------------------------------------------------------------------------------------------------

/**
 * Parse one expression from `tokens`, resolving identifiers with `lookup`. Stops before the token
 * that ends it (which `context` allows) and throws a `Failure` on anything else.
 */
export function parseExpression(tokens: Tokens, lookup: (name: string) => Node, context: Context): Node {
  const operands: Node[] = []
  const pending: Pending[] = []
  let frames = 0

  for (;;) {
    // An operand, after any signs, opening parentheses and function names.
    operand: for (;;) {
      const t = tokens.next()
      switch (t._tag) {
        case 'number':
          operands.push(constant(t.value))
          break operand
        case 'ident': {
          if (!isSymbol(tokens.peek(), '(')) {
            operands.push(lookup(t.name))
            break operand
          }
          const open = tokens.next().start
          const fn = functionNamed(t.name)
          if (fn === undefined) throw new Failure(t.start, unknownFunction(t.name))
          if (isSymbol(tokens.peek(), ')')) throw new Failure(t.start, arityMessage(t.name, fn.arity, 0))
          pending.push({ _tag: 'call', name: t.name, fn, base: operands.length, at: t.start, open })
          frames++
          continue
        }
        case 'symbol':
          if (t.symbol === '-') pending.push(neg)
          else if (t.symbol === '(') {
            pending.push({ _tag: 'paren', open: t.start })
            frames++
          } else if (t.symbol === '[') throw new Failure(t.start, 'a list is only allowed as the final expression')
          else if (t.symbol !== '+') throw new Failure(t.start, `expected an expression, found ${describe(tokens, t)}`)
          continue
        case 'bad':
          throw new Failure(t.start, t.message)
        case 'newline':
        case 'eof':
          throw new Failure(t.start, `expected an expression, found ${describe(tokens, t)}`)
      }
    }

    // Binary operators and closing parentheses, until the next operand or the end.
    for (;;) {
      const t = tokens.peek()
      const op = t._tag === 'symbol' ? binaryOps.get(t.symbol) : undefined
      if (op !== undefined) {
        tokens.next()
        while (bindsTighter(pending[pending.length - 1], op)) reduceTop(pending, operands)
        pending.push({ _tag: 'binary', op: op.op, prec: op.prec })
        break
      }
      if (frames > 0 && (isSymbol(t, ')') || isSymbol(t, ','))) {
        reduceToFrame(pending, operands)
        const frame = pending[pending.length - 1]
        if (frame._tag === 'paren' && isSymbol(t, ',')) throw new Failure(t.start, "expected an operator or ')', found ','")
        tokens.next()
        if (isSymbol(t, ',')) break
        pending.pop()
        frames--
        if (frame._tag === 'call') {
          const args = operands.splice(frame.base)
          if (args.length !== frame.fn.arity) throw new Failure(frame.at, arityMessage(frame.name, frame.fn.arity, args.length))
          operands.push(apply(frame.fn.op, args))
        }
        continue
      }
      if (t._tag === 'bad') throw new Failure(t.start, t.message)
      if (frames > 0) throw unclosed(tokens, t, pending)
      if (!(context === 'statement' ? endsStatement(t) : endsElement(t))) throw unexpected(tokens, t)
      while (pending.length > 0) reduceTop(pending, operands)
      return operands[0]
    }
  }
}

// -------------------------------------------------------------------------------------------------
// The stacks
// -------------------------------------------------------------------------------------------------

/** Apply the operator on top of `pending` to the operands on top of `operands`. */
function reduceTop(pending: Pending[], operands: Node[]): void {
  const p = pending.pop()
  if (p === undefined) return
  switch (p._tag) {
    case 'binary': {
      const b = operands.pop() as Node
      const a = operands.pop() as Node
      operands.push(apply(p.op, [a, b]))
      return
    }
    case 'neg':
      operands.push(apply('neg', [operands.pop() as Node]))
      return
    case 'paren':
    case 'call':
      return // unreachable: frames are closed by ')', never reduced
  }
}

const isFrame = (p: Pending): boolean => p._tag === 'paren' || p._tag === 'call'

/** Reduce every operator above the innermost open parenthesis. */
function reduceToFrame(pending: Pending[], operands: Node[]): void {
  while (pending.length > 0 && !isFrame(pending[pending.length - 1])) reduceTop(pending, operands)
}

/** Whether the pending operator `p` takes its right operand before `next` is pushed. */
function bindsTighter(p: Pending | undefined, next: BinaryOp): boolean {
  if (p === undefined) return false
  const prec = p._tag === 'binary' ? p.prec : p._tag === 'neg' ? unaryPrec : -Infinity
  return prec > next.prec || (prec === next.prec && !next.right)
}

// -------------------------------------------------------------------------------------------------
// Messages
// -------------------------------------------------------------------------------------------------

/** `t` cannot continue an expression inside the innermost open parenthesis. */
function unclosed(tokens: Tokens, t: Token, pending: readonly Pending[]): Failure {
  let i = pending.length - 1
  while (i > 0 && pending[i]._tag !== 'paren' && pending[i]._tag !== 'call') i--
  const frame = pending[i]
  const inCall = frame._tag === 'call'
  if (endsStatement(t)) {
    const open = frame._tag === 'paren' || frame._tag === 'call' ? frame.open : t.start
    return new Failure(open, "expected ')' to close this '('")
  }
  return new Failure(t.start, `expected an operator${inCall ? ", ','" : ''} or ')', found ${describe(tokens, t)}`)
}

/** `t` cannot follow a complete expression. */
function unexpected(tokens: Tokens, t: Token): Failure {
  if (isSymbol(t, ')') || isSymbol(t, ']')) return new Failure(t.start, `unmatched ${describe(tokens, t)}`)
  if (isSymbol(t, '=')) return new Failure(t.start, "unexpected '=': only a name can be assigned to")
  if (t._tag === 'symbol' && t.symbol !== '(') return new Failure(t.start, `unexpected ${describe(tokens, t)}`)
  return new Failure(t.start, `expected an operator, found ${describe(tokens, t)}`)
}
