/**
 * Forward mode on tensor programs: the value sweep, and tensor dual numbers (each node's value
 * with its tangent, a tensor of the same shape), pushed forward by the tensor rules' `jvp`.
 *
 * @example
 * import { variable, matmul, program, tensorEvaluate, tensorJvp, toNested, orThrow } from 'chainrule'
 * const A = variable('A', [2, 2]), x = variable('x', [2])
 * const p = program([matmul(A, x)])
 * const point = { A: [[1, 2], [3, 4]], x: [1, 1] }
 * toNested(orThrow(tensorEvaluate(p, point)).values[0]!)            // → [3, 7]
 * toNested(orThrow(tensorJvp(p, point, { x: [1, 0] })).tangents[0]!)   // → [1, 3]
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { sizeOf } from '../ops/tensor/shape.js';
import { jvpAt } from '../ops/tensor/step.js';
import { tensorMathOf, tensors } from '../ops/tensor/systems.js';
import { filled, loadTensorPoint, tensorSweep } from '../tape/tensor.js';
/** The value of every output of a tensor program at `point`. */
export function tensorEvaluate(program, point) {
    return pipe(tensorSweep(program, point), E.map(({ tape, values, warnings }) => ({ values: tape.outputs.map((k) => values[k]), warnings })));
}
/**
 * The tangent of every node for the tangents `dots` of some nodes (by slot; the others are zero),
 * in any tensor number system: tensors of numbers here, nodes for symbolic derivatives. Null
 * where the tangent is zero.
 */
export function pushforward(t, tape, values, dots) {
    const tangents = [];
    for (let i = 0; i < tape.nodes.length; i++) {
        const s = tape.steps[i];
        if (s === undefined) {
            tangents.push(dots.get(i) ?? null);
            continue;
        }
        const args = tape.args[i];
        const d = args.map((k) => tangents[k] ?? null);
        tangents.push(d.every((x) => x === null) ? null : jvpAt(t, s, args.map((k) => values[k]), d, values[i]));
    }
    return tangents;
}
/**
 * J·u for a tensor program: the value of each output and its tangent, for tangents `tangent` of
 * some variables (by name; a variable left out has tangent zero).
 */
export function tensorJvp(program, point, tangent) {
    return pipe(tensorSweep(program, point), E.chain(({ tape, values, warnings }) => pipe(loadTensorPoint(tape, tangent, program, 'tangent'), E.map((dots) => {
        const tangents = pushforward(tensorMathOf(tensors), tape, values, dots);
        return {
            values: tape.outputs.map((k) => values[k]),
            tangents: tape.outputs.map((k) => filled(tangents[k] ?? null, values[k])),
            warnings,
        };
    }))));
}
/**
 * Unit vector j over the entries of the tensors at `slots` (of `shapes`), flattened in order, as
 * tangents (or adjoints) by slot. A slot of −1 is a variable the tape does not have: its entries
 * count, and seeding one seeds nothing.
 */
export function unitSeed(slots, shapes, j) {
    let k = 0;
    while (j >= sizeOf(shapes[k]))
        j -= sizeOf(shapes[k++]);
    if (slots[k] < 0)
        return new Map();
    const data = new Float64Array(sizeOf(shapes[k]));
    data[j] = 1;
    return new Map([[slots[k], { shape: shapes[k], data }]]);
}
/**
 * The Jacobian of the tape's outputs (flattened and concatenated: `rows` entries) with respect to
 * the entries of the tensors at `slots` (of `shapes`), one forward sweep per column, row-major.
 */
export function jacobianColumns(tape, values, slots, shapes, rows) {
    const t = tensorMathOf(tensors);
    const cols = shapes.reduce((n, s) => n + sizeOf(s), 0);
    const out = new Float64Array(rows * cols);
    for (let j = 0; j < cols; j++) {
        const seed = unitSeed(slots, shapes, j);
        if (seed.size === 0)
            continue;
        const tangents = pushforward(t, tape, values, seed);
        let i = 0;
        for (const k of tape.outputs) {
            const d = tangents[k];
            const n = values[k].data.length;
            // A tangent may be a scalar standing for its broadcast (a constant's output).
            if (d !== null && d !== undefined)
                for (let e = 0; e < n; e++)
                    out[(i + e) * cols + j] = d.data.length === 1 ? d.data[0] : d.data[e];
            i += n;
        }
    }
    return out;
}
