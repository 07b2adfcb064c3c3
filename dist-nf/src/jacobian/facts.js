/**
 * What a Jacobian computation needs to know about a tape, counted once per tape: which arguments a
 * derivative sweep touches, how many edges each kind of sweep visits, where the active
 * applications lie, which columns (inputs) and rows (outputs) need a sweep at all.
 *
 * Counting convention (used by the cost model and its tests): a derivative sweep visits, at every
 * active application, each argument whose local partial is not a structural zero, whether that
 * argument is a variable, a constant or an intermediate: the compiled kernels read (forward) or
 * write (reverse) a tangent or adjoint for each of them. `stop_gradient` and `sign` touch none.
 * A values sweep visits every argument of every application.
 *
 * @example
 * const f = factsOf(tapeFor(program([add(mul(x, y), sin(x))]).outputs, ['x', 'y']))
 * f.activeEdges  // 5: mul (2) + sin (1) + add (2)
 */
import { numbers, partialsIn } from '../ops/math.js';
import { isDifferentiable } from '../ops/registry.js';
import { rulesByCode } from '../ops/table.js';
import { opTags } from '../ops/tags.js';
/** Which arguments of op code k carry a derivative (bit 0: first, bit 1: second; none without a derivative). */
function flowsOf(k) {
    const rule = rulesByCode[k];
    if (!isDifferentiable(k))
        return 0;
    const args = rule.domain.map(([lo, hi]) => (lo + hi) / 2);
    const out = rule.fn(args[0], args[1]);
    const ps = partialsIn(numbers, opTags[k], args, out);
    return ps.reduce((bits, p, j) => (p === null ? bits : bits | (1 << j)), 0);
}
/** Per op code (those registered by `defineOp` after this module loaded: computed on first use). */
const flowsByCode = rulesByCode.map((_, k) => flowsOf(k));
function runs(tape, want) {
    const out = [];
    for (let i = tape.leaves; i < tape.size; i++) {
        if (tape.active[i] !== want)
            continue;
        if (out.length > 0 && out[out.length - 1] === i)
            out[out.length - 1] = i + 1;
        else
            out.push(i, i + 1);
    }
    return Int32Array.from(out);
}
const cache = new WeakMap();
/** The facts of `tape` (computed once per tape). */
export function factsOf(tape) {
    const hit = cache.get(tape);
    if (hit !== undefined)
        return hit;
    const flows = new Uint8Array(tape.size);
    const touches = new Uint8Array(tape.size);
    let activeEdges = 0;
    let valueEdges = 0;
    let inactiveEdges = 0;
    for (let i = tape.leaves; i < tape.size; i++) {
        const arity = tape.a1[i] >= 0 ? 2 : 1;
        valueEdges += arity;
        if (tape.active[i] === 0) {
            inactiveEdges += arity;
            continue;
        }
        const bits = flowsByCode[tape.op[i]] ?? (flowsByCode[tape.op[i]] = flowsOf(tape.op[i]));
        flows[i] = bits;
        touches[i] = (bits & 1) + (bits >> 1);
        activeEdges += touches[i];
    }
    const columns = [];
    tape.wrtSlots.forEach((s, j) => {
        if (s >= 0)
            columns.push(j);
    });
    const rows = [];
    tape.outputs.forEach((s, r) => {
        if (tape.active[s] === 1)
            rows.push(r);
    });
    const facts = {
        tape,
        flows,
        touches,
        activeEdges,
        valueEdges,
        inactiveEdges,
        activeRuns: runs(tape, 1),
        inactiveRuns: runs(tape, 0),
        columns: Int32Array.from(columns),
        rows: Int32Array.from(rows),
    };
    cache.set(tape, facts);
    return facts;
}
