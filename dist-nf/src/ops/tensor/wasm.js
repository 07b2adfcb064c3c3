/**
 * A tiny WebAssembly binary emitter: a module of functions over one exported memory, written as
 * arrays of bytes with named opcodes, so that a kernel reads like the instructions it compiles to
 * and no toolchain (nor an opaque blob) is needed. Only what the tensor kernels use is here; the
 * encoding is the one of the WebAssembly core specification (§5, binary format) with the
 * fixed-width SIMD proposal (opcodes behind the 0xfd prefix).
 *
 * @example
 * // (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
 * const bytes = wasmModule([{ name: 'add', params: [i32, i32], results: [i32], locals: [], body: [...get(0), ...get(1), op.i32Add] }])
 * new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.add   // (a, b) => a + b, and `memory`
 */
// -------------------------------------------------------------------------------------------------
// Numbers and types
// -------------------------------------------------------------------------------------------------
/** Unsigned LEB128: seven bits a byte, low bits first, the high bit says "more follows". */
export function uleb(n) {
    const out = [];
    do {
        let byte = n & 0x7f;
        n >>>= 7;
        if (n !== 0)
            byte |= 0x80;
        out.push(byte);
    } while (n !== 0);
    return out;
}
/** Signed LEB128 of a 32-bit integer (for i32.const). */
export function sleb(n) {
    const out = [];
    for (;;) {
        const byte = n & 0x7f;
        n >>= 7;
        const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
        out.push(done ? byte : byte | 0x80);
        if (done)
            return out;
    }
}
export const i32 = 0x7f;
export const v128 = 0x7b;
// -------------------------------------------------------------------------------------------------
// Instructions
// -------------------------------------------------------------------------------------------------
/** Opcodes without immediates (a loop takes a block type: 0x40 is "no result"). */
export const op = {
    loop: [0x03, 0x40],
    end: 0x0b,
    i32LtU: 0x49,
    i32Add: 0x6a,
    i32Mul: 0x6c,
    f64x2Add: [0xfd, ...uleb(0xf0)],
    f64x2Mul: [0xfd, ...uleb(0xf2)],
};
export const get = (local) => [0x20, ...uleb(local)];
export const set = (local) => [0x21, ...uleb(local)];
export const tee = (local) => [0x22, ...uleb(local)];
export const i32Const = (n) => [0x41, ...sleb(n)];
/** Pops an i32 and, unless it is 0, branches to the construct `depth` levels out (0: the innermost; a loop branches back to its start). */
export const brIf = (depth) => [0x0d, ...uleb(depth)];
/** Memory access with a constant byte offset; `align` is the log2 of the promised alignment. */
const memarg = (align, offset) => [...uleb(align), ...uleb(offset)];
/** Two doubles from address + offset (8-byte aligned). */
export const v128Load = (offset) => [0xfd, ...uleb(0x00), ...memarg(3, offset)];
/** One double from address + offset, in both lanes. */
export const v128Load64Splat = (offset) => [0xfd, ...uleb(0x0a), ...memarg(3, offset)];
export const v128Store = (offset) => [0xfd, ...uleb(0x0b), ...memarg(3, offset)];
/** The all-zero vector (both lanes +0). */
export const v128Zero = [0xfd, ...uleb(0x0c), ...new Array(16).fill(0)];
const bytesOfName = (s) => {
    const codes = [...s].map((c) => c.charCodeAt(0));
    return [...uleb(codes.length), ...codes];
};
/** A count, then the items. */
const vector = (items) => [...uleb(items.length), ...items.flat()];
/** A byte length, then the bytes (sections and function bodies). */
const sized = (content) => [...uleb(content.length), ...content];
const section = (id, content) => [id, ...sized(content)];
/** Consecutive equal types as (count, type) runs, as the code section declares locals. */
function localRuns(types) {
    const runs = [];
    for (const t of types) {
        const last = runs[runs.length - 1];
        if (last !== undefined && last[1] === t)
            last[0]++;
        else
            runs.push([1, t]);
    }
    return runs.map(([count, t]) => [...uleb(count), t]);
}
/**
 * The bytes of a module with the given functions (function i has type i) and one memory of one
 * page at first, growable, exported as `memory`. ASCII names only.
 */
export function wasmModule(funcs) {
    const valTypes = (ts) => vector(ts.map((t) => [t]));
    const types = section(1, vector(funcs.map((f) => [0x60, ...valTypes(f.params), ...valTypes(f.results)])));
    const functions = section(3, vector(funcs.map((_, i) => uleb(i))));
    const memory = section(5, vector([[0x00, ...uleb(1)]]));
    const exports = section(7, vector([...funcs.map((f, i) => [...bytesOfName(f.name), 0x00, ...uleb(i)]), [...bytesOfName('memory'), 0x02, 0x00]]));
    const code = section(10, vector(funcs.map((f) => sized([...vector(localRuns(f.locals)), ...f.body, op.end]))));
    const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    return new Uint8Array([...header, ...types, ...functions, ...memory, ...exports, ...code]);
}
