/**
 * Every example is a test. The ```ts blocks of README.md and the `@example`s of the public API's
 * JSDoc are compiled, as a user's project would compile them, against the packed package (`npm
 * pack`, unpacked into node_modules of a fresh project): one TypeScript program for all of them,
 * under `strict`, `noUncheckedIndexedAccess` and `exactOptionalPropertyTypes`, with the library's
 * declaration files checked too (`skipLibCheck: false`). Then they run under Node, one after the
 * other, and each output written in a comment (`expr  // → value`, see `expect.ts`) is compared
 * with the value computed. The README's command sessions (`$ npx chainrule ...` and the lines
 * below) run the packed bin/chainrule.js and must print exactly what the README shows. The
 * README's test files (```ts vitest blocks) are compiled with the rest and run, as written, by
 * vitest in the same fresh project: every test in them must pass.
 *
 * @example
 * // README.md:47 — line 3: expected -12, got -11   (a failing check names the example and the line)
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mismatches, parseExpected, type Encoded } from './expect.js'
import { cliSessions, jsdocExamples, markdownBlocks, publicFiles, shellWords, testFiles, type Example } from './extract.js'
import { instrument, type Instrumented } from './instrument.js'
import { packedProject, type Install, type PackedProject } from './package.js'

// Packing builds the library and one compiler run checks every example: seconds, more on a loaded
// machine; no time limit to trip.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 })

const repo = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(repo, 'README.md'), 'utf8')
const examples: Example[] = [
  ...markdownBlocks(readme, 'README.md'),
  ...publicFiles(repo).flatMap((file) => jsdocExamples(readFileSync(join(repo, file), 'utf8'), file)),
]
/** The README's test files, written to tests/readmeN.test.ts of the project and run there by vitest. */
const readmeTests: Example[] = testFiles(readme, 'README.md')
const testFileName = (i: number): string => `readme${i}.test.ts`

