/**
 * Binding a plan to its buffers: the functions of a compiled program (`value`, `grad`, `jvp`,
 * `vjp`, `jacobian`, `hvp`) over the caller's `Float64Array`s, with the value, tangent and adjoint
 * arrays allocated once. In a direct plan the caller's input and output arrays are read and
 * written in place (see `direct.ts`).
 *
 * @example
 * import { compile, parse, orThrow } from 'chainrule'
 * const f = orThrow(compile(orThrow(parse('x*y'))))
 * const out = new Float64Array(f.inputs)
 * f.grad(Float64Array.of(1, 2), out).gradient   // → [2, 1]   written into out
 */
import { oneOutputOnly } from '../reverse/index.js';
import { Io } from './access.js';
import { finite, finiteAt } from './finite.js';
import { Runner } from './run.js';
/** Templates that some step runs (the rare ones may all have become segments). */
function templatesUsed(plan) {
    const used = new Set();
    for (const s of plan.steps) {
        if (s._tag === 'template')
            used.add(s.batch.template);
        else if (s._tag === 'reduce')
            for (const part of s.parts)
                if (part._tag === 'batch')
                    used.add(part.batch.template);
    }
    return used.size;
}
/**
 * The functions of `plan` over the wrt variables `names`. Fixed variables are loaded into their
 * slots once, here; params are slots like them, written by `loadParams` before each call.
 */
