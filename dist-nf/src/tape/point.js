import * as E from 'fp-ts/lib/Either.js';
import { freeVariables } from '../expr/graph.js';
import { closest, constants } from '../expr/names.js';
/** The library's words for its arguments. */
export const argumentLabel = (argument) => {
    switch (argument) {
        case 'wrt':
            return 'wrt';
        case 'point':
            return 'the point';
        case 'tangent':
            return 'the tangent';
        case 'cotangent':
            return 'the cotangent';
        case 'direction':
            return 'v';
        case 'fixed':
            return 'fixed';
    }
};
/** True for the errors about one name (they carry `name` and `argument`). */
export function isNameError(e) {
    switch (e._tag) {
        case 'MissingVariable':
        case 'BadArgument':
        case 'ShapeError':
        case 'NotDifferentiable':
            return false;
        case 'UnknownName':
        case 'ConstantName':
        case 'AssignedName':
        case 'DuplicateName':
        case 'NotDifferentiated':
        case 'NotANumber':
            return true;
    }
}
export const missingVariable = (names, hint = '') => ({
    _tag: 'MissingVariable',
    names,
    message: (names.length === 1
        ? `no value given for variable '${names[0]}'`
        : `no values given for variables ${names.map((n) => `'${n}'`).join(', ')}`) + hint,
});
export const badArgument = (message) => ({ _tag: 'BadArgument', message });
/** The error, with its message in the library's words. */
export const nameError = (fields) => ({ ...fields, message: describeName(fields) });
/** At most `limit` names, quoted, then how many there are in all. */
function listed(names, limit = 6) {
    const shown = names.slice(0, limit).map((n) => `'${n}'`).join(', ');
    return names.length > limit ? `${shown}, … (${names.length} in all)` : shown;
}
/** The message for a name error, naming the argument as `label` does (the CLI passes its flags). */
export function describeName(e, label = argumentLabel) {
    const name = `'${e.name}'`;
    const where = label(e.argument);
    const takesValues = e.argument === 'point' || e.argument === 'fixed';
    switch (e._tag) {
        case 'UnknownName': {
            const among = e.argument === 'direction' ? 'the variables differentiated' : "the program's variables";
            const hint = e.suggestion !== undefined
                ? `did you mean '${e.suggestion}'?`
                : e.known.length === 0
                    ? `${among}: none`
                    : `${among}: ${listed(e.known)}`;
            return `unknown variable ${name} in ${where} (${hint})`;
        }
        case 'ConstantName':
            return `${name} in ${where} is a constant (${e.value}) in the language` + (takesValues ? '; it cannot be given a value' : ', not a variable');
        case 'AssignedName': {
            const from = e.variables.length === 0 ? 'no variable' : listed(e.variables);
            if (takesValues)
                return `${name} in ${where} is assigned in the program, not a variable; it cannot be given a value (it is computed from ${from})`;
            if (e.variables.length === 0)
                return `${name} in ${where} is assigned in the program, not a variable, and depends on no variable`;
            const instead = e.argument === 'wrt' ? 'differentiate with respect to' : 'give entries for';
            return `${name} in ${where} is assigned in the program, not a variable; ${instead} ${from} instead`;
        }
        case 'DuplicateName':
            return e.also === undefined ? `${name} is given twice in ${where}` : `${name} is in both ${where} and ${label(e.also)}`;
        case 'NotDifferentiated':
            return `${name} in ${where} is not among the variables differentiated (${e.wrt.length === 0 ? 'none' : listed(e.wrt)})`;
        case 'NotANumber':
            return e.argument === 'cotangent'
                ? `entry ${e.name} of ${where} is ${e.got}, not a number`
                : `the value of ${name} in ${where} is ${e.got}, not a number`;
    }
}
/** `a string`, `undefined`, `an object`, ... for a value that is not a number. */
export function kindOf(value) {
    if (value === null)
        return 'null';
    if (value === undefined)
        return 'undefined';
    if (Array.isArray(value))
        return 'an array';
    const t = typeof value;
    return t === 'object' ? 'an object' : `a ${t}`;
}
/**
 * Why `name`, given in `argument`, is not a variable: a name the program assigns (it wins over a
 * constant it reassigns), a constant of the language, or unknown, with the closest of `known`.
 * Walks the assigned names: for error paths only.
 */
export function notAVariable(name, argument, known, names) {
    let assigned;
    for (const [node, n] of names)
        if (n === name)
            assigned = node;
    if (assigned !== undefined)
        return nameError({ _tag: 'AssignedName', name, argument, variables: freeVariables([assigned]).map((v) => v.name) });
    const value = constants.get(name);
    if (value !== undefined)
        return nameError({ _tag: 'ConstantName', name, argument, value });
    const suggestion = closest(name, known);
    return nameError(suggestion === undefined ? { _tag: 'UnknownName', name, argument, known } : { _tag: 'UnknownName', name, argument, suggestion, known });
}
/** True for an own enumerable property (so never an inherited one). */
const ownEnumerable = (record, key) => Object.prototype.propertyIsEnumerable.call(record, key);
/** Per tape, its variables' slots by name, in an object without a prototype (a quick lookup per key). */
const slotTables = new WeakMap();
function slotTable(tape) {
    let table = slotTables.get(tape);
    if (table === undefined) {
        const t = Object.create(null);
        for (const [name, slot] of tape.variables)
            t[name] = slot;
        slotTables.set(tape, t);
        table = t;
    }
    return table;
}
/**
 * Sealed (or frozen) points that were found to hold exactly the variables of a tape: they can
 * neither gain nor lose a key, nor change one's attributes, so reading them again needs no
 * listing of their keys.
 */
