/**
 * `npm run accuracy`: how far each rule of the table is from the high-precision reference
 * (`test/reference/rules.json`), per rule and per engine, over every reference point.
 *
 *   npm run accuracy                      # three markdown tables (value, first, second partials)
 *   npm run accuracy -- --failures        # and the failing points, grouped by op, order and engines
 *   npm run accuracy -- --failures=all    # and every failing quantity: the truth, what each engine gave
 *
 * A cell is the worst error of one engine over all points of one rule, and the point where it
 * occurs: the relative error |got − t|/|t| where the truth t is a normal double, and the absolute
 * error divided by 2.2250738585072014e-308 (the smallest normal double) where t is subnormal,
 * underflows or is zero, so that both compare with the test's tolerance 1e-13. Where t overflows
 * the error is 0 for ±∞ or NaN, else ∞; "no warning" means t overflows and the engine returned no
 * warning. Cells at or under the tolerance are plain, cells over it are bold. The same engines and
 * measure as `test/accuracy/rules.test.ts` (both use `test/accuracy/engines.ts`). The last rows are
 * the reference's whole programs.
 */
import { opTags } from '../../src/ops/tags.js'
import {
  compare,
  engines,
  loadReference,
  opCase,
  knownLimit,
  passes,
  programCase,
  TOLERANCE,
  type Case,
  type Engine,
  type Order,
  type RefPoint,
} from '../../test/accuracy/engines.js'
import { limits, type Limit } from '../../test/accuracy/limits.js'

interface Worst {
  error: number
  at: string
  missingWarning: string
}

/** A failing quantity at one point, and what each engine that failed there gave. */
interface Failure {
  readonly name: string
  readonly order: Order
  /** The point, and the quantity (`f′`, `∂ab`, ...) unless it is the value. */
  readonly where: string
  readonly truth: number
  readonly got: Map<string, number>
}

/** `∂a`, `∂ab`, `f′`, `f″` for the reference keys `d1[0]`, `d2[0][1]`, ... */
function keyName(key: string, arity: number): string {
  if (key === 'value') return 'value'
  const idx = [...key.matchAll(/\[(\d)\]/g)].map((m) => Number(m[1]))
  if (arity === 1) return key.startsWith('d1') ? 'f′' : 'f″'
  return `∂${idx.map((i) => 'ab'[i]).join('')}`
}

const showArgs = (args: readonly number[]): string => (args.length === 1 ? `${args[0]}` : `(${args.join(', ')})`)

/** The worst error of `engine` over `points` and where it occurs; failures are added to `failures`. */
function worstOf(c: Case, engine: Engine, points: readonly RefPoint[], failures: Map<string, Failure>, known: Map<Limit, number>): Worst {
  const w: Worst = { error: 0, at: '', missingWarning: '' }
  for (const ref of points) {
    for (const cmp of compare(c, engine, ref)) {
      const where = `${showArgs(ref.args)}${engine.order === 0 ? '' : ` ${keyName(cmp.key, ref.args.length)}`}`
      // A known limit (limits.ts) is counted apart, not in the worst error.
      const limit = passes(cmp) ? undefined : knownLimit(ref, engine, cmp)
      if (limit !== undefined) {
        known.set(limit, (known.get(limit) ?? 0) + 1)
        continue
      }
      const e = Number.isNaN(cmp.error) ? Infinity : cmp.error
      if (e > w.error) Object.assign(w, { error: e, at: where })
      if (cmp.missingWarning && w.missingWarning === '') w.missingWarning = showArgs(ref.args)
      if (passes(cmp)) continue
      const id = `${c.name}(${ref.args.join(', ')}) ${cmp.key}`
      const f = failures.get(id) ?? { name: c.name, order: engine.order, where, truth: cmp.truth, got: new Map<string, number>() }
      f.got.set(cmp.missingWarning ? `${engine.name} (no warning)` : engine.name, cmp.got)
      failures.set(id, f)
    }
  }
  return w
}