/** What a user's strict project would say: the flags of the issue, and the library's own .d.ts checked. */
const userConfig = {
  compilerOptions: {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    target: 'es2022',
    lib: ['es2022'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    rootDir: '.',
    outDir: 'out',
    noEmitOnError: false,
  },
  include: ['check.ts', 'runner.ts', 'examples', 'tests'],
}

interface Outcome {
  readonly instrumented: Instrumented
  readonly diagnostics: string[]
  readonly error: string | undefined
  /** Values recorded per check. */
  readonly values: Encoded[][]
}

let project: PackedProject | undefined
const outcomes = new Map<string, Outcome>()
/** Per README test file: compiler messages, and what vitest said of each of its tests. */
const testOutcomes = new Map<string, { diagnostics: string[]; tests: { name: string; status: string; failureMessages: string[] }[] }>()
let vitestOutput = ''

/** `node_modules/typescript`'s compiler on the project in `dir`, returning its messages (none when clean). */
function compile(dir: string): string[] {
  try {
    execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' })
    return []
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? String(e)
    // A message goes on over indented lines (the elaboration of a type error).
    return out.split(/\n(?!\s)/).map((m) => m.replace(/\s*\n\s*/g, ' ').trim()).filter((m) => m !== '')
  }
}

/** `npm run check:pack` (vitest --mode pack) installs the tarball with npm itself. */
const install: Install = (import.meta as ImportMeta & { readonly env?: { readonly MODE?: string } }).env?.MODE === 'pack' ? 'npm' : 'unpack'

beforeAll(() => {
  project = packedProject(repo, install)
  const dir = project.dir
  mkdirSync(join(dir, 'examples'))
  copyFileSync(join(import.meta.dirname, 'harness', 'check.ts'), join(dir, 'check.ts'))
  copyFileSync(join(import.meta.dirname, 'harness', 'runner.ts'), join(dir, 'runner.ts'))
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(userConfig, null, 2))
  mkdirSync(join(dir, 'tests'))
  readmeTests.forEach((t, i) => writeFileSync(join(dir, 'tests', testFileName(i)), t.code))
  const testDiagnostics = readmeTests.map((): string[] => [])
  const files = examples.map((ex, i) => {
    const instrumented = instrument(ex.code, ex.id)
    writeFileSync(join(dir, 'examples', `e${i}.ts`), instrumented.code)
    return instrumented
  })
  // Compiler messages name examples/eN.ts(line,col): map them back to the example as written. The
  // compiler reports no type errors while any file has a syntax error: such examples are replaced
  // by an empty module and the rest compiled again.
  const byExample = examples.map((): string[] => [])
  for (let round = 0; round < 2; round++) {
    const elsewhere: string[] = []
    const syntax = new Set<number>()
    for (const message of compile(dir)) {
      const t = /^tests[/\\]readme(\d+)\.test\.ts\((\d+),(\d+)\): error (TS\d+)(.*)$/.exec(message)
      const test = t === null ? undefined : readmeTests[Number(t[1])]
      if (t !== null && test !== undefined) {
        if (round === 0) testDiagnostics[Number(t[1])]?.push(`${test.origin}:${test.line + Number(t[2]) - 1}:${t[3]}: ${t[4]}${t[5]}`)
        continue
      }
      const m = /^examples[/\\]e(\d+)\.ts\((\d+),(\d+)\): error (TS\d+)(.*)$/.exec(message)
      const ex = m === null ? undefined : examples[Number(m[1])]
      if (m === null || ex === undefined) elsewhere.push(message)
      else {
        byExample[Number(m[1])]?.push(`${ex.origin}:${ex.line + Number(m[2]) - 1}:${m[3]}: ${m[4]}${m[5]}`)
        if (/^TS1\d{3}$/.test(m[4] ?? '')) syntax.add(Number(m[1]))
      }
    }
    if (elsewhere.length > 0) throw new Error(`the examples' project does not compile outside the examples:\n${elsewhere.join('\n')}`)
    if (syntax.size === 0) break
    for (const i of syntax) writeFileSync(join(dir, 'examples', `e${i}.ts`), 'export {}\n')
  }
  const list = examples.map((ex, i) => ({ id: ex.id, file: join(dir, 'out', 'examples', `e${i}.js`) }))
  writeFileSync(join(dir, 'list.json'), JSON.stringify(list))
  execFileSync(process.execPath, [join(dir, 'out', 'runner.js'), join(dir, 'list.json'), join(dir, 'results.json')], { cwd: dir, stdio: 'pipe' })
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { errors: Record<string, string>; recorded: { id: string; k: number; value: Encoded }[] }
  examples.forEach((ex, i) => {
    const instrumented = files[i] as Instrumented
    const values = instrumented.checks.map((): Encoded[] => [])
    for (const r of results.recorded) if (r.id === ex.id) values[r.k]?.push(r.value)
    outcomes.set(ex.id, { instrumented, diagnostics: byExample[i] ?? [], error: results.errors[ex.id], values })
  })
  // The README's test files under the project's own vitest (no config: its defaults), with an
  // environment free of this run's vitest variables.
  if (readmeTests.length > 0) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST'))
    const r = spawnSync(process.execPath, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'tests', '--reporter=json', '--outputFile=vitest.json'], { cwd: dir, env, encoding: 'utf8' })
    vitestOutput = `${r.stdout}${r.stderr}`
    const report = existsSync(join(dir, 'vitest.json')) ? (JSON.parse(readFileSync(join(dir, 'vitest.json'), 'utf8')) as { testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[] }) : { testResults: [] }
    readmeTests.forEach((t, i) => {
      const file = report.testResults.find((f) => f.name.endsWith(testFileName(i)))
      testOutcomes.set(t.id, { diagnostics: testDiagnostics[i] ?? [], tests: (file?.assertionResults ?? []).map((a) => ({ name: a.fullName, status: a.status, failureMessages: a.failureMessages })) })
    })
  }
})

afterAll(() => {
  if (project !== undefined) rmSync(project.dir, { recursive: true, force: true })
})

