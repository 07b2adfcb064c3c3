/**
 * Functions as programs. `trace(f)` calls a TypeScript function once with variable nodes for its
 * arguments and returns the program its result builds: a `Traced`, which is a `Program` (every
 * function that takes a program takes it) that also knows the names of its arguments' variables,
 * so that values can be given, and results read back, in the structure of the arguments
 * (`pointOf`, `argsOf`).
 *
 * The function builds its result with the toolkit's builders (`add`, `mul`, `sin`, `sum`, …; numbers
 * are lifted to constants). It runs once, on nodes, not on numbers: JavaScript arithmetic on a node
 * (`x * 2`, `Math.sin(x)`) gives NaN and is refused (a NaN constant in the result is an error),
 * `x + 1` joins text and the builders refuse it, and a comparison (`x > 0`) is false whatever x
 * will be, so a branch on it is taken once for all: write branches with `max`, `relu`, `abs`,
 * `step` or `sign`.
 *
 * @example
 * import { trace, grad, mul, add, sin, orThrow } from 'chainrule'
 * const f = orThrow(trace((x, y) => mul(add(x, y), sin(x))))   // scalars named x, y (then z)
 * orThrow(grad(f, { x: 1, y: 2 })).gradient                      // → { x: 2.4624, y: 0.8415 }
 *
 * @example
 * import { trace, compile, sum, mul, orThrow } from 'chainrule'
 * const sq = orThrow(trace((xs) => sum(xs.map((x) => mul(x, x))), { args: [[1000]], names: ['xs'] }))
 * const f = orThrow(compile(sq))
 * f.names.slice(0, 3)                                            // → ['xs0', 'xs1', 'xs2']
 * f.value(new Float64Array(1000).fill(2))                        // → 4000
 */
