/**
 * The matrix product of the tensor engine, BLAS `dgemm`-like over row-major doubles:
 * C = op(A)·op(B), or C += op(A)·op(B), where op transposes or not.
 *
 * Large products go the way of GotoBLAS and BLIS: op(B) is copied ("packed") kc rows at a time
 * into panels of NR columns, op(A) mc rows at a time into panels of MR rows, so that the inner
 * loops read both contiguously whatever the transposes and strides; a macro-kernel
 * (`macrokernel.ts`) then computes the mc×nc block of C in MR×NR tiles held in registers. The
 * packed A block (mc·kc doubles) stays in the second-level cache and one panel of B (kc·NR) in the
 * first while the tiles sweep past. The macro-kernel is a WebAssembly SIMD module where the
 * engine can compile one (`WebAssembly.validate` says whether it supports f64x2), plain
 * JavaScript otherwise; both sum in the same order and give the same bits. Products that do not
 * repay the packing are plain dot products: matrix·vector (m or n is 1), where packing would copy
 * the matrix to read it once, and tiny products (m·n·k ≤ 512); measured, the blocked kernels win
 * from 8×8×8 on.
 *
 * Each entry of C is a sum over p ascending, starting from +0, in blocks of kc: C = s₁, then
 * C += s₂, ... (C += s₁, ... when accumulating). Nothing skips zeros, so NaN and ±∞ in A or B
 * reach C as in a naive loop (0·∞ is NaN). C must not overlap A or B.
 *
 * @example
 * const A = Float64Array.of(1, 2, 3, 4), B = Float64Array.of(5, 6, 7, 8), C = new Float64Array(4)
 * gemm(false, false, 2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, false)   // C = [19, 22, 43, 50]
 * gemm(true, false, 2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, true)     // C += Aᵀ·B: [45, 52, 81, 94]
 */
import { macroJs, macroModule, MR_JS, MR_WASM, NR } from './macrokernel.js';
/** Depth of a block (rows of op(B), columns of op(A)). */
const KC = 256;
/** Rows of op(A) per block: a multiple of both kernels' MR. */
const MC = 120;
/** Columns of op(B) per block: a multiple of NR. */
const NC = 512;
/** Products with m·n·k at most this go straight to dot products (when the backend is `auto`). */
const SMALL = 512;
function jsWorkspace() {
    const ws = {
        backend: 'js',
        mr: MR_JS,
        buf: new Float64Array(0),
        reserve(doubles) {
            if (ws.buf.length < doubles)
                ws.buf = new Float64Array(doubles);
        },
        macro(ap, bp, cw, kc, mPanels, nPanels, ldcw) {
            macroJs(ws.buf, ap, bp, cw, kc, mPanels, nPanels, ldcw);
        },
    };
    return ws;
}
const PAGE = 65536;
/**
 * The WebAssembly workspace, compiled synchronously (the module is under 1 KB, far below what
 * browsers allow on the main thread), or undefined where WebAssembly or its SIMD is missing or
 * compiling is refused (a content security policy, say). Addresses passed in are in bytes.
 */
function wasmWorkspace() {
    const wasm = globalThis.WebAssembly;
    if (wasm === undefined || !wasm.validate(macroModule))
        return undefined;
    let exports;
    try {
        exports = new wasm.Instance(new wasm.Module(macroModule)).exports;
    }
    catch {
        return undefined;
    }
    const memory = exports.memory;
    const macro = exports.macro;
    const ws = {
        backend: 'wasm-simd',
        mr: MR_WASM,
        buf: new Float64Array(memory.buffer),
        reserve(doubles) {
            const bytes = doubles * 8;
            if (memory.buffer.byteLength >= bytes)
                return;
            memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
            ws.buf = new Float64Array(memory.buffer); // growing detaches the old buffer
        },
        macro(ap, bp, cw, kc, mPanels, nPanels, ldcw) {
            macro(kc, mPanels, nPanels, ap * 8, bp * 8, cw * 8, ldcw * 8);
        },
    };
    return ws;
}
// -------------------------------------------------------------------------------------------------
// Choosing the backend
// -------------------------------------------------------------------------------------------------
let js;
let wasm = null; // null: not tried yet
let choice = 'auto';
const jsBackend = () => (js ??= jsWorkspace());
const wasmBackend = () => (wasm === null ? (wasm = wasmWorkspace()) : wasm);
/** The workspace large products use now. */
const large = () => (choice === 'js' ? jsBackend() : (wasmBackend() ?? jsBackend()));
/** The inner loops large products use: WebAssembly SIMD where the engine has it, unless forced to JavaScript. */
export const gemmBackend = () => large().backend;
/**
 * Chooses the inner loops (for tests and benchmarks): `auto` (the default) uses WebAssembly SIMD
 * where available and dot products for vectors and tiny products; `js` and `wasm-simd` force those
 * loops on every product, small ones too (`wasm-simd` falls back to `js` where unavailable). Returns the
 * backend now in use.
 */
export function setGemmBackend(backend) {
    choice = backend;
    return gemmBackend();
}
// -------------------------------------------------------------------------------------------------
// The product
// -------------------------------------------------------------------------------------------------
/**
 * C = op(A)·op(B) (accumulate = false) or C += op(A)·op(B) (accumulate = true), row-major doubles.
 * op(A) is m×k: A[i*lda + p] (transA false) or A[p*lda + i] (transA true), starting at aOff; likewise op(B) is k×n with ldb, bOff; C is m×n with ldc, cOff.
 */
