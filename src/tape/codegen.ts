/**
 * JavaScript source as a number system. Running a rule of the table over `Code` produces the
 * statements that compute it, so the compiled sweeps are generated from the same single table
 * as every other interpretation.
 *
 * Safety: the only text that reaches generated code is written here: identifiers chosen by the
 * kernel templates, op codes, and numeric literals from the rule table (formatted by `literal`).
 * No node, variable name or user-supplied number is ever spliced into source.
 *
 * @example
 * const code = new Code()
 * const [dx] = partialsIn(code.num, 'tanh', ['x'], 'o')  // emits `const t0 = (o*o); ...`
 */
import type { Num } from '../ops/rule.js'
import { opCode, rulesByCode, table } from '../ops/table.js'
import type { OpTag } from '../ops/tags.js'

/** A numeric literal as JavaScript source, for the toolkit's own constants only. */
export function literal(c: number): string {
  if (Number.isNaN(c)) return 'NaN'
  if (c === Infinity) return 'Infinity'
  if (c === -Infinity) return '(-Infinity)'
  if (Object.is(c, -0)) return '(-0)'
  const s = String(c)
  if (!/^-?[0-9.e+-]+$/.test(s)) throw new RangeError('not a numeric literal')
  return c < 0 ? `(${s})` : s
}

const isLiteral = (s: string): boolean => /^\(?-?[0-9.e+-]+\)?$/.test(s) || s === 'NaN' || s === 'Infinity' || s === '(-Infinity)'
const literalValue = (s: string): number => Number(s.replace(/[()]/g, ''))

const infixJs: Partial<Record<OpTag, string>> = { add: '+', sub: '-', mul: '*', div: '/' }

/** Name of the hoisted function for op code k inside a kernel (bound by `functionPrelude`). */
export const fnName = (code: number): string => `f${code}`

/**
 * A builder of straight-line code. `num` applies primitives by emitting `const` temporaries
 * (with common subexpressions shared) and folds literal arithmetic.
 */
export class Code {
  readonly lines: string[] = []
  private readonly memo = new Map<string, string>()
  private next = 0

  constructor(private readonly prefix: string = 't') {}

  /** Emits `const tN = expr` (or reuses an equal one) and returns `tN`. */
  bind(expr: string): string {
    const hit = this.memo.get(expr)
    if (hit !== undefined) return hit
    const name = `${this.prefix}${this.next++}`
    this.lines.push(`const ${name} = ${expr};`)
    this.memo.set(expr, name)
    return name
  }

  readonly num: Num<string> = {
    constant: literal,
    isZero: (t) => isLiteral(t) && literalValue(t) === 0,
    apply: (op, args) => {
      if (args.every(isLiteral)) {
        const v = table[op].fn(literalValue(args[0]), args.length > 1 ? literalValue(args[1]) : NaN)
        return literal(v)
      }
      const isOne = (s: string) => isLiteral(s) && literalValue(s) === 1
      const isZero = (s: string) => isLiteral(s) && literalValue(s) === 0
      const isMinusOne = (s: string) => isLiteral(s) && literalValue(s) === -1
      if (op === 'mul' && isOne(args[0])) return args[1]
      if (op === 'mul' && isMinusOne(args[0])) return this.bind(`-${args[1]}`)
      if (op === 'mul' && isMinusOne(args[1])) return this.bind(`-${args[0]}`)
      if ((op === 'mul' || op === 'div') && isOne(args[1])) return args[0]
      if (op === 'add' && isZero(args[0])) return args[1]
      if ((op === 'add' || op === 'sub') && isZero(args[1])) return args[0]
      const sym = infixJs[op]
      if (sym !== undefined) return this.bind(`${args[0]} ${sym} ${args[1]}`)
      if (op === 'neg') return this.bind(`-${args[0]}`)
      return this.bind(`${fnName(opCode[op])}(${args.join(', ')})`)
    },
  }
}

/** `const f0 = F[0], f1 = F[1], ...;`: binds every rule's number function for a kernel. */
export const functionPrelude = (): string =>
  `const ${rulesByCode.map((_, k) => `${fnName(k)} = F[${k}]`).join(', ')};`

/** The number functions, indexed by op code, to pass as `F` to a kernel factory. */
export const ruleFunctions: readonly ((a: number, b: number) => number)[] = rulesByCode.map((r) => r.fn)
