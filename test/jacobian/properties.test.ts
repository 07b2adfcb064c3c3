/**
 * Property tests over random vector programs drawn from the rule table: forward, reverse and auto
 * Jacobians agree with each other to 1e-12 (relative to max(1, |a|, |b|)), compressed (sparse)
 * Jacobians equal dense ones, patterns cover every non-zero, colourings are valid, and the
 * Jacobian agrees with central finite differences.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chooseMode, jacobian, sparsityPattern, toDense, type DenseMatrix } from '../../src/jacobian/index.js'
import { colourColumns, colourRows } from '../../src/jacobian/colour.js'
import { columnView } from '../../src/jacobian/pattern.js'
import { tapeFor } from '../../src/tape/tape.js'
import { allFiniteMatrix, centralDifferences, mismatch, samples, smoothOps, unwrap } from './gen.js'

const AD_REL = 1e-12

const dense = (p: Parameters<typeof jacobian>[0], pt: Record<string, number>, wrt: readonly string[], mode: 'auto' | 'forward' | 'reverse', sparse?: boolean): DenseMatrix =>
  toDense(unwrap(jacobian(p, pt, { wrt, mode, sparse })).jacobian)

describe('random vector programs', () => {
  it('forward, reverse and auto agree, dense and compressed', () => {
    fc.assert(
      fc.property(samples(), ({ program, point, wrt }) => {
        const f = dense(program, point, wrt, 'forward')
        fc.pre(allFiniteMatrix(f))
        const others = {
          reverse: dense(program, point, wrt, 'reverse'),
          auto: dense(program, point, wrt, 'auto'),
          forwardSparse: dense(program, point, wrt, 'forward', true),
          reverseSparse: dense(program, point, wrt, 'reverse', true),
          autoSparse: dense(program, point, wrt, 'auto', true),
        }
        for (const [name, J] of Object.entries(others)) {
          const bad = mismatch(f, J, AD_REL)
          if (bad !== undefined) throw new Error(`forward vs ${name} at ${bad}`)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('agree with each other on wide programs that need several sweeps', () => {
    fc.assert(
      fc.property(samples({ minInputs: 20, maxInputs: 40, minOutputs: 17, maxOutputs: 40, minSteps: 40, maxSteps: 80 }), ({ program, point, wrt }) => {
        const f = dense(program, point, wrt, 'forward')
        fc.pre(allFiniteMatrix(f))
        for (const [name, J] of Object.entries({
          reverse: dense(program, point, wrt, 'reverse'),
          auto: dense(program, point, wrt, 'auto'),
          forwardSparse: dense(program, point, wrt, 'forward', true),
          reverseSparse: dense(program, point, wrt, 'reverse', true),
        })) {
          const bad = mismatch(f, J, AD_REL)
          if (bad !== undefined) throw new Error(`forward vs ${name} at ${bad}`)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('agree with central finite differences', () => {
    fc.assert(
      fc.property(samples({ ops: smoothOps }), ({ program, point, wrt }) => {
        const r = unwrap(jacobian(program, point, { wrt }))
        const J = toDense(r.jacobian)
        fc.pre(allFiniteMatrix(J) && r.values.every((v) => Number.isFinite(v) && Math.abs(v) < 1e6))
        const { J: fd, steps } = centralDifferences(program, point, wrt)
        J.forEach((row, i) =>
          row.forEach((d, j) => {
            // Rounding of f(x ± h) over 2h, plus truncation h²·f‴/6, bounded generously.
            const tol = (1e3 * Number.EPSILON * Math.max(1, Math.abs(r.values[i]))) / steps[j] + 1e2 * steps[j] * Math.max(1, Math.abs(d))
            if (Math.abs(fd[i][j] - d) > tol) throw new Error(`(${i}, ${j}): AD ${d}, FD ${fd[i][j]}`)
          }),
        )
      }),
      { numRuns: 200 },
    )
  })

  it('the pattern covers every non-zero entry, and colourings are structurally orthogonal', () => {
    fc.assert(
      fc.property(samples(), ({ program, point, wrt }) => {
        const p = unwrap(sparsityPattern(program, wrt))
        const J = dense(program, point, wrt, 'forward')
        const inPattern = (i: number, j: number): boolean => Array.from(p.colIdx.subarray(p.rowPtr[i], p.rowPtr[i + 1])).includes(j)
        J.forEach((row, i) => row.forEach((v, j) => expect(v === 0 || Number.isNaN(v) || inPattern(i, j)).toBe(true)))
        const view = columnView(p)
        const tape = tapeFor(program.outputs, wrt)
        const cols = colourColumns(p, view, tape.wrtSlots)
        const rows = colourRows(p, view, tape.outputs)
        if (cols === undefined || rows === undefined) throw new Error('no budget was given')
        for (let i = 0; i < p.shape[0]; i++) {
          const seen = p.colIdx.subarray(p.rowPtr[i], p.rowPtr[i + 1]).map((j) => cols.colourOf[j])
          expect(new Set(seen).size).toBe(seen.length)
        }
        for (let j = 0; j < p.shape[1]; j++) {
          const seen = view.rowIdx.subarray(view.colPtr[j], view.colPtr[j + 1]).map((i) => rows.colourOf[i])
          expect(new Set(seen).size).toBe(seen.length)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('the cost model counts the same sweeps the computation runs', () => {
    fc.assert(
      fc.property(samples(), ({ program, point, wrt }) => {
        for (const mode of ['forward', 'reverse'] as const) {
          const r = unwrap(jacobian(program, point, { wrt, mode }))
          const c = unwrap(chooseMode(program, wrt, { mode }))
          expect(r.cost).toEqual(c)
          expect(r.sweeps).toBe(c[mode].sweeps)
          expect(c[mode].sweeps).toBe(Math.ceil((mode === 'forward' ? c.inputs : c.outputs) / 16))
        }
      }),
      { numRuns: 100 },
    )
  })
})
