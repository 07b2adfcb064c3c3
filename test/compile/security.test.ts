/**
 * Issue point 2: generated code contains only op codes, array indices and numeric literals written
 * by the toolkit; a malicious variable name cannot run code. Variables with hostile names (code
 * injection attempts, names of the generated code's own identifiers, prototype keys, line
 * terminators) are used in programs with repeated structure, so templates are generated; every
 * mode must be right and nothing may run. Every source handed to `Function` while compiling is
 * captured and checked for user text.
 *
 * Also: constants baked into templates (the same constant in every instance) must keep their exact
 * value, including NaN, ±Infinity, −0, 1e308 and the subnormal 5e-324.
 *
 * @example
 * compile(program([sum over variable('x]; globalThis.__pwned = 1; //')...]))  // no __pwned
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { compile } from '../../src/compile/index.js'
import { buildPlan } from '../../src/compile/plan.js'
import { constant, variable, type Node } from '../../src/expr/node.js'
import { newVariable } from '../../src/expr/intern.js'
import { program, type Program } from '../../src/expr/program.js'
import { build } from '../../src/ops/build.js'
import { tapeFor } from '../../src/tape/tape.js'
import { makeCase, type Case } from './gen.js'
import { agree, expectSame, record, unwrap } from './oracle.js'
import { evaluate } from '../../src/forward/index.js'

// Property runs take seconds, more on a loaded 2-core machine: no per-test time limit to trip.
vi.setConfig({ testTimeout: 600_000 })

declare global {
  // eslint-disable-next-line no-var
  var __pwned: unknown
}

const hostile = [
  'x]; globalThis.__pwned = 1; //',
  "'); globalThis.__pwned = 1; ('",
  '*/ globalThis.__pwned = 1; /*',
  '${globalThis.__pwned = 1}',
  '${process.exit(1)}',
  '`; globalThis.__pwned = 1; `',
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'hasOwnProperty',
  'a\nb',
  'a\u2028globalThis.__pwned = 1',
  '\\',
  '',
  ' ',
  '0',
  '-1',
  '1e308',
  'NaN',
  // Identifiers of the generated code itself.
  'v', 'g', 't', 'h', 'idx', 'out', 'count', 'b', 'j', 'F', 'f0', 'h0', 'th0', 'n0', 'gi', 'hi', 'acc',
]

/** Captures every source given to `Function` (as a function or a constructor) while `f` runs. */
function capturingSources<A>(f: () => A): { result: A; sources: string[] } {
  const original = globalThis.Function
  const sources: string[] = []
  const spy = new Proxy(original, {
    apply(target, self, args: string[]) {
      sources.push(args.join('\n'))
      return Reflect.apply(target, self, args)
    },
    construct(target, args: string[]) {
      sources.push(args.join('\n'))
      return Reflect.construct(target, args)
    },
  })
  globalThis.Function = spy
  try {
    return { result: f(), sources }
  } finally {
    globalThis.Function = original
  }
}

/**
 * A variable of any name, made without the builder's check: `variable` refuses a name the language
 * cannot write (session 11), so hostile names no longer get in that way; the generated code is
 * still checked to be safe with them (defence in depth).
 */
const anyName = (name: string): Node => newVariable(name)

const point = (names: readonly string[]): number[] => names.map((_, i) => Math.round(1e4 * Math.sin(1.1 * i + 0.3)) / 6e3)

/** Σ_i 100(y_i − x_i²)² + (1 − x_i)² + k·sin(x_i·y_i) over consecutive names (a ring). */
function ringSum(names: readonly string[], k: number): Program {
  const vs = names.map((n) => anyName(n))
  let s: Node | undefined
  vs.forEach((x, i) => {
    const y = vs[(i + 1) % vs.length]
    const t = build.add(
      build.add(build.mul(100, build.pow(build.sub(y, build.pow(x, 2)), 2)), build.pow(build.sub(1, x), 2)),
      build.mul(k, build.sin(build.mul(x, y))),
    )
    s = s === undefined ? t : build.add(s, t)
  })
  return program([s as Node])
}