const sealedPoints = new WeakMap();
/**
 * A fresh value array for `tape`: its constants, and the variables from `point`, which must give
 * a number for every variable of the tape and name no other variable than those of `program`
 * (when given: a derivative may keep variables it no longer uses; the program's assigned names
 * also improve the message for a key that is one of them).
 *
 * Cost: the point's keys are listed once (`Object.keys`: own enumerable keys only, so inherited
 * ones never count) and each is looked up once; a sealed point already checked against this tape
 * is read variable by variable without listing its keys. Only a failing point is examined further.
 */
export function loadPoint(tape, point, program) {
    if (typeof point !== 'object' || point === null)
        return E.left(badArgument(`the point must be an object such as { x: 1 }, not ${kindOf(point)}`));
    const values = tape.init.slice();
    let ok;
    if (sealedPoints.get(point) === tape.variables && !Object.isExtensible(point))
        ok = readSealed(tape, point, values);
    else {
        ok = readKeys(tape, point, values);
        if (ok && !Object.isExtensible(point) && Object.isSealed(point))
            sealedPoints.set(point, tape.variables);
    }
    if (ok)
        return E.right(values);
    const error = pointError(tape, point, program);
    return error === undefined ? E.right(values) : E.left(error);
}
/** Reads every key of `point` into `values`; true when each is a variable of the tape with a number and none is missing. */
function readKeys(tape, point, values) {
    const slots = slotTable(tape);
    const keys = Object.keys(point);
    let ok = keys.length === tape.variables.size;
    for (let i = 0; i < keys.length; i++) {
        const slot = slots[keys[i]];
        const v = point[keys[i]];
        if (slot !== undefined && typeof v === 'number')
            values[slot] = v;
        else
            ok = false;
    }
    return ok;
}
/** Reads a sealed point known to hold exactly the tape's variables (their values may have changed). */
function readSealed(tape, point, values) {
    let ok = true;
    for (const [name, slot] of tape.variables) {
        const v = point[name];
        if (typeof v === 'number')
            values[slot] = v;
        else
            ok = false;
    }
    return ok;
}
/**
 * What is wrong with a point that failed the quick check of `loadPoint`, if anything (it may name
 * variables the program declares but does not use): a key that is no variable, a value that is
 * no number, missing variables.
 */
function pointError(tape, point, program) {
    const declared = program !== undefined && program.variables.length > tape.variables.size ? new Set(program.variables) : undefined;
    for (const key of Object.keys(point)) {
        if (tape.variables.has(key))
            continue;
        if (declared?.has(key) === true) {
            const v = point[key];
            if (typeof v !== 'number')
                return nameError({ _tag: 'NotANumber', name: key, argument: 'point', got: kindOf(v) });
            continue;
        }
        const known = program?.variables ?? [...tape.variables.keys()].sort();
        return notAVariable(key, 'point', known, program?.names ?? new Map());
    }
    const missing = [];
    for (const name of tape.variables.keys()) {
        const v = point[name];
        if (!ownEnumerable(point, name))
            missing.push(name);
        else if (typeof v !== 'number')
            return nameError({ _tag: 'NotANumber', name, argument: 'point', got: kindOf(v) });
    }
    if (missing.length === 0)
        return undefined;
    missing.sort();
    const inherited = missing.filter((name) => name in point && !Object.hasOwn(point, name));
    const hint = inherited.length === 0 ? '' : ` (${listed(inherited)} ${inherited.length === 1 ? 'is' : 'are'} only inherited: a point's values are its own properties)`;
    return missingVariable(missing, hint);
}
/**
 * The own enumerable entries of a record of values (a tangent, a direction, fixed values), or an
 * error naming the first key whose value `isValue` refuses.
 */
export function entriesOf(record, argument, isValue = isNumber) {
    if (typeof record !== 'object' || record === null)
        return E.left(badArgument(`${argumentLabel(argument)} must be an object such as { x: 1 }, not ${kindOf(record)}`));
    const keys = Object.keys(record);
    for (const key of keys) {
        const v = record[key];
        if (!isValue(v))
            return E.left(nameError({ _tag: 'NotANumber', name: key, argument, got: kindOf(v) }));
    }
    return E.right(keys);
}
const isNumber = (v) => typeof v === 'number';
/**
 * A vector over `names` read from a point-like record: own enumerable number properties only;
 * absent names (and anything else) are 0.
 */
export function vectorOf(names, record) {
    const out = new Float64Array(names.length);
    for (let i = 0; i < names.length; i++) {
        const v = Object.prototype.propertyIsEnumerable.call(record, names[i]) ? record[names[i]] : undefined;
        out[i] = typeof v === 'number' ? v : 0;
    }
    return out;
}
/** `{name: value}` for parallel arrays. */
export function recordOf(names, values) {
    const out = {};
    for (let i = 0; i < names.length; i++) {
        // Plain assignment is the fast path; `__proto__` must be defined, or it would set the prototype.
        if (names[i] === '__proto__')
            Object.defineProperty(out, names[i], { value: values[i], enumerable: true, writable: true, configurable: true });
        else
            out[names[i]] = values[i];
    }
    return out;
}