export function bind({ plan, direct, shared }, names, fixed, params, nodes, jacobianMode) {
    const runner = new Runner(plan);
    const n = names.length;
    const m = plan.outputs.length;
    const v = plan.init.slice();
    const inputs = new Set(names);
    const isParam = new Set(params);
    for (const [name, s] of plan.variables)
        if (!inputs.has(name) && !isParam.has(name))
            v[s] = fixed[name];
    const paramSlots = Int32Array.from(params, (name) => plan.variables.get(name) ?? -1);
    const loadParams = (p) => {
        for (let k = 0; k < paramSlots.length; k++)
            if (paramSlots[k] >= 0)
                v[paramSlots[k]] = p[k];
    };
    const g = new Float64Array(plan.size);
    const t = new Float64Array(plan.size);
    const h = new Float64Array(plan.size);
    const io = new Io(v, t, g, h);
    const { wrtSlots, outputs } = plan;
    // Adjoints of the wrt variables in an hvp call (only their tangents are returned).
    const gScratch = direct ? new Float64Array(n) : g;
    // In a direct plan the templates read x and write the gradient (or H·v) in place, and only the
    // shared variables pass through the slot arrays, unless the output array shares memory with an
    // input (then every variable does, as in other plans). Otherwise the plan puts the wrt variables
    // first, in order, when it can: then inputs and gradients are block copies.
    const identity = wrtSlots.every((s, j) => s === j);
    let inPlace = false;
    const distinct = (x, a, b) => (a === undefined || a.buffer !== x.buffer) && (b === undefined || (b.buffer !== x.buffer && (a === undefined || a.buffer !== b.buffer)));
    /**
     * Binds x (and checks its length). `a` and `b` are the call's output array and any other input
     * that must not share memory with it (an output written during the sweep must not alias x).
     */
    const load = (x, a, b) => {
        if (x.length !== n)
            throw new RangeError(`expected ${n} inputs (${names.join(', ')}), got ${x.length}`);
        inPlace = direct && distinct(x, a, b);
        if (inPlace) {
            io.x = x;
            for (const s of shared)
                v[s] = x[s];
            return;
        }
        io.x = v;
        if (identity)
            v.set(x);
        else
            for (let j = 0; j < n; j++)
                if (wrtSlots[j] >= 0)
                    v[wrtSlots[j]] = x[j];
    };
    /**
     * Zeroes `arr` (adjoints or their tangents) and binds `out`, zeroed, for the variables' share:
     * in place only the slots past the variables and the shared ones are used.
     */
    const clear = (arr, out) => {
        if (!inPlace)
            return arr.fill(0);
        arr.fill(0, n);
        for (const s of shared)
            arr[s] = 0;
        return out.fill(0);
    };
    const clearAdjoints = (out) => {
        io.gx = clear(g, out);
    };
    // The gradient entries that the output's terms check as they write them, and those they assign
    // (see `gradCoverage`): in place, the assigned ones are not zeroed first, and the checked ones
    // are read again only when `io.check` is not finite. Zeroing or scanning through an index list
    // costs more than a whole pass over the array once a quarter of the entries are left.
    const coverage = direct ? runner.gradCoverage(n, shared) : { checked: new Uint8Array(n), assigned: new Uint8Array(n) };
    const where = (flags, value) => Int32Array.from(flags.keys()).filter((j) => flags[j] === value);
    const [checked, unchecked, unassigned] = [where(coverage.checked, 1), where(coverage.checked, 0), where(coverage.assigned, 0)];
    const zeroAll = unassigned.length * 4 > n;
    const scanAll = unchecked.length * 4 > n;
    const clearGradient = (out) => {
        io.check = 0;
        if (!inPlace || zeroAll)
            return clearAdjoints(out);
        g.fill(0, n);
        for (const s of shared)
            g[s] = 0;
        for (let k = 0; k < unassigned.length; k++)
            out[unassigned[k]] = 0;
        io.gx = out;
    };
    const gradientFinite = (gradient) => scanAll ? finite(gradient) : finiteAt(gradient, unchecked) && (io.check - io.check === 0 || finiteAt(gradient, checked));
    const readOutputs = (out) => {
        for (let i = 0; i < m; i++)
            out[i] = v[outputs[i]];
        return out;
    };
    /** The wrt variables' entries of `arr` (adjoints or their tangents) into `out`. */
    const readInputs = (arr, out) => {
        if (inPlace) {
            for (const s of shared)
                out[s] += arr[s];
            return out;
        }
        if (identity)
            out.set(arr.subarray(0, n));
        else
            for (let j = 0; j < n; j++)
                out[j] = wrtSlots[j] >= 0 ? arr[wrtSlots[j]] : 0;
        return out;
    };
    /**
     * The functions of one output refuse several, with the interpreted functions' words: they would
     * otherwise differentiate output 0 and say nothing.
     */
    const scalarOnly = (message) => {
        if (m !== 1)
            throw new RangeError(message);
    };
    /** A wrong length is an error, never a silent misread or a partial result. */
    const check = (arr, length, what) => {
        if (arr.length !== length)
            throw new RangeError(`expected ${what} of ${length} entries, got ${arr.length}`);
    };
    const checkDirection = (dir) => check(dir, n, 'a direction');
    const seedTangent = (dir) => {
        if (inPlace) {
            io.tx = dir;
            for (const s of shared)
                t[s] = dir[s];
            return;
        }
        io.tx = t;
        t.fill(0);
        for (let j = 0; j < n; j++)
            if (wrtSlots[j] >= 0)
                t[wrtSlots[j]] += dir[j];
    };
    const reverseFrom = (weights, out) => {
        clearAdjoints(out);
        for (let i = 0; i < m; i++)
            g[outputs[i]] += weights[i];
        runner.reverse(io);
    };
    const unit = new Float64Array(Math.max(m, n));
    const row = new Float64Array(n);
    const seg = plan.segments;
    const segmentBytes = seg === undefined ? 0 : seg.op.byteLength * 3 + seg.holes.byteLength + seg.base.byteLength * 4;
    const indexBytes = plan.steps.reduce((b, s) => b + (s._tag === 'template' ? s.batch.idx.byteLength + s.out.byteLength : s._tag === 'tape' ? s.order.byteLength : 0), segmentBytes);
    /** Unbinds the caller's arrays after a call, so that the compiled object does not keep them alive. */
    const done = (result) => {
        io.unbind();
        return result;
    };
    const bound = {
        gradientFinite,
        names,
        inputs: n,
        outputs: m,
        stats: {
            nodes,
            stored: plan.size,
            templates: templatesUsed(plan),
            segments: seg === undefined ? 0 : seg.base.length,
            steps: plan.steps.length,
            bytesPerNode: (16 * plan.size + 12 * plan.size + indexBytes) / Math.max(1, nodes),
            direct,
            shared: shared.length,
        },
        value(x) {
            scalarOnly(`value needs a program with one output; this one has ${m} (use values)`);
            load(x);
            runner.forward(io);
            return done(v[outputs[0]]);
        },
        values(x, out = new Float64Array(m)) {
            check(out, m, 'an output array');
            load(x);
            runner.forward(io);
            return done(readOutputs(out));
        },
        grad(x, out = new Float64Array(n)) {
            scalarOnly(oneOutputOnly('grad', m));
            check(out, n, 'a gradient array');
            load(x, out);
            clearGradient(out);
            runner.grad(io);
            return done({ value: v[outputs[0]], gradient: readInputs(g, out) });
        },
        jvp(x, dir, out = new Float64Array(m), valuesOut = new Float64Array(m)) {
            check(out, m, 'a tangent array');
            check(valuesOut, m, 'a values array');
            load(x);
            checkDirection(dir);
            seedTangent(dir);
            runner.jvp(io);
            for (let i = 0; i < m; i++)
                out[i] = t[outputs[i]];
            return done({ values: readOutputs(valuesOut), tangents: out });
        },
        vjp(x, w, out = new Float64Array(n), valuesOut = new Float64Array(m)) {
            check(w, m, 'output weights');
            check(out, n, 'a vjp array');
            check(valuesOut, m, 'a values array');
            load(x, out, w);
            runner.forward(io);
            reverseFrom(w, out);
            return done({ values: readOutputs(valuesOut), vjp: readInputs(g, out) });
        },
        jacobian(x, out = new Float64Array(m * n), valuesOut = new Float64Array(m)) {
            check(out, m * n, 'a Jacobian array');
            check(valuesOut, m, 'a values array');
            load(x, out);
            const mode = jacobianMode();
            if (mode === 'forward') {
                for (let j = 0; j < n; j++) {
                    unit.fill(0);
                    unit[j] = 1;
                    seedTangent(unit);
                    runner.jvp(io);
                    for (let i = 0; i < m; i++)
                        out[i * n + j] = t[outputs[i]];
                }
            }
            else {
                runner.forward(io);
                for (let i = 0; i < m; i++) {
                    unit.fill(0);
                    unit[i] = 1;
                    reverseFrom(unit, row);
                    out.set(readInputs(g, row), i * n);
                }
            }
            return done({ values: readOutputs(valuesOut), jacobian: out, mode });
        },
        hvp(x, dir, out = new Float64Array(n)) {
            scalarOnly(`hvp needs a program with one output; this one has ${m}`);
            check(out, n, 'an hvp array');
            load(x, dir, out);
            checkDirection(dir);
            seedTangent(dir);
            clearAdjoints(gScratch);
            io.hx = clear(h, out);
            runner.hvpFull(io);
            return done({ value: v[outputs[0]], hvp: readInputs(h, out) });
        },
    };
    return { bound, loadParams };
}