export function gemm(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate) {
    checkOperand('A', A, aOff, lda, transA ? k : m, transA ? m : k);
    checkOperand('B', B, bOff, ldb, transB ? n : k, transB ? k : n);
    checkOperand('C', C, cOff, ldc, m, n);
    if (m === 0 || n === 0)
        return;
    // op(A)[i, p] = A[aOff + i·aRow + p·aCol], op(B)[p, j] = B[bOff + p·bRow + j·bCol]
    const aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
    const bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
    if (k === 0) {
        if (!accumulate)
            for (let i = 0; i < m; i++)
                C.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    }
    else if (choice === 'auto' && (m === 1 || n === 1 || m * n * k <= SMALL)) {
        dots(m, n, k, A, aOff, aRow, aCol, B, bOff, bRow, bCol, C, cOff, ldc, accumulate);
    }
    else {
        blocked(large(), m, n, k, A, aOff, aRow, aCol, B, bOff, bRow, bCol, C, cOff, ldc, accumulate);
    }
}
/** Refuses dimensions and strides that would read or write outside the array (a caller's bug). */
function checkOperand(name, X, off, ld, rows, cols) {
    const ints = [off, ld, rows, cols].every((v) => Number.isInteger(v) && v >= 0);
    if (!ints || (rows > 1 && ld < cols) || (rows > 0 && cols > 0 && off + (rows - 1) * ld + cols > X.length)) {
        throw new RangeError(`gemm: ${name} is ${rows}×${cols} with leading dimension ${ld} from offset ${off}, in an array of ${X.length}`);
    }
}
/** C (+)= op(A)·op(B) entry by entry: one dot product each, p ascending. */
function dots(m, n, k, A, a0, aRow, aCol, B, b0, bRow, bCol, C, c0, ldc, accumulate) {
    for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0, a = a0 + i * aRow, b = b0 + j * bCol; p < k; p++, a += aCol, b += bRow)
                s += A[a] * B[b];
            const c = c0 + i * ldc + j;
            C[c] = accumulate ? C[c] + s : s;
        }
    }
}
/** The blocked product: pack kc×nc of op(B), then mc×kc of op(A) at a time, multiply, add into C. */
function blocked(ws, m, n, k, A, a0, aRow, aCol, B, b0, bRow, bCol, C, c0, ldc, accumulate) {
    // The layout of the workspace: packed A, packed B, the block of C (padded to whole tiles).
    const mr = ws.mr;
    const mcMax = Math.min(MC, roundUp(m, mr)), kcMax = Math.min(KC, k), ncMax = Math.min(NC, roundUp(n, NR));
    const ap = 0, bp = mcMax * kcMax, cw = bp + kcMax * ncMax;
    ws.reserve(cw + mcMax * ncMax);
    const buf = ws.buf;
    for (let jc = 0; jc < n; jc += NC) {
        const nc = Math.min(NC, n - jc), nPanels = Math.ceil(nc / NR), ldcw = nPanels * NR;
        for (let pc = 0; pc < k; pc += KC) {
            const kc = Math.min(KC, k - pc);
            // op(B)ᵀ packs like op(A): its rows are the columns jc.. of op(B).
            pack(buf, bp, B, b0 + pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR);
            for (let ic = 0; ic < m; ic += MC) {
                const mc = Math.min(MC, m - ic);
                pack(buf, ap, A, a0 + ic * aRow + pc * aCol, aRow, aCol, mc, kc, mr);
                ws.macro(ap, bp, cw, kc, Math.ceil(mc / mr), nPanels, ldcw);
                store(buf, cw, ldcw, C, c0 + ic * ldc + jc, ldc, mc, nc, accumulate || pc > 0);
            }
        }
    }
}
const roundUp = (x, to) => Math.ceil(x / to) * to;
/**
 * Packs the rows × depth matrix X[x0 + i·row + p·col] into panels of `width` rows, each stored
 * column by column (dst[at + (panel·depth + p)·width + r]), the last panel padded with zeros.
 * Whole panels four rows wide (all of B's, and A's for the WebAssembly kernel) take an unrolled
 * loop: measured two to three times faster than the general one, which cost a third of the time
 * of a 256×784×256 product.
 */
function pack(dst, at, X, x0, row, col, rows, depth, width) {
    for (let i0 = 0; i0 < rows; i0 += width) {
        const live = Math.min(width, rows - i0);
        let x = x0 + i0 * row;
        if (live === 4) {
            const x1 = row, x2 = 2 * row, x3 = 3 * row;
            for (let p = 0; p < depth; p++, x += col, at += 4) {
                dst[at] = X[x];
                dst[at + 1] = X[x + x1];
                dst[at + 2] = X[x + x2];
                dst[at + 3] = X[x + x3];
            }
            continue;
        }
        for (let p = 0; p < depth; p++, x += col, at += width) {
            for (let r = 0; r < live; r++)
                dst[at + r] = X[x + r * row];
            for (let r = live; r < width; r++)
                dst[at + r] = 0;
        }
    }
}
/** Copies the rows × cols block of C out of the workspace, or adds it in. */
function store(buf, cw, ldcw, C, c0, ldc, rows, cols, add) {
    for (let i = 0; i < rows; i++, cw += ldcw, c0 += ldc) {
        if (add)
            for (let j = 0; j < cols; j++)
                C[c0 + j] += buf[cw + j];
        else
            for (let j = 0; j < cols; j++)
                C[c0 + j] = buf[cw + j];
    }
}
