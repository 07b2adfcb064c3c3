/**
 * Printing expressions and programs as text of the program language (`src/lang`), with the
 * fewest parentheses such that parsing the text gives back the very same (hash-consed) node.
 *
 * Forms come from each rule's `syntax`. Binding, loosest first: `+ -` at 1 and `* /` at 2 (left
 * associative), prefix `-` at 3, `^` at 4 (right associative, its exponent may be a signed
 * expression), atoms at 5. A negative constant prints as a prefix minus does. Both printers are
 * iterative (an explicit stack of pending pieces), so a chain of a million nested `sin` prints.
 *
 * The round trip holds for graphs built with the smart constructors (`build`, `apply`), whose
 * nodes the parser rebuilds exactly. It cannot hold for what the language cannot write: a
 * non-finite constant (printed `(1/0)`, `(-1/0)`, `(0/0)`, which parse as unfolded divisions), a
 * variable named `pi` or `e` or whose name is not an identifier, and unsimplified `applyRaw` nodes
 * such as `x + 0`.
 *
 * @example
 * import { printExpr, printProgram, program, neg, pow, mul, add, sin, variable } from 'chainrule'
 * const x = variable('x'), y = variable('y'), z = variable('z')
 * printExpr(neg(pow(x, 2)))                // → '-x^2'
 * printExpr(pow(neg(x), 2))                // → '(-x)^2'
 * printExpr(mul(add(x, y), z))             // → '(x + y)*z'
 * printProgram(program([mul(sin(x), sin(x))]))   // → 't0 = sin(x)\nt0*t0'
 */
import { topoOrder } from '../expr/graph.js'
import type { Node } from '../expr/node.js'
import { given, optionsProblem } from '../expr/options.js'
import type { Program } from '../expr/program.js'
import { table } from './table.js'
import { isOpTag } from './tags.js'

// -------------------------------------------------------------------------------------------------
// Precedence
// -------------------------------------------------------------------------------------------------

/** How tightly prefix minus (and a negative constant) binds: looser than `^`, tighter than `* /`. */
export const unaryPrec = 3
/** How tightly a name, a number, a call or a parenthesized expression binds. */
export const atomPrec = 5

/** The text of a constant, and how tightly it binds. */
function constantForm(value: number): readonly [text: string, prec: number] {
  if (Number.isNaN(value)) return ['(0/0)', atomPrec]
  if (value === Infinity) return ['(1/0)', atomPrec]
  if (value === -Infinity) return ['(-1/0)', atomPrec]
  if (Object.is(value, -0)) return ['-0', unaryPrec]
  return [String(value), value < 0 ? unaryPrec : atomPrec]
}

// -------------------------------------------------------------------------------------------------
// Expressions
// -------------------------------------------------------------------------------------------------

export interface PrintOptions {
  /** Nodes to print as a name instead of their expression (never the root itself). */
  readonly names?: ReadonlyMap<Node, string> | undefined
  /** Cut the text to this many characters, the last being `…`. */
  readonly maxLength?: number | undefined
}

/** A piece of pending output: literal text, or a node to print binding at least `min`. */
interface Task {
  readonly node: Node | undefined
  readonly text: string
  readonly min: number
}

const text = (s: string): Task => ({ node: undefined, text: s, min: 0 })
const sub = (node: Node, min: number): Task => ({ node, text: '', min })

const isZeroConst = (n: Node | undefined): boolean => n?._tag === 'const' && n.value === 0

