/**
 * JSON output: one line, numbers that parse back to the same double, and the non-finite numbers
 * JSON cannot hold written as the strings "NaN", "Infinity", "-Infinity". Negative zero is
 * written `-0` (valid JSON, and it parses back to -0).
 *
 * @example
 * jsonText({ value: NaN, gradient: { x: 1 / 3 } })  // '{"value":"NaN","gradient":{"x":0.3333333333333333}}'
 */
/** A JSON object from entries; defineProperty, so that a key `__proto__` is an ordinary key. */
export function jsonObject(entries) {
    const out = {};
    for (const [k, v] of entries)
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
}
/** A number as JSON text (finite) or as one of the strings "NaN", "Infinity", "-Infinity". */
export function numberText(x) {
    if (Number.isFinite(x))
        return Object.is(x, -0) ? '-0' : String(x);
    return JSON.stringify(String(x));
}
/** `value` as one line of JSON. The depth of an output object is small (at most 4). */
export function jsonText(value) {
    if (value === null)
        return 'null';
    switch (typeof value) {
        case 'boolean':
            return value ? 'true' : 'false';
        case 'number':
            return numberText(value);
        case 'string':
            return JSON.stringify(value);
        default:
            if (isArray(value))
                return `[${value.map(jsonText).join(',')}]`;
            return `{${Object.keys(value)
                .map((k) => `${JSON.stringify(k)}:${jsonText(value[k])}`)
                .join(',')}}`;
    }
}
const isArray = (v) => Array.isArray(v);
/**
 * A plain data value (numbers, strings, booleans, arrays, plain objects, as the library returns
 * them) as `Json`; `undefined` fields and functions are left out. Library results are shallow.
 */
export function plainJson(value) {
    if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
        return value;
    if (Array.isArray(value) || ArrayBuffer.isView(value))
        return Array.from(value, plainJson);
    if (typeof value === 'object') {
        const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
        return jsonObject(entries.map(([k, v]) => [k, plainJson(v)]));
    }
    return null;
}
