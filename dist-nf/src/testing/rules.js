import { table } from '../ops/table.js';
import { isOpTag, opTags } from '../ops/tags.js';
/** The rule of the scalar operation `op`, or undefined when there is none. */
export const ruleNamed = (op) => (isOpTag(op) ? table[op] : undefined);
/** Every scalar operation's name. */
export const scalarOps = () => opTags;
