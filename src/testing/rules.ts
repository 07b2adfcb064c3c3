/**
 * The scalar rules the testing kit samples and checks, by name: the table's primitives (and,
 * through `ruleOf`, operations registered at run time).
 *
 * @example
 * ruleNamed('sin')?.arity   // 1
 * ruleNamed('matmul')       // undefined: a tensor operation
 */
import type { Rule } from '../ops/rule.js'
import { table } from '../ops/table.js'
import { isOpTag, opTags } from '../ops/tags.js'

/** The rule of the scalar operation `op`, or undefined when there is none. */
export const ruleNamed = (op: string): Rule | undefined => (isOpTag(op) ? table[op] : undefined)

/** Every scalar operation's name. */
export const scalarOps = (): readonly string[] => opTags
