/**
 * `npm run example:mlp`, checked: the toolkit's gradient of the §3.4 network equals the
 * document's closed form, computed by hand here, and central finite differences; the digits load
 * as the package ships them; a short training run learns.
 */
import { describe, expect, it } from 'vitest'
import { CLASSES, heInit, loadDigits, network, normal, PIXELS, train, uniform } from '../../examples/mlp.js'
import { orThrow, tensorEvaluate, tensorGrad, tensorOf, type Tensor } from '../../src/index.js'

// -------------------------------------------------------------------------------------------------
// The document's closed form, by hand over plain arrays (row-major)
// -------------------------------------------------------------------------------------------------

/** C = op(A)·B for an m×k op(A) (A stored k×m when `transA`) and a k×n B. */
function matmul(A: Float64Array, B: Float64Array, m: number, k: number, n: number, transA = false, transB = false): Float64Array {
  const C = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++)
      for (let j = 0; j < n; j++) C[i * n + j] += (transA ? A[p * m + i] : A[i * k + p]) * (transB ? B[j * k + p] : B[p * n + j])
  return C
}

/**
 * J and its gradient for H = relu(X W₁), logits = H W₂:
 * G = (softmax(logits) − onehot(y))/B, ∇W₂ = HᵀG + 2λW₂, G′ = (G W₂ᵀ) ⊙ 1[XW₁ > 0], ∇W₁ = XᵀG′ + 2λW₁.
 */
function closedForm(X: Float64Array, y: Float64Array, W1: Float64Array, W2: Float64Array, B: number, n: number, h: number, c: number, lambda: number) {
  const Z = matmul(X, W1, B, n, h)
  const H = Z.map((z) => Math.max(z, 0))
  const L = matmul(H, W2, B, h, c)
  const G = new Float64Array(B * c)
  let J = 0
  for (let i = 0; i < B; i++) {
    const row = L.subarray(i * c, (i + 1) * c)
    const m = Math.max(...row)
    const s = row.reduce((acc, l) => acc + Math.exp(l - m), 0)
    J += m + Math.log(s) - row[y[i]]
    for (let j = 0; j < c; j++) G[i * c + j] = (Math.exp(row[j] - m) / s - (j === y[i] ? 1 : 0)) / B
  }
  J = J / B + lambda * (W1.reduce((a, w) => a + w * w, 0) + W2.reduce((a, w) => a + w * w, 0))
  const dW2 = matmul(H, G, h, B, c, true).map((g, k) => g + 2 * lambda * W2[k])
  const Gp = matmul(G, W2, B, c, h, false, true).map((g, k) => (Z[k] > 0 ? g : 0))
  const dW1 = matmul(X, Gp, n, B, h, true).map((g, k) => g + 2 * lambda * W1[k])
  return { J, dW1, dW2, Z }
}

/** max |a − b| / max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0
  let s = 0
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]))
    s = Math.max(s, Math.abs(b[i]))
  }
  return d / s
}

// -------------------------------------------------------------------------------------------------
// A tiny network
// -------------------------------------------------------------------------------------------------

const [B, n, h, c, lambda] = [5, 6, 4, 3, 0.01]
const gauss = normal(uniform(7))
const X = tensorOf([B, n], Float64Array.from({ length: B * n }, () => gauss()))
const y = tensorOf([B], [0, 2, 1, 2, 0])
const W1 = heInit(n, h, gauss)
const W2 = heInit(h, c, gauss)
const tiny = network(B, n, h, c, lambda)

describe('example: the §3.4 network on handwritten digits', () => {
  it('has the gradient of the document’s closed form (∇W₂ = HᵀG + 2λW₂, ∇W₁ = XᵀG′ + 2λW₁)', () => {
    const want = closedForm(X.data, y.data, W1.data, W2.data, B, n, h, c, lambda)
    // Both signs of XW₁ occur, so that the mask 1[XW₁ > 0] is tested.
    expect(want.Z.some((z) => z > 0) && want.Z.some((z) => z < 0)).toBe(true)
    const got = orThrow(tensorGrad(tiny.loss, { X, y, W1, W2 }, ['W1', 'W2']))
    expect(got.gradient.W1.shape).toEqual([n, h])
    expect(got.gradient.W2.shape).toEqual([h, c])
    expect(Math.abs(got.value.data[0] - want.J) / want.J).toBeLessThan(1e-13)
    expect(relativeError(got.gradient.W1.data, want.dW1)).toBeLessThan(1e-12)
    expect(relativeError(got.gradient.W2.data, want.dW2)).toBeLessThan(1e-12)
    expect(got.warnings).toEqual([])
  })

  it('has the gradient of central finite differences', () => {
    const J = (W1: Tensor, W2: Tensor): number => orThrow(tensorEvaluate(tiny.loss, { X, y, W1, W2 })).values[0].data[0]
    const got = orThrow(tensorGrad(tiny.loss, { X, y, W1, W2 }, ['W1', 'W2'])).gradient
    const step = 1e-5
    for (const name of ['W1', 'W2'] as const) {
      const W = name === 'W1' ? W1 : W2
      const fd = Float64Array.from(W.data, (_, k) => {
        const at = (d: number): number => {
          const moved = tensorOf(W.shape, Float64Array.from(W.data, (w, j) => (j === k ? w + d : w)))
          return name === 'W1' ? J(moved, W2) : J(W1, moved)
        }
        return (at(step) - at(-step)) / (2 * step)
      })
      expect(relativeError(got[name].data, fd)).toBeLessThan(1e-7)
    }
  })

  it('loads the 10,000 labelled digits of the mnist package, pixels in [0, 1]', () => {
    const d = loadDigits()
    expect(d.count).toBe(10000)
    expect(d.images.length).toBe(10000 * PIXELS)
    const perDigit = new Array<number>(CLASSES).fill(0)
    for (const l of d.labels) perDigit[l]++
    expect(perDigit.every((k) => k > 800)).toBe(true)
    expect(d.images.every((p) => p >= 0 && p <= 1)).toBe(true)
    expect(d.images.some((p) => p === 1)).toBe(true)
  })

  // A few hundred digits, three epochs: seconds, more on a loaded machine; the timeout only stops a hang.
  it('learns: the loss falls and the test accuracy beats chance (10%) by far', { timeout: 120_000 }, () => {
    const options = { hidden: 32, batch: 25, learningRate: 0.3, epochs: 3, trainSize: 500, testSize: 200, seed: 3 }
    const r = train(options)
    expect(r.history.map((e) => e.epoch)).toEqual([1, 2, 3])
    expect(r.history[2].loss).toBeLessThan(0.7 * r.history[0].loss)
    expect(r.accuracy).toBeGreaterThan(0.6)
    expect(r.steps).toBe(3 * 20)
    // Deterministic: the same seed trains the same weights.
    expect(train({ ...options, epochs: 1 }).history[0]).toMatchObject({ loss: r.history[0].loss, accuracy: r.history[0].accuracy })
  })
})
