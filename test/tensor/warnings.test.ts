/**
 * Warnings of the tensor value sweep: an entrywise operation at its kink says in how many entries
 * (relu at 0, a tie of max), with broadcast arguments read at the entry broadcasting puts there;
 * non-finite values are reported where they first appear.
 */
import { describe, expect, it } from 'vitest'
import { log, max, orThrow, program, relu, tensorEvaluate, variable } from '../../src/index.js'

const messages = (w: readonly { _tag: string; message: string }[]): string[] => w.map((x) => `${x._tag}: ${x.message}`)

describe('tensor value warnings', () => {
  it('counts the entries of relu at 0', () => {
    const p = program([relu(variable('Z', [2, 3]))])
    const r = orThrow(tensorEvaluate(p, { Z: [[0, 1, -1], [2, 0, 0]] }))
    expect(messages(r.warnings)).toEqual([expect.stringMatching(/^NonDifferentiable: .* in 3 of 6 entries: relu is not differentiable at 0/)])
    expect(orThrow(tensorEvaluate(p, { Z: [[1, 1, -1], [2, -3, 4]] })).warnings).toEqual([])
  })

  it('reads a broadcast argument at the entry broadcasting puts there (a column against a matrix)', () => {
    // max(a, B) with a [3,1] stretched along the rows of B [3,4]: ties at (0,0), (1,1), (1,3).
    const p = program([max(variable('a', [3, 1]), variable('B', [3, 4]))])
    const point = { a: [[1], [2], [3]], B: [[1, 0, 0, 0], [0, 2, 0, 2], [0, 0, 0, 0]] }
    const r = orThrow(tensorEvaluate(p, point))
    expect(messages(r.warnings)).toEqual([expect.stringMatching(/ in 3 of 12 entries: max has a tie/)])
    // A row against a matrix, and a scalar: the other two ways an argument is read.
    const row = program([max(variable('a', [4]), variable('B', [3, 4]))])
    expect(messages(orThrow(tensorEvaluate(row, { a: [0, 5, 5, 2], B: point.B })).warnings)).toEqual([expect.stringMatching(/ in 3 of 12 entries/)])
    const scalar = program([max(variable('s', []), variable('B', [3, 4]))])
    expect(messages(orThrow(tensorEvaluate(scalar, { s: 2, B: point.B })).warnings)).toEqual([expect.stringMatching(/ in 2 of 12 entries/)])
  })

  it('reports non-finite values where they arise from finite arguments', () => {
    const p = program([relu(log(variable('x', [3])))])
    const r = orThrow(tensorEvaluate(p, { x: [1, 0, 2] }))
    expect(messages(r.warnings)).toEqual([expect.stringMatching(/^NonFiniteValue: log\(x\) has 1 non-finite entries from finite arguments/), expect.stringMatching(/^NonDifferentiable: .* in 1 of 3 entries/)])
  })
})
