/**
 * A growable Int32Array: `push` amortised O(1), no JavaScript array of numbers (large arrays of
 * numbers grow by copying in the garbage-collected heap, typed arrays outside it).
 *
 * @example
 * const xs = new Ints(16)
 * xs.push(3)
 * xs.data.subarray(0, xs.length)  // Int32Array [3]
 */
export class Ints {
    data;
    length = 0;
    constructor(capacity) {
        this.data = new Int32Array(Math.max(16, capacity));
    }
    push(x) {
        if (this.length === this.data.length) {
            const bigger = new Int32Array(2 * this.data.length);
            bigger.set(this.data);
            this.data = bigger;
        }
        this.data[this.length++] = x;
    }
    /** Appends `src[0, length)`. */
    append(src, length) {
        if (this.length + length > this.data.length) {
            const bigger = new Int32Array(Math.max(2 * this.data.length, this.length + length));
            bigger.set(this.data);
            this.data = bigger;
        }
        this.data.set(src.subarray(0, length), this.length);
        this.length += length;
    }
}
