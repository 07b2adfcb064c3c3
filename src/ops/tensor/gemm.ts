/**
 * The matrix product kernel (a plain loop for now; the blocked kernel replaces it).
 */

/**
 * C = op(A)·op(B) (accumulate = false) or C += op(A)·op(B) (accumulate = true), row-major doubles.
 * op(A) is m×k: A[i*lda + p] (transA false) or A[p*lda + i] (transA true), starting at aOff; likewise op(B) is k×n with ldb, bOff; C is m×n with ldc, cOff.
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number, C: Float64Array, cOff: number, ldc: number, accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    const c0 = cOff + i * ldc
    if (!accumulate) C.fill(0, c0, c0 + n)
    for (let p = 0; p < k; p++) {
      const a = transA ? A[aOff + p * lda + i] : A[aOff + i * lda + p]
      if (transB) for (let j = 0; j < n; j++) C[c0 + j] += a * B[bOff + j * ldb + p]
      else {
        const b0 = bOff + p * ldb
        for (let j = 0; j < n; j++) C[c0 + j] += a * B[b0 + j]
      }
    }
  }
}
