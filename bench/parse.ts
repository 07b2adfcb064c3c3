/**
 * Benchmark (issue 9): parsing and graph building per statement, against `JSON.parse`.
 *
 * The chained Rosenbrock program of 10^5 statements (`s = s + (100*(z2 - z1^2)^2 + (1 - z1)^2)`,
 * 5.4 MB; 10^4 with `--quick`) is parsed side by side, in the same interleaved rounds, with
 * `JSON.parse` over two JSON texts of the same statements:
 * - text: an array of the statements as strings (`["s = 100*(z2 - z1^2)^2 + ...", ...]`);
 * - tokens: an array per statement of its tokens, numbers as numbers (`[["s", "=", 100, "*", ...], ...]`).
 * JSON.parse reads the same characters and, for tokens, allocates about as many values as the
 * parser allocates nodes; it is the floor a parser in JavaScript is measured against. The builders
 * build the same graph in the same rounds inside a build (`building`); outside one (the shared
 * table of weak references) they are timed once, apart: each weak reference keeps its node alive
 * until the current job ends, so repeated calls in one job would fill the heap for the others.
 * Every variant drops its result at once (a parsed graph kept alive between calls, 130 MB, would
 * be marked by every collection in the other variants' samples).
 * Targets: parse ≤ 4 µs per statement, parse/JSON.parse(text) ≤ 12.
 *
 * @example
 * runParse(settings)   // rows: µs per statement of parse, JSON.parse (text, tokens), builders; ratios
 */
import { building } from '../src/expr/node.js'
import { parse } from '../src/lang/index.js'
import { compare, count, figure, once, ratio, seconds, type Row } from './harness.js'
import { buildRosenbrock, rosenbrockText } from './rosenbrock.js'
import type { Settings } from './settings.js'

const group = 'rosenbrock'

/** The tokens of one statement, numbers as numbers (the bench's own split, not the lexer's). */
const tokensOf = (line: string): (string | number)[] =>
  (line.match(/[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d*)?|\*\*|\S/g) ?? []).map((t) => (/^\d/.test(t) ? Number(t) : t))

/** Lets the current job end, so that the objects weak references keep alive for it are released. */
const nextJob = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** Parse, JSON.parse (text and tokens) and the builders on the same statements, per statement. */
export async function runParse(settings: Settings): Promise<Row[]> {
  const statements = settings.quick ? 10_000 : 100_000
  const c = `${count(statements)} statements`
  settings.log(`parse, ${c}`)
  // Names of their own (z1, z2, ...), so that no other benchmark's nodes are found.
  const text = rosenbrockText(2 * statements, 'z')
  const lines = text.split('\n')
  const jsonText = JSON.stringify(lines)
  const jsonTokens = JSON.stringify(lines.map(tokensOf))
  const check = parse(text)
  if (check._tag === 'Left') throw new Error(`parse failed: ${check.left.message}`)
  // Steady state: the harness's warm-up (a few calls within 50 ms) is less than one parse of 10^5
  // statements, and run first in a process (see index.ts), parse would be timed while V8 is still
  // compiling it: a tenth of the text, parsed ten times, first.
  const warm = rosenbrockText(2 * Math.ceil(statements / 10), 'w')
  for (let k = 0; k < 10; k++) parse(warm)
  await nextJob()
  // Each call's result is dropped at once (a number is kept). A full collection before each sample
  // (`isolate`) was tried: it leaves a small young generation, and the parse of 10^4 statements
  // then measured 12.5 µs per statement instead of 7.
  const [p, jt, jk, b] = compare(
    [
      { name: 'parse', run: () => parse(text)._tag.length },
      { name: 'JSON.parse text', run: () => (JSON.parse(jsonText) as unknown[]).length },
      { name: 'JSON.parse tokens', run: () => (JSON.parse(jsonTokens) as unknown[]).length },
      { name: 'builders in a build', run: () => building(() => buildRosenbrock(2 * statements, 'z')).outputs.length },
    ],
    { ...settings.timing, minSamples: 5, rewarm: false },
  )
  await nextJob()
  const shared = once(() => buildRosenbrock(2 * statements, 'z'))
  await nextJob()
  const per = (s: number): string => seconds(s / statements)
  const vsText = p.median / jt.median
  return [
    figure(group, c, 'program text', `${(text.length / 1e6).toFixed(1)} MB; JSON ${(jsonText.length / 1e6).toFixed(1)} MB text, ${(jsonTokens.length / 1e6).toFixed(1)} MB tokens`),
    { group, case: c, measure: 'parse per statement', value: per(p.median), target: '≤ 4 µs', ok: p.median / statements <= 4e-6 },
    figure(group, c, 'JSON.parse per statement: text, tokens', `${per(jt.median)}, ${per(jk.median)}`),
    { group, case: c, measure: 'parse / JSON.parse (text)', value: ratio(vsText), target: '≤ 12', ok: vsText <= 12 },
    figure(group, c, 'parse / JSON.parse (tokens)', ratio(p.median / jk.median)),
    figure(group, c, 'builders per statement: in a build, outside (once)', `${per(b.median)}, ${per(shared.seconds)}`),
  ]
}
