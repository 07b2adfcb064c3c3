/**
 * The matrix product `gemm` against a naive triple loop, on every backend (`js` and `wasm-simd`
 * forced on every product, and `auto`, which sends vectors and tiny products to dot products):
 * - random m, n, k in 1..70 (1, primes, sizes that are not whole tiles), the four transposes,
 *   offsets and leading dimensions past the row length, accumulate or not: close to the naive loop
 *   (a relative bound, the summation orders differ), and nothing outside C's window written;
 * - small integer matrices: exactly the naive result;
 * - NaN and ±∞: the same NaN and infinity pattern as the naive loop (0·∞ is NaN);
 * - the two kernels give the same bits, and sizes past one block in every dimension.
 * No timing here: the speed is measured by `npm run bench -- gemm`.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { gemm, gemmBackend, setGemmBackend, type GemmBackend } from '../../src/ops/tensor/gemm.js'
import { macroModule } from '../../src/ops/tensor/macrokernel.js'
import { sleb, uleb } from '../../src/ops/tensor/wasm.js'

const timeout = 120_000
const backends = ['js', 'wasm-simd', 'auto'] as const

afterEach(() => {
  setGemmBackend('auto')
})

// -------------------------------------------------------------------------------------------------
// Cases and the oracle
// -------------------------------------------------------------------------------------------------

/** One call of gemm: shapes, layout, and the seed of its numbers. */
interface Case {
  readonly m: number
  readonly n: number
  readonly k: number
  readonly transA: boolean
  readonly transB: boolean
  /** Offsets of the operands in their arrays, and how far each leading dimension exceeds a row. */
  readonly aOff: number
  readonly bOff: number
  readonly cOff: number
  readonly aPad: number
  readonly bPad: number
  readonly cPad: number
  readonly accumulate: boolean
  readonly seed: number
}

/** Sizes around the tiles (3 and 4 rows, 4 columns) and a few primes, or anything up to 70. */
const dim = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 11, 13, 31, 61, 64, 67, 70), fc.integer({ min: 1, max: 70 }))
const cases: fc.Arbitrary<Case> = fc.record({
  m: dim, n: dim, k: dim,
  transA: fc.boolean(), transB: fc.boolean(),
  aOff: fc.nat(5), bOff: fc.nat(5), cOff: fc.nat(5),
  aPad: fc.nat(3), bPad: fc.nat(3), cPad: fc.nat(3),
  accumulate: fc.boolean(),
  seed: fc.integer(),
})

/** A small seeded generator (mulberry32): uniform in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The operands of a case as stored: rows × cols with leading dimension ld from the offset. */
interface Operands {
  readonly A: Float64Array
  readonly B: Float64Array
  readonly C: Float64Array
  readonly lda: number
  readonly ldb: number
  readonly ldc: number
}

/** Fresh arrays for `c`: every entry (the padding too) drawn by `value`, which gets the generator. */
function operands(c: Case, value: (next: () => number) => number): Operands {
  const next = random(c.seed)
  const [aRows, aCols] = c.transA ? [c.k, c.m] : [c.m, c.k]
  const [bRows, bCols] = c.transB ? [c.n, c.k] : [c.k, c.n]
  const lda = aCols + c.aPad, ldb = bCols + c.bPad, ldc = c.n + c.cPad
  const fill = (length: number): Float64Array => Float64Array.from({ length }, () => value(next))
  return { A: fill(c.aOff + aRows * lda + 2), B: fill(c.bOff + bRows * ldb + 2), C: fill(c.cOff + c.m * ldc + 2), lda, ldb, ldc }
}

const uniform = (next: () => number): number => 2 * next() - 1
const smallInt = (next: () => number): number => Math.floor(next() * 33) - 16
/** Mostly uniform; one in ten a special value: 0, ±∞ or NaN. */
const withSpecials = (next: () => number): number => (next() < 0.1 ? [0, Infinity, -Infinity, NaN][Math.floor(next() * 4)] : uniform(next))

