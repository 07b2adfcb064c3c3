/**
 * The commands on tensor programs (a tensor in `--at`, or tensor operations in the program):
 * values and gradients as nested arrays of each variable's shape, Jacobians and Hessians over the
 * entries flattened in row-major order with the shapes alongside. The text form shows shapes.
 *
 * @example
 * // chainrule grad "sum(X @ w)" --at '{"X": [[1,2],[3,4]], "w": [0.5,-1]}' --json
 * // {"value":-2.5,"gradient":{"X":[[0.5,-1],[0.5,-1]],"w":[4,6]}}
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { toNested } from '../../ops/tensor/array.js';
import { showShape } from '../../ops/tensor/shape.js';
import { tensorEvaluate } from '../../forward/tensor.js';
import { tensorGrad } from '../../reverse/tensor.js';
import { tensorJacobian } from '../../jacobian/tensor.js';
import { tensorHessian, tensorHvp } from '../../hvp/tensor.js';
import { evalFailure, usage } from '../errors.js';
import { jsonObject } from '../json.js';
import { num, renderTable } from '../table.js';
import { messages, outputLabels } from './shared.js';
/**
 * `--wrt`, or undefined when it was not given: then the library's default for tensor programs,
 * every variable but the labels and indices (data that have no derivative).
 */
