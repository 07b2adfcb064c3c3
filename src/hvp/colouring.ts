/**
 * Colouring the columns of a symmetric sparsity pattern so that one Hessian-vector product per
 * colour recovers the whole Hessian.
 *
 * Columns j and k may share a colour when they are structurally orthogonal: no row i has
 * non-zeros in both. Then H·(Σ_{j of colour c} eⱼ) holds, in row i, exactly H[i][j] for the one
 * column j of colour c that row i touches ("direct recovery"). This is a distance-2 colouring
 * of the pattern's graph, where a diagonal non-zero counts as a self-loop: j and k conflict when
 * they are adjacent through a diagonal entry, or have a common neighbour. Greedy, in order of
 * decreasing degree; for a banded pattern of half-bandwidth b it uses about 2b + 1 colours.
 *
 * (A star colouring needs fewer colours by using symmetry in the recovery; this greedy
 * distance-2 colouring is simpler and its recovery involves no arithmetic at all.)
 *
 * @example
 * const { colour, count } = distance2Colouring(hessianPattern(tape))  // tridiagonal: count 3
 */
import type { SymmetricPattern } from './pattern.js'

export interface Colouring {
  /** Colour of each column, in [0, count). */
  readonly colour: Int32Array
  readonly count: number
}

/** Every column its own colour: n sweeps, for dense patterns. */
export const trivialColouring = (n: number): Colouring => ({ colour: Int32Array.from({ length: n }, (_, j) => j), count: n })

/** A greedy colouring of the columns of `p` with no two columns of a colour sharing a row. */
export function distance2Colouring(p: SymmetricPattern): Colouring {
  if (p.dense) return trivialColouring(p.n)
  const { n, rowStart, cols } = p
  const colour = new Int32Array(n).fill(-1)
  // forbidden[c] === stamp: colour c is taken by a conflicting column of the current one.
  const forbidden = new Int32Array(n + 1).fill(-1)
  const order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => rowStart[b + 1] - rowStart[b] - (rowStart[a + 1] - rowStart[a]) || a - b)
  let count = 0
  for (const j of order) {
    // Rows of column j = columns of row j (symmetric); their columns conflict with j.
    for (let r = rowStart[j]; r < rowStart[j + 1]; r++) {
      const i = cols[r]
      for (let s = rowStart[i]; s < rowStart[i + 1]; s++) {
        const k = cols[s]
        if (k !== j && colour[k] >= 0) forbidden[colour[k]] = j
      }
    }
    let c = 0
    while (forbidden[c] === j) c++
    colour[j] = c
    if (c + 1 > count) count = c + 1
  }
  return { colour, count }
}

/** True when no row of `p` has two non-zero columns of the same colour (for tests). */
export function isStructurallyOrthogonal(p: SymmetricPattern, colouring: Colouring): boolean {
  if (p.dense) return new Set(colouring.colour).size === p.n
  for (let i = 0; i < p.n; i++) {
    const seen = new Set<number>()
    for (let r = p.rowStart[i]; r < p.rowStart[i + 1]; r++) {
      const c = colouring.colour[p.cols[r]]
      if (seen.has(c)) return false
      seen.add(c)
    }
  }
  return true
}
