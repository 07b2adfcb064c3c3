/**
 * The arrays a sweep works on: stored slots' values, tangents, adjoints and adjoint tangents
 * (`v`, `t`, `g`, `h`), and the caller's arrays for the wrt variables (`x`, `tx`, `gx`, `hx`),
 * which templates read and write directly when a batch's row position holds only wrt variables
 * (see `direct.ts`); otherwise those four are the slot arrays themselves.
 */
export class Io {
    v;
    t;
    g;
    h;
    x;
    tx;
    gx;
    hx;
    /**
     * The sum of what the output's terms wrote into the caller's gradient in the last `grad`
     * (`gradValueSum` and `gradValueOut` add to it): finite if and only if every value written is,
     * unless it overflowed.
     */
    check = 0;
    constructor(v, t, g, h) {
        this.v = v;
        this.t = t;
        this.g = g;
        this.h = h;
        this.x = v;
        this.tx = t;
        this.gx = g;
        this.hx = h;
    }
    /** Points x, tx, gx and hx back at the slot arrays (a call binds the caller's arrays there). */
    unbind() {
        this.x = this.v;
        this.tx = this.t;
        this.gx = this.g;
        this.hx = this.h;
    }
}
/** The lanes of an affine batch's base/stride pairs (see `Access`); [] for indexed batches. */
export function lanesOf(addressing, idx) {
    if (addressing === 'indexed')
        return [];
    const width = idx.length / 2;
    const lanes = [];
    for (let p = 0; p < width; p++) {
        const stride = idx[2 * p + 1];
        let lane = stride === 0 ? -1 : p;
        for (let q = 0; q < p && lane === p; q++)
            if (idx[2 * q + 1] === stride)
                lane = q;
        lanes.push(lane);
    }
    return lanes;
}
/** A short key for an access pattern (part of the cache key of compiled templates). */
export const accessKey = (a) => `${a.addressing}:${a.direct.map((d) => (d ? 1 : 0)).join('')}:${a.lanes.join(',')}:${a.sole.map((d) => (d ? 1 : 0)).join('')}`;