import * as E from 'fp-ts/lib/Either.js';
import { postOrder } from '../expr/graph.js';
import { program } from '../expr/program.js';
import { nodes } from '../ops/build.js';
import { badName, badShape, bind, namesOf, nodesOf, unbind } from './args.js';
const traceError = (reason, message, cause) => cause === undefined ? { _tag: 'TraceError', reason, message } : { _tag: 'TraceError', reason, message, cause };
// -------------------------------------------------------------------------------------------------
// Tracing
// -------------------------------------------------------------------------------------------------
const isRecordShape = (s) => typeof s === 'object' && s !== null && !Array.isArray(s);
/** The default names: '' for records; x, y, z for up to three other arguments, else x0, x1, …. */
function defaultNames(shapes) {
    const named = shapes.filter((s) => !isRecordShape(s)).length;
    let k = 0;
    return shapes.map((s) => (isRecordShape(s) ? '' : named <= 3 ? 'xyz'[k++] : `x${k++}`));
}
const isNode = (o) => {
    const tag = typeof o === 'object' && o !== null ? o._tag : undefined;
    return (tag === 'apply' || tag === 'var' || tag === 'const') && typeof o.id === 'number';
};
/** What `o` is, for a message. */
function describe(o) {
    if (typeof o === 'string')
        return `a string (${JSON.stringify(o.length > 40 ? `${o.slice(0, 40)}…` : o)}; JavaScript's + on a node joins text: use add)`;
    if (o === null || o === undefined)
        return String(o);
    if (Array.isArray(o))
        return 'an array';
    if (typeof o === 'object' && o._tag === 'program')
        return 'a Program (return its output nodes)';
    return typeof o === 'object' ? 'an object that is not a node' : `a ${typeof o}`;
}
/** The outputs of a result, or what is wrong with it. */
function outputsOf(result) {
    const one = (o, where) => {
        if (isNode(o))
            return E.right(o);
        if (typeof o === 'number')
            return E.right(nodes.constant(o));
        return E.left(traceError('output', `the function returned ${where}${describe(o)}, not a node or a number`));
    };
    if (!Array.isArray(result))
        return E.map((n) => ({ outputs: [n], vector: false }))(one(result, ''));
    if (result.length === 0)
        return E.left(traceError('output', 'the function returned an empty array: a program needs at least one output'));
    const outputs = [];
    for (let i = 0; i < result.length; i++) {
        const r = one(result[i], `an array whose entry ${i} is `);
        if (E.isLeft(r))
            return r;
        outputs.push(r.right);
    }
    return E.right({ outputs, vector: true });
}
/** A NaN constant among the ancestors of `outputs` (walked with an explicit stack), if any. */
function hasNaNConstant(outputs) {
    const seen = new Set();
    let found = false;
    postOrder(outputs, (n) => !found && !seen.has(n.id) && (seen.add(n.id), true), (n) => {
        if (n._tag === 'const' && Number.isNaN(n.value))
            found = true;
    });
    return found;
}
export function trace(f, options = {}) {
    const shapes = options.args ?? Array.from({ length: f.length }, () => []);
    if (!Array.isArray(shapes))
        return E.left(traceError('args', 'args should be an array with the shape of each argument'));
    for (let i = 0; i < shapes.length; i++) {
        const wrong = badShape(shapes[i], `argument ${i}`);
        if (wrong !== undefined)
            return E.left(traceError('args', wrong));
    }
    const bases = options.names ?? defaultNames(shapes);
    if (bases.length !== shapes.length)
        return E.left(traceError('names', `${bases.length} names for ${shapes.length} arguments`));
    const all = [];
    const args = shapes.map((s, i) => namesOf(s, bases[i] ?? '', all));
    const seen = new Set();
    for (const name of all) {
        const wrong = badName(name);
        if (wrong !== undefined)
            return E.left(traceError('names', `argument variable ${wrong}`));
        if (seen.has(name))
            return E.left(traceError('names', `two arguments' variables are both named '${name}'`));
        seen.add(name);
    }
    let result;
    try {
        result = f(...args.map(nodesOf));
    }
    catch (e) {
        return E.left(traceError('threw', `the function threw: ${e instanceof Error ? e.message : String(e)}`, e));
    }
    const out = outputsOf(result);
    if (E.isLeft(out))
        return out;
    const { outputs, vector } = out.right;
    if (hasNaNConstant(outputs)) {
        return E.left(traceError('nan', 'the result depends on a NaN constant: JavaScript arithmetic or Math on a node gives NaN (x * 2, Math.sin(x)); use the builders (mul(x, 2), sin(x))'));
    }
    const p = program(outputs, { vector });
    return E.right(Object.freeze({ ...p, args: Object.freeze(args) }));
}
// -------------------------------------------------------------------------------------------------
// Values in the structure of the arguments
// -------------------------------------------------------------------------------------------------
/**
 * The point that gives each argument variable of `t` its value, from values in the structure of
 * the arguments (as `f` was called: numbers for scalars, arrays or `Float64Array`s, records);
 * the result is what `grad`, `evaluate`, `vectorOf`… take. It holds the variables of the program
 * only (an argument the function does not use is checked, then left out). A value of the wrong
 * structure throws a RangeError naming where (`argument 1[3] should be a number`).
 */
export function pointOf(t, ...values) {
    const names = t.args;
    if (values.length !== names.length)
        throw new RangeError(`expected values for ${names.length} arguments, got ${values.length}`);
    const all = {};
    names.forEach((n, i) => bind(n, values[i], `argument ${i}`, all));
    const point = {};
    for (const name of t.variables) {
        if (Object.prototype.hasOwnProperty.call(all, name))
            Object.defineProperty(point, name, { value: all[name], enumerable: true, writable: true, configurable: true });
    }
    return point;
}
/**
 * The numbers of `record` (a gradient, a point, `recordOf(f.names, …)`) in the structure of the
 * arguments of `t`, one entry per argument: as JAX returns a gradient. Names the record does not
 * have are 0 (a variable the program does not use has a zero derivative).
 */
export function argsOf(t, record) {
    return t.args.map((n) => unbind(n, record));
}
