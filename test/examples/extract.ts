/**
 * Finding the examples a user reads: the ```ts blocks and the `$ npx chainrule ...` sessions of
 * README.md, the README's test files (```ts vitest blocks, run under vitest), and every `@example`
 * in the JSDoc of the public API, that is of the source files that declare something one of the
 * package's entry points (src/index.ts, and src/testing for chainrule/testing and chainrule/vitest)
 * exports, following re-exports.
 *
 * @example
 * publicFiles(srcRoot)                  // ['src/either.ts', 'src/expr/node.ts', ...]
 * jsdocExamples(text, 'src/either.ts')  // [{ origin: 'src/either.ts', line: 11, code: "import ..." }, ...]
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** A piece of TypeScript to compile and run, and where it was written (1-based line of its first line). */
export interface Example {
  readonly id: string
  readonly origin: string
  readonly line: number
  readonly code: string
}

/** A command of the README with the output printed below it. */
export interface CliExample {
  readonly line: number
  readonly command: string
  readonly output: string
}

// -------------------------------------------------------------------------------------------------
// The public files
// -------------------------------------------------------------------------------------------------

interface ExportFrom {
  /** Exported name → name in the target ('*' for `export *`). */
  readonly names: ReadonlyMap<string, string> | '*'
  readonly target: string
}

interface ModuleExports {
  readonly local: ReadonlySet<string>
  readonly from: readonly ExportFrom[]
  /** Imported name → [file, name there]. */
  readonly imports: ReadonlyMap<string, readonly [string, string]>
}

const stripComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

/** `a, type b as c` → [['a', 'a'], ['c', 'b']] (exported or local name first). */
function specifiers(list: string): [string, string][] {
  return list
    .split(',')
    .map((s) => s.trim().replace(/^type\s+/, ''))
    .filter((s) => s !== '')
    .map((s) => {
      const [original, alias] = s.split(/\s+as\s+/)
      return [(alias ?? original ?? '').trim(), (original ?? '').trim()]
    })
}

function moduleExports(file: string): ModuleExports {
  const text = stripComments(readFileSync(file, 'utf8'))
  const target = (spec: string): string => resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
  const local = new Set<string>()
  for (const m of text.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) local.add(m[1] ?? '')
  for (const m of text.matchAll(/^export\s+const\s+\{([^}]*)\}\s*=/gm)) for (const [name] of specifiers(m[1] ?? '')) local.add(name)
  const from: ExportFrom[] = []
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\*\s+from\s+'([^']+)'/gm)) from.push({ names: '*', target: target(m[1] ?? '') })
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/gm)) from.push({ names: new Map(specifiers(m[1] ?? '')), target: target(m[2] ?? '') })
  const imports = new Map<string, readonly [string, string]>()
  for (const m of text.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/gm)) for (const [name, original] of specifiers(m[1] ?? '')) imports.set(name, [target(m[2] ?? ''), original])
  // `export { a, b }` of imported names re-exports them.
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*$/gm)) {
    for (const [name, original] of specifiers(m[1] ?? '')) {
      const imported = imports.get(original)
      if (imported !== undefined) from.push({ names: new Map([[name, imported[1]]]), target: imported[0] })
      else local.add(name)
    }
  }
  return { local, from, imports }
}

/** The files that declare `name` as exported by `file`, following re-exports. */
function declaringFiles(file: string, name: string, cache: Map<string, ModuleExports>, seen = new Set<string>()): string[] {
  const key = `${file}#${name}`
  if (seen.has(key) || !existsSync(file)) return []
  seen.add(key)
  let mod = cache.get(file)
  if (mod === undefined) {
    mod = moduleExports(file)
    cache.set(file, mod)
  }
  if (mod.local.has(name)) return [file]
  return mod.from.flatMap((f) => {
    if (f.names === '*') return declaringFiles(f.target, name, cache, seen)
    const original = f.names.get(name)
    return original === undefined ? [] : declaringFiles(f.target, original, cache, seen)
  })
}

/** The names `file` exports (directly or by re-export lists; `export *` of the entry point is followed). */
function exportedNames(file: string, cache: Map<string, ModuleExports>): string[] {
  const mod = moduleExports(file)
  cache.set(file, mod)
  const names = new Set(mod.local)
  for (const f of mod.from) {
    if (f.names === '*') for (const n of exportedNames(f.target, cache)) names.add(n)
    else for (const n of f.names.keys()) names.add(n)
  }
  return [...names]
}

