/**
 * A case: a program with a point, a tangent direction and output weights, its `wrt` variables (in
 * some order) and its fixed parameters; everything needed to run it in every mode.
 *
 * @example
 * const c = makeCase('sum', program([s]), ['x0', 'x1'], ['p0'], { values, dir, weights, wrtStyle: 0 })
 * compile(c.program, { wrt: c.wrt, fixed: c.fixed }).grad(c.x)
 */
import fc, { toStringMethod } from 'fast-check'
import { program, type Program } from '../../src/expr/program.js'
import { printExpr } from '../../src/ops/print.js'

/** A program with everything needed to run it in every mode. */
export interface Case {
  readonly [toStringMethod]?: () => string
  readonly label: string
  readonly program: Program
  readonly wrt: readonly string[]
  /** Values of the free variables not in `wrt`. */
  readonly fixed: Record<string, number>
  /** Every free variable's value (wrt and fixed). */
  readonly point: Record<string, number>
  /** The `wrt` values, in `wrt` order. */
  readonly x: Float64Array
  /** A tangent direction (n entries) and output weights (m entries). */
  readonly dir: Float64Array
  readonly weights: Float64Array
}

/** Evenly spread in [−2, 2] (fc.double favours tiny and special values). */
export const coord = fc.integer({ min: -20000, max: 20000 }).map((i) => i / 10000)

export const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

export interface Numbers {
  readonly values: readonly number[]
  readonly dir: readonly number[]
  readonly weights: readonly number[]
  readonly wrtStyle: number
}

const numbersArb = (len: number, point: fc.Arbitrary<number> = coord): fc.Arbitrary<Numbers> =>
  fc.record({
    values: fc.array(point, { minLength: len, maxLength: len }),
    dir: fc.array(coord, { minLength: len + 1, maxLength: len + 1 }),
    weights: fc.array(coord, { minLength: len, maxLength: len }),
    wrtStyle: fc.nat({ max: 3 }),
  })

/**
 * A case for `program` whose wrt variables are `vars` (in some order: sorted, reversed, with a
 * name the program does not use, or the default) and whose parameters `params` are fixed. Names
 * of `wrt` that the program does not use are declared as its variables (as a derivative keeps the
 * variables of its program), so that the compiled program has inputs with no slot; the point
 * gives the variables the program uses.
 */
export function makeCase(label: string, given: Program, vars: readonly string[], params: readonly string[], nums: Numbers): Case {
  const present = new Set(given.variables)
  const point: Record<string, number> = Object.fromEntries(
    [...vars, ...params].flatMap((name, i) => (present.has(name) ? [[name, nums.values[i % nums.values.length]]] : [])),
  )
  const used = vars.filter((v) => present.has(v))
  const wrt = [[...used], [...used].reverse(), [...used, 'absent'], [...vars]][nums.wrtStyle % 4]
  const p = wrt.every((name) => present.has(name)) ? given : program(given.outputs, { vector: given.vector, names: given.names, variables: wrt })
  const fixed: Record<string, number> = Object.fromEntries(params.filter((name) => present.has(name)).map((name) => [name, point[name]]))
  const m = p.outputs.length
  return {
    // fast-check prints a counterexample with this (the nested nodes of a deep program would
    // overflow the stack of its default printer).
    [toStringMethod]: () => `${label}: ${JSON.stringify({ wrt, fixed, point })} ${p.outputs.map((o) => printExpr(o, { maxLength: 2000 })).join(' ; ')}`,
    label,
    program: p,
    wrt,
    fixed,
    point,
    x: Float64Array.from(wrt, (name) => (Object.prototype.hasOwnProperty.call(point, name) ? point[name] : 0)),
    dir: Float64Array.from(wrt, (_, j) => nums.dir[j % nums.dir.length]),
    weights: Float64Array.from({ length: m }, (_, i) => nums.weights[i % nums.weights.length]),
  }
}

export const numbersFor = (len: number, point?: fc.Arbitrary<number>) => numbersArb(Math.max(len, 1), point)

/** Options shared by the generators: where the variables are sampled (default `coord`). */
export interface PointOptions {
  readonly point?: fc.Arbitrary<number>
}
