/**
 * Helpers shared by the commands: refusing vector programs where a scalar is needed, labels for
 * outputs, warning messages.
 *
 * @example
 * requireScalar(parsed('[x, y]'), 'grad')  // left(usage('grad needs a program with one output, ...'))
 * outputLabels(parsed('f = x*y'))          // ['f']
 */
import * as E from 'fp-ts/lib/Either.js';
import { usage } from '../errors.js';
/** The program itself when its output is one scalar; an error naming the command otherwise. */
export function requireScalar(program, command) {
    if (!program.vector && program.outputs.length === 1)
        return E.right(program);
    const m = program.outputs.length;
    return E.left(usage(`${command} needs a program with one scalar output, but this one's output is a list of ${m} (use jacobian for vector programs)`));
}
/** One label per output: the name a statement gave it, else `value` (scalar) or `[i]` (vector). */
export function outputLabels(program) {
    return program.outputs.map((node, i) => {
        const name = program.names.get(node);
        if (name !== undefined)
            return program.vector ? `[${i}] ${name}` : name;
        return program.vector ? `[${i}]` : 'value';
    });
}
export const messages = (warnings) => warnings.map((w) => w.message);
