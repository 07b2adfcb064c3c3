/**
 * One reusable buffer for the tangent or adjoint lanes. Allocating tens of megabytes of zeroed
 * memory per Jacobian costs more than many sweeps (the pages are mapped and zeroed by the system
 * on first touch), so the buffer of the last computation is kept for the next one, up to
 * `keepBytes`. A buffer is always handed back all zeros.
 *
 * @example
 * const t = takeZeros(size * w)
 * ... sweeps ...
 * giveBack(t)   // the caller has zeroed every lane it wrote
 */
/** Largest buffer kept between computations. */
export const keepBytes = 64 * 2 ** 20;
let kept;
/** A zeroed array of `length` numbers (a view of the kept buffer when it is big enough). */
export function takeZeros(length) {
    const k = kept;
    if (k !== undefined && k.length >= length) {
        kept = undefined;
        return k.subarray(0, length);
    }
    return new Float64Array(length);
}
/** Returns a buffer from `takeZeros`, which must be all zeros again. */
export function giveBack(buffer) {
    const whole = buffer.byteOffset === 0 ? new Float64Array(buffer.buffer) : buffer;
    if (whole.byteLength > keepBytes)
        return;
    if (kept === undefined || kept.length < whole.length)
        kept = whole;
}
