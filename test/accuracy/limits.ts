/**
 * The known limits of the accuracy sweep: where an engine is not within the tolerance of the
 * reference and we know why. Each one is listed here with its reason, shown by
 * `npm run accuracy` and in docs/accuracy.md, and is the only way a point escapes the test. A
 * limit covers one op (or all), some engines, one order, and a precise condition on the point.
 *
 * Everything else in the table is within relative 1e-13 (absolute 2.2e-321 for subnormal truths),
 * or non-finite with a warning where the value or a neighbouring entry overflows.
 */
const MIN_NORMAL = 2.2250738585072014e-308

export interface Limit {
  /** A table tag, or '*' for every op. */
  readonly op: string
  /** Engine names (see engines.ts). */
  readonly engines: readonly string[]
  readonly order: 1 | 2
  /** The points it covers: the arguments and the true value of the quantity. */
  readonly where: (args: readonly number[], truth: number) => boolean
  readonly reason: string
}

const magnitudes = (args: readonly number[]): number[] => args.map(Math.abs).filter((a) => a !== 0)

export const limits: readonly Limit[] = [
  {
    op: '*',
    engines: ['gradExpr2'],
    order: 2,
    where: (args, truth) => Math.abs(truth) < 1e-250 || magnitudes(args).some((a) => a > 1e100 || a < 1e-100),
    reason:
      'symbolic second derivatives in the tails: gradExpr twice is reverse mode over the first derivative’s expression, whose intermediate adjoints (∂f′/∂u for an inner u) leave the double range where f″ does not, and a symbolic program is evaluated with IEEE arithmetic (0·∞ = NaN, reported as a non-finite value). hessian and hvp (forward-over-reverse with the zero convention) are right there.',
  },
  {
    op: 'hypot',
    engines: ['hessian', 'dual2', 'gradExpr2'],
    order: 2,
    where: (args) => {
      const [a, b] = args.map(Math.abs)
      // (a/b)²·2^-52 passes 1e-13 relative from a ratio of about 30 (the session 9 audit: 1.7e-12 at
      // 100, 2e-11 at 1000, 7.8e-5 at 1e6), though the error stays a few ulps of 1/h.
      return Math.max(a, b) > 30 * Math.min(a, b) || Math.hypot(a, b) === Infinity || Math.max(a, b) < MIN_NORMAL
    },
    reason:
      'hypot’s second partials b²/h³, −ab/h³, a²/h³ come out of differentiating a/h as (1 − (a/h)²)/h, which cancels where |a| ≫ |b| (absolute error a few ulps of 1/h), or go through a² and b² where they under- or overflow.',
  },
  {
    op: 'hypot',
    engines: ['jvp', 'grad', 'dual', 'gradExpr'],
    order: 1,
    where: (args) => args.every((a) => Math.abs(a) < MIN_NORMAL) || Math.hypot(args[0], args[1]) === Infinity,
    reason: 'hypot of subnormal arguments is itself subnormal (a/h then has the few bits of h), and past 1.27e308 it overflows (reported).',
  },
  {
    op: 'atan2',
    engines: ['jvp', 'grad', 'dual', 'gradExpr'],
    order: 1,
    where: (args) => Math.hypot(args[0], args[1]) === Infinity,
    reason: 'atan2’s partials (x/r)/r need r = hypot(x, y), which overflows where |x| and |y| are both near the largest double; the true partials there are subnormal (≈ 3e-309) and come out 0.',
  },
  {
    op: 'atan2',
    engines: ['hessian', 'dual2', 'gradExpr2'],
    order: 2,
    where: ([y, x]) => Math.abs(Math.abs(y) - Math.abs(x)) < 1e-2 * Math.hypot(x, y) || Math.hypot(x, y) === Infinity || Math.hypot(x, y) < 1e-150,
    reason:
      'atan2’s mixed second partial (y² − x²)/r⁴ comes out of differentiating (x/r)/r, which cancels where |x| ≈ |y| (absolute error a few ulps of 1/r², as in JAX and PyTorch, whose rules are the same); r² leaves the double range for r beyond 1e154 or below 1e-154.',
  },
  {
    op: 'pow',
    engines: ['jvp', 'grad', 'dual', 'gradExpr', 'hessian', 'dual2', 'gradExpr2'],
    order: 1,
    where: (args) => powEdge(args),
    reason:
      'pow’s ∂a = b·a^(b−1) (the special case that keeps 0^b right) needs a^(b−1), which over- or underflows where b·a^(b−1) does not, for a subnormal a or an exponent within a few units of ±1074 (an overflow is reported).',
  },
  {
    op: 'pow',
    engines: ['hessian', 'dual2', 'gradExpr2'],
    order: 2,
    where: (args) => powEdge(args),
    reason: 'the same for the second partials b(b−1)a^(b−2) and a^(b−1)(1 + b·log a), and where the value a^b itself underflows (∂b = a^b·log a is formed from it).',
  },
]

function powEdge([a, b]: readonly number[]): boolean {
  const inner = Math.pow(a, b - 1)
  const normal = (x: number): boolean => Number.isFinite(x) && Math.abs(x) >= MIN_NORMAL
  return a < MIN_NORMAL || !normal(inner) || !normal(Math.pow(a, b - 2)) || !normal(Math.pow(a, b))
}

/** The limit that covers `engine` on `op` at order `order` at this point, if any. */
export function limitOf(op: string, engine: string, order: number, args: readonly number[], truth: number): Limit | undefined {
  return limits.find((l) => (l.op === '*' || l.op === op) && l.order === order && l.engines.includes(engine) && l.where(args, truth))
}