/** One output per name: tanh(k·x_i + y_i)·x_i (a vector program of one shape). */
function ringVector(names: readonly string[], k: number): Program {
  const vs = names.map((n) => anyName(n))
  return program(
    vs.map((x, i) => build.mul(build.tanh(build.add(build.mul(k, x), vs[(i + 3) % vs.length])), x)),
    { vector: true },
  )
}

const caseOf = (label: string, p: Program, wrt: readonly string[], fixedNames: readonly string[] = []): Case => {
  const all = [...wrt, ...fixedNames]
  const values = point(all)
  return makeCase(label, p, wrt, fixedNames, { values, dir: point([...all, '']).map((v) => v + 0.5), weights: point(p.outputs.map(String)), wrtStyle: 3 })
}

describe('malicious variable names', () => {
  beforeEach(() => {
    delete globalThis.__pwned
  })

  it('the builder refuses every one that is not a name of the language (session 11)', () => {
    for (const name of hostile.filter((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) expect(() => variable(name), JSON.stringify(name)).toThrow(/is not a name of the program language/)
    expect(() => variable('pi')).toThrow("variable: 'pi' is a constant of the program language")
  })
  afterEach(() => {
    expect(globalThis.__pwned).toBeUndefined()
  })

  it('cannot run code, and every mode is right (scalar sum: template + reduction)', () => {
    // A constant no other test uses, so the templates are generated here and their sources seen.
    const { result: c, sources } = capturingSources(() => {
      const c = caseOf('hostile sum', ringSum(hostile, 0.123456789012), hostile)
      for (const k of [undefined, 1, 4]) agree(c, k)
      return c
    })
    const f = unwrap(compile(c.program, { wrt: c.wrt }))
    expect(f.stats.templates).toBeGreaterThan(0)
    expect(f.names).toEqual(hostile)
    expect(sources.length).toBeGreaterThan(0)
    for (const src of sources) {
      for (const bad of ['__pwned', 'globalThis', 'process', 'constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', '\u2028', '`', '${', '*/', '//', '\\']) {
        expect(src.includes(bad), `generated source contains ${JSON.stringify(bad)}`).toBe(false)
      }
    }
  })

  it('cannot run code in vector programs, with hostile fixed (inactive) variables', () => {
    const wrt = hostile.filter((_, i) => i % 2 === 0)
    const fixed = hostile.filter((_, i) => i % 2 === 1)
    const c = caseOf('hostile vector', ringVector(hostile, 0.987654321098), wrt, fixed)
    expect(Object.keys(c.fixed).sort()).toEqual([...fixed].sort())
    for (const k of [undefined, 1, 4]) agree(c, k)
    expect(unwrap(compile(c.program, { wrt: c.wrt, fixed: c.fixed })).stats.templates).toBeGreaterThan(0)
  })

  it('a hostile name missing from fixed is reported, not looked up on the prototype', () => {
    const p = ringSum(['constructor', '__proto__', 'toString', 'x', 'y', 'z', 'w', 'u', 'q'], 0.5)
    const r = compile(p, { wrt: ['x', 'y', 'z', 'w', 'u', 'q'] })
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') {
      for (const n of ['constructor', '__proto__', 'toString']) expect(r.left.message).toContain(n)
    }
    const fixed = record(['constructor', '__proto__', 'toString'], [0.25, -0.5, 1.5])
    const f = unwrap(compile(p, { wrt: ['x', 'y', 'z', 'w', 'u', 'q'], fixed }))
    const x = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
    const want = unwrap(evaluate(p, { ...record(['x', 'y', 'z', 'w', 'u', 'q'], x), ...fixed }))
    expectSame('value', [f.value(x)], want.values)
  })
})

// -------------------------------------------------------------------------------------------------
// Constants baked into templates
// -------------------------------------------------------------------------------------------------

// 0 itself is left out here: its template would be shared with −0's (see the failing test below).
const special = [NaN, Infinity, -Infinity, -0, 1e308, -1e308, 5e-324, -5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 0.1 + 0.2, 1 / 3, -(2 ** 53) - 2, 123456789.123456789]

/** Terms f(x_i, c) with the same constant c in every instance, as 24 outputs and as a sum. */
function constantPrograms(c: number): { vector: Program; sum: Program; names: string[] } {
  const names = Array.from({ length: 24 }, (_, i) => `k${i}`)
  const vs = names.map((n) => anyName(n))
  const k = constant(c)
  const terms = vs.map((x, i) => {
    const y = vs[(i + 1) % vs.length]
    // Each op keeps the constant (no folding: x is a variable) and reads it in another position.
    return build.add(build.add(build.mul(x, k), build.atan2(k, build.add(y, 2.5))), build.add(build.max(y, k), build.div(x, k)))
  })
  return { vector: program(terms, { vector: true }), sum: program([terms.reduce((a, b) => build.add(a, b))]), names }
}

describe('constants baked into templates', () => {
  it.each(special.map((c) => [Object.is(c, -0) ? '-0' : String(c), c]))('%s keeps its exact value in every mode', (_, c) => {
    const { vector, sum, names } = constantPrograms(c)
    // The constant is baked: some template holds it as a literal.
    const plan = buildPlan(tapeFor(vector.outputs, names), { maxTree: 32, minChain: 8, minInstances: 8 })
    expect(plan.templates.some((t) => t.baked.some((b) => b !== undefined && Object.is(b, c)))).toBe(true)
    for (const p of [vector, sum]) {
      const cs = caseOf(`const ${c}`, p, names)
      const f = agree(cs, undefined, { hvpWhereGradientFinite: true })
      expect(f.stats.templates).toBeGreaterThan(0)
      // Values bit for bit, the sign of zero included.
      const want = unwrap(evaluate(p, cs.point)).values
      const got = f.values(cs.x)
      want.forEach((w, i) => expect(Object.is(got[i], w), `output ${i}: ${got[i]} vs ${w}`).toBe(true))
    }
  })
})

describe('templates that differ only in the sign of a baked zero', () => {
  // BUG (src/compile/run.ts, `specKey`): compiled templates are cached per process under
  // `${shape.key}#${baked.map(String)}`, and String(-0) === '0', so a template with a baked −0
  // reuses the functions compiled for a baked 0 (or the reverse), whichever came first.
  // For x < 0: atan2(−0, x) = −π but atan2(0, x) = π, and x/−0 = +∞ but x/0 = −∞.
  const shape = (c: number): { p: Program; names: string[] } => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`)
    const outs = names.map((n) => build.add(build.atan2(c, build.sub(anyName(n), 1.875)), build.div(anyName(n), c)))
    return { p: program(outs, { vector: true }), names }
  }
  const at = (names: readonly string[]): Float64Array => Float64Array.from(names, (_, i) => -0.5 - 0.1 * i)

  it('0 alone is right', () => {
    const { p, names } = shape(0)
    const c = caseOf('zero', p, names)
    agree(c, undefined, { hvpWhereGradientFinite: true })
  })

  it('−0 after 0 (same shape) is right: for x < 0, x/−0 = +∞ and atan2(−0, x − 1.875) = −π', () => {
    const zero = shape(0)
    unwrap(compile(zero.p)).values(at(zero.names))
    const { p, names } = shape(-0)
    const f = unwrap(compile(p))
    const x = at(names)
    const want = unwrap(evaluate(p, record(names, x))).values
    const got = f.values(x)
    // Got −∞ (the baked 0's template) where the interpreter gives +∞.
    want.forEach((w, i) => expect(Object.is(got[i], w), `output ${i}: got ${got[i]}, want ${w}`).toBe(true))
  })
})
