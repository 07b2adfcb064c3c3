/**
 * Hessian-vector products and Hessians on hand-checked programs: the document's f = (x+y)·z,
 * micrograd's engine test, extended Rosenbrock at its standard start, stop_gradient on a
 * direction computed by the graph (the document's closing note), warnings and errors.
 */
import { describe, expect, it } from 'vitest'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { program } from '../../src/expr/program.js'
import { evaluate } from '../../src/forward/index.js'
import { hessian, hvp, hvpExpr, sparseHessian, stopGradient } from '../../src/hvp/index.js'
import { parse } from '../../src/lang/index.js'
import { build } from '../../src/ops/build.js'
import { grad, gradExpr } from '../../src/reverse/index.js'
import { close, unwrap } from './gen.js'

const { add, mul, sub, pow, relu, sin } = build
const x = variable('x')
const y = variable('y')
const z = variable('z')

describe('f = (x+y)*z at (-2, 5, -4) (§2.3)', () => {
  const f = program([mul(add(x, y), z)])
  const at = { x: -2, y: 5, z: -4 }

  it('hvp with v = (1, 0, -2) is (-2, -2, 1), with the gradient of §2.3', () => {
    const r = unwrap(hvp(f, at, { x: 1, y: 0, z: -2 }))
    expect(r.value).toBe(-12)
    expect(r.hvp).toEqual({ x: -2, y: -2, z: 1 })
    expect(r.gradient).toEqual({ x: -4, y: -4, z: 3 })
    expect(r.wrt).toEqual(['x', 'y', 'z'])
    expect(r.warnings).toEqual([])
  })

  it('an absent direction entry is 0', () => {
    expect(unwrap(hvp(f, at, { z: 1 })).hvp).toEqual({ x: 1, y: 1, z: 0 })
  })

  it('the Hessian is [[0,0,1],[0,0,1],[1,1,0]], dense and sparse', () => {
    const dense = unwrap(hessian(f, at))
    expect(dense.hessian).toEqual([[0, 0, 1], [0, 0, 1], [1, 1, 0]])
    expect(dense.sweeps).toBe(3)
    expect(dense.symmetrised).toBe(false)
    const sparse = unwrap(hessian(f, at, { sparse: true }))
    expect(sparse.hessian).toEqual(dense.hessian)
    // Columns x and y share no row, so they share a pass: {x, y} and {z}.
    expect(sparse.sweeps).toBe(2)
  })

  it('wrt selects a block of the Hessian', () => {
    const r = unwrap(hessian(f, at, { wrt: ['z', 'x'] }))
    expect(r.hessian).toEqual([[0, 1], [1, 0]])
    expect(r.gradient).toEqual({ z: 3, x: -4 })
    expect(unwrap(hvp(f, at, { x: 1 }, { wrt: ['x', 'y'] })).hvp).toEqual({ x: 0, y: 0 })
  })

  it('a wrt name not in the program is an error; a declared variable it does not use has a zero row and column', () => {
    expect(hessian(f, at, { wrt: ['x', 'w', 'z'] })).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'w' } })
    const declared = program(f.outputs, { variables: ['w'] })
    const r = unwrap(hessian(declared, at, { wrt: ['x', 'w', 'z'] }))
    expect(r.hessian).toEqual([[0, 0, 1], [0, 0, 0], [1, 0, 0]])
  })
})

describe("micrograd's engine test", () => {
  // z = 2x + 2 + x; q = relu(z) + z·x; h = relu(z·z); y = h + q + q·x  at x = −4:
  // z = 3x + 2 < 0, so y = (3x+2)² + (3x² + 2x)(1 + x) = 3x³ + 14x² + 14x + 4 near −4,
  // y′ = 9x² + 28x + 14 = 46 and y″ = 18x + 28 = −44.
  const zz = add(add(mul(2, x), 2), x)
  const q = add(relu(zz), mul(zz, x))
  const h = relu(mul(zz, zz))
  const out = program([add(add(h, q), mul(q, x))])

  it('value −20, gradient 46, Hessian [[−44]]', () => {
    const r = unwrap(hessian(out, { x: -4 }))
    expect(r.value).toBe(-20)
    expect(r.gradient).toEqual({ x: 46 })
    expect(r.hessian).toEqual([[-44]])
    expect(unwrap(hvp(out, { x: -4 }, { x: 2 })).hvp).toEqual({ x: -88 })
  })
})

