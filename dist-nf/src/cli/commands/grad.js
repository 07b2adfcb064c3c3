/**
 * `chainrule grad PROGRAM --at ... [--wrt x,y]`: value and gradient of a scalar program, by one
 * reverse sweep (back-propagation).
 *
 * @example
 * // chainrule grad "(x+y)*z" --at x=-2,y=5,z=-4 --json
 * // {"value":-12,"gradient":{"x":-4,"y":-4,"z":3}}
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { grad } from '../../reverse/index.js';
import { evalFailure } from '../errors.js';
import { jsonObject } from '../json.js';
import { num, renderTable, valueLine } from '../table.js';
import { messages, outputLabels, requireScalar } from './shared.js';
import { tensorGradCommand } from './tensor.js';
export const gradCommand = {
    name: 'grad',
    summary: 'value and gradient of a scalar program (reverse mode)',
    options: ['at', 'wrt'],
    run: (input) => input.tensor ? tensorGradCommand(input) : pipe(requireScalar(input.program, 'grad'), E.chain((program) => pipe(grad(program, input.point, input.wrt), E.mapLeft(evalFailure))), E.map((r) => {
        const label = outputLabels(input.program)[0];
        const rows = r.wrt.map((name) => [name, num(r.gradient[name])]);
        return {
            json: { value: r.value, gradient: jsonObject(r.wrt.map((name) => [name, r.gradient[name]])) },
            text: [
                valueLine(label, r.value),
                '',
                r.wrt.length === 0 ? '(no variables to differentiate with respect to)' : renderTable(['variable', 'gradient'], rows, ['left', 'right']),
            ].join('\n'),
            warnings: messages(r.warnings),
        };
    })),
};