const wrtOf = (input) => (input.wrt === input.program.variables ? undefined : input.wrt);
/** `wrtOf` as the options field the library takes. */
const wrtOption = (input) => (input.wrt === input.program.variables ? {} : { wrt: input.wrt });
/** A tensor as JSON: a number for a scalar, nested arrays otherwise. */
const nested = (t) => toNested(t);
/** `X [2,3] = [[1,2,3],[4,5,6]]` (long values cut: --json has them all). */
function tensorLine(label, t) {
    const body = t.shape.length === 0 ? num(t.data[0]) : nestedText(toNested(t));
    const shown = body.length > 400 ? `${body.slice(0, 399)}… (use --json for all ${t.data.length} entries)` : body;
    return `${label}${t.shape.length === 0 ? '' : ` ${showShape(t.shape)}`} = ${shown}`;
}
/** Nested arrays as text, numbers as `num` writes them (Infinity and NaN by name, as in the scalar tables). */
const nestedText = (x) => (Array.isArray(x) ? `[${x.map(nestedText).join(',')}]` : num(x));
const shapesJson = (shapes) => jsonObject(Object.entries(shapes).map(([k, s]) => [k, s.slice()]));
/** The rows of a row-major matrix as JSON. */
const rowsOf = (m, rows, cols) => Array.from({ length: rows }, (_, i) => Array.from(m.subarray(i * cols, (i + 1) * cols)));
function scalarOutput(input, command) {
    const [out] = input.program.outputs;
    if (input.program.outputs.length === 1 && !input.program.vector && out !== undefined && out.shape.length === 0)
        return E.right(undefined);
    const what = input.program.outputs.length === 1 && out !== undefined ? `an output of shape ${showShape(out.shape)}` : `${input.program.outputs.length} outputs`;
    return E.left(usage(`${command} needs a program with one scalar output, but this one has ${what} (use jacobian, or sum(...) for a scalar loss)`));
}
export function tensorEvalCommand(input) {
    return pipe(tensorEvaluate(input.program, input.tensorPoint), E.mapLeft(evalFailure), E.map((r) => {
        const labels = outputLabels(input.program);
        return {
            json: { value: input.program.vector ? r.values.map(nested) : nested(r.values[0]) },
            text: r.values.map((v, i) => tensorLine(labels[i], v)).join('\n'),
            warnings: messages(r.warnings),
        };
    }));
}
export function tensorGradCommand(input) {
    return pipe(scalarOutput(input, 'grad'), E.chain(() => pipe(tensorGrad(input.program, input.tensorPoint, wrtOf(input)), E.mapLeft(evalFailure))), E.map((r) => ({
        json: { value: r.value.data[0], gradient: jsonObject(r.wrt.map((name) => [name, nested(r.gradient[name])])) },
        text: [tensorLine(outputLabels(input.program)[0], r.value), '', 'gradient:', ...r.wrt.map((name) => tensorLine(`  ${name}`, r.gradient[name]))].join('\n'),
        warnings: messages(r.warnings),
    })));
}
export function tensorJacobianCommand(input, mode) {
    return pipe(tensorJacobian(input.program, input.tensorPoint, { ...wrtOption(input), mode }), E.mapLeft(evalFailure), E.map((r) => {
        const matrix = rowsOf(r.jacobian, r.rows, r.cols);
        const sweeps = r.mode === 'forward' ? r.cols : r.rows;
        const fields = [
            ['value', Array.from(r.value)],
            ['jacobian', matrix],
            ['mode', r.mode],
            ['wrt', r.wrt.slice()],
            ['shapes', shapesJson(r.shapes)],
            ['outputShapes', r.outputShapes.map((s) => s.slice())],
            ['sweeps', sweeps],
        ];
        const columns = r.wrt.flatMap((name) => entryLabels(name, r.shapes[name]));
        const shown = Math.min(r.cols, 12);
        const body = matrix.slice(0, 40).map((row, i) => [`[${i}]`, num(r.value[i]), ...row.slice(0, shown).map(num)]);
        const text = [
            `Jacobian (${r.rows}×${r.cols}, inputs and outputs flattened row-major; output shapes ${r.outputShapes.map(showShape).join(', ')}; ${r.wrt.map((n) => `${n} ${showShape(r.shapes[n])}`).join(', ')}): ${r.mode} mode, ${sweeps} sweeps`,
            '',
            renderTable(['output', 'value', ...columns.slice(0, shown)], body, ['left', ...Array(shown + 1).fill('right')]),
        ];
        if (r.rows > 40 || r.cols > shown)
            text.push(`(showing ${Math.min(r.rows, 40)} of ${r.rows} rows and ${shown} of ${r.cols} columns; use --json for all)`);
        return { json: jsonObject(fields), text: text.join('\n'), warnings: messages(r.warnings) };
    }));
}
/** `X[0,1]`, ... for the entries of a variable of `shape`, row-major. */
function entryLabels(name, shape) {
    if (shape.length === 0)
        return [name];
    const out = [];
    const index = shape.map(() => 0);
    const n = shape.reduce((a, b) => a * b, 1);
    for (let e = 0; e < n; e++) {
        out.push(`${name}[${index.join(',')}]`);
        for (let k = shape.length - 1; k >= 0 && ++index[k] === shape[k]; k--)
            index[k] = 0;
    }
    return out;
}
export function tensorHvpCommand(input) {
    if (input.tensorV === undefined)
        return E.left(usage('hvp needs a direction: --v x=1,y=0 or --v \'{"X": [[1,0],[0,1]]}\''));
    const v = input.tensorV;
    return pipe(scalarOutput(input, 'hvp'), E.chain(() => pipe(tensorHvp(input.program, input.tensorPoint, v, wrtOption(input)), E.mapLeft(evalFailure))), E.map((r) => ({
        json: {
            value: r.value.data[0],
            hvp: jsonObject(r.wrt.map((name) => [name, nested(r.hvp[name])])),
            gradient: jsonObject(r.wrt.map((name) => [name, nested(r.gradient[name])])),
        },
        text: [tensorLine(outputLabels(input.program)[0], r.value), '', 'H·v:', ...r.wrt.map((name) => tensorLine(`  ${name}`, r.hvp[name]))].join('\n'),
        warnings: messages(r.warnings),
    })));
}
/** Larger Hessians are refused: n Hessian-vector products and n² numbers of output. */
const hessianLimit = 2000;
export function tensorHessianCommand(input) {
    return pipe(scalarOutput(input, 'hessian'), E.chain(() => pipe(tensorHessian(input.program, input.tensorPoint, wrtOption(input)), E.mapLeft(evalFailure))), E.chain((r) => (r.size > hessianLimit ? E.left(usage(`the Hessian over ${r.size} entries is too large to print (at most ${hessianLimit}); use hvp`)) : E.right(r))), E.map((r) => ({
        json: { value: r.value.data[0], hessian: rowsOf(r.hessian, r.size, r.size), wrt: r.wrt.slice(), shapes: shapesJson(r.shapes), sweeps: r.size },
        text: [
            tensorLine(outputLabels(input.program)[0], r.value),
            '',
            `Hessian (${r.size}×${r.size} over ${r.wrt.map((n) => `${n} ${showShape(r.shapes[n])}`).join(', ')}, flattened row-major; ${r.size} Hessian-vector products)`,
            renderTable(null, rowsOf(r.hessian, r.size, r.size).slice(0, 40).map((row) => row.slice(0, 12).map(num)), Array(Math.min(r.size, 12)).fill('right')),
        ].join('\n'),
        warnings: messages(r.warnings),
    })));
}
