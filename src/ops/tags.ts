/**
 * The names of all primitives. The rule table (`table.ts`) must have exactly one entry for each
 * (`satisfies Record<OpTag, Rule>`), so a tag without a rule is a compile error.
 */
export const opTags = [
  // arith.ts
  'add', 'sub', 'mul', 'div', 'neg', 'pow', 'hypot', 'diffsq',
  // explog.ts
  'exp', 'log', 'sqrt', 'log1p', 'expm1', 'xlogy',
  // trig.ts
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2',
  // hyperbolic.ts
  'sinh', 'cosh', 'tanh',
  // piecewise.ts
  'relu', 'abs', 'sign', 'step', 'max', 'min', 'sigmoid', 'softplus',
  // special.ts
  'stop_gradient',
] as const

export type OpTag = (typeof opTags)[number]

const tagSet: ReadonlySet<string> = new Set(opTags)
export const isOpTag = (s: string): s is OpTag => tagSet.has(s)
