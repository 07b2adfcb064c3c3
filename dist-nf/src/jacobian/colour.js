/**
 * Colouring for compressed Jacobians (Curtis, Powell and Reid). Two columns that share no row
 * are structurally orthogonal: seeding one tangent with both (a 1 in each) gives the sum of the
 * two columns, and since their non-zeros sit in different rows each entry is read back alone.
 * Colouring the columns so that columns of one colour share no row (a distance-2 colouring of the
 * bipartite row/column graph) gives one forward lane per colour instead of one per column. Rows
 * are coloured the same way for reverse mode.
 *
 * The greedy colouring takes items in largest-first order (by the number of other items they
 * can conflict with, ties in tape order) and gives each the smallest colour not used by an item
 * sharing a row with it.
 * No colouring can use fewer colours than the largest row has non-zeros.
 *
 * @example
 * // tridiagonal n × n: columns j, j+3, j+6, ... share no row
 * colourColumns(pattern, columnView(pattern), tape.wrtSlots).colours   // 3
 */
import { greedy } from '../sparse/colouring.js';
/**
 * Columns coloured so that columns of one colour share no row (for forward mode). Ties in the
 * largest-first order are taken in the order of `tie` (the variables' places on the tape, which
 * follow the graph, so that x10 comes after x9 even when the names sort as text).
 */
export function colourColumns(p, cv, tie, budget = Infinity) {
    return greedy(p.shape[1], cv.colPtr, cv.rowIdx, p.rowPtr, p.colIdx, tie, budget);
}
/** Rows coloured so that rows of one colour share no column (for reverse mode). */
export function colourRows(p, cv, tie, budget = Infinity) {
    return greedy(p.shape[0], p.rowPtr, p.colIdx, cv.colPtr, cv.rowIdx, tie, budget);
}
/** The identity colouring of the listed items (dense mode: one lane each). */
export function eachOwnColour(count, items) {
    const colourOf = new Int32Array(count).fill(-1);
    items.forEach((k, c) => (colourOf[k] = c));
    return { colours: items.length, colourOf };
}
/** Items grouped by colour, in compressed form: colour c holds `items[ptr[c] .. ptr[c+1])`. */
export function groupsOf(colouring) {
    const { colours, colourOf } = colouring;
    const ptr = new Int32Array(colours + 1);
    for (const c of colourOf)
        if (c >= 0)
            ptr[c + 1]++;
    for (let c = 0; c < colours; c++)
        ptr[c + 1] += ptr[c];
    const next = ptr.slice(0, colours);
    const items = new Int32Array(ptr[colours]);
    colourOf.forEach((c, k) => {
        if (c >= 0)
            items[next[c]++] = k;
    });
    return { ptr, items };
}
