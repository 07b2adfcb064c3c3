/**
 * The inner loops of the matrix product (`gemm.ts`), twice: in plain JavaScript and as a
 * WebAssembly SIMD module generated here. Both compute one block of C from packed panels of A and B
 * (the layout of BLIS and GotoBLAS), in the same order, so that they give the same bits:
 *
 *   for each column panel jr of B, for each row panel ir of A:
 *     acc[r][c] = Σ_{p < kc} a[ir][p][r] · b[jr][p][c]     (p ascending, starting from +0)
 *     cw[(ir·MR + r)·ldcw + jr·NR + c] = acc[r][c]
 *
 * The packed A holds `mPanels` panels of MR rows, each kc columns deep, stored column by column
 * (a[ir][p][r] at ap + (ir·kc + p)·MR + r); the packed B holds `nPanels` panels of NR columns,
 * stored row by row (b[jr][p][c] at bp + (jr·kc + p)·NR + c). Edge panels are padded, so the
 * kernels never see a partial tile; the caller copies out only the rows and columns that exist.
 * The MR×NR accumulators stay in registers for the whole depth (register tiling): each step loads
 * MR + NR numbers and does MR·NR multiply-adds. The kernels differ only in MR (3 and 4), which
 * changes how the rows are grouped, not what is summed.
 *
 * WebAssembly SIMD has no fused multiply-add (only the relaxed-SIMD proposal does), so the vector
 * kernel rounds the product and the sum apart, as JavaScript does; f64x2 lanes are IEEE doubles.
 *
 * @example
 * macroJs(buf, ap, bp, cw, kc, mPanels, nPanels, ldcw)   // offsets in doubles into one Float64Array
 * const { macro, memory } = new WebAssembly.Instance(new WebAssembly.Module(macroModule)).exports
 * macro(kc, mPanels, nPanels, ap * 8, bp * 8, cw * 8, ldcw * 8)   // the same in the module's memory, in bytes
 */
import { brIf, get, i32, i32Const, op, set, tee, v128, v128Load, v128Load64Splat, v128Store, v128Zero, wasmModule } from './wasm.js';
/** Columns of a micro-tile (of a panel of B), in both kernels. */
export const NR = 4;
/** Rows of a micro-tile (of a panel of A) of the JavaScript kernel: 12 accumulators measured faster than 16 (which spill). */
export const MR_JS = 3;
/** Rows of a micro-tile of the WebAssembly kernel: 8 vector accumulators (6×4 and 8×4 measured slower). */
export const MR_WASM = 4;
// -------------------------------------------------------------------------------------------------
// Plain JavaScript: 12 accumulators in local variables
// -------------------------------------------------------------------------------------------------
/**
 * One block of C into `buf` at cw (row stride ldcw) from the panels at ap and bp, all in the one
 * array `buf` (offsets in doubles). The tile is written out by hand for MR_JS = 3, NR = 4.
 */
