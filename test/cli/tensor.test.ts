/**
 * The command-line contract for tensor programs (issue 10): `--at` as JSON nested arrays (inline
 * or @file.json), `@` and the tensor functions, nested-array results of each variable's shape,
 * flattened Jacobians and Hessians with their shapes, shape errors with exit status 2 and a caret.
 */
import { describe, expect, it } from 'vitest'
import { cli, cliJson, expectBadInput } from './helpers.js'

const at = '{"X": [[1,2],[3,4]], "w": [0.5,-1]}'

describe('tensor programs on the command line', () => {
  it('grad gives each gradient in its variable\'s shape', () => {
    expect(cliJson(['grad', 'sum(X @ w)', '--at', at])).toEqual({ value: -4, gradient: { X: [[0.5, -1], [0.5, -1]], w: [4, 6] } })
    expect(cliJson(['grad', 'sum(matmul(X, w) * 2)', '--at', at, '--wrt', 'w'])).toEqual({ value: -8, gradient: { w: [8, 12] } })
  })

  it('eval of a tensor output is a nested array; a list of outputs is a list of them', () => {
    expect(cliJson(['eval', 'X @ w', '--at', at])).toEqual({ value: [-1.5, -2.5] })
    const X = '{"X": [[1,2],[3,4]]}'
    expect(cliJson(['eval', 'transpose(X)', '--at', X])).toEqual({ value: [[1, 3], [2, 4]] })
    expect(cliJson(['eval', '[sum(X), mean(X, 0)]', '--at', X])).toEqual({ value: [10, [2, 3]] })
    // a name in --at that the program does not use is refused, as for scalars (a typo)
    expect(expectBadInput(cli(['eval', 'transpose(X)', '--at', at]))).toContain("unknown variable 'w'")
    expect(cliJson(['eval', 'X + w', '--at', at])).toEqual({ value: [[1.5, 1], [3.5, 3]] }) // broadcasting: w along rows
    expect(cliJson(['eval', 'X * 2 - 1', '--at', X])).toEqual({ value: [[1, 3], [5, 7]] })
  })

  it('softmax, logsumexp and the cross-entropy over integer labels', () => {
    const r = cliJson(['eval', '[sum(softmax(X, 1), 1), logsumexp(X, 1)]', '--at', '{"X": [[1,2],[3,4]]}']) as { value: number[][] }
    expect(r.value[0]![0]).toBeCloseTo(1, 15)
    expect(r.value[1]![0]).toBeCloseTo(2 + Math.log(1 + Math.exp(-1)), 14)
    const g = cliJson(['grad', 'softmax_cross_entropy(X, y)', '--at', '{"X": [[1,2],[3,4]], "y": [0, 1]}', '--wrt', 'X']) as { value: number; gradient: { X: number[][] } }
    const s = 1 / (1 + Math.exp(1)) // softmax of the smaller logit of each row
    expect(g.value).toBeCloseTo(Math.log(1 + Math.exp(1)) / 2 + Math.log(1 + Math.exp(-1)) / 2, 14)
    expect(g.gradient.X[0]![0]).toBeCloseTo((s - 1) / 2, 15)
    expect(g.gradient.X[1]![1]).toBeCloseTo((1 - s - 1) / 2, 15)
  })

  it('jacobian flattens inputs and outputs row-major and gives the shapes', () => {
    const j = cliJson(['jacobian', 'X @ w', '--at', at, '--json'])
    expect(j).toMatchObject({ value: [-1.5, -2.5], jacobian: [[0.5, -1, 0, 0, 1, 2], [0, 0, 0.5, -1, 3, 4]], wrt: ['X', 'w'], shapes: { X: [2, 2], w: [2] } })
    expect(cliJson(['jacobian', 'X @ w', '--at', at, '--wrt', 'w', '--mode', 'reverse'])).toMatchObject({ jacobian: [[1, 2], [3, 4]], mode: 'reverse' })
    expect(cliJson(['jacobian', 'X @ w', '--at', at, '--wrt', 'w', '--mode', 'forward'])).toMatchObject({ jacobian: [[1, 2], [3, 4]], mode: 'forward' })
  })

  it('hvp and hessian of a tensor program', () => {
    expect(cliJson(['hvp', 'sum((X @ w)^2)', '--at', at, '--wrt', 'w', '--v', '{"w": [1, 0]}'])).toMatchObject({ value: 8.5, hvp: { w: [20, 28] } })
    expect(cliJson(['hessian', 'sum((X @ w)^2)', '--at', at, '--wrt', 'w'])).toMatchObject({ hessian: [[20, 28], [28, 40]], shapes: { w: [2] } })
  })

  it('the text output shows shapes', () => {
    const r = cli(['grad', 'sum(X @ w)', '--at', at])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('X [2,2] = [[0.5,-1],[0.5,-1]]')
    expect(r.stdout).toContain('w [2] = [4,6]')
  })

  it('a shape error exits 2, names the operation and both shapes, with a caret under the operator', () => {
    const message = expectBadInput(cli(['grad', 'sum(X @ w)', '--at', '{"X": [[1,2],[3,4]], "w": [1,2,3]}']))
    expect(message).toContain('matmul: shapes [2,2] and [3] do not fit: inner dimensions 2 and 3 differ')
    expect(message).toContain('  sum(X @ w)\n        ^')
    expect(expectBadInput(cli(['eval', 'X + w', '--at', '{"X": [[1,2,3],[3,4,5]], "w": [1,2]}']))).toContain('add: shapes [2,3] and [2] do not broadcast')
    expect(expectBadInput(cli(['eval', 'sum(X, 2)', '--at', '{"X": [[1,2],[3,4]]}']))).toContain('sum: shape [2,2] has no axis 2')
  })

  it('a variable missing from --at is named, not taken for a scalar in a shape error', () => {
    expect(expectBadInput(cli(['eval', 'sum(X @ ww)', '--at', '{"X": [[1,2],[3,4]]}']))).toContain("no value given for variable 'ww'")
    expect(expectBadInput(cli(['eval', 'H = X @ W\nsum(H * 2e3 + pi)', '--at', '{"X": [[1,2],[3,4]]}']))).toContain("no value given for variable 'W'")
  })

  it('bad tensors in --at are refused with the reason', () => {
    expect(expectBadInput(cli(['eval', 'sum(X)', '--at', '{"X": [[1,2],[3]]}']))).toContain('ragged')
    expect(expectBadInput(cli(['eval', 'sum(X)', '--at', '{"X": [[1,"a"]]}']))).toContain('not an array of numbers')
    expect(expectBadInput(cli(['eval', 'sum(X)', '--at', '{"X": []}']))).toContain('empty')
    expect(expectBadInput(cli(['grad', 'softmax_cross_entropy(X, y)', '--at', '{"X": [[1,2]], "y": [2]}']))).toContain('label 2 (entry 0) is not an integer index in [0, 2)')
    expect(expectBadInput(cli(['grad', 'X @ w', '--at', at]))).toContain('one scalar output')
    // Session 11 trial: a 300×300 X @ W asked for an 8.1·10^9-entry Jacobian (internal error), 150×150
    // ran out of memory; both are refused before anything is computed.
    const big = JSON.stringify({ X: Array.from({ length: 300 }, () => Array<number>(300).fill(0.5)), W: Array.from({ length: 300 }, () => Array<number>(300).fill(0.25)) })
    expect(expectBadInput(cli(['jacobian', 'X @ W', '--at', big, '--wrt', 'W']))).toBe('chainrule: error: the Jacobian has 90000×90000 entries, too many to print as rows (at most 4000000); use grad or hvp for a scalar loss\n')
    expect(expectBadInput(cli(['hessian', 'sum((X @ W)^2)', '--at', big, '--wrt', 'W']))).toBe('chainrule: error: the Hessian over 90000 entries is too large to print (at most 2000); use hvp\n')
    // Labels and indices are not differentiated, and do not count (session 11 review: 2 500 indices
    // made a 3×3 Hessian "too large").
    const take = JSON.stringify({ w: [1, 2, 3], i: [...Array<number>(2500).fill(0), 2] })
    expect(cliJson(['hessian', 'sum(take(w, i)*take(w, i))', '--at', take]).hessian).toEqual([[5000, 0, 0], [0, 0, 0], [0, 0, 2]])
  })

  it('non-finite entries are written by name and warned about, in both forms', () => {
    const r = cli(['grad', 'sum(log(X))', '--at', '{"X": [[1,0],[3,4]]}'])
    expect(r.stdout).toContain('X [2,2] = [[1,Infinity],[0.3333333333333333,0.25]]')
    expect(r.stdout).toContain('log(X) has 1 non-finite entry from finite arguments')
    const j = cliJson(['grad', 'sum(log(X))', '--at', '{"X": [[1,0],[3,4]]}'])
    expect(j).toMatchObject({ value: '-Infinity', gradient: { X: [[1, 'Infinity'], [1 / 3, 0.25]] } })
    expect((j as { warnings: string[] }).warnings).toContain('the derivative with respect to X has 1 non-finite entry')
  })

  it('labels are data: refused when negative, and left out of the default --wrt', () => {
    expect(expectBadInput(cli(['grad', 'softmax_cross_entropy(L, y)', '--at', '{"L": [[1,2]], "y": [-1]}']))).toContain('label -1 (entry 0) is not an integer index in [0, 2)')
    expect(expectBadInput(cli(['eval', 'sum(take(x, i))', '--at', '{"x": [1,2,3], "i": [-1]}']))).toContain('index -1 (entry 0) is not an integer index in [0, 3)')
    expect(Object.keys((cliJson(['grad', 'softmax_cross_entropy(L, y)', '--at', '{"L": [[1,2]], "y": [0]}']) as { gradient: object }).gradient)).toEqual(['L'])
    // named explicitly, a label is refused (as JAX refuses integer inputs), not given a zero derivative
    expect(expectBadInput(cli(['grad', 'softmax_cross_entropy(L, y)', '--at', '{"L": [[1,2]], "y": [0]}', '--wrt', 'L,y']))).toContain("'y' in wrt reaches the outputs only as labels or indices, which are not differentiable (differentiate with respect to 'L')")
  })

  it('@file.json gives tensors too', () => {
    const r = cli(['grad', 'sum(X @ w)', '--at', '@p.json', '--json'], { readFile: () => at })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ value: -4, gradient: { X: [[0.5, -1], [0.5, -1]], w: [4, 6] } })
  })

  it('the document\'s network: relu(X @ W1) @ W2 with the cross-entropy, gradient with respect to the weights', () => {
    const point = '{"X": [[1,2],[3,4]], "W1": [[0.5,-1],[1,1]], "W2": [[1,0,0],[0,1,0]], "y": [0,2]}'
    const g = cliJson(['grad', 'H = relu(X @ W1)\nJ = softmax_cross_entropy(H @ W2, y)', '--at', point, '--wrt', 'W1,W2']) as { gradient: { W1: number[][]; W2: number[][] } }
    expect(g.gradient.W1.length).toBe(2)
    expect(g.gradient.W2[0]!.length).toBe(3)
  })
})

describe('tensor programs: a syntax error is the error, a misspelt key the point\'s (session 10 trial)', () => {
  it('reports the parse error, not a missing variable', () => {
    expect(expectBadInput(cli(['eval', 'sum(A) + sin(B', '--at', '{"A":[1]}']))).toContain("expected ')' to close this '('")
    expect(expectBadInput(cli(['eval', 'A.T', '--at', '{"A":[[1]]}']))).toContain("unexpected character '.'")
  })

  it('a tensor in --at under a name the program does not use is the point\'s error, with a suggestion', () => {
    expect(expectBadInput(cli(['grad', 'sum(X*w)', '--at', '{"X":[1,2],"ww":[1,2]}']))).toContain("unknown variable 'ww' in --at (did you mean 'w'?)")
  })
})