/** Extended Rosenbrock: Σ over pairs (a, b) = (x_{2i}, x_{2i+1}) of 100(b − a²)² + (1 − a)². */
function rosenbrock(n: number) {
  const xs = Array.from({ length: n }, (_, i) => variable(`x${String(i).padStart(6, '0')}`))
  let f: Node = constant(0)
  for (let i = 0; i + 1 < n; i += 2) {
    const a = xs[i]
    const b = xs[i + 1]
    f = add(f, add(mul(100, pow(sub(b, mul(a, a)), 2)), pow(sub(1, a), 2)))
  }
  const start = Object.fromEntries(xs.map((v, i) => [(v as { name: string }).name, i % 2 === 0 ? -1.2 : 1]))
  return { program: program([f]), start }
}

describe('the same programs parsed from text', () => {
  it('(x+y)*z and micrograd', () => {
    const f = unwrap(parse('(x + y) * z'))
    expect(unwrap(hvp(f, { x: -2, y: 5, z: -4 }, { x: 1, y: 0, z: -2 })).hvp).toEqual({ x: -2, y: -2, z: 1 })
    const m = unwrap(parse('z = 2*x + 2 + x\nq = relu(z) + z*x\nh = relu(z*z)\ny = h + q + q*x'))
    expect(unwrap(hessian(m, { x: -4 })).hessian).toEqual([[-44]])
  })

  it('stop_gradient in the language: v = stop_gradient(∇f) inside the graph', () => {
    // f = x²y + y³; s = ∂f/∂x·stop_gradient(∂f/∂x) + ∂f/∂y·stop_gradient(∂f/∂y); ∇s = H·∇f = (42, 164) at (1, 2).
    const s = unwrap(parse('gx = 2*x*y\ngy = x*x + 3*y^2\ngx*stop_gradient(gx) + gy*stop_gradient(gy)'))
    expect(unwrap(grad(s, { x: 1, y: 2 })).gradient).toEqual({ x: 42, y: 164 })
  })
})

describe('a negative base with a constant exponent', () => {
  it('(x − 3)^2 at x = 1: H·v = 2v, not NaN (the exponent\'s term log(x − 3)·0 is skipped)', () => {
    const r = unwrap(hvp(program([pow(sub(x, 3), 2)]), { x: 1 }, { x: 0.5 }))
    expect(r).toMatchObject({ value: 4, gradient: { x: -4 }, hvp: { x: 1 }, warnings: [] })
  })
})

describe('extended Rosenbrock at its standard start (-1.2, 1, -1.2, 1, ...)', () => {
  // Per pair: ∂²/∂a² = 1200a² − 400b + 2 = 1330, ∂²/∂a∂b = −400a = 480, ∂²/∂b² = 200.
  const block = [[1330, 480], [480, 200]]

  it('n = 4: the block-diagonal Hessian written out, dense and in two sparse passes', () => {
    const { program: p, start } = rosenbrock(4)
    const expected = [
      [1330, 480, 0, 0],
      [480, 200, 0, 0],
      [0, 0, 1330, 480],
      [0, 0, 480, 200],
    ]
    const dense = unwrap(hessian(p, start))
    const sparse = unwrap(hessian(p, start, { sparse: true }))
    dense.hessian.forEach((row, i) => row.forEach((v, j) => expect(close(v, expected[i][j], 1e-13)).toBe(true)))
    expect(sparse.hessian).toEqual(dense.hessian)
    expect(sparse.sweeps).toBe(2)
  })

  it('n = 2000: sparseHessian takes 2 passes and lists 4 entries per pair', () => {
    const { program: p, start } = rosenbrock(2000)
    const r = unwrap(sparseHessian(p, start))
    expect(r.sweeps).toBe(2)
    expect(r.values.length).toBe(4 * 1000)
    r.values.forEach((v, k) => expect(close(v, block[r.rows[k] % 2][r.cols[k] % 2], 1e-13)).toBe(true))
    r.rows.forEach((i, k) => expect(Math.floor(i / 2)).toBe(Math.floor(r.cols[k] / 2)))
  })
})

