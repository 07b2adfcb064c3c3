/**
 * Greedy distance-2 colouring (Curtis, Powell and Reid; Gebremedhin, Manne and Pothen), shared by
 * compressed Jacobians (columns or rows) and compressed Hessians (columns of a symmetric pattern).
 * Items (columns, say) lie in sets (rows); two items conflict when some set holds both. Items
 * are taken largest-first (by how many others they can conflict with, ties by `tie`), each given
 * the smallest colour no conflicting item has. No colouring can use fewer colours than the
 * largest set has items.
 *
 * @example
 * // tridiagonal n × n, columns in rows: 3 colours
 * greedy(n, colPtr, rowIdx, rowPtr, colIdx, order, Infinity).colours
 */
/**
 * Greedy distance-2 colouring of `count` items; item k lies in the sets `itemSets[itemPtr[k] ..]`,
 * set s holds the items `setItems[setPtr[s] ..]`. Undefined when the work would exceed `budget`.
 */
export function greedy(count, itemPtr, itemSets, setPtr, setItems, tie, budget) {
    const sets = setPtr.length - 1;
    let work = 0;
    let largest = 0;
    for (let s = 0; s < sets; s++) {
        const size = setPtr[s + 1] - setPtr[s];
        work += size * size;
        if (size > largest)
            largest = size;
    }
    const colourOf = new Int32Array(count).fill(-1);
    const items = [];
    for (let k = 0; k < count; k++)
        if (itemPtr[k + 1] > itemPtr[k])
            items.push(k);
    // Every colouring needs `largest` colours; when that is every item, give each its own.
    if (largest >= items.length) {
        items.forEach((k, c) => (colourOf[k] = c));
        return { colours: items.length, colourOf };
    }
    if (work > budget)
        return undefined;
    const degree = new Float64Array(count);
    for (const k of items) {
        for (let p = itemPtr[k]; p < itemPtr[k + 1]; p++)
            degree[k] += setPtr[itemSets[p] + 1] - setPtr[itemSets[p]] - 1;
    }
    items.sort((a, b) => degree[b] - degree[a] || tie[a] - tie[b] || a - b);
    const forbidden = new Int32Array(items.length + 1).fill(-1);
    let colours = 0;
    for (const k of items) {
        for (let p = itemPtr[k]; p < itemPtr[k + 1]; p++) {
            const s = itemSets[p];
            for (let q = setPtr[s]; q < setPtr[s + 1]; q++) {
                const c = colourOf[setItems[q]];
                if (c >= 0)
                    forbidden[c] = k;
            }
        }
        let c = 0;
        while (forbidden[c] === k)
            c++;
        colourOf[k] = c;
        if (c + 1 > colours)
            colours = c + 1;
    }
    return { colours, colourOf };
}
