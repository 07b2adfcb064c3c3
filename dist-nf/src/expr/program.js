/**
 * A program: the output node(s) of a straight-line program, with the names its statements gave to
 * intermediate nodes (kept for messages and printing only; they do not change the graph).
 *
 * @example
 * import { program, mul, add, variable } from 'chainrule'
 * const x = variable('x'), y = variable('y'), z = variable('z')
 * program([mul(add(x, y), z)]).variables   // → ['x', 'y', 'z']
 */
import { freeVariables } from './graph.js';
import { sortByName } from './order.js';
/** A program with the given outputs. */
export function program(outputs, options = {}) {
    if (outputs.length === 0)
        throw new RangeError('a program needs at least one output');
    return programOf(outputs, options, freeVariables(outputs));
}
/**
 * A program whose free variables are known without a walk (the parser knows them): `variables`
 * must be exactly the variables reachable from `outputs`, one node per name, in any order.
 */
export function programOf(outputs, options, variables) {
    // Declared variables (a derivative keeps its program's) join the free ones.
    const names = variables.map((v) => v.name);
    if (options.variables !== undefined) {
        const seen = new Set(names);
        for (const n of options.variables)
            if (!seen.has(n))
                (seen.add(n), names.push(n));
    }
    return Object.freeze({
        _tag: 'program',
        outputs: Object.freeze(outputs.slice()),
        vector: options.vector ?? outputs.length > 1,
        names: options.names ?? new Map(),
        variables: Object.freeze(sortByName(names, (n) => n)),
    });
}
