/**
 * The part of the `mnist` package (1.1.0, CommonJS, no types of its own) that `mlp.ts` uses:
 * `mnist[d]` holds the images of the digit d, `raw` their pixels one image after another
 * (28 × 28 = 784 numbers each, row by row, already divided by 255 and rounded to 3 decimals).
 * `mnist.set(train, test)` is not used: it shuffles with `Math.random`, and the runs here are
 * deterministic.
 */
declare module 'mnist' {
  interface Digit {
    readonly id: number
    /** The number of images of this digit. */
    readonly length: number
    /** Their pixels, image after image, each in [0, 1]. */
    readonly raw: readonly number[]
  }
  const mnist: { readonly [digit: number]: Digit }
  export default mnist
}
