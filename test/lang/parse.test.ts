/**
 * What the parser reads, checked against the builders. Each test runs inside one build (see
 * `building`), where the parser gives the very nodes the builders give for the same expression,
 * so nodes are compared with `toBe`.
 */
import { describe, expect, it } from 'vitest'
import { structurallyEqual, topoOrder } from '../../src/expr/graph.js'
import { building, constant, variable, type Node, type Var } from '../../src/expr/node.js'
import { build } from '../../src/ops/build.js'
import { err, ok, out } from './helpers.js'

const { add, sub, mul, div, neg, pow, sin, cos, atan2, max } = build

/** A test body run inside one build, given that build's variables x, y, z. */
const inOneBuild =
  (body: (v: { x: Var; y: Var; z: Var }) => void) =>
  (): void =>
    building(() => body({ x: variable('x'), y: variable('y'), z: variable('z') }))

describe('precedence and associativity', () => {
  it('unary minus binds looser than ^', inOneBuild(({ x }) => {
    expect(out('-x^2')).toBe(neg(pow(x, 2)))
    expect(out('(-x)^2')).toBe(pow(neg(x), 2))
  }))
  it('unary minus binds tighter than * and /', inOneBuild(({ x, y }) => {
    expect(out('-x*y')).toBe(mul(neg(x), y))
    expect(out('-x/y')).toBe(div(neg(x), y))
    expect(out('x*-y')).toBe(mul(x, neg(y)))
    expect(out('-x + y')).toBe(add(neg(x), y))
  }))
  it('^ is right-associative and folds constants', inOneBuild(({ x, y, z }) => {
    expect(out('2^3^2')).toBe(constant(512))
    expect(out('x^y^z')).toBe(pow(x, pow(y, z)))
    expect(out('(x^y)^z')).toBe(pow(pow(x, y), z))
  }))
  it('the exponent is a unary expression', inOneBuild(({ x, y, z }) => {
    expect(out('2^-1')).toBe(constant(0.5))
    expect(out('x^-y')).toBe(pow(x, neg(y)))
    expect(out('x^-y^z')).toBe(pow(x, neg(pow(y, z))))
    expect(out('x^-y*z')).toBe(mul(pow(x, neg(y)), z))
  }))
  it('+ - * / are left-associative', inOneBuild(({ x, y, z }) => {
    expect(out('x - y - z')).toBe(sub(sub(x, y), z))
    expect(out('x / y / z')).toBe(div(div(x, y), z))
    expect(out('x - (y - z)')).toBe(sub(x, sub(y, z)))
    expect(out('x + y*z')).toBe(add(x, mul(y, z)))
    expect(out('(x+y)*z')).toBe(mul(add(x, y), z))
  }))
  it('** is a synonym of ^, pow() too; unary + is ignored', inOneBuild(({ x, y, z }) => {
    expect(out('x ** 2')).toBe(pow(x, 2))
    expect(out('x**y**z')).toBe(pow(x, pow(y, z)))
    expect(out('pow(x, 2)')).toBe(pow(x, 2))
    expect(out('+x * +y')).toBe(mul(x, y))
    expect(out('--x')).toBe(x)
  }))
})

describe('literals, names and functions', () => {
  it('reads numbers', inOneBuild(() => {
    expect(out('.5')).toBe(constant(0.5))
    expect(out('1e-3')).toBe(constant(0.001))
    expect(out('2.5E+4')).toBe(constant(25000))
    expect(out('1.')).toBe(constant(1))
    expect(out('-0')).toBe(constant(-0))
  }))
  it('knows pi and e unless they are assigned', inOneBuild(() => {
    expect(out('pi')).toBe(constant(Math.PI))
    expect(out('e')).toBe(constant(Math.E))
    expect(out('e = 3; e * pi')).toBe(constant(3 * Math.PI))
  }))
  it('calls functions of one and two arguments', inOneBuild(({ x, y }) => {
    expect(out('sin(cos(x))')).toBe(sin(cos(x)))
    expect(out('atan2(y, x) + max(x, 1)')).toBe(add(atan2(y, x), max(x, 1)))
    expect(out('stop_gradient(x)')).toBe(build.stop_gradient(x))
  }))
  it('treats unassigned identifiers as free variables', inOneBuild(() => {
    const p = ok('a = x_1 + Y2\na * sin')
    expect(p.variables).toEqual(['Y2', 'sin', 'x_1'])
  }))
  it('lists only the variables the outputs reach', () => {
    expect(ok('a = x; b = y; b').variables).toEqual(['y']) // a is never read
    expect(ok('a = x\na = y\na').variables).toEqual(['y']) // the first a is never read
    // x^0 is 1, and x is still a variable (with derivative 0) of a statement that counts.
    expect(ok('q = x^0 + y\nq').variables).toEqual(['x', 'y'])
    expect(ok('a = z; b = a*x; [b, y]').variables).toEqual(['x', 'y', 'z'])
    expect(ok('t = x10*x2; u = t + x1; u').variables).toEqual(['x1', 'x2', 'x10'])
  })
})

