/**
 * `chainrule eval PROGRAM --at x=1,y=2`: the program's value (a list for a vector program).
 *
 * @example
 * // chainrule eval "(x+y)*z" --at x=-2,y=5,z=-4 --json
 * // {"value":-12}
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { evaluate } from '../../forward/index.js';
import { evalFailure } from '../errors.js';
import { num, renderTable, valueLine } from '../table.js';
import { messages, outputLabels } from './shared.js';
import { tensorEvalCommand } from './tensor.js';
export const evalCommand = {
    name: 'eval',
    summary: 'evaluate the program at a point',
    options: ['at'],
    run: (input) => input.tensor ? tensorEvalCommand(input) :
        pipe(evaluate(input.program, input.point), E.mapLeft(evalFailure), E.map((r) => {
            const labels = outputLabels(input.program);
            return {
                json: { value: input.program.vector ? r.values.slice() : r.values[0] },
                text: input.program.vector
                    ? renderTable(['output', 'value'], r.values.map((v, i) => [labels[i], num(v)]), ['left', 'right'])
                    : valueLine(labels[0], r.values[0]),
                warnings: messages(r.warnings),
            };
        })),
};