/** The numbers of the property tests, and what is asked of each kind. */
const numberKinds = [
  { name: 'uniform numbers: close to the naive loop, and only the window of C written', value: uniform, exact: false, runs: 200 },
  { name: 'integers in −16..16: exactly the naive result', value: smallInt, exact: true, runs: 100 },
  { name: 'one number in ten 0, ±∞ or NaN: NaN and infinities where the naive loop has them', value: withSpecials, exact: false, runs: 100 },
]

/** gemm on copies of the operands; returns the new C. */
function run(c: Case, o: Operands): Float64Array {
  const C = o.C.slice()
  gemm(c.transA, c.transB, c.m, c.n, c.k, o.A.slice(), c.aOff, o.lda, o.B.slice(), c.bOff, o.ldb, C, c.cOff, o.ldc, c.accumulate)
  return C
}

const opA = (c: Case, o: Operands, i: number, p: number): number => (c.transA ? o.A[c.aOff + p * o.lda + i] : o.A[c.aOff + i * o.lda + p])
const opB = (c: Case, o: Operands, p: number, j: number): number => (c.transB ? o.B[c.bOff + j * o.ldb + p] : o.B[c.bOff + p * o.ldb + j])

/**
 * The naive triple loop: C and, for each entry, Σ|a||b| (+|C|), the scale of its rounding error.
 */
function naive(c: Case, o: Operands): { C: Float64Array; scale: Float64Array } {
  const C = o.C.slice()
  const scale = new Float64Array(C.length)
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      const at = c.cOff + i * o.ldc + j
      let s = 0
      let size = c.accumulate ? Math.abs(C[at]) : 0
      for (let p = 0; p < c.k; p++) {
        const ab = opA(c, o, i, p) * opB(c, o, p, j)
        s += ab
        size += Math.abs(ab)
      }
      C[at] = c.accumulate ? C[at] + s : s
      scale[at] = size
    }
  }
  return { C, scale }
}

/** Indices of C outside the window gemm may write. */
function outside(c: Case, o: Operands): number[] {
  const inside = new Set<number>()
  for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) inside.add(c.cOff + i * o.ldc + j)
  return Array.from({ length: o.C.length }, (_, i) => i).filter((i) => !inside.has(i))
}

/**
 * The entries where gemm and the naive loop differ, as text (the first few): beyond the rounding
 * of two summation orders where the naive result is finite (each is within (k + 1)·ε·Σ|a||b| of
 * the exact sum; nothing when `exact`), in any way where it is NaN or infinite; and any entry
 * written outside C's window.
 */
function farFromNaive(c: Case, o: Operands, exact = false): string[] {
  const got = run(c, o)
  const want = naive(c, o)
  const tol = exact ? 0 : 2 * (c.k + 2) * Number.EPSILON
  const wrong: string[] = []
  for (let i = 0; i < got.length && wrong.length < 5; i++) {
    const w = want.C[i]
    const same = Number.isFinite(w) ? Math.abs(got[i] - w) <= tol * want.scale[i] : Object.is(got[i], w)
    if (!same) wrong.push(`C[${i}] = ${got[i]}, naive ${w}`)
  }
  for (const i of outside(c, o)) if (!Object.is(got[i], o.C[i])) wrong.push(`wrote C[${i}] outside the window`)
  return wrong
}

const show = (c: Case): string => JSON.stringify(c)

// -------------------------------------------------------------------------------------------------
// Against the naive loop, on every backend
// -------------------------------------------------------------------------------------------------