describe('statements', () => {
  it('skips comments, blank lines and trailing separators', inOneBuild(({ x, y }) => {
    const p = ok('# header\n\nq = x + y  # sum\n;;\nq * q ;\n# end\n')
    expect(p.outputs).toEqual([mul(add(x, y), add(x, y))])
    expect(p.names.get(add(x, y))).toBe('q')
  }))
  it('separates statements with ;', inOneBuild(({ x }) => {
    expect(out('a = x; b = a * 2; b + 1')).toBe(add(mul(x, 2), 1))
  }))
  it('lets a name be assigned again; later uses see the new value', inOneBuild(({ x }) => {
    expect(out('t = x\nt = sin(t)\nt = sin(t)\nt')).toBe(sin(sin(x)))
    expect(out('x = x + 1; x * 2')).toBe(mul(add(x, 1), 2))
  }))
  it('without a final expression the output is the last assigned name', inOneBuild(({ x, y }) => {
    const p = ok('a = x * 2\nb = a + y\n')
    expect(p.outputs).toEqual([add(mul(x, 2), y)])
    expect(p.vector).toBe(false)
    expect(p.names.get(p.outputs[0])).toBe('b')
  }))
  it('reads a final list as a vector output, across lines', inOneBuild(({ x, y, z }) => {
    const p = ok('q = x*y\n[q, sin(q),\n  z]')
    expect(p.vector).toBe(true)
    expect(p.outputs).toEqual([mul(x, y), sin(mul(x, y)), z])
    expect(ok('[x]').vector).toBe(true)
    expect(ok('[x, y,]').outputs).toEqual([x, y])
  }))
  it('accepts Windows line ends', inOneBuild(({ x }) => {
    expect(out('a = x\r\nb = a + 1\r\n')).toBe(add(x, 1))
  }))
  it('a variable folded away (x^0 is 1) is still a variable of the program, where its statement counts (session 11 trial)', () => {
    // `grad 'x^0' --at x=2` said x was "not a variable of the program".
    expect(ok('x^0').variables).toEqual(['x'])
    expect(ok('y = x^0; y*z').variables).toEqual(['x', 'z'])
    expect(ok('u = sin(w)^0; x*2').variables).toEqual(['x'])
    expect(ok('[x^0, y]').variables).toEqual(['x', 'y'])
    // A reassignment that reads the old value keeps its variables (session 11 review).
    expect(ok('y = x^0; y = y + 1; y').variables).toEqual(['x'])
  })

  it('refuses a carriage return without a line feed, in code or in a comment (session 11 trial)', inOneBuild(({ x }) => {
    // 'y = 2*x<CR>-3' was read as 2*x - 3, silently.
    const e = err('y = 2*x\r-3')
    expect(e.message).toBe('a carriage return (\\r) without a line feed: end lines with \\n or \\r\\n')
    expect([e.line, e.column]).toEqual([1, 8])
    expect(err('# note\rx*2\nx').message).toMatch(/carriage return/)
    expect(out('# note\r\nx*2 # end\r\n')).toBe(mul(x, 2))
  }))
  it('reports errors as values', inOneBuild(() => {
    expect(err('').message).toMatch(/empty program/)
  }))
})

