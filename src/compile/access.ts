/**
 * How a template reaches its operands: the arrays of a sweep (`Io`), and how a batch addresses
 * its instances' slots (indexed rows, or affine lanes) and which of them are the caller's arrays.
 *
 * @example
 * lanesOf('affine', Int32Array.of(0, 2, 1, 2, 7, 0))  // [0, 0, -1]: two positions in one lane, one fixed slot
 */
import type { Access, Addressing } from './types.js'

type F64 = Float64Array

/**
 * The arrays a sweep works on: stored slots' values, tangents, adjoints and adjoint tangents
 * (`v`, `t`, `g`, `h`), and the caller's arrays for the wrt variables (`x`, `tx`, `gx`, `hx`),
 * which templates read and write directly when a batch's row position holds only wrt variables
 * (see `direct.ts`); otherwise those four are the slot arrays themselves.
 */
export class Io {
  x: F64
  tx: F64
  gx: F64
  hx: F64
  /**
   * The sum of what the output's terms wrote into the caller's gradient in the last `grad`
   * (`gradValueSum` and `gradValueOut` add to it): finite if and only if every value written is,
   * unless it overflowed.
   */
  check = 0
  constructor(
    readonly v: F64,
    readonly t: F64,
    readonly g: F64,
    readonly h: F64,
  ) {
    this.x = v
    this.tx = t
    this.gx = g
    this.hx = h
  }

  /** Points x, tx, gx and hx back at the slot arrays (a call binds the caller's arrays there). */
  unbind(): void {
    this.x = this.v
    this.tx = this.t
    this.gx = this.g
    this.hx = this.h
  }
}

/** The lanes of an affine batch's base/stride pairs (see `Access`); [] for indexed batches. */
export function lanesOf(addressing: Addressing, idx: Int32Array): number[] {
  if (addressing === 'indexed') return []
  const width = idx.length / 2
  const lanes: number[] = []
  for (let p = 0; p < width; p++) {
    const stride = idx[2 * p + 1]
    let lane = stride === 0 ? -1 : p
    for (let q = 0; q < p && lane === p; q++) if (idx[2 * q + 1] === stride) lane = q
    lanes.push(lane)
  }
  return lanes
}

/** A short key for an access pattern (part of the cache key of compiled templates). */
export const accessKey = (a: Access): string => `${a.addressing}:${a.direct.map((d) => (d ? 1 : 0)).join('')}:${a.lanes.join(',')}:${a.sole.map((d) => (d ? 1 : 0)).join('')}:${a.first.map((d) => (d ? 1 : 0)).join('')}`