describe('examples compile under strict flags against the packed package, run, and print what they say', () => {
  it('there are examples in the README and in the JSDoc of the public files', () => {
    expect(examples.filter((e) => e.origin === 'README.md').length).toBeGreaterThan(3)
    expect(examples.filter((e) => e.origin !== 'README.md').length).toBeGreaterThan(20)
  })

  it.each(examples.map((e) => [e.id, e] as const))('%s', (_, ex) => {
    const outcome = outcomes.get(ex.id)
    if (outcome === undefined) throw new Error('not run')
    const problems: string[] = [...outcome.diagnostics, ...outcome.instrumented.problems.map((p) => `${ex.origin}:${ex.line}: ${p}`)]
    if (outcome.error !== undefined) problems.push(`threw: ${outcome.error}`)
    outcome.instrumented.checks.forEach((check, k) => {
      const where = `${ex.origin}:${ex.line + check.line - 1}`
      const seen = outcome.values[k] ?? []
      if (seen.length === 0 && outcome.error === undefined) problems.push(`${where}: the checked line never ran`)
      let expected
      try {
        expected = parseExpected(check.expected)
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message}`)
        return
      }
      for (const value of seen) problems.push(...mismatches(expected, value).map((d) => `${where}: ${d}`))
    })
    expect(problems).toEqual([])
  })
})

describe("the README's test files compile and pass under vitest in the fresh project", () => {
  it('there is one', () => {
    expect(readmeTests.length).toBeGreaterThan(0)
  })

  it.each(readmeTests.map((t) => [t.id, t] as const))('%s', (_, t) => {
    const outcome = testOutcomes.get(t.id)
    if (outcome === undefined) throw new Error('not run')
    expect(outcome.diagnostics).toEqual([])
    expect(outcome.tests.length, `vitest ran no test of ${t.id}:\n${vitestOutput}`).toBeGreaterThan(0)
    expect(outcome.tests.filter((r) => r.status !== 'passed')).toEqual([])
  })
})

describe("the README's command sessions, run on the packed bin/chainrule.js", () => {
  const sessions = cliSessions(readme)

  it('there are some', () => {
    expect(sessions.length).toBeGreaterThan(1)
  })

  it.each(sessions.map((s) => [`README.md:${s.line}: chainrule ${s.command}`, s] as const))('%s', (_, session) => {
    if (project === undefined) throw new Error('not packed')
    let stdout: string
    try {
      stdout = execFileSync(project.bin, shellWords(session.command), { cwd: project.dir, encoding: 'utf8', stdio: 'pipe' })
    } catch (e) {
      stdout = `(exit ${(e as { status?: number }).status}) ${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`
    }
    const trim = (text: string): string => text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '')
    expect(trim(stdout)).toBe(trim(session.output))
  })
})

describe('the package', () => {
  it('holds the built library, the command, the README and what it links to; its source maps carry the sources', () => {
    if (project === undefined) throw new Error('not packed')
    const files = new Set(project.files)
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'bin/chainrule.js', 'README.md', 'package.json']) expect(files.has(f)).toBe(true)
    const links = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? '').filter((l) => !/^[a-z]+:/.test(l))
    expect(links.length).toBeGreaterThan(0)
    for (const link of links) expect(files.has(link), `README links to ${link}`).toBe(true)
    const pkg = join(project.dir, 'node_modules', 'chainrule')
    const maps = project.files.filter((f) => f.endsWith('.js.map'))
    expect(maps.length).toBeGreaterThan(20)
    for (const map of maps) {
      const json = JSON.parse(readFileSync(join(pkg, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] }
      expect(json.sourcesContent?.length, map).toBe(json.sources.length)
      expect(json.sourcesContent?.every((s) => typeof s === 'string' && s.length > 0), map).toBe(true)
    }
    expect(existsSync(join(pkg, 'src'))).toBe(false)
  })

  it.runIf(install === 'npm')('installs with npm without a warning (no install scripts)', () => {
    if (project === undefined) throw new Error('not packed')
    expect(project.installLog).toMatch(/added \d+ packages?/)
    expect(project.installLog.split('\n').filter((l) => /\bwarn/i.test(l))).toEqual([])
  })
})
