/**
 * Colouring the columns of a symmetric sparsity pattern so that one Hessian-vector product per
 * colour recovers the whole Hessian.
 *
 * Columns j and k may share a colour when they are structurally orthogonal: no row i has
 * non-zeros in both. Then H·(Σ_{j of colour c} eⱼ) holds, in row i, exactly H[i][j] for the one
 * column j of colour c that row i touches ("direct recovery"). This is a distance-2 colouring
 * of the pattern's graph, where a diagonal non-zero counts as a self-loop: j and k conflict when
 * they are adjacent through a diagonal entry, or have a common neighbour. Greedy, in order of
 * decreasing degree; for a banded pattern of half-bandwidth b it uses about 2b + 1 colours.
 *
 * (A star colouring needs fewer colours by using symmetry in the recovery; this greedy
 * distance-2 colouring is simpler and its recovery involves no arithmetic at all.)
 *
 * @example
 * const { colour, count } = distance2Colouring(hessianPattern(tape))  // tridiagonal: count 3
 */
import { greedy } from '../sparse/colouring.js';
/** Every column its own colour: n sweeps, for dense patterns. */
export const trivialColouring = (n) => ({ colour: Int32Array.from({ length: n }, (_, j) => j), count: n });
/** A greedy colouring of the columns of `p` with no two columns of a colour sharing a row. */
export function distance2Colouring(p) {
    if (p.dense)
        return trivialColouring(p.n);
    // Symmetric: the rows of column j are the columns of row j, so columns and rows share arrays.
    const order = Int32Array.from({ length: p.n }, (_, j) => j);
    const c = greedy(p.n, p.rowStart, p.cols, p.rowStart, p.cols, order, Infinity);
    // Columns with no entry at all need no product, but keep them coloured for the recovery.
    const colour = c.colourOf.map((k) => (k < 0 ? 0 : k));
    return { colour, count: Math.max(c.colours, p.n > 0 ? 1 : 0) };
}
/** True when no row of `p` has two non-zero columns of the same colour (for tests). */
export function isStructurallyOrthogonal(p, colouring) {
    if (p.dense)
        return new Set(colouring.colour).size === p.n;
    for (let i = 0; i < p.n; i++) {
        const seen = new Set();
        for (let r = p.rowStart[i]; r < p.rowStart[i + 1]; r++) {
            const c = colouring.colour[p.cols[r]];
            if (seen.has(c))
                return false;
            seen.add(c);
        }
    }
    return true;
}