describe.each(backends)('gemm, backend %s', (backend) => {
  const use = (): void => {
    setGemmBackend(backend)
  }

  it.each(numberKinds)('$name', ({ value, exact, runs }) => {
    use()
    fc.assert(
      fc.property(cases, (c) => {
        expect(farFromNaive(c, operands(c, value), exact), show(c)).toEqual([])
      }),
      { numRuns: runs },
    )
  }, timeout)

  it('handles sizes past one block in every dimension (m > 120, k > 256, n > 512)', () => {
    use()
    for (const [transA, transB] of [[false, false], [true, true]]) {
      const c: Case = { m: 125, n: 517, k: 261, transA, transB, aOff: 3, bOff: 1, cOff: 2, aPad: 1, bPad: 2, cPad: 3, accumulate: true, seed: 7 }
      const o = operands(c, uniform)
      expect(farFromNaive(c, o), show(c)).toEqual([])
    }
  }, timeout)

  it('with k = 0 sets C to zero, or leaves it when accumulating; with m or n = 0 does nothing', () => {
    use()
    const C = Float64Array.of(1, 2, 3, 4, 5)
    gemm(false, false, 2, 2, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, C, 1, 2, true)
    expect(Array.from(C)).toEqual([1, 2, 3, 4, 5])
    gemm(false, false, 2, 2, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, C, 1, 2, false)
    expect(Array.from(C)).toEqual([1, 0, 0, 0, 0])
    gemm(false, false, 0, 3, 2, new Float64Array(0), 0, 2, new Float64Array(6), 0, 3, C, 0, 3, false)
    expect(Array.from(C)).toEqual([1, 0, 0, 0, 0])
  })
})

// -------------------------------------------------------------------------------------------------
// The backends
// -------------------------------------------------------------------------------------------------

describe('backends', () => {
  it('WebAssembly SIMD is used where available (it is, in the Node versions we support)', () => {
    expect(gemmBackend()).toBe('wasm-simd')
    expect(setGemmBackend('js')).toBe('js')
    expect(gemmBackend()).toBe('js')
    expect(setGemmBackend('wasm-simd')).toBe('wasm-simd')
  })

  it('the JavaScript and WebAssembly kernels give the same bits, NaN and infinities included', () => {
    const on = (backend: GemmBackend, c: Case, o: Operands): Float64Array => {
      setGemmBackend(backend)
      return run(c, o)
    }
    fc.assert(
      fc.property(cases, fc.boolean(), (c, specials) => {
        const o = operands(c, specials ? withSpecials : uniform)
        const js = on('js', c, o), simd = on('wasm-simd', c, o)
        for (let i = 0; i < js.length; i++) if (!Object.is(js[i], simd[i])) throw new Error(`${show(c)}: C[${i}] is ${js[i]} in js, ${simd[i]} in wasm-simd`)
      }),
      { numRuns: 200 },
    )
  }, timeout)

  it('the worked example of the module documentation', () => {
    const A = Float64Array.of(1, 2, 3, 4), B = Float64Array.of(5, 6, 7, 8), C = new Float64Array(4)
    gemm(false, false, 2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, false)
    expect(Array.from(C)).toEqual([19, 22, 43, 50])
    gemm(true, false, 2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, true)
    expect(Array.from(C)).toEqual([45, 52, 81, 94])
  })

  it('refuses operands that do not fit their arrays', () => {
    const x = new Float64Array(6)
    expect(() => gemm(false, false, 2, 3, 3, x, 0, 3, x, 0, 3, new Float64Array(6), 0, 3, false)).toThrow(/B is 3×3 with leading dimension 3 from offset 0, in an array of 6/)
    expect(() => gemm(false, false, 2, 3, 3, x, 1, 3, new Float64Array(9), 0, 3, new Float64Array(6), 0, 3, false)).toThrow(RangeError)
    expect(() => gemm(false, false, 2, 2, 3, x, 0, 2, new Float64Array(9), 0, 3, new Float64Array(6), 0, 3, false)).toThrow(/leading dimension 2/)
  })
})

describe('the WebAssembly module', () => {
  it('is small enough for a synchronous compile on a browser main thread (< 4 KB)', () => {
    expect(macroModule.length).toBeLessThan(4096)
  })

  it('LEB128 numbers as in the specification', () => {
    expect(uleb(0)).toEqual([0])
    expect(uleb(127)).toEqual([0x7f])
    expect(uleb(128)).toEqual([0x80, 0x01])
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(sleb(-1)).toEqual([0x7f])
    expect(sleb(63)).toEqual([0x3f])
    expect(sleb(64)).toEqual([0xc0, 0x00])
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78])
  })
})
