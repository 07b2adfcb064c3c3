/**
 * `npm run bench`: every benchmark of the project in one process, then one table of figures and
 * ratios (with the targets of the issues, and whether each was met).
 *
 *   node --expose-gc dist-bench/bench/index.js [GROUP ...] [--quick]
 *
 * GROUP is any of `rosenbrock`, `hvp`, `jacobian`, `compile`, `spellings`, `gemm`, `mlp` (default: all of these), or `big`,
 * which runs only when named (a 10^7-node graph: give Node a larger heap, see `big.ts`).
 * `--quick` uses smaller sizes. Progress goes to stderr, the table to stdout. Nothing is written
 * to disk.
 *
 * @example
 * node --expose-gc dist-bench/bench/index.js rosenbrock --quick
 */
import { arch, cpus, loadavg, platform } from 'node:os'
import { runBig } from './big.js'
import { runCompile } from './compile.js'
import { runGemm } from './gemm.js'
import { collect, formatTable, type Row } from './harness.js'
import { runHvp } from './hvp.js'
import { runJacobian } from './jacobian.js'
import { runMlp } from './mlp.js'
import { runParse } from './parse.js'
import { forgetPrograms, runRosenbrock } from './rosenbrock.js'
import type { Settings } from './settings.js'
import { runSpellings } from './spellings.js'

// In this order: hvp reuses the Rosenbrock programs, which are then dropped, so that the Jacobian
// timings do not share the heap (and its major collections) with a 500 000-node graph. The parse
// rows run first, for the same reason: each parse promotes about 110 MB of nodes, and every major
// collection it triggers would also mark the Rosenbrock graphs kept for hvp (a full run measured
// 8.83 µs per statement that way, 6.29 µs with the group alone).
const groups: Readonly<Record<string, (s: Settings) => Promise<Row[]> | Row[]>> = {
  rosenbrock: async (s) => [...(await runParse(s)), ...runRosenbrock(s)],
  hvp: runHvp,
  jacobian: runJacobian,
  compile: runCompile,
  spellings: runSpellings,
  gemm: runGemm,
  mlp: runMlp,
  big: runBig,
}

/** Groups that run only when named. */
const optIn: ReadonlySet<string> = new Set(['big'])

function usage(message: string): never {
  console.error(`${message}\nusage: node --expose-gc dist-bench/bench/index.js [${Object.keys(groups).join('|')} ...] [--quick]`)
  process.exit(2)
}

async function main(argv: readonly string[]): Promise<void> {
  const flags = argv.filter((a) => a.startsWith('-'))
  const names = argv.filter((a) => !a.startsWith('-'))
  for (const f of flags) if (f !== '--quick') usage(`unknown flag ${f}`)
  for (const n of names) if (!(n in groups)) usage(`unknown benchmark ${n}`)
  const chosen = names.length > 0 ? names : Object.keys(groups).filter((g) => !optIn.has(g))
  const started = performance.now()
  const settings: Settings = {
    quick: flags.includes('--quick'),
    timing: { minTime: 1, minSamples: 9 },
    log: (m) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${m}`),
  }
  if ((globalThis as { gc?: unknown }).gc === undefined) console.error('note: run with node --expose-gc for steadier figures')
  const loadBefore = loadavg()[0]
  const rows: Row[] = []
  for (const name of Object.keys(groups)) {
    if (!chosen.includes(name)) continue
    rows.push(...(await groups[name](settings)))
    if (name === 'hvp' || !chosen.includes('hvp')) forgetPrograms()
    collect()
  }
  const cpu = cpus()
  console.log(`chainrule benchmarks, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${platform()} ${arch()}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}${settings.quick ? ', --quick' : ''}`)
  console.log(`times are medians per call over interleaved rounds; total run ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after\n`)
  console.log(formatTable(rows))
  const missed = rows.filter((r) => r.ok === false).length
  const met = rows.filter((r) => r.ok === true).length
  console.log(`\n${met} targets met, ${missed} missed`)
}

await main(process.argv.slice(2))
