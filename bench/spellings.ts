/**
 * Benchmark (issue 9, target 6, "no speed cliffs"): the extended Rosenbrock function spelled the
 * ways users write it, compiled, each gradient timed against the hand-written one in the same
 * interleaved rounds. Whatever the association, order and naming of the sum, the compiled gradient
 * should find the same structure: the worst spelling within 1.5× of the best, the best within 1.5×
 * of hand-written (n = 2·10^4).
 *
 * Every spelling is checked first: value and gradient against the hand-written ones, to 1e-12
 * relative (a constant in the sum shifts the value by that constant). The hand-written gradient is
 * timed twice: as in the other groups, and with its arrays hidden from V8's specialisation, which
 * is how a user's code calls it and what the target compares against (see `runSpellings`). It is
 * also timed in the order of additions of the `reduce` spelling (all A terms, then all B terms),
 * which shows what that order costs by hand.
 *
 * With a = x_i, b = x_{i+1} (i = 1, 3, …, n − 1), A = 100·(b − a²)², B = (1 − a)²:
 *
 * | spelling   | program                                                             |
 * |------------|---------------------------------------------------------------------|
 * | paren      | s = s + (A + B)                                                     |
 * | flat       | s = s + A + B, that is (s + A) + B                                  |
 * | temps      | t = b − a²; u = 1 − a; s = s + 100·t·t + u·u                        |
 * | temps ()   | t = b − a²; u = 1 − a; s = s + (100·t·t + u·u)                      |
 * | term + s   | s = (A + B) + s                                                     |
 * | reversed   | s = s + (A + B), i from n − 1 down to 1                             |
 * | reversed flat | s = s + A + B, i from n − 1 down to 1                            |
 * | minus      | s = s − (a − 1)·(1 − a) + A                                         |
 * | sum()      | sum(A₁ + B₁, A₂ + B₂, …): the balanced tree of the `sum` builder    |
 * | array      | terms.push(A, B) for each i, then sum(terms) (balanced, 2 per i)    |
 * | reduce     | terms.push(A) for each i, then terms.push(B) for each i; terms.reduce(add) |
 * | constant   | s = s + (A + B), with s = s + 0.25 once, in the middle              |
 * | +1 each    | s = s + A + B + 1 (value f + n/2)                                   |
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js spellings
 */
import { variable, type Node } from '../src/expr/node.js'
import { program, type Program } from '../src/expr/program.js'
import { build, sum } from '../src/ops/build.js'
import { compiled, maxRelError } from './compile-util.js'
import { bounded, compare, count, figure, ratio, seconds, type Row } from './harness.js'
import { handGradient, handValue, startArray } from './rosenbrock.js'
import type { Settings } from './settings.js'

const group = 'spellings'

/** The parts of one Rosenbrock term, over the variables a = x_i and b = x_{i+1}. */
interface Term {
  readonly a: Node
  readonly b: Node
  /** 100·(b − a²)² */
  readonly A: Node
  /** (1 − a)² */
  readonly B: Node
}

const termAt = (i: number): Term => {
  const a = variable(`x${i}`)
  const b = variable(`x${i + 1}`)
  return { a, b, A: build.mul(100, build.pow(build.sub(b, build.pow(a, 2)), 2)), B: build.pow(build.sub(1, a), 2) }
}

/** The odd indices 1, 3, …, n − 1 (or backwards). */
const indices = (n: number, backwards = false): number[] => {
  const is: number[] = []
  for (let i = 1; i < n; i += 2) is.push(i)
  return backwards ? is.reverse() : is
}

/** s = first(t₁); s = next(s, t_k) for the others. */
function chain(n: number, first: (t: Term) => Node, next: (s: Node, t: Term) => Node, backwards = false): Node {
  let s: Node | undefined
  for (const i of indices(n, backwards)) {
    const t = termAt(i)
    s = s === undefined ? first(t) : next(s, t)
  }
  if (s === undefined) throw new RangeError('n must be at least 2')
  return s
}

