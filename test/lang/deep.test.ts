import { describe, expect, it } from 'vitest'
import { structurallyEqual } from '../../src/expr/graph.js'
import { variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { parse } from '../../src/lang/index.js'
import { build } from '../../src/ops/build.js'
import { printExpr, printProgram } from '../../src/ops/print.js'
import { err, out, outAmong } from './helpers.js'

const x = variable('x')
const n = 1_000_000

/** The n-deep chain sin(sin(...sin(t))) parsed by the first test, so that it is built only once. */
let chain: Node | undefined

describe('deep programs', () => {
  // No wall-clock limit here (machines are shared); parse speed is measured in `npm run bench`.
  it(`parses ${n} statements t = sin(t) without recursion`, () => {
    const source = 't = sin(t)\n'.repeat(n)
    const r = parse(source)
    expect(r._tag).toBe('Right')
    if (r._tag !== 'Right') return
    chain = r.right.outputs[0]
    expect(chain._tag === 'apply' && chain.op === 'sin').toBe(true)
    expect(r.right.variables).toEqual(['t'])
  }, 120_000)

  it(`prints the ${n}-deep chain of sin, and parses it back`, () => {
    let t = chain
    if (t === undefined) {
      t = variable('t')
      for (let i = 0; i < n; i++) t = build.sin(t)
    }
    const text = printExpr(t)
    expect(text).toHaveLength(5 * n + 1)
    expect(text.startsWith('sin(sin(')).toBe(true)
    expect(printExpr(t, { maxLength: 10 })).toBe('sin(sin(s…')
    expect(printProgram(program([t]))).toBe(text)
    // Parsed in a build that has adopted the chain, the text gives back the very node.
    expect(outAmong([t], text)).toBe(t)
  }, 60_000)

  it('parses 100000 nested parentheses, calls and signs without overflowing', () => {
    const depth = 100_000
    expect(structurallyEqual(out(`${'('.repeat(depth)}x${')'.repeat(depth)}`), x)).toBe(true)
    expect(out(`${'sin('.repeat(depth)}x${')'.repeat(depth)}`)._tag).toBe('apply')
    expect(structurallyEqual(out(`${'-'.repeat(depth)}x`), x)).toBe(true)
    expect(out(`${'x^'.repeat(depth)}x`)._tag).toBe('apply')
    expect(err('('.repeat(depth)).message).toBe('expected an expression, found end of input')
    expect(err(`${'('.repeat(depth)}x`).column).toBe(depth)
  }, 60_000)
})
