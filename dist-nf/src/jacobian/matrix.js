/** A plain array copy (a loop: `Array.from` on a typed array goes through the iterator, far slower). */
function plain(xs) {
    const out = new Array(xs.length);
    for (let k = 0; k < xs.length; k++)
        out[k] = xs[k];
    return out;
}
/** Entries aligned with a pattern, as CSR. */
export function csrOfPattern(p, entries) {
    return { format: 'csr', shape: [p.shape[0], p.shape[1]], rowPtr: plain(p.rowPtr), colIdx: plain(p.colIdx), values: plain(entries) };
}
/** True for the dense form. */
export const isDense = (J) => Array.isArray(J);
/** Any form to CSR (from dense, exact zeros are dropped). */
export function toCsr(J) {
    if (isDense(J)) {
        const rowPtr = [0];
        const colIdx = [];
        const values = [];
        for (const row of J) {
            row.forEach((v, j) => {
                if (v !== 0) {
                    colIdx.push(j);
                    values.push(v);
                }
            });
            rowPtr.push(colIdx.length);
        }
        return { format: 'csr', shape: [J.length, J.length > 0 ? J[0].length : 0], rowPtr, colIdx, values };
    }
    switch (J.format) {
        case 'csr':
            return J;
        case 'coo': {
            const order = J.values.map((_, k) => k).sort((a, b) => J.rows[a] - J.rows[b] || J.cols[a] - J.cols[b]);
            const rowPtr = new Array(J.shape[0] + 1).fill(0);
            for (const r of J.rows)
                rowPtr[r + 1]++;
            for (let i = 0; i < J.shape[0]; i++)
                rowPtr[i + 1] += rowPtr[i];
            return { format: 'csr', shape: J.shape, rowPtr, colIdx: order.map((k) => J.cols[k]), values: order.map((k) => J.values[k]) };
        }
    }
}
/** Any form to COO, row by row. */
export function toCoo(J) {
    const csr = toCsr(J);
    const rows = [];
    for (let i = 0; i < csr.shape[0]; i++)
        for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++)
            rows.push(i);
    return { format: 'coo', shape: csr.shape, rows, cols: csr.colIdx.slice(), values: csr.values.slice() };
}
/** Any form to dense rows (repeated coordinates are summed). */
export function toDense(J) {
    if (isDense(J))
        return J;
    const [m, n] = J.shape;
    const out = Array.from({ length: m }, () => new Array(n).fill(0));
    const csr = toCsr(J);
    for (let i = 0; i < m; i++)
        for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++)
            out[i][csr.colIdx[k]] += csr.values[k];
    return out;
}
/** `J` in the requested format. */
export function inFormat(J, format) {
    switch (format) {
        case 'dense':
            return toDense(J);
        case 'coo':
            return toCoo(J);
        case 'csr':
            return toCsr(J);
    }
}