/** t = b − a², u = 1 − a: the named temporaries of the `temps` spellings. */
const temps = (t: Term): { t: Node; u: Node } => ({ t: build.sub(t.b, build.pow(t.a, 2)), u: build.sub(1, t.a) })
const pair = (t: Term): Node => build.add(t.A, t.B)
const tempsPair = (t: Term): [Node, Node] => {
  const { t: d, u } = temps(t)
  return [build.mul(build.mul(100, d), d), build.mul(u, u)]
}

/**
 * The hand-written gradient in the order of additions of the `reduce` spelling: every A term, then
 * every B term (the same sum in the same order as that spelling's program). Its time against
 * `handGradient` is what that order costs by hand: 2·10^4 dependent additions instead of 10^4, and
 * a second pass over x and g.
 */
export function handGradientTwoPasses(x: Float64Array, g: Float64Array): number {
  let f = 0
  for (let i = 0; i + 1 < x.length; i += 2) {
    const a = x[i]
    const d = x[i + 1] - a * a
    f += 100 * d * d
    g[i] = -400 * d * a
    g[i + 1] = 200 * d
  }
  for (let i = 0; i + 1 < x.length; i += 2) {
    const e = 1 - x[i]
    f += e * e
    g[i] += -2 * e
  }
  return f
}

/** A spelling: its name, the program, and what its value is beside f (an added constant). */
interface Spelling {
  readonly name: string
  readonly make: (n: number) => Node
  readonly offset?: (n: number) => number
}

export const spellings: readonly Spelling[] = [
  { name: 'paren', make: (n) => chain(n, pair, (s, t) => build.add(s, pair(t))) },
  { name: 'flat', make: (n) => chain(n, pair, (s, t) => build.add(build.add(s, t.A), t.B)) },
  {
    name: 'temps',
    make: (n) =>
      chain(
        n,
        (t) => build.add(...tempsPair(t)),
        (s, t) => {
          const [p, q] = tempsPair(t)
          return build.add(build.add(s, p), q)
        },
      ),
  },
  { name: 'temps ()', make: (n) => chain(n, (t) => build.add(...tempsPair(t)), (s, t) => build.add(s, build.add(...tempsPair(t)))) },
  { name: 'term + s', make: (n) => chain(n, pair, (s, t) => build.add(pair(t), s)) },
  { name: 'reversed', make: (n) => chain(n, pair, (s, t) => build.add(s, pair(t)), true) },
  { name: 'reversed flat', make: (n) => chain(n, pair, (s, t) => build.add(build.add(s, t.A), t.B), true) },
  {
    name: 'minus',
    make: (n) => chain(n, pair, (s, t) => build.add(build.sub(s, build.mul(build.sub(t.a, 1), build.sub(1, t.a))), t.A)),
  },
  { name: 'sum()', make: (n) => sum(indices(n).map((i) => pair(termAt(i)))) },
  { name: 'array', make: (n) => sum(indices(n).flatMap((i) => [termAt(i).A, termAt(i).B])) },
  {
    name: 'reduce',
    make: (n) => [...indices(n).map((i) => termAt(i).A), ...indices(n).map((i) => termAt(i).B)].reduce((s, t) => build.add(s, t)),
  },
  {
    name: 'constant',
    make: (n) => {
      const half = indices(n).length >> 1
      let k = 0
      return chain(n, pair, (s, t) => build.add(++k === half ? build.add(s, 0.25) : s, pair(t)))
    },
    offset: () => 0.25,
  },
  { name: '+1 each', make: (n) => chain(n, (t) => build.add(pair(t), 1), (s, t) => build.add(build.add(build.add(s, t.A), t.B), 1)), offset: (n) => n / 2 },
]