describe('stop_gradient: a direction computed by the graph (the document\'s closing note)', () => {
  // f = x²y + y³ at (1, 2): g = ∇f = (2xy, x² + 3y²) = (4, 13), H = [[2y, 2x], [2x, 6y]] = [[4, 2], [2, 12]],
  // so H·g = (4·4 + 2·13, 2·4 + 12·13) = (42, 164).
  const f = program([add(mul(mul(x, x), y), pow(y, 3))])
  const at = { x: 1, y: 2 }
  const g = unwrap(gradExpr(f)).outputs

  const gradientOf = (s: Node) => {
    const r = unwrap(grad(program([s]), at, ['x', 'y']))
    return [r.gradient.x, r.gradient.y]
  }

  it('∇[(∇f)ᵀ stop_gradient(∇f)] is H·g', () => {
    const s = add(mul(g[0], stopGradient(g[0])), mul(g[1], stopGradient(g[1])))
    expect(gradientOf(s)).toEqual([42, 164])
  })

  it('without stop_gradient the product is differentiated too: ∇(gᵀg) = 2·H·g', () => {
    const s = add(mul(g[0], g[0]), mul(g[1], g[1]))
    expect(gradientOf(s)).toEqual([84, 328])
  })

  it('hvpExpr wraps a computed direction in stop_gradient; hvp agrees numerically', () => {
    const hv = unwrap(hvpExpr(f, { x: g[0], y: g[1] }))
    expect(unwrap(evaluate(hv, at)).values).toEqual([42, 164])
    expect(unwrap(hvp(f, at, { x: 4, y: 13 })).hvp).toEqual({ x: 42, y: 164 })
  })

  it('stop_gradient inside the program is a constant for the Hessian: x·stop_gradient(x·x)', () => {
    const p = program([mul(x, stopGradient(mul(x, x)))])
    const r = unwrap(hessian(p, { x: 3 }))
    expect(r.gradient).toEqual({ x: 9 })
    expect(r.hessian).toEqual([[0]])
  })
})

describe('warnings and errors', () => {
  it('a non-finite second derivative is explained (x^1.5 at 0: f′ = 0, f″ = ∞)', () => {
    const r = unwrap(hvp(program([pow(x, 1.5)]), { x: 0 }, { x: 1 }))
    expect(r.gradient.x).toBe(0)
    expect(r.hvp.x).toBe(Infinity)
    expect(r.warnings.some((w) => w._tag === 'NonFiniteDerivative' && /second derivative/.test(w.message))).toBe(true)
  })

  it('kinks are reported as in grad', () => {
    const r = unwrap(hvp(program([mul(relu(x), y)]), { x: 0, y: 1 }, { x: 1 }))
    expect(r.warnings.map((w) => w._tag)).toEqual(['NonDifferentiable'])
    expect(r.warnings[0].message).toMatch(/relu/)
  })

  it('a vector program, a missing variable, a stray direction name and a repeated wrt are errors', () => {
    const two = program([x, y], { vector: true })
    expect(hvp(two, { x: 1, y: 1 }, {})).toMatchObject({ _tag: 'Left', left: { _tag: 'BadArgument' } })
    expect(hessian(two, { x: 1, y: 1 })).toMatchObject({ _tag: 'Left', left: { _tag: 'BadArgument' } })
    const p = program([sin(mul(x, y))])
    expect(hvp(p, { x: 1 }, { x: 1 })).toMatchObject({ _tag: 'Left', left: { _tag: 'MissingVariable', names: ['y'] } })
    expect(hvp(p, { x: 1, y: 1 }, { q: 1 })).toMatchObject({ _tag: 'Left', left: { _tag: 'UnknownName', name: 'q', argument: 'direction' } })
    expect(hessian(p, { x: 1, y: 1 }, { wrt: ['x', 'x'] })).toMatchObject({ _tag: 'Left', left: { _tag: 'DuplicateName', name: 'x' } })
  })

  it('no variables: the value alone', () => {
    const r = unwrap(hessian(program([constant(3)]), {}))
    expect(r).toMatchObject({ value: 3, hessian: [], sweeps: 0, gradient: {} })
  })
})

describe('hvp and gradient agree with grad', () => {
  it('on a shared graph', () => {
    const s = sin(mul(x, y))
    const p = program([add(mul(s, s), mul(s, z))])
    const at = { x: 0.3, y: -1.1, z: 2 }
    const r = unwrap(hvp(p, at, { x: 1, y: 2, z: 3 }))
    const g = unwrap(grad(p, at))
    for (const n of ['x', 'y', 'z']) expect(close(r.gradient[n], g.gradient[n], 1e-15)).toBe(true)
  })
})
