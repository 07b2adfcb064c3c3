/**
 * Benchmark (issue 4): what compiling costs, and what checkpointing trades.
 *
 * - Compile time against size: extended Rosenbrock with n = N/5 (5n + 2 nodes) and the random
 *   DAG of `programs.ts`, N = 10^4, 10^5, 10^6. The graph is built outside the timing; `compile`
 *   is timed with its first `tapeFor` (twice: the second time on a fresh outputs array, so the
 *   tape is laid out again), then the first `grad` call, which generates the templates' code
 *   (shapes already generated in this process are reused). Target: ≤ 2 s at 10^6 nodes, and
 *   linear growth: the best time at N over the best at N/10 should be about 10×.
 * - Checkpointing: two chains of 10^5 nodes without repeated structure, compiled with
 *   `checkpoint` 1, 4, 16, 64 and the default: stored values, bytes per node, compile and first
 *   call, and grad time (interleaved), against the interpreted gradient. In `t = op_k(t)` every
 *   link is read once, so the interval decides what is stored; in `t = t + 0.1·op_k(t)` each t is
 *   read twice, by the next link alone: a tree holds one such t, so two links make a tree and every
 *   other t is stored from an interval of 6 up (before, every t was stored whatever the interval).
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js compile
 */
import type { Program } from '../src/expr/program.js'
import { grad } from '../src/reverse/index.js'
import { compiled, fresh, maxRelError } from './compile-util.js'
import { collect, compare, count, figure, once, ratio, seconds, type Row } from './harness.js'
import { namesOf, randomDag, rereadChain, singleUseChain } from './programs.js'
import { buildRosenbrock } from './rosenbrock.js'
import type { Settings } from './settings.js'

const group = 'compile'

// -------------------------------------------------------------------------------------------------
// Compile time against size
// -------------------------------------------------------------------------------------------------

interface Sized {
  readonly label: string
  readonly build: (nodes: number) => { program: Program; wrt: readonly string[]; x: Float64Array }
}

const families: readonly Sized[] = [
  {
    label: 'rosenbrock',
    build: (nodes) => {
      const n = 2 * Math.round(nodes / 10)
      return { program: buildRosenbrock(n), wrt: namesOf('x', n), x: Float64Array.from({ length: n }, (_, j) => (j % 2 === 0 ? -1.2 : 1)) }
    },
  },
  {
    label: 'random DAG',
    build: (nodes) => ({ program: randomDag(nodes, 2), wrt: namesOf('x', 32), x: Float64Array.from({ length: 32 }, (_, j) => Math.sin(j + 1)) }),
  },
]

function timeAt(family: Sized, nodes: number, previous: Map<string, number>, settings: Settings): Row[] {
  const c = `compile time: ${family.label}`
  settings.log(`compile: ${c}, ${count(nodes)} nodes`)
  const made = once(() => family.build(nodes))
  const { program: p, wrt, x } = made.result
  const first = compiled(p, { wrt })
  const size = first.f.stats.nodes
  const call = once(() => first.f.grad(x))
  const second = compiled(fresh(p), { wrt })
  const best = Math.min(first.seconds, second.seconds)
  const before = previous.get(family.label)
  previous.set(family.label, best)
  const rows: Row[] = [
    figure(group, c, `N=${count(nodes)}: nodes; build (not timed in compile)`, `${count(size)}; ${seconds(made.seconds)}`),
    figure(group, c, `N=${count(nodes)}: compile 1st, 2nd; first grad`, `${seconds(first.seconds)}, ${seconds(second.seconds)}; ${seconds(call.seconds)}`),
    figure(group, c, `N=${count(nodes)}: per node (best of 2); time vs N/10`, `${seconds(best / size)}; ${before === undefined ? '-' : ratio(best / before)}`),
  ]
  if (nodes >= 1_000_000) rows.push({ group, case: c, measure: `N=${count(nodes)}: compile (1st call)`, value: seconds(first.seconds), target: '≤ 2 s', ok: first.seconds <= 2 })
  return rows
}

/** Compile time for each family at each size; the graphs are dropped between sizes. */
export function runCompileTime(settings: Settings): Row[] {
  const sizes = settings.quick ? [1_000, 10_000, 100_000] : [10_000, 100_000, 1_000_000]
  const previous = new Map<string, number>()
  const rows: Row[] = []
  for (const family of families)
    for (const nodes of sizes) {
      rows.push(...timeAt(family, nodes, previous, settings))
      collect()
    }
  return rows
}

// -------------------------------------------------------------------------------------------------
// Checkpointing
// -------------------------------------------------------------------------------------------------

const intervals: readonly (number | undefined)[] = [1, 4, 16, 64, undefined]

function chainCase(label: string, p: Program, settings: Settings): Row[] {
  const c = `checkpoint: ${label}`
  settings.log(`compile: ${c}`)
  const x = Float64Array.of(1)
  const ref = grad(p, { x: 1 })
  if (ref._tag === 'Left') throw new Error(ref.left.message)
  const expected = [ref.right.gradient.x]
  const variants = intervals.map((k) => {
    const made = compiled(p, { wrt: ['x'], checkpoint: k })
    const out = new Float64Array(1)
    const first = once(() => made.f.grad(x, out))
    return { k, f: made.f, compileSeconds: made.seconds, firstSeconds: first.seconds, out, error: maxRelError(out, expected) }
  })
  const timings = compare(
    variants.map((v) => ({ name: `checkpoint ${v.k ?? 'default'}`, run: () => v.f.grad(x, v.out) })),
    settings.timing,
  )
  const rows: Row[] = [figure(group, c, "nodes; d/dx (interpreted)", `${count(variants[0].f.stats.nodes)}; ${expected[0].toExponential(3)}`)]
  const base = variants[0]
  variants.forEach((v, i) => {
    const k = v.k === undefined ? 'default' : String(v.k)
    rows.push(
      figure(group, c, `k=${k}: stored, bytes/node`, `${count(v.f.stats.stored)}, ${v.f.stats.bytesPerNode.toFixed(1)}`),
      figure(group, c, `k=${k}: templates, segments, steps`, `${count(v.f.stats.templates)}, ${count(v.f.stats.segments)}, ${count(v.f.stats.steps)}`),
      figure(group, c, `k=${k}: compile; first grad`, `${seconds(v.compileSeconds)}; ${seconds(v.firstSeconds)}`),
      figure(group, c, `k=${k}: grad; vs k=1: time, memory`, `${seconds(timings[i].median)}; ${ratio(timings[i].median / timings[0].median)}, ${ratio(v.f.stats.bytesPerNode / base.f.stats.bytesPerNode)}`),
      figure(group, c, `k=${k}: rel error vs interpreted`, v.error.toExponential(1)),
    )
  })
  return rows
}

/** Both chains at 10^5 nodes (10^4 with `--quick`). */
export function runCheckpoint(settings: Settings): Row[] {
  const nodes = settings.quick ? 10_000 : 100_000
  const rows = chainCase('t = op_k(t)', singleUseChain(nodes, 3), settings)
  collect()
  rows.push(...chainCase('t = t + 0.1·op_k(t)', rereadChain(nodes, 4), settings))
  return rows
}
