import { colourColumns, colourRows, eachOwnColour, groupsOf } from './colour.js';
import { reverseCones } from './cones.js';
import { chunking, forwardCost, reasonFor, reverseCost, tieFactor } from './cost.js';
import { factsOf } from './facts.js';
import { columnView, patternOf } from './pattern.js';
import { countsOf } from './textbook.js';
/** Share of the best dense estimate the auto mode may spend looking for sparsity. */
export const screenShare = 0.05;
/** ... but at least this many steps per edge of G′ (Broyden's tridiagonal pattern takes 0.5). */
export const screenSteps = 2;
/** Measured: one step of merging index lists or of colouring, 3–9 ns with the set-up. */
export const mergeNs = 5;
/** Sweep of each row: rows of lane colour c ride in sweep ⌊c / width⌋. */
function chunkOfRows(lanes, width) {
    return lanes.colourOf.map((c) => (c >= 0 ? Math.floor(c / width) : -1));
}
function reverseCandidate(f, g, lanes) {
    const { sweeps, width } = chunking(lanes.colours, g.size);
    const cones = reverseCones(f, chunkOfRows(lanes, width), sweeps, false);
    return { mode: 'reverse', cost: reverseCost(g, lanes.colours, cones), lanes };
}
const forwardCandidate = (g, lanes) => ({ mode: 'forward', cost: forwardCost(g, lanes.colours), lanes });
/** The pattern and both colourings, or undefined when they cost more than `budget` steps. */
function compress(f, budget) {
    const pattern = patternOf(f, budget);
    if (pattern === undefined)
        return undefined;
    const view = columnView(pattern);
    const columns = colourColumns(pattern, view, f.tape.wrtSlots, budget);
    const rows = colourRows(pattern, view, f.tape.outputs, budget);
    return columns === undefined || rows === undefined ? undefined : { pattern, view, columns, rows };
}
/**
 * The candidate with the lowest estimated time; between estimates closer than `tieFactor` (within
 * the model's error, measured ±40% on this machine), the one with fewer multiply-adds: the
 * textbook's choice (reverse mode for one output of five inputs, where the 16-lane forward sweep is
 * estimated 1.3× faster and measured a tie).
 */
const cheapest = (cs) => cs.reduce((a, b) => {
    const [fast, slow] = b.cost.estimate < a.cost.estimate ? [b, a] : [a, b];
    return slow.cost.estimate < tieFactor * fast.cost.estimate && slow.cost.madds < fast.cost.madds ? slow : fast;
});
function makePlan(tape, mode, sparse) {
    const f = factsOf(tape);
    const g = countsOf(f);
    const [n, m] = [tape.wrt.length, tape.outputs.length];
    const dense = [forwardCandidate(g, eachOwnColour(n, f.columns)), reverseCandidate(f, g, eachOwnColour(m, f.rows))];
    let compression;
    if (sparse === true)
        compression = compress(f, Infinity);
    else if (sparse === undefined && mode === 'auto' && Math.min(dense[0].cost.sweeps, dense[1].cost.sweeps) >= 2) {
        const best = Math.min(dense[0].cost.estimate, dense[1].cost.estimate);
        compression = compress(f, Math.max((screenShare * best) / mergeNs, screenSteps * f.activeEdges));
    }
    const compressed = compression === undefined ? undefined : [forwardCandidate(g, compression.columns), reverseCandidate(f, g, compression.rows)];
    const pool = compressed === undefined ? dense : sparse === true ? compressed : [...dense, ...compressed];
    const chosen = cheapest(mode === 'auto' ? pool : pool.filter((c) => c.mode === mode));
    const useCompression = compressed !== undefined && compressed.includes(chosen);
    const [forward, reverse] = useCompression && compressed !== undefined ? compressed : dense;
    const { sweeps, width } = chunking(chosen.lanes.colours, g.size);
    const orders = chosen.mode === 'reverse' ? reverseCones(f, chunkOfRows(chosen.lanes, width), sweeps, true).orders : [];
    const shape = {
        inputs: f.columns.length,
        outputs: f.rows.length,
        edges: f.activeEdges,
        valueEdges: f.valueEdges,
        colours: useCompression && compression !== undefined
            ? { nnz: compression.pattern.nnz, columns: compression.columns.colours, rows: compression.rows.colours }
            : undefined,
    };
    const choice = {
        mode: chosen.mode,
        forward: forward.cost,
        reverse: reverse.cost,
        reason: reasonFor(chosen.mode, forward.cost, reverse.cost, shape, mode !== 'auto'),
        inputs: shape.inputs,
        outputs: shape.outputs,
        slots: tape.size,
        edges: f.activeEdges,
        ...(compression === undefined
            ? {}
            : { sparse: { nnz: compression.pattern.nnz, columnColours: compression.columns.colours, rowColours: compression.rows.colours, used: useCompression } }),
    };
    return {
        facts: f,
        choice,
        mode: chosen.mode,
        sweeps,
        width,
        groups: groupsOf(chosen.lanes),
        ...(useCompression ? { compression } : {}),
        orders,
    };
}
const cache = new WeakMap();
/** The plan for `tape` under the options (made once per tape and options). */
export function planFor(tape, mode, sparse) {
    let byKey = cache.get(tape);
    if (byKey === undefined) {
        byKey = new Map();
        cache.set(tape, byKey);
    }
    const key = `${mode}/${String(sparse)}`;
    let plan = byKey.get(key);
    if (plan === undefined) {
        plan = makePlan(tape, mode, sparse);
        byKey.set(key, plan);
    }
    return plan;
}
