/**
 * The expression parser: operator precedence with explicit stacks (shunting-yard), so nesting
 * depth costs heap, never call stack. Nodes are built with the smart constructor `applyCode`,
 * so constants fold and the result is the hash-consed node the builders would give in the same
 * build.
 *
 * Binding, loosest first: `+ -` (left), `* /` (left), prefix `-` (a prefix `+` is ignored), `^`
 * (right; `**` is the same token). Prefix minus binds looser than `^` and tighter than `* /`:
 * `-x^2` is `-(x^2)`, `-a*b` is `(-a)*b`, and an exponent may start with a sign (`2^-1`).
 *
 * The stack of pending operators and open parentheses is a growable `Int32Array` of fixed-size
 * records, and the operands a plain array reused from one expression to the next: parsing an
 * expression allocates only the nodes it makes.
 *
 * @example
 * const lexer = new Lexer('-x^2 + 1')
 * new Expressions(lexer, (name) => variable(lexer.names[name])).parse('statement')   // the node add(neg(pow(x, 2)), 1)
 */
import { freeVariables } from '../expr/graph.js'
import { constant, type Node } from '../expr/node.js'
import { applyCode } from '../ops/build.js'
import { unaryPrec } from '../ops/print.js'
import { opCode, table } from '../ops/table.js'
import { opTags } from '../ops/tags.js'
import { ShapeError } from '../ops/tensor/shape.js'
import { arityMessage, AttributeError, functionNamed, tensorArityMessage, tensorFunctionIndex, tensorFunctions, unknownFunction } from './functions.js'
import { AT_SIGN, BAD, CLOSE, CLOSE_LIST, COMMA, EOF, EQUALS, IDENT, MINUS, NEWLINE, NUMBER, OPEN, OPEN_LIST, PLUS, SEMICOLON, SYMBOL, type Lexer } from './lexer.js'

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

/** Per symbol char code: the index in `opTags` of its binary op + 1 (0: not a binary operator). */
const binaryOp = new Int32Array(128)
/** Per symbol char code: its precedence, and whether it associates to the right. */
const binaryPrec = new Int32Array(128)
const binaryRight = new Uint8Array(128)
opTags.forEach((op, code) => {
  const s = table[op].syntax
  if (s._tag !== 'infix') return
  const c = s.symbol.charCodeAt(0)
  binaryOp[c] = code + 1
  binaryPrec[c] = s.prec
  binaryRight[c] = s.symbol === '^' ? 1 : 0
})

/**
 * Codes from `TENSOR_BASE` on are the tensor functions (`tensorFunctions`), after the table's
 * primitives. `@`, the matrix product, binds like `*`, as in Python.
 */
const TENSOR_BASE = opTags.length
binaryOp[AT_SIGN] = TENSOR_BASE + (tensorFunctionIndex('matmul') as number) + 1
binaryPrec[AT_SIGN] = binaryPrec['*'.charCodeAt(0)] as number

/** The tags of the stack's records. */
const BINARY = 0
const NEG = 1
const PAREN = 2
const CALL = 3

/** Ints per record: tag, then by tag: BINARY op code, precedence, operator offset; PAREN open offset; CALL below. */
const RECORD = 6
/** CALL fields: op code, name, operand count when the call opened, name offset, '(' offset. */
const OP = 1
const PREC = 2
const NAME = 2
const BASE = 3
const AT = 4
const OPEN_AT = 5

const isFrameTag = (tag: number): boolean => tag === PAREN || tag === CALL

const negCode = opCode.neg

// -------------------------------------------------------------------------------------------------
// The parser
// -------------------------------------------------------------------------------------------------

/** Parses expressions from `lexer`, resolving each name (by the lexer's name index) with `lookup`. */
export class Expressions {
  /**
   * Set once a simplification has dropped an operand that was not a constant (`x^0` is 1): that
   * operand's variables may then be unreachable from the program's outputs.
   */
  dropped = false
  /**
   * The variables of the operands dropped so far (`x` of `x^0`): still variables of the program
   * when the statement they were written in counts (see the parser), with derivative 0.
   */
  readonly droppedVariables: string[] = []
  private readonly operands: Node[] = []
  private stack = new Int32Array(64 * RECORD)
  /** Records on the stack, and open parentheses and calls among them. */
  private depth = 0
  private frames = 0

  constructor(
    private readonly lexer: Lexer,
    private readonly lookup: (name: number) => Node,
  ) {}