/** The pieces of `node` in order (before parenthesizing), and how tightly the whole binds. */
function pieces(node: Node, names: ReadonlyMap<Node, string> | undefined, isRoot: boolean): readonly [Task[], number] {
  const name = isRoot ? undefined : names?.get(node)
  if (name !== undefined) return [[text(name)], atomPrec]
  switch (node._tag) {
    case 'const': {
      const [s, prec] = constantForm(node.value)
      return [[text(s)], prec]
    }
    case 'var':
      return [[text(node.name)], atomPrec]
    case 'apply': {
      const args = node.args
      const syntax = isOpTag(node.op) ? table[node.op].syntax : undefined
      if (syntax?._tag === 'infix' && args.length === 2) {
        const right = syntax.symbol === '^'
        const op = syntax.symbol === '+' || syntax.symbol === '-' ? ` ${syntax.symbol} ` : syntax.symbol
        const leftMin = right ? atomPrec : syntax.prec
        const rightMin = right ? unaryPrec : syntax.prec + 1
        return [[sub(args[0], leftMin), text(op), sub(args[1], rightMin)], syntax.prec]
      }
      if (node.op === 'matmul' && args.length === 4 && isZeroConst(args[2]) && isZeroConst(args[3])) {
        // The matrix product without transposes: `a @ b`, binding like `*`.
        const prec = (table.mul.syntax as { prec: number }).prec
        return [[sub(args[0], prec), text(' @ '), sub(args[1], prec + 1)], prec]
      }
      if (syntax?._tag === 'prefix' && args.length === 1) return [[text(syntax.symbol), sub(args[0], unaryPrec + 1)], unaryPrec]
      const callee = syntax?._tag === 'call' ? syntax.name : node.op
      const out: Task[] = [text(`${callee}(`)]
      for (let i = 0; i < args.length; i++) {
        if (i > 0) out.push(text(', '))
        out.push(sub(args[i], 0))
      }
      out.push(text(')'))
      return [out, atomPrec]
    }
  }
}

/**
 * `node` as infix text that parses back to `node` (for nodes built with the smart constructors;
 * see the module comment). Nodes in `names` print as their names; `maxLength` truncates with `…`.
 */
export function printExpr(node: Node, options: PrintOptions = {}): string {
  const bad = optionsProblem('printExpr', options, { names: given, maxLength: given })
  if (bad !== undefined) throw new RangeError(bad)
  const { names, maxLength } = options
  const limit = maxLength === undefined ? Infinity : Math.max(0, Math.floor(maxLength))
  const out: string[] = []
  let length = 0
  const stack: Task[] = [sub(node, 0)]
  while (stack.length > 0 && length <= limit) {
    const task = stack.pop() as Task
    if (task.node === undefined) {
      out.push(task.text)
      length += task.text.length
      continue
    }
    const [parts, prec] = pieces(task.node, names, task.node === node)
    const paren = prec < task.min
    if (paren) stack.push(text(')'))
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i])
    if (paren) stack.push(text('('))
  }
  const s = out.join('')
  if (s.length <= limit) return s
  return limit < 1 ? '' : `${s.slice(0, limit - 1)}…`
}

// -------------------------------------------------------------------------------------------------
// Programs
// -------------------------------------------------------------------------------------------------

/**
 * `p` as program text that parses back to the same output nodes. Every operation used more than
 * once by the outputs gets a statement `tN = ...` (names that are not free variables), so a shared
 * graph prints in linear size; the last line is the output (a list `[a, b]` for a vector program).
 */
export function printProgram(p: Program): string {
  const order = topoOrder(p.outputs)
  const uses = new Map<Node, number>()
  const use = (n: Node): void => {
    uses.set(n, (uses.get(n) ?? 0) + 1)
  }
  for (const n of order) if (n._tag === 'apply') n.args.forEach(use)
  p.outputs.forEach(use)

  const taken = new Set(p.variables)
  const names = new Map<Node, string>()
  const lines: string[] = []
  let k = 0
  for (const n of order) {
    if (n._tag !== 'apply' || (uses.get(n) ?? 0) < 2) continue
    while (taken.has(`t${k}`)) k++
    const name = `t${k++}`
    lines.push(`${name} = ${printExpr(n, { names })}`)
    names.set(n, name)
  }
  const outs = p.outputs.map((o) => names.get(o) ?? printExpr(o, { names }))
  lines.push(p.vector || outs.length !== 1 ? `[${outs.join(', ')}]` : outs[0])
  return lines.join('\n')
}
