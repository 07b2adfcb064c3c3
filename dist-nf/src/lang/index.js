/**
 * The program language: text to a `Program` (see `parser.ts` for the grammar), with errors as
 * values. Printing the other way is `printExpr` / `printProgram` in `src/ops/print.ts`.
 *
 * @example
 * import { parse, formatParseError } from 'chainrule'
 * const r = parse('y = (x + 1')
 * if (r._tag === 'Left') {
 *   formatParseError(r.left).split('\n')
 *   // → ["parse error at line 1, column 5: expected ')' to close this '('",
 *   //    '  y = (x + 1',
 *   //    '      ^']
 * }
 */
export { parse } from './parser.js';
export { formatParseError } from './errors.js';