export function macroJs(buf, ap, bp, cw, kc, mPanels, nPanels, ldcw) {
    for (let jr = 0; jr < nPanels; jr++) {
        const bPanel = bp + jr * kc * NR;
        for (let ir = 0; ir < mPanels; ir++) {
            let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
            let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
            let a = ap + ir * kc * MR_JS;
            let b = bPanel;
            for (let p = 0; p < kc; p++, a += MR_JS, b += NR) {
                const a0 = buf[a], a1 = buf[a + 1], a2 = buf[a + 2];
                const b0 = buf[b], b1 = buf[b + 1], b2 = buf[b + 2], b3 = buf[b + 3];
                c00 += a0 * b0;
                c01 += a0 * b1;
                c02 += a0 * b2;
                c03 += a0 * b3;
                c10 += a1 * b0;
                c11 += a1 * b1;
                c12 += a1 * b2;
                c13 += a1 * b3;
                c20 += a2 * b0;
                c21 += a2 * b1;
                c22 += a2 * b2;
                c23 += a2 * b3;
            }
            let c = cw + ir * MR_JS * ldcw + jr * NR;
            buf[c] = c00;
            buf[c + 1] = c01;
            buf[c + 2] = c02;
            buf[c + 3] = c03;
            c += ldcw;
            buf[c] = c10;
            buf[c + 1] = c11;
            buf[c + 2] = c12;
            buf[c + 3] = c13;
            c += ldcw;
            buf[c] = c20;
            buf[c + 1] = c21;
            buf[c + 2] = c22;
            buf[c + 3] = c23;
        }
    }
}
// -------------------------------------------------------------------------------------------------
// WebAssembly SIMD: MR_WASM × NR/2 accumulators of two doubles
// -------------------------------------------------------------------------------------------------
// The locals of `macro` by number: its parameters (counts, byte addresses, the row stride of C), the
// loop state, the vectors.
const KC = 0, M_PANELS = 1, N_PANELS = 2, AP = 3, BP = 4, CW = 5, LDCW = 6;
const B_PANEL = 7, C_COLUMN = 8, A_PANEL = 9, C_TILE = 10, PA = 11, PB = 12, P_END = 13, C_ROW = 14, IR_LEFT = 15, JR_LEFT = 16;
const I32_LOCALS = 10;
const VEC = NR / 2;
const ACC = 17; // acc[r][v] is local ACC + r·VEC + v
const B_VEC = ACC + MR_WASM * VEC; // b[v]
const A_SPLAT = B_VEC + VEC;
const V128_LOCALS = MR_WASM * VEC + VEC + 1;
const forEach = (n, f) => Array.from({ length: n }, (_, i) => f(i)).flat();
/** local += bytes */
const advance = (local, bytes) => [...get(local), ...i32Const(bytes), op.i32Add, ...set(local)];
/** local −= 1, and branch to `depth` while it is not zero. */
const countDown = (local, depth) => [...get(local), ...i32Const(-1), op.i32Add, ...tee(local), ...brIf(depth)];
/** acc[r][v] += splat(a[p][r]) · b[p][v] for every r and v: one step of the depth. */
const step = [
    ...forEach(VEC, (v) => [...get(PB), ...v128Load(16 * v), ...set(B_VEC + v)]),
    ...forEach(MR_WASM, (r) => [
        ...get(PA), ...v128Load64Splat(8 * r), ...set(A_SPLAT),
        ...forEach(VEC, (v) => [...get(ACC + r * VEC + v), ...get(A_SPLAT), ...get(B_VEC + v), ...op.f64x2Mul, ...op.f64x2Add, ...set(ACC + r * VEC + v)]),
    ]),
    ...advance(PA, 8 * MR_WASM),
    ...advance(PB, 8 * NR),
];
/** The tile's accumulators into C: row r at c_tile + r·ldcw. */
const storeTile = [
    ...get(C_TILE), ...set(C_ROW),
    ...forEach(MR_WASM, (r) => [
        ...forEach(VEC, (v) => [...get(C_ROW), ...get(ACC + r * VEC + v), ...v128Store(16 * v)]),
        ...get(C_ROW), ...get(LDCW), op.i32Add, ...set(C_ROW),
    ]),
];
/**
 * `macro(kc, mPanels, nPanels, ap, bp, cw, ldcw)`, addresses and ldcw in bytes; kc, mPanels,
 * nPanels ≥ 1. As JavaScript:
 *
 *   bPanel = bp; cColumn = cw
 *   for jr = nPanels down to 1:
 *     aPanel = ap; cTile = cColumn
 *     for ir = mPanels down to 1:
 *       acc = 0; pa = aPanel; pb = bPanel; pEnd = bPanel + kc·NR·8
 *       do step (pa += MR·8, pb += NR·8) while pb < pEnd
 *       storeTile; aPanel = pa; cTile += MR·ldcw
 *     bPanel = pEnd; cColumn += NR·8
 */
const macroBody = [
    ...get(BP), ...set(B_PANEL),
    ...get(CW), ...set(C_COLUMN),
    ...get(N_PANELS), ...set(JR_LEFT),
    ...op.loop, // over the column panels of B
    ...get(AP), ...set(A_PANEL),
    ...get(C_COLUMN), ...set(C_TILE),
    ...get(M_PANELS), ...set(IR_LEFT),
    ...op.loop, // over the row panels of A
    ...forEach(MR_WASM * VEC, (i) => [...v128Zero, ...set(ACC + i)]),
    ...get(A_PANEL), ...set(PA),
    ...get(B_PANEL), ...tee(PB), ...get(KC), ...i32Const(8 * NR), op.i32Mul, op.i32Add, ...set(P_END),
    ...op.loop, // over the depth
    ...step,
    ...get(PB), ...get(P_END), op.i32LtU, ...brIf(0),
    op.end,
    ...storeTile,
    ...get(PA), ...set(A_PANEL), // the next panel of A starts where this one ended
    ...get(C_TILE), ...get(LDCW), ...i32Const(MR_WASM), op.i32Mul, op.i32Add, ...set(C_TILE),
    ...countDown(IR_LEFT, 0),
    op.end,
    ...get(P_END), ...set(B_PANEL),
    ...advance(C_COLUMN, 8 * NR),
    ...countDown(JR_LEFT, 0),
    op.end,
];
/** The module's bytes: one function `macro` and the memory. */
export const macroModule = wasmModule([
    {
        name: 'macro',
        params: [i32, i32, i32, i32, i32, i32, i32],
        results: [],
        locals: [...new Array(I32_LOCALS).fill(i32), ...new Array(V128_LOCALS).fill(v128)],
        body: macroBody,
    },
]);
