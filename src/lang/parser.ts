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
 * A parse is a build (see `building`): within it, a subexpression written twice is one node, and
 * the program's nodes are the builders' nodes of the same build; two parses outside any build give
 * structurally equal programs of different nodes. The parser also lists the program's variables
 * as it goes, unless a value is never read or a simplification drops an operand (`x^0`), when the
 * outputs might not reach them all: then `program` finds them by a walk.
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
import { given, optionsProblem } from '../expr/options.js'
import { building, constant, inBuild, newVariableIn, variable, variableHashed, type Node, type Shape, type Var } from '../expr/node.js'
import { program, programOf, type Program } from '../expr/program.js'
import { parseError, type ParseError } from './errors.js'
import { Expressions, Failure } from './expression.js'
import { BAD, CLOSE_LIST, COMMA, EOF, IDENT, Lexer, NEWLINE, OPEN_LIST, SEMICOLON } from './lexer.js'


export interface ParseOptions {
  /**
   * The shapes of the program's tensor variables, by name (`{ X: [256, 784] }`); a variable not
   * listed is a scalar. Shapes are checked as the program is built: an operation whose arguments'
   * shapes do not fit is a `ParseError` at the operator, naming the operation and both shapes.
   */
  readonly shapes?: Readonly<Record<string, Shape>> | undefined
}

/**
 * Parse program text into a `Program`, or the first error in it. Never throws. The program is
 * built in a build of its own (see `building`), or in the caller's when called inside one.
 */
export function parse(source: string, options: ParseOptions = {}): Either<ParseError, Program> {
  if (typeof source !== 'string') return left(parseError('', 0, 'the program text must be a string'))
  // A misspelt option (`shape` for `shapes`) would parse every variable as a scalar.
  const bad = optionsProblem('parse', options, { shapes: given }) ?? shapesProblem(options.shapes)
  if (bad !== undefined) return left(parseError('', 0, bad))
  let parsed: Program
  try {
    // In a build of its own, the parse makes each variable without a lookup (the lexer sees each
    // name once); about one node per eight characters of text sizes the build at first.
    const own = !inBuild()
    parsed = building(() => parseProgram(source, own, options.shapes), source.length >> 3)
  } catch (e) {
    return left(toParseError(source, e))
  }
  // A shapes record may be shared by several programs (a model's data), so names it gives that a
  // program does not use are not refused; a variable left a scalar by a typo in it is named when
  // the point gives it a tensor (see `loadTensorPoint`).
  return right(parsed)
}

/** What is wrong with a shapes record, if anything: every shape a list of integers ≥ 0. */
function shapesProblem(shapes: unknown): string | undefined {
  if (shapes === undefined) return undefined
  if (typeof shapes !== 'object' || shapes === null || Array.isArray(shapes)) return 'shapes must be a record of shapes by variable name ({ X: [256, 784] })'
  for (const [name, shape] of Object.entries(shapes)) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return `the shape of '${name}' must be a list of integers ≥ 0, not ${JSON.stringify(shape)}`
  }
  return undefined
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

const isSeparator = (lx: Lexer): boolean => lx.kind === NEWLINE || lx.is(SEMICOLON)

function skipSeparators(lx: Lexer): void {
  while (isSeparator(lx)) lx.next()
}

function skipNewlines(lx: Lexer): void {
  while (lx.kind === NEWLINE) lx.next()
}

