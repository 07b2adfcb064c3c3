/**
 * Trees over any number system: the forward values of a template's tree given its holes, and
 * back-propagation through it from a seed at its root. Run over `Code` (and duals of `Code`) they
 * generate a template's body; the rules come from the one table.
 *
 * @example
 * const vals = forwardTree(numbers, shape, (h) => holes[h])
 */
import { partialsIn, plus, times } from '../ops/math.js';
import { opTags } from '../ops/tags.js';
/** Values of the tree's nodes, given its holes. */
export function forwardTree(num, shape, hole) {
    const vals = [];
    for (const n of shape.nodes)
        vals.push(num.apply(opTags[n.op], n.args.map((r) => (r._tag === 'node' ? vals[r.index] : hole(r.index)))));
    return vals;
}
/** Which tree nodes depend on an active hole. */
function activity(shape) {
    const act = [];
    for (const n of shape.nodes)
        act.push(n.args.some((r) => (r._tag === 'node' ? act[r.index] : shape.holeKinds[r.index] === 'a')));
    return act;
}
/**
 * Back-propagation through the tree from `seed` at its root: the adjoint of each active hole (null
 * where the hole is inactive, the sum so far of a block, or structurally unreached). Nodes are
 * visited from the root down, so a node read twice inside the tree (a named temporary) has its
 * adjoint complete before it passes it on; holes may be read several times and accumulate.
 */
export function reverseTree(num, shape, vals, hole, seed) {
    const act = activity(shape);
    const adj = shape.nodes.map(() => null);
    const holeAdj = shape.holeKinds.map(() => null);
    adj[shape.nodes.length - 1] = seed;
    for (let k = shape.nodes.length - 1; k >= 0; k--) {
        const a = adj[k];
        if (a === null || !act[k])
            continue;
        const n = shape.nodes[k];
        const ps = partialsIn(num, opTags[n.op], n.args.map((r) => (r._tag === 'node' ? vals[r.index] : hole(r.index))), vals[k]);
        n.args.forEach((r, j) => {
            const p = ps[j];
            if (p === null)
                return;
            // Quotients divide the adjoint first. A zero adjoint times an infinite partial is NaN here;
            // a compiled call whose result is not finite is redone by the careful sweeps (careful.ts).
            const term = times(num, p, a);
            const into = r._tag === 'node' ? (act[r.index] ? adj : null) : shape.holeKinds[r.index] === 'a' ? holeAdj : null;
            if (into === null)
                return;
            const prev = into[r.index];
            into[r.index] = prev === null ? term : plus(num, prev, term);
        });
    }
    return holeAdj;
}
