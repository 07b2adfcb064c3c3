/**
 * THE derivative table: every primitive, declared once. Forward mode, reverse mode, the symbolic
 * derivative and the compiled sweeps all read this table and nothing else.
 *
 * To add a primitive: add its tag to `tags.ts` and its rule to one of the family files; the
 * compiler insists on both, and the property tests pick it up by iterating over `table`.
 */
import { arith } from './arith.js';
import { explog } from './explog.js';
import { hyperbolic } from './hyperbolic.js';
import { piecewise } from './piecewise.js';
import { special } from './special.js';
import { appendOpTag, opTags } from './tags.js';
import { trig } from './trig.js';
export const table = {
    ...arith,
    ...explog,
    ...trig,
    ...hyperbolic,
    ...piecewise,
    ...special,
};
const noExtraRules = true;
void noExtraRules;
/** The rule for `op`. */
export const ruleOf = (op) => table[op];
/** Dense integer codes for the compiled sweeps: `opCode[op]` indexes `opTags`. */
export const opCode = Object.fromEntries(opTags.map((t, i) => [t, i]));
/** Rules by integer code. */
export const rulesByCode = opTags.map((t) => table[t]);
/**
 * Adds the rule of a primitive registered at run time (`defineOp`): the table, `opCode` and
 * `rulesByCode` find it like any other (the language does not: it parses the table's names only).
 */
export function appendRule(name, rule) {
    const code = appendOpTag(name);
    table[name] = rule;
    opCode[name] = code;
    rulesByCode.push(rule);
    sumSignByCode.push(rule.sum?.right ?? 0);
    return code;
}
/**
 * Per op code: the sign of a sum's right operand (1 for a + b, −1 for a − b: `Rule.sum`), 0 for
 * every op that is not a sum. For loops over a tape's op codes.
 */
export const sumSignByCode = rulesByCode.map((r) => r.sum?.right ?? 0);
/** Language function names (`sin`, `max`, `stop_gradient`, ...) to tags. */
export const callNames = new Map(opTags.flatMap((t) => {
    const s = table[t].syntax;
    return s._tag === 'call' ? [[s.name, t]] : [];
}));