function parseProgram(source: string, ownBuild: boolean, shapes: Readonly<Record<string, Shape>> | undefined): Program {
  const lx = new Lexer(source)
  // Per name (the lexer's index): the value assigned to it last, whether that value has been read
  // since, and the name's node while unassigned.
  const bound: (Node | undefined)[] = []
  const read: boolean[] = []
  const leaves: (Node | undefined)[] = []
  // The variables made, and whether some statement's value was never read (then some of them may
  // be unreachable from the outputs, and `program` finds the reachable ones by a walk).
  const variables: Var[] = []
  let unread = false
  const leafOf = (name: number): Node => {
    const text = lx.names[name]
    const c = text.length <= 2 ? constants.get(text) : undefined
    if (c !== undefined) return (leaves[name] = constant(c))
    const shape = shapes !== undefined && Object.hasOwn(shapes, text) ? shapes[text] : undefined
    const v = shape !== undefined && shape.length > 0 ? variable(text, shape) : ownBuild ? newVariableIn(text) : variableHashed(text, lx.nameHashes[name])
    variables.push(v)
    return (leaves[name] = v)
  }
  const lookup = (name: number): Node => {
    const value = bound[name]
    if (value === undefined) return leaves[name] ?? leafOf(name)
    read[name] = true
    return value
  }
  const expressions = new Expressions(lx, lookup)
  const names = new Map<Node, string>()
  let last: Node | undefined
  let lastName = -1
  // Per name: the variables of operands folded away in the statement that assigned it last (x^0).
  const droppedIn: (string[] | undefined)[] = []
  /** The program of `outputs`, its variables without a walk when every value was read and no operand dropped. */
  const finish = (outputs: readonly Node[], vector: boolean, finalDropped: readonly string[]): Program => {
    for (let name = 0; name < bound.length; name++) if (bound[name] !== undefined && read[name] !== true && name !== lastName) unread = true
    if (!expressions.dropped) return unread ? program(outputs, { vector, names }) : programOf(outputs, { vector, names }, variables)
    // Variables written in a folded operand (`x` in `x^0`) stay variables of the program, with
    // derivative 0, when their statement's value is used: `grad x^0 --at x=2` is 0, not "unknown x".
    const kept = new Set(finalDropped)
    droppedIn.forEach((vs, name) => {
      if (vs !== undefined && (read[name] === true || name === lastName)) for (const v of vs) kept.add(v)
    })
    return program(outputs, { vector, names, ...(kept.size === 0 ? {} : { variables: [...kept] }) })
  }
  for (;;) {
    skipSeparators(lx)
    if (lx.kind === EOF) break
    if (lx.kind === IDENT && lx.equalsFollows()) {
      const name = lx.name
      lx.next()
      lx.next()
      const before = expressions.droppedVariables.length
      const value = expressions.parse('statement')
      if (bound[name] !== undefined && read[name] !== true) unread = true
      // A statement that read the name's old value (y = y + 1) carries the old statement's too.
      // (Only where something was dropped: nothing is made per statement otherwise.)
      if (expressions.droppedVariables.length > before || droppedIn[name] !== undefined) {
        const carried = read[name] === true ? (droppedIn[name] ?? []) : []
        const all = [...carried, ...expressions.droppedVariables.slice(before)]
        droppedIn[name] = all.length > 0 ? all : undefined
      }
      bound[name] = value
      read[name] = false
      // Only operations get display names: naming a variable or constant would rename it everywhere.
      if (value._tag === 'apply') names.set(value, lx.names[name])
      last = value
      lastName = name
      continue
    }
    const before = expressions.droppedVariables.length
    const output = parseFinal(lx, expressions)
    skipSeparators(lx)
    if (lx.kind === BAD) throw new Failure(lx.start, lx.message)
    if (lx.kind !== EOF) throw new Failure(lx.start, 'the final expression must be the last statement')
    lastName = -1 // the final expression is the output: every assigned value must be read
    return finish(output.outputs, output.vector, expressions.droppedVariables.slice(before))
  }
  if (last === undefined) throw new Failure(source.length, 'empty program: expected a statement or an expression')
  return finish([last], false, [])
}

// -------------------------------------------------------------------------------------------------
// The final expression
// -------------------------------------------------------------------------------------------------

interface Output {
  readonly outputs: readonly Node[]
  readonly vector: boolean
}

/** The final expression: an expression, or a list of them (which may span lines). */
function parseFinal(lx: Lexer, expressions: Expressions): Output {
  if (!lx.is(OPEN_LIST)) return { outputs: [expressions.parse('statement')], vector: false }
  const open = lx.start
  lx.next()
  const outputs: Node[] = []
  for (;;) {
    skipNewlines(lx)
    if (lx.is(CLOSE_LIST)) {
      if (outputs.length === 0) throw new Failure(lx.start, 'an empty list has no outputs')
      lx.next()
      break
    }
    outputs.push(expressions.parse('element'))
    skipNewlines(lx)
    if (lx.is(COMMA)) lx.next()
    else if (lx.kind === EOF || lx.is(SEMICOLON)) throw new Failure(open, "expected ']' to close this '['")
    else if (!lx.is(CLOSE_LIST)) throw new Failure(lx.start, `expected ',' or ']', found ${lx.describe()}`)
  }
  if (!(isSeparator(lx) || lx.kind === EOF)) {
    throw new Failure(lx.start, `unexpected ${lx.describe()} after the list: a list is only allowed as the final expression`)
  }
  return { outputs, vector: true }
}