  /**
   * One expression, starting at the current token. Stops on the token that ends it (which
   * `context` allows) and throws a `Failure` on anything else.
   */
  parse(context: Context): Node {
    const lx = this.lexer
    const operands = this.operands
    operands.length = 0
    this.depth = 0
    this.frames = 0

    for (;;) {
      // An operand, after any signs, opening parentheses and function names.
      operand: for (;;) {
        const start = lx.start
        const kind = lx.kind // a local: narrowing it must not outlive lx.next()
        switch (kind) {
          case NUMBER:
            operands.push(constant(lx.value))
            lx.next()
            break operand
          case IDENT: {
            const name = lx.name
            lx.next()
            if (!lx.is(OPEN)) {
              operands.push(this.lookup(name))
              break operand
            }
            const text = lx.names[name]
            const open = lx.start
            lx.next()
            const fn = functionNamed(text)
            const tensor = fn === undefined ? tensorFunctionIndex(text) : undefined
            if (fn === undefined && tensor === undefined) throw new Failure(start, unknownFunction(text))
            if (lx.is(CLOSE)) throw new Failure(start, fn !== undefined ? arityMessage(text, fn.arity, 0) : tensorArityMessage(tensorFunctions[tensor as number]!, 0))
            const r = this.push(CALL)
            this.stack[r + OP] = fn !== undefined ? opCode[fn.op] : TENSOR_BASE + (tensor as number)
            this.stack[r + NAME] = name
            this.stack[r + BASE] = operands.length
            this.stack[r + AT] = start
            this.stack[r + OPEN_AT] = open
            this.frames++
            continue
          }
          case SYMBOL: {
            const s = lx.symbol
            if (s === MINUS) this.push(NEG)
            else if (s === OPEN) {
              this.stack[this.push(PAREN) + 1] = start
              this.frames++
            } else if (s === OPEN_LIST) throw new Failure(start, 'a list is only allowed as the final expression')
            else if (s !== PLUS) throw new Failure(start, `expected an expression, found ${lx.describe()}`)
            lx.next()
            continue
          }
          case BAD:
            throw new Failure(start, lx.message)
          default: // NEWLINE, EOF
            throw new Failure(start, `expected an expression, found ${lx.describe()}`)
        }
      }

      // Binary operators and closing parentheses, until the next operand or the end.
      for (;;) {
        const s = lx.kind === SYMBOL ? lx.symbol : -1
        const op = s >= 0 ? binaryOp[s] : 0
        if (op !== 0) {
          const at = lx.start
          lx.next()
          const prec = binaryPrec[s]
          const right = binaryRight[s] === 1
          while (this.bindsTighter(prec, right)) this.reduceTop()
          const r = this.push(BINARY)
          this.stack[r + OP] = op - 1
          this.stack[r + PREC] = prec
          this.stack[r + BASE] = at
          break
        }
        if (this.frames > 0 && (s === CLOSE || s === COMMA)) {
          this.reduceToFrame()
          const r = (this.depth - 1) * RECORD
          const tag = this.stack[r]
          if (tag === PAREN && s === COMMA) throw new Failure(lx.start, "expected an operator or ')', found ','")
          lx.next()
          if (s === COMMA) break
          this.depth--
          this.frames--
          if (tag === CALL) this.call(r)
          continue
        }
        if (lx.kind === BAD) throw new Failure(lx.start, lx.message)
        if (this.frames > 0) throw this.unclosed()
        if (!(context === 'statement' ? endsStatement(lx) : endsElement(lx))) throw unexpected(lx)
        while (this.depth > 0) this.reduceTop()
        return operands[0]
      }
    }
  }

  /** Pushes a record tagged `tag`; returns its offset in `stack`. */
  private push(tag: number): number {
    const r = this.depth * RECORD
    if (r + RECORD > this.stack.length) {
      const bigger = new Int32Array(this.stack.length * 2)
      bigger.set(this.stack)
      this.stack = bigger
    }
    this.stack[r] = tag
    this.depth++
    return r
  }

  /** Closes the call whose record is at `r` (already popped): its arguments become one node. */
  private call(r: number): void {
    const operands = this.operands
    const code = this.stack[r + OP]
    const base = this.stack[r + BASE]
    const got = operands.length - base
    const at = this.stack[r + AT]
    if (code >= TENSOR_BASE) {
      const f = tensorFunctions[code - TENSOR_BASE]!
      if (got < f.min || got > f.max) throw new Failure(at, tensorArityMessage(f, got))
      const args = operands.slice(base)
      operands.length = base
      operands.push(this.shaped(at, () => f.build(args)))
      return
    }
    const arity = table[opTags[code]].arity
    if (got !== arity) throw new Failure(at, arityMessage(this.lexer.names[this.stack[r + NAME]], arity, got))
    const a = operands[base]
    const b = arity === 1 ? undefined : operands[base + 1]
    operands.length = base
    operands.push(this.apply(code, a, b, at))
  }

