/**
 * The compiled forms of templates (value, grad, jvp, hvp and their summing variants), generated
 * on first use and cached per process by shape, baked constants and access pattern: the same
 * shape compiles once whatever plan it appears in.
 *
 * @example
 * formsOf(spec, access).get('gradValueSum')(io, idx, count, -0)
 */
import { literal } from '../ops/codegen.js';
import { accessKey } from './access.js';
import { gradSumTemplate, gradTemplate, gradValueOutTemplate, gradValueSumTemplate, hvpSumTemplate, hvpTemplate, hvpValueSumTemplate, jvpSumTemplate, jvpTemplate, valueSumTemplate, valueTemplate, } from './template.js';
/** Every form a template can be compiled into, by name. */
const builders = {
    value: valueTemplate,
    valueSum: valueSumTemplate,
    grad: gradTemplate,
    gradSum: gradSumTemplate,
    gradValueSum: gradValueSumTemplate,
    gradValueOut: gradValueOutTemplate,
    jvp: jvpTemplate,
    jvpSum: jvpSumTemplate,
    hvp: hvpTemplate,
    hvpSum: hvpSumTemplate,
    hvpValueSum: hvpValueSumTemplate,
};
/** The compiled functions of one template with one access pattern, each generated on first use. */
export class Forms {
    spec;
    access;
    made = new Map();
    constructor(spec, access) {
        this.spec = spec;
        this.access = access;
    }
    get(form) {
        let fn = this.made.get(form);
        if (fn === undefined) {
            fn = builders[form](this.spec, this.access);
            this.made.set(form, fn);
        }
        return fn;
    }
}
// Templates are shared by every plan in the process: the same shape compiles once.
const cache = new Map();
export function formsOf(spec, access) {
    const key = `${accessKey(access)}:${spec.shape.key}#${spec.baked.map((b) => (b === undefined ? '' : literal(b))).join(',')}`;
    let f = cache.get(key);
    if (f === undefined) {
        f = new Forms(spec, access);
        cache.set(key, f);
    }
    return f;
}