// -------------------------------------------------------------------------------------------------
// Builds: hash-consing within a parse, structural equality across parses
// -------------------------------------------------------------------------------------------------

/** The number of distinct expressions among the ancestors of `roots`, each keyed by its structure. */
function distinctExpressions(roots: readonly Node[]): number {
  const canonical = new Map<string, number>()
  const idOf = new Map<Node, number>()
  for (const n of topoOrder(roots)) {
    const key =
      n._tag === 'const' ? `c${Object.is(n.value, -0) ? '-0' : String(n.value)}` : n._tag === 'var' ? `v${n.name}` : `${n.op}(${n.args.map((a) => idOf.get(a)).join(',')})`
    if (!canonical.has(key)) canonical.set(key, canonical.size)
    idOf.set(n, canonical.get(key) as number)
  }
  return canonical.size
}

const repeated = `a = sin(x*y) + sin(x*y)
b = (x*y)^2 + cos(x*y) * sin(x*y)
c = x*y + 1
[a*b, sin(x*y)*(x*y), c + (x*y + 1), (a*b)^2 + exp(-(x*y))]`

describe('builds', () => {
  it('a parse has one node per distinct subexpression', () => {
    const p = ok(repeated)
    const nodes = topoOrder(p.outputs)
    expect(distinctExpressions(p.outputs)).toBe(nodes.length)
    expect(nodes.filter((n) => n._tag === 'apply' && n.op === 'mul' && n.args[0]._tag === 'var').length).toBe(1) // x*y, once
    // A long program with a repeated term per statement: the terms are shared too.
    const long = Array.from({ length: 2000 }, (_, i) => `s = s + (x${i % 50} - x${(i + 1) % 50})^2 + sin(x${i % 50} - x${(i + 1) % 50})`).join('\n')
    const q = ok(`s = 0\n${long}`)
    expect(distinctExpressions(q.outputs)).toBe(topoOrder(q.outputs).length)
    expect(topoOrder(q.outputs).filter((n) => n._tag === 'apply' && n.op === 'sub').length).toBe(50)
  })

  it('two parses of one program, in two builds, are structurally equal programs of different nodes', () => {
    const [p, q] = [ok(repeated), ok(repeated)]
    expect(p.outputs).toHaveLength(q.outputs.length)
    p.outputs.forEach((o, i) => {
      expect(structurallyEqual(o, q.outputs[i])).toBe(true)
      expect(o).not.toBe(q.outputs[i])
    })
    expect([q.vector, q.variables]).toEqual([p.vector, p.variables])
    expect([...q.names.values()]).toEqual([...p.names.values()])
    expect(topoOrder(q.outputs).length).toBe(topoOrder(p.outputs).length)
    // Nothing is shared between them, variables included; a variable is known by its name.
    const inP = new Set(topoOrder(p.outputs))
    expect(topoOrder(q.outputs).some((n) => inP.has(n))).toBe(false)
  })

  it('inside one build, two parses and the builders give the same nodes', () => {
    building(() => {
      const [p, q] = [ok(repeated), ok(repeated)]
      p.outputs.forEach((o, i) => expect(o).toBe(q.outputs[i]))
      const x = variable('x')
      const y = variable('y')
      expect(ok('c = x*y + 1\nc').outputs[0]).toBe(build.add(build.mul(x, y), 1))
      expect(p.names.get(build.mul(x, y))).toBeUndefined() // x*y is never assigned; c is
      expect(p.names.get(build.add(build.mul(x, y), 1))).toBe('c')
    })
  })

  it('outside any build, parsed and built nodes are structurally equal', () => {
    const [x, y] = [variable('x'), variable('y')]
    const parsed = out('sin(x*y) + x')
    const built = build.add(build.sin(build.mul(x, y)), x)
    expect(structurallyEqual(parsed, built)).toBe(true)
    expect(structurallyEqual(parsed, build.add(build.sin(build.mul(y, x)), x))).toBe(false)
    expect(structurallyEqual(out('-0'), constant(0))).toBe(false)
    expect(structurallyEqual(out('0/0'), build.div(0, 0))).toBe(true)
  })
})