/** The source files of the package's entry points (`exports` of package.json): '.', './testing', './vitest'. */
export const entryPoints = ['src/index.ts', 'src/testing/index.ts', 'src/testing/vitest.ts'] as const

/**
 * The public source files (relative to the repository): the entry points, the modules they
 * re-export from, and the files that declare what they export.
 */
export function publicFiles(repo: string): string[] {
  const cache = new Map<string, ModuleExports>()
  const files = new Set<string>()
  for (const e of entryPoints) {
    const entry = join(repo, e)
    files.add(entry)
    for (const name of exportedNames(entry, cache)) for (const f of declaringFiles(entry, name, cache)) files.add(f)
    for (const f of cache.get(entry)?.from ?? []) files.add(f.target)
  }
  return [...files].map((f) => relative(repo, f)).sort()
}

// -------------------------------------------------------------------------------------------------
// Examples
// -------------------------------------------------------------------------------------------------

/** The `@example` blocks of the JSDoc comments of `text` (the source of `origin`). */
export function jsdocExamples(text: string, origin: string): Example[] {
  const lines = text.split('\n')
  const out: Example[] = []
  let inDoc = false
  let current: { line: number; code: string[] } | undefined
  const flush = (): void => {
    if (current === undefined) return
    while (current.code.length > 0 && (current.code[current.code.length - 1] ?? '').trim() === '') current.code.pop()
    if (current.code.length > 0) out.push({ id: `${origin}:${current.line}`, origin, line: current.line, code: current.code.join('\n') + '\n' })
    current = undefined
  }
  lines.forEach((raw, i) => {
    if (!inDoc) {
      if (/^\s*\/\*\*/.test(raw) && !/\*\/\s*$/.test(raw)) inDoc = true
      return
    }
    if (/^\s*\*\/\s*$/.test(raw) || /\*\/\s*$/.test(raw)) {
      flush()
      inDoc = false
      return
    }
    const body = raw.replace(/^\s*\* ?/, '')
    if (/^@example\b/.test(body)) {
      flush()
      current = { line: i + 2, code: [] }
      return
    }
    if (/^@\w+/.test(body)) {
      flush()
      return
    }
    current?.code.push(body)
  })
  return out
}

/** The ```ts blocks of a Markdown text (```ts vitest: its test files, see `testFiles`). */
export function markdownBlocks(text: string, origin: string, info = /^```ts\s*$/): Example[] {
  const out: Example[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!info.test(lines[i] ?? '')) continue
    const start = i + 1
    let j = start
    while (j < lines.length && !/^```\s*$/.test(lines[j] ?? '')) j++
    out.push({ id: `${origin}:${start + 1}`, origin, line: start + 1, code: lines.slice(start, j).join('\n') + '\n' })
    i = j
  }
  return out
}

/** The ```ts vitest blocks of a Markdown text: test files a user copies, run under vitest as written. */
export const testFiles = (text: string, origin: string): Example[] => markdownBlocks(text, origin, /^```ts vitest\s*$/)

/**
 * The command sessions of a Markdown text: in a ``` block, each line `$ npx chainrule ARGS` and
 * the lines up to the next `$ ` line or the end of the block, its output.
 */
export function cliSessions(text: string): CliExample[] {
  const out: CliExample[] = []
  const lines = text.split('\n')
  let inBlock = false
  let current: { line: number; command: string; output: string[] } | undefined
  const flush = (): void => {
    if (current !== undefined) out.push({ line: current.line, command: current.command, output: current.output.join('\n') })
    current = undefined
  }
  lines.forEach((line, i) => {
    if (/^```/.test(line)) {
      flush()
      inBlock = !inBlock
      return
    }
    if (!inBlock) return
    const command = /^\$ npx chainrule (.*)$/.exec(line)
    if (command !== null) {
      flush()
      current = { line: i + 1, command: command[1] ?? '', output: [] }
    } else if (/^\$ /.test(line)) flush()
    else current?.output.push(line)
  })
  flush()
  return out
}

/** Splits a command line as a POSIX shell would for words, single and double quotes (no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? ''
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1)
      if (end < 0) throw new Error(`unclosed quote in: ${line}`)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else word = (word ?? '') + c
  }
  if (word !== undefined) words.push(word)
  return words
}
