import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { freeVariables } from '../../src/expr/graph.js'
import { parse } from '../../src/lang/index.js'

/**
 * `parse` returns a value, and an error's position lies inside `source`; a program's variables are
 * those its outputs reach (the parser lists them without a walk when it can).
 */
function checkTotal(source: string): void {
  const r = parse(source)
  if (r._tag === 'Right') {
    // The variables the outputs reach, and those of operands folded away (x in x^0) that the source
    // writes: no others.
    const free = freeVariables(r.right.outputs).map((v) => v.name)
    for (const name of free) expect(r.right.variables).toContain(name)
    for (const name of r.right.variables) if (!free.includes(name)) expect(source).toMatch(new RegExp(`\\b${name}\\b`))
    return
  }
  const e = r.left
  expect(e._tag).toBe('ParseError')
  const lines = source.split('\n')
  expect(e.line).toBeGreaterThanOrEqual(1)
  expect(e.line).toBeLessThanOrEqual(lines.length)
  expect(e.column).toBeGreaterThanOrEqual(1)
  expect(e.column).toBeLessThanOrEqual(lines[e.line - 1].length + 1)
  expect(e.offset).toBeLessThanOrEqual(source.length)
  expect(e.excerpt.split('\n')).toHaveLength(2)
  expect(e.message.length).toBeGreaterThan(0)
}

const grammarChar = fc.constantFrom(...'xyz0123456789.+-*/^()[],;=#\n e'.split(''))
const grammarWord = fc.constantFrom('sin', 'atan2', 'pow', 'max(', 'pi', 'x = ', '**', '1e', '2.5E+', '[', ']', '(', ')', ' ')

describe('parse never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), checkTotal), { numRuns: 2000 })
  })
  it('on strings over the grammar alphabet', () => {
    fc.assert(fc.property(fc.string({ unit: grammarChar, maxLength: 40 }), checkTotal), { numRuns: 5000 })
  })
  it('on strings of grammar words', () => {
    fc.assert(fc.property(fc.array(fc.oneof(grammarChar, grammarWord), { maxLength: 30 }).map((w) => w.join('')), checkTotal), {
      numRuns: 5000,
    })
  })
  it('on programs of statements: the variables are those the outputs reach', () => {
    const atom = fc.constantFrom('x', 'y', 'z', 'w', 'a', 'b', 'c', '0', '1', '2', 'pi')
    const expression = fc
      .tuple(atom, fc.array(fc.tuple(fc.constantFrom(' + ', ' - ', '*', '/', '^', '^0*', ' + 0*'), atom), { maxLength: 3 }))
      .map(([first, rest]) => first + rest.map(([op, a]) => op + a).join(''))
    const statement = fc.tuple(fc.constantFrom('a', 'b', 'c'), expression).map(([name, e]) => `${name} = ${e}`)
    const final = fc.oneof(fc.constant(''), expression, fc.array(expression, { minLength: 1, maxLength: 3 }).map((es) => `[${es.join(', ')}]`))
    const programText = fc.tuple(fc.array(statement, { maxLength: 6 }), final).map(([ss, f]) => [...ss, f].join('\n'))
    fc.assert(fc.property(programText, checkTotal), { numRuns: 3000 })
  })
  it('on input that is not a string', () => {
    expect(parse(undefined as unknown as string)._tag).toBe('Left')
  })
})
