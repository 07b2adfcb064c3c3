/**
 * `chainrule hvp PROGRAM --at ... --v x=1,y=0 [--wrt ...]`: the Hessian-vector product H·v of a
 * scalar program by forward-over-reverse (one jvp sweep, one reverse sweep over dual numbers),
 * with the gradient that comes from the same sweep.
 *
 * @example
 * // chainrule hvp "(x+y)*z" --at x=-2,y=5,z=-4 --v x=1,y=0,z=-2 --json
 * // {"value":-12,"hvp":{"x":-2,"y":-2,"z":1},"gradient":{"x":-4,"y":-4,"z":3}}
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { hvp } from '../../hvp/index.js';
import { evalFailure, usage } from '../errors.js';
import { jsonObject } from '../json.js';
import { num, renderTable, valueLine } from '../table.js';
import { messages, outputLabels, requireScalar } from './shared.js';
import { tensorHvpCommand } from './tensor.js';
export const hvpCommand = {
    name: 'hvp',
    summary: 'Hessian-vector product H·v of a scalar program (forward-over-reverse)',
    options: ['at', 'v', 'wrt'],
    run: (input) => input.tensor ? tensorHvpCommand(input) :
        pipe(requireScalar(input.program, 'hvp'), E.chain((program) => {
            const v = input.v;
            if (v === undefined)
                return E.left(usage('hvp needs a direction: --v x=1,y=0 (absent variables are 0)'));
            return pipe(hvp(program, input.point, v, { wrt: input.wrt }), E.mapLeft(evalFailure));
        }), E.map((r) => {
            const label = outputLabels(input.program)[0];
            const v = input.v ?? {};
            const direction = (name) => (Object.prototype.hasOwnProperty.call(v, name) ? v[name] : 0);
            const rows = r.wrt.map((name) => [name, num(direction(name)), num(r.gradient[name]), num(r.hvp[name])]);
            return {
                json: {
                    value: r.value,
                    hvp: jsonObject(r.wrt.map((name) => [name, r.hvp[name]])),
                    gradient: jsonObject(r.wrt.map((name) => [name, r.gradient[name]])),
                },
                text: [
                    valueLine(label, r.value),
                    '',
                    r.wrt.length === 0
                        ? '(no variables to differentiate with respect to)'
                        : renderTable(['variable', 'v', 'gradient', 'H·v'], rows, ['left', 'right', 'right', 'right']),
                ].join('\n'),
                warnings: messages(r.warnings),
            };
        })),
};
