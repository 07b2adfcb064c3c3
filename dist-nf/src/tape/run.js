/**
 * Running the compiled kernels on a tape at a point: the shared first step of every numeric
 * evaluator (load the point, forward sweep) and the warnings that go with it.
 */
import * as E from 'fp-ts/lib/Either.js';
import { allFinite, kinkWarnings, valueWarnings } from './diagnose.js';
import { getValueKernels } from './kernels.js';
import { loadPoint } from './point.js';
/** Values of every slot of `tape` at `point`, checked against `program` (one compiled forward sweep). */
export function forwardValues(tape, point, program) {
    return E.map((values) => {
        getValueKernels().forward(tape.op, tape.a0, tape.a1, values, tape.leaves, tape.size);
        return values;
    })(loadPoint(tape, point, program));
}
/** The output values of `tape`, read from a value array. */
export const outputValues = (tape, values) => Array.from(tape.outputs, (s) => values[s]);
/**
 * The warnings every evaluation owes: non-differentiable points met on active nodes, and, when any
 * value is not finite (even one the output absorbs, as exp(log 0) = 0), where such values arose.
 */
export function baseWarnings(program, tape, values) {
    const warnings = kinkWarnings(tape, values, program.names);
    if (!allFinite(values))
        warnings.push(...valueWarnings(tape, values, program.names));
    return warnings;
}
