import { describe, expect, it } from 'vitest'
import { formatParseError, parse } from '../../src/lang/index.js'
import { err } from './helpers.js'

/** [message pattern, line, column] of the error of `source`. */
const at = (source: string): [string, number, number] => {
  const e = err(source)
  return [e.message, e.line, e.column]
}

describe('parse errors', () => {
  it('names an unknown function and suggests a close one', () => {
    expect(at('y = 1\nz = sni(x)')).toEqual(["unknown function 'sni' (did you mean 'sin'?)", 2, 5])
    expect(err('frobnicate(x)').message).toBe("unknown function 'frobnicate'")
    expect(err('sigmod(x)').message).toMatch(/did you mean 'sigmoid'/)
    // Session 11 trial: names of other systems (ln, arctan) had no suggestion.
    expect(err('ln(x)').message).toBe("unknown function 'ln' (did you mean 'log'?)")
    expect(err('arctan(x)').message).toBe("unknown function 'arctan' (did you mean 'atan'?)")
  })
  it('names the function and the expected count on a wrong number of arguments', () => {
    expect(at('sin(x, y)')).toEqual(['sin takes 1 argument, got 2', 1, 1])
    expect(at('x + atan2(x)')).toEqual(['atan2 takes 2 arguments, got 1', 1, 5])
    expect(err('max()').message).toBe('max takes 2 arguments, got 0')
    expect(err('pow(x)').message).toBe('pow takes 2 arguments, got 1')
  })
  it('points at an unclosed parenthesis, with a caret excerpt', () => {
    const e = err('x = 1\ny = (x + 1')
    expect([e.message, e.line, e.column, e.offset]).toEqual(["expected ')' to close this '('", 2, 5, 10])
    expect(e.excerpt).toBe('y = (x + 1\n    ^')
    expect(formatParseError(e)).toBe("parse error at line 2, column 5: expected ')' to close this '('\n  y = (x + 1\n      ^")
    expect(at('sin(x\ny = 2')).toEqual(["expected ')' to close this '('", 1, 4])
    expect(at('(x y)')[0]).toBe("expected an operator or ')', found 'y'")
  })
  it('rejects an unmatched closing parenthesis and trailing garbage', () => {
    expect(at('x + 1)')).toEqual(["unmatched ')'", 1, 6])
    expect(at('y = x y')).toEqual(["expected an operator, found 'y'", 1, 7])
    expect(at('2x')).toEqual(["expected an operator, found 'x'", 1, 2])
    expect(at('x + 1 = 2')[0]).toMatch(/an assignment is a statement of its own/)
    expect(at('[q = x]')[0]).toMatch(/an assignment is a statement of its own/)
    expect(at('x $ y')).toEqual(["unexpected character '$'", 1, 3])
    // '@' is the matrix product: on scalars it is a shape error at the operator
    expect(at('x @ y')).toEqual(['matmul: shapes [] and [] are not vectors or matrices', 1, 3])
  })
  it('rejects missing operands', () => {
    expect(at('y = \nz')).toEqual(['expected an expression, found end of line', 1, 5])
    expect(at('x +')).toEqual(['expected an expression, found end of input', 1, 4])
    expect(at('x * * y')[0]).toBe("expected an expression, found '*'")
  })
  it('rejects an empty program', () => {
    expect(at('')).toEqual(['empty program: expected a statement or an expression', 1, 1])
    expect(at('# nothing\n;\n')).toEqual(['empty program: expected a statement or an expression', 3, 1])
  })
  it('allows a list only as the final expression', () => {
    expect(at('[x, y]\nz = 1')).toEqual(['the final expression must be the last statement', 2, 1])
    expect(at('x + 1\ny + 2')).toEqual(['the final expression must be the last statement', 2, 1])
    expect(at('y = [x]')).toEqual(['a list is only allowed as the final expression', 1, 5])
    expect(at('[x, [y]]')).toEqual(['a list is only allowed as the final expression', 1, 5])
    expect(at('[x] + 1')[0]).toMatch(/^unexpected '\+' after the list/)
    expect(at('[x, y')).toEqual(["expected ']' to close this '['", 1, 1])
    expect(at('[]')).toEqual(['an empty list has no outputs', 1, 2])
  })
  it('rejects malformed and overflowing numbers', () => {
    expect(at('1e')).toEqual(["malformed number '1e': the exponent has no digits", 1, 1])
    expect(at('x + 1e999')).toEqual(["number '1e999' is too large", 1, 5])
    expect(at('1.2.3')[0]).toBe("expected an operator, found '.3'")
  })
  it('rejects a nonzero number that underflows to 0, as --at does; keeps zeros and subnormals', () => {
    expect(at('x*1e-400 + 1')).toEqual(["number '1e-400' is too small for a double (it would be 0; the smallest is 5e-324): write 0 if 0 is meant", 1, 3])
    expect(at('x + 0.00001e-320')[1]).toBe(1)
    for (const ok of ['x*0e-400', 'x*0.000e-999', 'x*5e-324', 'x*2.5e-310']) expect(parse(ok)._tag, ok).toBe('Right')
  })
  it('keeps the excerpt of a very long line short', () => {
    const source = `${'x + '.repeat(1000)})`
    const e = err(source)
    expect(e.column).toBe(4001)
    const [line, caret] = e.excerpt.split('\n')
    expect(line.length).toBeLessThan(80)
    expect(line[caret.length - 1]).toBe(')')
    expect(formatParseError(e).split('\n')).toHaveLength(3)
  })
})

describe('parse errors inside calls', () => {
  it('expects a comma or a closing parenthesis after an argument', () => {
    expect(at('max(x y)')).toEqual(["expected an operator, ',' or ')', found 'y'", 1, 7])
    expect(at('(x, y)')).toEqual(["expected an operator or ')', found ','", 1, 3])
  })
})