  /** `build()`, with a shape error or a bad attribute reported at `at` (the operator or the function's name). */
  private shaped(at: number, build: () => Node): Node {
    try {
      return build()
    } catch (e) {
      if (e instanceof ShapeError || e instanceof AttributeError) throw new Failure(at, e.message)
      throw e
    }
  }

  /** Applies the operator on top of the stack to the operands on top of `operands`. */
  private reduceTop(): void {
    const r = --this.depth * RECORD
    const operands = this.operands
    const tag = this.stack[r]
    if (tag === BINARY) {
      const b = operands.pop() as Node
      const a = operands.pop() as Node
      operands.push(this.apply(this.stack[r + OP], a, b, this.stack[r + BASE]))
    } else if (tag === NEG) {
      operands.push(this.apply(negCode, operands.pop() as Node, undefined, 0))
    }
    // PAREN and CALL records are closed by ')', never reduced.
  }

  /**
   * `op(a)` or `op(a, b)` for the op of code `code` (a tensor function from `TENSOR_BASE` on),
   * noting whether a non-constant operand was dropped; a shape error is reported at `at`.
   */
  private apply(code: number, a: Node, b: Node | undefined, at: number): Node {
    if (code >= TENSOR_BASE) return this.shaped(at, () => tensorFunctions[code - TENSOR_BASE]!.build([a, b as Node]))
    const n = a.shape.length === 0 && (b === undefined || b.shape.length === 0) ? applyCode(code, a, b) : this.shaped(at, () => applyCode(code, a, b))
    if (n._tag === 'const' && (a._tag !== 'const' || (b !== undefined && b._tag !== 'const'))) {
      this.dropped = true
      for (const operand of b === undefined ? [a] : [a, b]) if (operand._tag !== 'const') for (const v of freeVariables([operand])) this.droppedVariables.push(v.name)
    }
    return n
  }

  /** Reduces every operator above the innermost open parenthesis. */
  private reduceToFrame(): void {
    while (this.depth > 0 && !isFrameTag(this.stack[(this.depth - 1) * RECORD])) this.reduceTop()
  }

  /** Whether the operator on top of the stack takes its right operand before a binary operator of `prec` is pushed. */
  private bindsTighter(prec: number, right: boolean): boolean {
    if (this.depth === 0) return false
    const r = (this.depth - 1) * RECORD
    const tag = this.stack[r]
    if (isFrameTag(tag)) return false
    const top = tag === BINARY ? this.stack[r + PREC] : unaryPrec
    return top > prec || (top === prec && !right)
  }

  /** The current token cannot continue an expression inside the innermost open parenthesis. */
  private unclosed(): Failure {
    const lx = this.lexer
    let r = (this.depth - 1) * RECORD
    while (r > 0 && !isFrameTag(this.stack[r])) r -= RECORD
    const tag = this.stack[r]
    if (endsStatement(lx)) return new Failure(tag === PAREN ? this.stack[r + 1] : this.stack[r + OPEN_AT], "expected ')' to close this '('")
    return new Failure(lx.start, `expected an operator${tag === CALL ? ", ','" : ''} or ')', found ${lx.describe()}`)
  }
}

export const endsStatement = (lx: Lexer): boolean => lx.kind === NEWLINE || lx.kind === EOF || lx.is(SEMICOLON)
const endsElement = (lx: Lexer): boolean => endsStatement(lx) || lx.is(COMMA) || lx.is(CLOSE_LIST)

/** The current token cannot follow a complete expression. */
function unexpected(lx: Lexer): Failure {
  if (lx.is(CLOSE) || lx.is(CLOSE_LIST)) return new Failure(lx.start, `unmatched ${lx.describe()}`)
  if (lx.is(EQUALS)) return new Failure(lx.start, "unexpected '=': an assignment is a statement of its own (a name at the start of a line or after ';', then '='), not part of an expression")
  if (lx.kind === SYMBOL && lx.symbol !== OPEN) return new Failure(lx.start, `unexpected ${lx.describe()}`)
  return new Failure(lx.start, `expected an operator, found ${lx.describe()}`)
}
