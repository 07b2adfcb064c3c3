/**
 * The arguments of a traced function: their shapes (a scalar, an array of scalars, nested arrays,
 * a record of these), the variable names they get, and values given in the same structure.
 *
 * A shape is written like a node's shape: `[]` is a scalar, `[n]` an array of n scalars, `[n, m]`
 * an array of n arrays of m, and a record `{ w: [3], b: [] }` an object with those fields. An
 * argument's variables are named from its base name: a scalar is the name itself, element i of an
 * array appends i (`xs0`, `xs1`, …, after a `_` when the name ends in a digit: `W0_1`), field k of
 * a record appends `_k` (a record without a base name, the default, names its fields `k`). The
 * names sort in natural order, so `xs2` comes before `xs10`, as in a JavaScript array.
 *
 * @example
 * import { trace, pointOf, argsOf, grad, add, mul, sum, orThrow } from 'chainrule'
 * // Σᵢ w[i mod 2]·xᵢ + b: a record { w, b } and an array xs
 * const t = orThrow(trace(({ w, b }, xs) => add(sum(xs.map((x, i) => mul(w[i % 2]!, x))), b), { args: [{ w: [2], b: [] }, [3]] }))
 * t.args                                          // → [{ w: ['w0', 'w1'], b: 'b' }, ['x0', 'x1', 'x2']]
 * const point = pointOf(t, { w: [1, 2], b: 0.5 }, [3, 4, 5])
 * point                                           // → { w0: 1, w1: 2, b: 0.5, x0: 3, x1: 4, x2: 5 }
 * argsOf(t, orThrow(grad(t, point)).gradient)     // → [{ w: [8, 4], b: 1 }, [1, 2, 1]]
 */
import { variable } from '../expr/node.js';
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words the program language reads as constants, not variables. */
const reserved = new Set(['pi', 'e']);
/** Why `name` cannot be a variable of the program language, or undefined. */
export function badName(name) {
    if (!identifier.test(name))
        return `'${name}' is not a name of the program language (a letter or _, then letters, digits or _)`;
    if (reserved.has(name))
        return `'${name}' is a constant of the program language`;
    return undefined;
}
const isDigit = (c) => c >= 48 && c <= 57;
const indexed = (base, i) => (base.length > 0 && isDigit(base.charCodeAt(base.length - 1)) ? `${base}_${i}` : `${base}${i}`);
const field = (base, key) => (base === '' ? key : `${base}_${key}`);
const isRecord = (s) => typeof s === 'object' && s !== null && !Array.isArray(s);
/** What is wrong with `shape`, or undefined (a shape is walked to its nesting depth, not a graph's). */
export function badShape(shape, where) {
    if (Array.isArray(shape)) {
        const bad = shape.find((d) => !(typeof d === 'number' && Number.isInteger(d) && d >= 0));
        return bad === undefined ? undefined : `the shape of ${where} has ${typeof bad === 'number' ? bad : typeof bad} where a length (an integer ≥ 0) belongs`;
    }
    if (typeof shape !== 'object' || shape === null)
        return `the shape of ${where} is ${shape === null ? 'null' : typeof shape}: give [] for a scalar, [n] for an array, or a record of shapes`;
    for (const [key, s] of Object.entries(shape)) {
        const wrong = badShape(s, `${where}.${key}`);
        if (wrong !== undefined)
            return wrong;
    }
    return undefined;
}
/** The names of an argument of shape `shape` named `base` (frozen), each pushed onto `all`. */
export function namesOf(shape, base, all) {
    if (isRecord(shape))
        return Object.freeze(Object.fromEntries(Object.entries(shape).map(([key, s]) => [key, namesOf(s, field(base, key), all)])));
    const dims = shape;
    const level = (name, d) => {
        if (d === dims.length) {
            all.push(name);
            return name;
        }
        return Object.freeze(Array.from({ length: dims[d] }, (_, i) => level(indexed(name, i), d + 1)));
    };
    return level(base, 0);
}
/** The traced values of an argument: its variables in the structure of its names. */
export function nodesOf(names) {
    if (typeof names === 'string')
        return variable(names);
    if (Array.isArray(names))
        return names.map(nodesOf);
    return Object.fromEntries(Object.entries(names).map(([key, n]) => [key, nodesOf(n)]));
}
// -------------------------------------------------------------------------------------------------
// Values in the structure of the arguments
// -------------------------------------------------------------------------------------------------
/** The values `value` gives each name of `names`, into `point`; a mismatch throws a RangeError naming where. */
export function bind(names, value, where, point) {
    if (typeof names === 'string') {
        if (typeof value !== 'number')
            throw new RangeError(`${where} should be a number, got ${Array.isArray(value) ? 'an array' : typeof value}`);
        // `__proto__` must be defined, or assigning it would set the prototype.
        Object.defineProperty(point, names, { value, enumerable: true, writable: true, configurable: true });
        return;
    }
    if (Array.isArray(names)) {
        if (!Array.isArray(value) && !ArrayBuffer.isView(value))
            throw new RangeError(`${where} should be an array of ${names.length}, got ${value === null ? 'null' : typeof value}`);
        const values = value;
        if (values.length !== names.length)
            throw new RangeError(`${where} should have ${names.length} entries, got ${values.length}`);
        names.forEach((n, i) => bind(n, values[i], `${where}[${i}]`, point));
        return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new RangeError(`${where} should be a record with ${Object.keys(names).join(', ')}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
    for (const [key, n] of Object.entries(names)) {
        if (!Object.prototype.hasOwnProperty.call(value, key))
            throw new RangeError(`${where} has no field ${key}`);
        bind(n, value[key], `${where}.${key}`, point);
    }
}
/** The values of `record` in the structure of `names`; absent names are 0 (as in `vectorOf`). */
export function unbind(names, record) {
    if (typeof names === 'string') {
        const v = Object.prototype.hasOwnProperty.call(record, names) ? record[names] : undefined;
        return typeof v === 'number' ? v : 0;
    }
    if (Array.isArray(names))
        return names.map((n) => unbind(n, record));
    return Object.fromEntries(Object.entries(names).map(([key, n]) => [key, unbind(n, record)]));
}
