/**
 * The checker of the examples, checked: how written outputs are read and matched (numbers rounded
 * as written, objects by the fields shown, prefixes, Either), and how an example is instrumented
 * (line numbers kept, values continued over comment lines, misplaced outputs refused).
 *
 * @example
 * mismatches(parseExpected('0.841'), Math.sin(1))   // []
 */
import { describe, expect, it } from 'vitest'
import { encode } from './harness/check.js'
import { mismatches, parseExpected } from './expect.js'
import { instrument } from './instrument.js'

const check = (written: string, value: unknown): string[] => mismatches(parseExpected(written), encode(value))

describe('written outputs', () => {
  it('numbers: integers exactly, decimals to half a unit of the last digit written', () => {
    expect(check('-12', -12)).toEqual([])
    expect(check('-12', -12.000000001)).toHaveLength(1)
    expect(check('0.841', Math.sin(1))).toEqual([])
    expect(check('0.842', Math.sin(1))).toHaveLength(1)
    expect(check('-88.0', -87.99999999999999)).toEqual([])
    expect(check('1.5e-3', 0.00152)).toEqual([])
    expect(check('NaN', NaN)).toEqual([])
    expect(check('-Infinity', -Infinity)).toEqual([])
    expect(check('-0', 0)).toHaveLength(1)
    expect(check('[1, 2]', Float64Array.of(1, 2))).toEqual([])
  })

  it('objects by the fields shown, arrays entry by entry, strings whole or by prefix, Either by side', () => {
    expect(check("{ value: -12, gradient: { x: -4 } }", { value: -12, gradient: { x: -4, y: 1 }, warnings: [] })).toEqual([])
    expect(check('{ value: -12, missing: 1 }', { value: -12 })).toEqual(['the value: no field missing in {"value":-12}'])
    expect(check('[1, 2]', [1, 2, 3])).toHaveLength(1)
    expect(check("'forward mode: ...'", 'forward mode: because')).toEqual([])
    expect(check('"a\\nb"', 'a\nb')).toEqual([])
    expect(check('Right({ value: 1 })', { _tag: 'Right', right: { value: 1 } })).toEqual([])
    expect(check('Left({ _tag: "ParseError" })', { _tag: 'Right', right: 1 })).toHaveLength(1)
    expect(check('[undefined, null, true]', [undefined, null, true])).toEqual([])
  })

  it('a remark may follow two spaces after the value; anything else is an error', () => {
    expect(check('[5, 3]   slots and edges', [5, 3])).toEqual([])
    expect(() => parseExpected('[5, 3] slots')).toThrow(/remark/)
    expect(() => parseExpected('{ a: }')).toThrow()
  })
})

describe('instrumenting an example', () => {
  it('wraps checked expressions and declarations, keeping the lines', () => {
    const r = instrument(['const a = f(1)  // → 2', 'g(a);   // → [1]', 'h()', '// → 3'].join('\n'), 'ex')
    const lines = r.code.split('\n')
    expect(lines.slice(0, 4)).toEqual(['const a = __check("ex", 0, f(1))  // → 2', '__check("ex", 1, (g(a)))  // → [1]', '__check("ex", 2, (h()))', '// → 3'])
    expect(r.checks).toEqual([
      { line: 1, expected: '2' },
      { line: 2, expected: '[1]' },
      { line: 3, expected: '3' },
    ])
  })

  it('continues a value over comment lines until its brackets close', () => {
    const r = instrument(['f()', '// → { a: 1,', '//     b: [2] }'].join('\n'), 'ex')
    expect(r.checks).toEqual([{ line: 1, expected: '{ a: 1, b: [2] }' }])
  })

  it('refuses an output after a statement it cannot wrap', () => {
    expect(instrument('if (x) y  // → 1', 'ex').problems).toHaveLength(1)
    // Session 11 trial: without semicolons, a line starting with [ continues the line before.
    expect(instrument(['const r = f()', '[r.a, r.b]   // → [1, 2]'].join('\n'), 'ex').problems).toEqual(["line 2: it starts with '[' after a line without a semicolon, so JavaScript reads it as a continuation of that line"])
    expect(instrument(["import { f } from 'chainrule'", '[f(1)]   // → [1]'].join('\n'), 'ex').problems).toEqual([])
  })
})
