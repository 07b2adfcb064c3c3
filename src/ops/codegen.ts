/**
 * JavaScript source as a number system. Running a rule of the table over `Code` produces the
 * statements that compute it, so the compiled sweeps are generated from the same single table
 * as every other interpretation. It sits with the rules as one more number system beside
 * `numbers` (math.ts), `dualOf` (dual.ts) and `nodes` (build.ts); the kernels of the sweeps and
 * the compiler's templates are written with it, and this is the only file that compiles source.
 *
 * Safety: the only text that reaches generated code is written here: identifiers chosen by the
 * kernel templates, op codes, and numeric literals formatted by `literal` from a JavaScript number
 * (never from a string). No variable name or other user text is ever spliced into source.
 *
 * @example
 * const code = new Code()
 * const [dx] = partialsIn(code.num, 'tanh', ['x'], 'o')  // emits `const t0 = o * o; const t1 = 1 - t0;`
 * code.live([dx])                                         // the statements dx needs
 */
import type { Num, Rule } from './rule.js'
import { MIN_NORMAL, quotientProduct } from './math.js'
import { opCode, rulesByCode, table } from './table.js'
import type { OpTag } from './tags.js'

/** A numeric literal as JavaScript source. Only a number can come in, so only a number comes out. */
export function literal(c: number): string {
  if (typeof c !== 'number') throw new TypeError('not a number')
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

/**
 * The source of a test that `q` is a normal double (not 0, subnormal, infinite or NaN): two
 * comparisons, for the hot paths that fall back to `quotientProduct` only where it fails.
 */
export const normalTest = (q: string): string => `Math.abs(${q}) >= ${MIN_NORMAL} && Math.abs(${q}) <= ${Number.MAX_VALUE}`

/** A literal other than 0 and NaN: its product with a tangent needs no zero test. */
export const isNonzeroLiteral = (s: string): boolean => isLiteral(s) && literalValue(s) !== 0 && !Number.isNaN(literalValue(s))

/** Name of the hoisted function for op code k inside a kernel (bound by `functionPrelude`). */
export const fnName = (code: number): string => `f${code}`

/** `op(args)` as an expression, using JavaScript's operators where the table's syntax is one. */
function expression(op: OpTag, args: readonly string[]): string {
  const syntax = table[op].syntax
  switch (syntax._tag) {
    case 'infix':
      return syntax.symbol === '^' ? `${fnName(opCode[op])}(${args[0]}, ${args[1]})` : `${args[0]} ${syntax.symbol} ${args[1]}`
    case 'prefix':
      return `-${args[0]}`
    case 'call':
      return `${fnName(opCode[op])}(${args.join(', ')})`
  }
}

interface Line {
  readonly name: string
  readonly expr: string
}

/**
 * A builder of straight-line code. `num` applies primitives by emitting `const` temporaries
 * (common subexpressions shared), folds literal arithmetic, and drops the identities declared in
 * the table (`x·1`, `x + 0`). `live(roots)` returns only the statements the roots need, so the
 * partials of arguments nobody reads cost nothing.
 */
export class Code {
  private readonly entries: Line[] = []
  private readonly memo = new Map<string, string>()
  private next = 0
  private readonly own: RegExp

  /**
   * `careful`: every product of a partial and a tangent or adjoint is zero when either factor is
   * zero (0·∞ = 0, the convention of `numbers`), with run-time tests; otherwise products are plain
   * IEEE (the fast sweeps skip zero adjoints and tangents themselves, and where an infinite partial
   * meets a zero the NaN it makes sends the call to the careful sweeps).
   * `nonzero`: names the kernel has already tested to be non-zero (`gi` after `if (gi === 0)
   * continue`), so their products need no test.
   */
  constructor(
    private readonly prefix: string = 't',
    private readonly options: { readonly careful?: boolean; readonly nonzero?: readonly string[] } = {},
  ) {
    if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new RangeError('bad temporary prefix')
    this.own = new RegExp(`\\b${prefix}\\d+\\b`, 'g')
  }

  /** Every statement emitted so far, in order. */
  get lines(): string[] {
    return this.entries.map((l) => `const ${l.name} = ${l.expr};`)
  }

  /** The statements needed to compute the expressions `roots`, in order. */
  live(roots: readonly string[]): string[] {
    const needed = new Set<string>()
    const visit = (text: string): void => {
      for (const m of text.matchAll(this.own)) needed.add(m[0])
    }
    roots.forEach(visit)
    for (let i = this.entries.length - 1; i >= 0; i--) if (needed.has(this.entries[i].name)) visit(this.entries[i].expr)
    return this.entries.filter((l) => needed.has(l.name)).map((l) => `const ${l.name} = ${l.expr};`)
  }

  /** Emits `const tN = expr` (or reuses an equal one) and returns `tN`. */
  bind(expr: string): string {
    const hit = this.memo.get(expr)
    if (hit !== undefined) return hit
    const name = `${this.prefix}${this.next++}`
    this.entries.push({ name, expr })
    this.memo.set(expr, name)
    return name
  }

  private isLiteralValue(s: string, v: number): boolean {
    return isLiteral(s) && literalValue(s) === v
  }

  private isZeroLiteral(s: string): boolean {
    return this.isLiteralValue(s, 0)
  }

  /** A name or literal known to be non-zero at run time. */
  private knownNonzero(s: string): boolean {
    return isNonzeroLiteral(s) || this.options.nonzero?.includes(s) === true
  }

  /**
   * The run-time zero tests a product of a tangent or adjoint `t` and a partial factor `p` needs in
   * careful code: each factor unless it is known non-zero.
   */
  private zeroTests(t: string, p: string): string[] {
    // Fast code tests nothing: a zero times an infinite partial gives NaN there, the result is
    // not finite, and the evaluators redo the call with the careful sweeps (see `forward/kernels.ts`).
    if (this.options.careful !== true) return []
    const tests: string[] = []
    if (!this.knownNonzero(t)) tests.push(`${t} === 0`)
    if (!this.knownNonzero(p)) tests.push(`${p} === 0`)
    return tests
  }

  private guarded(expr: string, tests: readonly string[]): string {
    return tests.length === 0 ? expr : this.bind(`${tests.join(' || ')} ? 0 : ${expr}`)
  }

  readonly num: Num<string> = {
    constant: literal,
    isZero: (t) => isLiteral(t) && literalValue(t) === 0,
    // p·t; careful code gives 0 when either is zero (`zeroTests`).
    scale: (p, t) => {
      if (this.isZeroLiteral(t) || this.isZeroLiteral(p)) return literal(0)
      const product = this.num.apply('mul', [p, t])
      return this.guarded(product, this.zeroTests(t, p))
    },
    // t·num/den as (t / den)·num: the tangent is divided first (see `Quotient`).
    // Where that is not a normal double, `fq` tries the other orders (see `quotientProduct`).
    quotient: (num, den, t) => {
      if (this.isZeroLiteral(t) || this.isZeroLiteral(num)) return literal(0)
      if (this.isLiteralValue(t, 1)) return this.guarded(this.num.apply('div', [num, den]), this.zeroTests(t, num))
      // With num = ±1 there is one division and no other order; with a literal num of magnitude
      // in [1/4, 4] every order over- and underflows alike.
      const first = this.num.apply('mul', [this.num.apply('div', [t, den]), num])
      const single = isLiteral(num) && Math.abs(literalValue(num)) >= 0.25 && Math.abs(literalValue(num)) <= 4
      const q = single ? first : this.bind(`${normalTest(first)} ? ${first} : ${quotientFn}(${t}, ${num}, ${den})`)
      return this.guarded(q, this.zeroTests(t, num))
    },
    apply: (op, args) => {
      if (args.every(isLiteral)) return literal(table[op].fn(literalValue(args[0]), args.length > 1 ? literalValue(args[1]) : NaN))
      // Object.is, as the builders fold: x + 0 is not x at x = −0, x + (−0) is.
      const is = (s: string, v: number | undefined): boolean => v !== undefined && isLiteral(s) && Object.is(literalValue(s), v)
      const rule: Rule = table[op]
      if (args.length === 2 && is(args[1], rule.identity?.right)) return args[0]
      if (args.length === 2 && is(args[0], rule.identity?.left)) return args[1]
      // What the table declares, exact in IEEE arithmetic: a negation (x·(−1) is −x), a square
      // (x² is x·x), and a constant (x⁰ is 1 for every x, NaN included).
      if (args.length === 2 && is(args[0], rule.negation?.left)) return this.bind(`-${args[1]}`)
      if (args.length === 2 && is(args[1], rule.negation?.right)) return this.bind(`-${args[0]}`)
      if (rule.power === true && is(args[1], 2)) return this.bind(`${args[0]} * ${args[0]}`)
      const constant = rule.constantWhen
      if (constant !== undefined && is(args[1], constant.right)) return literal(constant.value)
      // Math.pow costs several times a product: squares and first powers known only at run time
      // get a branch (x² in a program, and 2·x¹ in its derivative).
      if (rule.power === true && !isLiteral(args[1])) {
        const [a, b] = args
        return this.bind(`${b} === 2 ? ${a} * ${a} : ${b} === 1 ? ${a} : ${expression(op, args)}`)
      }
      return this.bind(expression(op, args))
    },
  }
}

/** The name of `quotientProduct` inside a kernel (bound by `functionPrelude` after the rules). */
const quotientFn = 'fq'

/** `const f0 = F[0], f1 = F[1], ..., fq = F[n];`: binds every rule's number function for a kernel. */
export const functionPrelude = (): string => `const ${rulesByCode.map((_, k) => `${fnName(k)} = F[${k}]`).join(', ')}, ${quotientFn} = F[${rulesByCode.length}];`

/**
 * The number functions, indexed by op code, then `quotientProduct`: `F` of a kernel factory. Read
 * when a kernel is compiled, so that a primitive registered at run time (`defineOp`) is there:
 * generated code reaches a user's function only as `F[k]`, never as text.
 */
export const ruleFunctions = (): readonly ((...args: number[]) => number)[] => [...rulesByCode.map((r) => r.fn), quotientProduct]

/**
 * Compiles `function (params) { body }` with the rule functions in scope as `f0, f1, …`. The body
 * must be built from this module's pieces only (see the safety note at the top).
 */
export function compileFunction<K>(params: string, body: string): K {
  const source = `'use strict'; ${functionPrelude()} return function (${params}) { ${body} };`
  return new Function('F', source)(ruleFunctions()) as K
}