/** Builds, compiles and checks every spelling, then times their gradients beside the hand-written one. */
export function runSpellings(settings: Settings): Row[] {
  const n = settings.quick ? 2_000 : 20_000
  const c = `rosenbrock n=${count(n)}`
  const x = startArray(n)
  const hand = new Float64Array(n)
  handGradient(x, hand)
  const f0 = handValue(x)
  const rows: Row[] = []
  const cases = spellings.map((s) => {
    settings.log(`spellings: ${s.name}`)
    const p: Program = program([s.make(n)])
    const wrt = Array.from({ length: n }, (_, j) => `x${j + 1}`)
    const { f, seconds: compileTime } = compiled(p, { wrt })
    const g = new Float64Array(n)
    const value = f.grad(x, g).value
    const want = f0 + (s.offset?.(n) ?? 0)
    const valueError = Math.abs(value - want) / Math.abs(want)
    const gradError = maxRelError(g, hand)
    if (!(valueError <= 1e-12 && gradError <= 1e-12)) throw new Error(`spelling ${s.name}: value error ${valueError}, gradient error ${gradError}`)
    return { s, f, g, compileTime, error: `${valueError.toExponential(1)}; ${gradError.toExponential(1)}` }
  })
  const two = new Float64Array(n)
  const twoError = Math.abs(handGradientTwoPasses(x, two) - f0) / Math.abs(f0)
  if (!(twoError <= 1e-12 && maxRelError(two, hand) <= 1e-12)) throw new Error(`the two-pass hand gradient is off: value ${twoError}`)
  const hg = new Float64Array(n)
  // The hand-written gradient is called with the same two arrays every time, and V8 inlines it
  // into this harness's timing loop and specialises the code on them (their lengths and data
  // pointers become constants): 1.7× faster, at n = 2·10^4, than through arrays it cannot know in
  // advance. A user's own code rarely gets that: a plain loop calling it measured 21–25 µs, a
  // function taking the arrays as arguments 32–39 µs and a gradient-descent loop 37–41 µs, against
  // 20–21 µs in this harness (session 10, `docs/benchmarks.md`). The compiled gradient never gets
  // it either (its templates read the arrays from the call). So the target compares against the
  // same function with its arrays read from a field written twice, which V8 does not treat as a
  // constant; the specialised figure is printed beside it.
  const box: { x: Float64Array; g: Float64Array } = { x: new Float64Array(0), g: new Float64Array(0) }
  box.x = x
  box.g = new Float64Array(n)
  const timings = compare(
    [
      ...cases.map(({ s, f, g }) => ({ name: s.name, run: () => f.grad(x, g) })),
      { name: 'hand gradient', run: () => handGradient(x, hg) },
      { name: 'hand gradient, arrays not constant', run: () => handGradient(box.x, box.g) },
      { name: 'hand gradient, A terms then B terms, arrays not constant', run: () => handGradientTwoPasses(box.x, box.g) },
    ],
    { ...settings.timing, minSamples: Math.max(15, settings.timing.minSamples ?? 0) },
  )
  const tHand = timings[timings.length - 3].median
  const tOpaque = timings[timings.length - 2].median
  const tTwoPasses = timings[timings.length - 1].median
  const times = timings.slice(0, -3)
  cases.forEach(({ s, f, compileTime, error }, k) => {
    const st = f.stats
    const at = `${c} ${s.name}`
    rows.push(figure(group, at, 'templates, segments, steps; stored; compile', `${st.templates}, ${st.segments}, ${st.steps}; ${count(st.stored)}; ${seconds(compileTime)}`))
    rows.push(figure(group, at, 'rel error vs hand: value; gradient', error))
    rows.push(figure(group, at, 'compiled grad; /hand (arrays not constant)', `${seconds(times[k].median)}; ${ratio(times[k].median / tOpaque)}`))
  })
  const best = times.reduce((a, b) => (b.median < a.median ? b : a))
  const worst = times.reduce((a, b) => (b.median > a.median ? b : a))
  rows.push(figure(group, c, 'hand gradient: arrays not constant; constant', `${seconds(tOpaque)}; ${seconds(tHand)}`))
  rows.push(figure(group, c, 'best, worst spelling', `${best.name}, ${worst.name}`))
  rows.push(bounded(group, c, 'worst/best spelling', worst.median / best.median, 1.5))
  rows.push(figure(group, c, 'hand, A terms then B terms / hand (the `reduce` order by hand)', ratio(tTwoPasses / tOpaque)))
  rows.push(bounded(group, c, 'best spelling/hand (arrays not constant)', best.median / tOpaque, 1.5))
  rows.push(figure(group, c, 'best, worst spelling/hand with constant arrays', `${ratio(best.median / tHand)}, ${ratio(worst.median / tHand)}`))
  return rows
}
