/**
 * The kit's arbitraries, checked: programs use only the chosen operations (and the add, mul and
 * sigmoid that map arguments into a domain and combine outputs), rebuild from their recipe, and come
 * with a point for exactly their variables; arguments stay inside an operation's domain and away
 * from its kink; a name that is no operation is refused by name.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { structurallyEqual, topoOrder } from '../../src/expr/graph.js'
import { table } from '../../src/ops/table.js'
import { defineOp } from '../../src/index.js'
import { allOps, arbitraryArgs, arbitraryPoint, arbitraryProgram, checkAgainst, programOf, smoothOps } from '../../src/testing/index.js'
import { parse } from '../../src/lang/index.js'
import { orThrow } from '../../src/either.js'

describe('arbitraries', () => {
  it('programs over chosen operations, rebuilt from their recipes, with a point for their variables', () => {
    const glue = new Set(['add', 'mul', 'sigmoid'])
    fc.assert(
      fc.property(arbitraryProgram({ ops: ['log', 'atan2'], outputs: 2, variables: ['a', 'b'] }), ({ program, point, recipe }) => {
        const ops = new Set(topoOrder(program.outputs).flatMap((n) => (n._tag === 'apply' ? [n.op] : [])))
        for (const op of ops) expect(op === 'log' || op === 'atan2' || glue.has(op), op).toBe(true)
        expect(Object.keys(point)).toEqual(program.variables)
        expect(program.variables.every((v) => v === 'a' || v === 'b')).toBe(true)
        expect(program.outputs.length).toBe(2)
        const again = programOf(recipe)
        program.outputs.forEach((o, i) => expect(structurallyEqual(o, again.outputs[i]!)).toBe(true))
      }),
    )
  })

  it('arguments inside the domain, away from the kink; points in their interval', () => {
    fc.assert(fc.property(arbitraryArgs('log'), ([x]) => x! >= table.log.domain[0][0] && x! <= table.log.domain[0][1]))
    fc.assert(fc.property(arbitraryArgs('abs', { awayFromKink: 0.5 }), ([x]) => Math.abs(x!) > 0.5))
    fc.assert(fc.property(arbitraryPoint(['p', 'q'], { min: 1, max: 2 }), (pt) => Object.keys(pt).join() === 'p,q' && Object.values(pt).every((v) => v >= 1 && v <= 2)))
  })

  it('smoothOps leaves out kinks and stop_gradient; unknown names are refused', () => {
    expect(smoothOps()).toContain('sin')
    expect(smoothOps()).not.toContain('abs')
    expect(smoothOps()).not.toContain('stop_gradient')
    expect(allOps()).toContain('abs')
    expect(() => arbitraryArgs('matmul')).toThrow("'matmul' is not a scalar operation of the table")
    expect(() => arbitraryProgram({ ops: ['nope'] })).toThrow("'nope' is not a scalar operation of the table")
    expect(() => arbitraryProgram({ ops: [] })).toThrow('arbitraryProgram needs at least one operation')
  })

  it('smoothOps leaves out an operation defined without partials (finite differences cannot check it)', () => {
    defineOp({ name: 'floor_no_derivative', arity: 1, fn: Math.floor })
    expect(allOps()).toContain('floor_no_derivative')
    expect(smoothOps()).not.toContain('floor_no_derivative')
  })

  it('names, sizes and bounds that can only be mistakes are refused by name', () => {
    expect(() => arbitraryPoint(['pi', 'x'])).toThrow("arbitraryPoint: 'pi' is a constant of the program language")
    expect(() => arbitraryPoint(['1x'])).toThrow("arbitraryPoint: '1x' is not a name of the program language")
    expect(() => arbitraryPoint(['x', 'x'])).toThrow("arbitraryPoint: the variable 'x' is named twice")
    expect(() => arbitraryPoint([])).toThrow('arbitraryPoint: give at least one variable name')
    expect(() => arbitraryPoint(['x'], { min: -Infinity })).toThrow('arbitraryPoint: min and max must be finite numbers with min ≤ max')
    expect(() => arbitraryPoint(['x'], { min: 2, max: 1 })).toThrow('min ≤ max')
    expect(() => arbitraryProgram({ maxSteps: 0 })).toThrow('arbitraryProgram: maxSteps must be an integer ≥ 1, not 0')
    expect(() => arbitraryProgram({ outputs: 1.5 })).toThrow('arbitraryProgram: outputs must be an integer ≥ 1, not 1.5')
    expect(() => arbitraryProgram({ variables: [] })).toThrow('arbitraryProgram: variables: give at least one variable name')
  })
})

describe('points spread over their interval (session 11 trial)', () => {
  it('most draws fall away from 0, and a gradient wrong on (0.2, 0.9) is caught with every seed', () => {
    // fc.double alone put 1 825 of 2 000 draws on [−4, 4] within 1e-3 of 0, and 1 between 1 and 3.
    const xs = fc.sample(arbitraryPoint(['x'], { min: -4, max: 4 }), { numRuns: 2000, seed: 11 }).map((p) => p.x as number)
    expect(xs.every((x) => x >= -4 && x <= 4)).toBe(true)
    expect(xs.filter((x) => Math.abs(x) >= 1 && Math.abs(x) <= 3).length).toBeGreaterThan(400)
    expect(xs.filter((x) => Math.abs(x) < 1e-3).length).toBeGreaterThan(100)
    const f = orThrow(parse('x^3'))
    const hand = ({ x = 0 }: Readonly<Record<string, number>>): Record<string, number> => ({ x: x > 0.2 && x < 0.9 ? 3 * x : 3 * x * x })
    for (let seed = 0; seed < 30; seed++) expect(() => fc.assert(checkAgainst(hand, f, arbitraryPoint(['x'])), { seed })).toThrow()
    // Argument domains too: log's (0, 10] is sampled across, not only near its ends.
    const logs = fc.sample(arbitraryArgs('log'), { numRuns: 1000, seed: 3 }).map((a) => a[0] as number)
    expect(logs.filter((a) => a > 1 && a < 9).length).toBeGreaterThan(400)
  })
})
