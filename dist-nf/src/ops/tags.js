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
];
const tagSet = new Set(opTags);
/**
 * True for the name of a scalar primitive: one of the table's, or one registered at run time with
 * `defineOp` (typed as an `OpTag`: every lookup by tag finds its rule).
 */
export const isOpTag = (s) => tagSet.has(s);
/**
 * Appends a primitive registered at run time (`defineOp`, ops/registry.ts): its code is the next
 * index of `opTags`; the codes of the table's own primitives never change.
 */
export function appendOpTag(name) {
    tagSet.add(name);
    return opTags.push(name) - 1;
}