const fmt = (e: number): string => (e === 0 ? '0' : e === Infinity ? '∞' : e.toExponential(1))

function cell(w: Worst): string {
  const text = w.error === 0 ? '0' : `${fmt(w.error)} at ${w.at}`
  const warning = w.missingWarning === '' ? '' : `; no warning at ${w.missingWarning}`
  return w.error > TOLERANCE || warning !== '' ? `**${text}${warning}**` : text
}

/** `expected t: got x by e1, e2; y by e3`: engines that gave the same number share an entry. */
function describe(f: Failure): string {
  const byValue = new Map<string, string[]>()
  for (const [engine, got] of f.got) byValue.set(String(got), [...(byValue.get(String(got)) ?? []), engine])
  const gots = [...byValue].map(([got, es]) => `${got} by ${es.join(', ')}`).join('; ')
  return `${f.name} ${f.where}: true ${f.truth}, got ${gots}`
}

/** `tanh f′ by jvp, grad, dual, gradExpr (18): -355, -300, ...`: failures grouped by op, order and engines. */
function grouped(failures: readonly Failure[]): string[] {
  const groups = new Map<string, string[]>()
  for (const f of failures) {
    const key = `${f.name} ${['value', 'first partials', 'second partials'][f.order]} by ${[...f.got.keys()].join(', ')}`
    groups.set(key, [...(groups.get(key) ?? []), f.where])
  }
  return [...groups].map(([key, wheres]) => `${key} (${wheres.length}): ${wheres.join('; ')}`)
}

const titles: Record<Order, string> = { 0: 'Value', 1: 'First partials', 2: 'Second partials' }

function main(): void {
  const showFailures = process.argv.find((a) => a.startsWith('--failures'))
  const reference = loadReference()
  const failures = new Map<string, Failure>()
  const known = new Map<Limit, number>()
  const groups = new Set<string>()
  // Every primitive of the table, then the reference's programs.
  const programs = [...new Set(reference.filter((r) => r.isProgram).map((r) => r.op))]
  const cases: [Case, RefPoint[]][] = [
    ...opTags.map((tag): [Case, RefPoint[]] => [opCase(tag), reference.filter((r) => !r.isProgram && r.op === tag)]),
    ...programs.map((text): [Case, RefPoint[]] => [programCase(text), reference.filter((r) => r.isProgram && r.op === text)]),
  ]
  const lines: string[] = []
  for (const order of [0, 1, 2] as const) {
    const es = engines.filter((e) => e.order === order)
    lines.push(`### ${titles[order]}`, '', `| op | points | ${es.map((e) => e.name).join(' | ')} |`, `|---|---:|${es.map(() => '---|').join('')}`)
    for (const [c, points] of cases) {
      const ws = es.map((e) => worstOf(c, e, points, failures, known))
      ws.forEach((w, k) => {
        if (w.error > TOLERANCE || w.missingWarning !== '') groups.add(`${c.name} ${es[k].name}`)
      })
      lines.push(`| ${c.name} | ${points.length} | ${ws.map(cell).join(' | ')} |`)
    }
    lines.push('')
  }
  const comparisons = [...failures.values()].reduce((n, f) => n + f.got.size, 0)
  lines.push(`${comparisons} failing comparisons (${failures.size} quantities at reference points) in ${groups.size} (op, engine) tests, over ${reference.length} points.`)
  lines.push('', 'Known limits (test/accuracy/limits.ts), excluded from the worst errors above:', '')
  for (const l of limits) lines.push(`- ${l.op === '*' ? 'every op' : l.op}, order ${l.order}, ${l.engines.join(', ')}: ${known.get(l) ?? 0} comparisons. ${l.reason}`)
  if (showFailures !== undefined) {
    const all = [...failures.values()]
    lines.push('', '```', ...(showFailures === '--failures=all' ? all.map(describe) : grouped(all)), '```')
  }
  console.log(lines.join('\n'))
}

main()
