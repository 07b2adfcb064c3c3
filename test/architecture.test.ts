/**
 * The architecture, checked: imports point one way (the entry point → cli → compile, teach → jacobian,
 * hvp → forward, reverse → tape, lang, trace → ops → expr; the testing kit beside cli, using
 * everything below it but not cli), and only the CLI may use Node.js modules, so that the core and
 * the testing kit run in a browser; no op is named outside the table, and compile has no import
 * circle.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { opTags } from '../src/ops/tags.js'

const layer: Record<string, number> = { expr: 0, sparse: 0, ops: 1, lang: 2, trace: 2, tape: 2, forward: 3, reverse: 3, jacobian: 4, hvp: 4, compile: 5, teach: 5, testing: 6, cli: 6 }
const root = join(import.meta.dirname, '..', 'src')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

// Files at the root of src (the entry point and the Either helpers) sit above every folder.
const rootFiles = readdirSync(root).filter((name) => name.endsWith('.ts')).map((name) => ({ folder: '', path: join(root, name) }))
const sources = [...Object.keys(layer).flatMap((folder) => files(join(root, folder)).map((path) => ({ folder, path }))), ...rootFiles].map((s) => ({ ...s, text: readFileSync(s.path, 'utf8') }))
const importsOf = (text: string): string[] => [...text.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map((m) => m[1])

describe('architecture', () => {
  it('every folder imports only from lower layers (or itself)', () => {
    const wrong: string[] = []
    for (const { folder, path, text } of sources) {
      for (const spec of importsOf(text)) {
        if (folder === '') continue
        if (spec.startsWith('.') && dirname(resolve(dirname(path), spec)) === root) wrong.push(`${path.slice(root.length)} imports ${spec}, a file at the root of src`)
        const target = /^\.\.\/(?:\.\.\/)?([a-z]+)\//.exec(spec)?.[1]
        if (target === undefined || target === folder || !(target in layer)) continue
        if (layer[target] >= layer[folder]) wrong.push(`${path.slice(root.length)} imports ${spec}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('only the CLI imports Node.js modules', () => {
    const wrong = sources.filter((s) => s.folder !== 'cli' && importsOf(s.text).some((m) => m.startsWith('node:') || ['fs', 'path', 'process', 'child_process'].includes(m)))
    expect(wrong.map((s) => s.path)).toEqual([])
  })

  it('no op is named outside src/ops (the language spells them): what an op is, is declared in its table entry', () => {
    // An op named to special-case it: compared with, switched on, looked up, or applied by name.
    // A word that happens to spell an op ('step' as a JSON field of a trace row) is not one.
    const t = `(?:${opTags.join('|')})`
    const named = new RegExp(
      [`(?:===|!==)\\s*'${t}'`, `'${t}'\\s*(?:===|!==)`, `case\\s+'${t}'`, `\\b(?:opCode|table)\\.${t}\\b`, `\\b(?:opCode|table)\\[\\s*'${t}'`, `\\b(?:applyOp|applyRaw2?|apply)\\(\\s*'${t}'`].join('|'),
    )
    // Code only: documentation may name ops (an example of arbitraryProgram({ ops: ['mul'] })).
    const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    const wrong = sources.filter((s) => s.folder !== 'ops' && s.folder !== 'lang' && named.test(code(s.text))).map((s) => s.path.slice(root.length))
    expect(wrong).toEqual([])
    // The test finds what it looks for.
    expect(named.test("if (n.op === 'mul') return")).toBe(true)
    expect(named.test("applyOp('add', a, b)")).toBe(true)
    expect(named.test("['step', k + 1]")).toBe(false)
  })

  it("compile's data types import nothing from the folder, and no file of compile imports itself back", () => {
    const compile = sources.filter((s) => s.folder === 'compile')
    const local = (path: string, text: string): string[] =>
      importsOf(text).filter((spec) => spec.startsWith('./')).map((spec) => join(dirname(path), spec.replace(/\.js$/, '.ts')))
    const types = compile.find((s) => s.path.endsWith('/compile/types.ts'))
    expect(types !== undefined && local(types.path, types.text)).toEqual([])
    const edges = new Map(compile.map((s) => [s.path, local(s.path, s.text)]))
    // Depth-first search for a back edge: a file reached again while it is on the path.
    const state = new Map<string, 'open' | 'done'>()
    const circles: string[] = []
    const visit = (path: string, trail: string[]): void => {
      state.set(path, 'open')
      for (const next of edges.get(path) ?? []) {
        if (state.get(next) === 'open') circles.push([...trail, path, next].map((p) => p.slice(root.length)).join(' → '))
        else if (state.get(next) === undefined) visit(next, [...trail, path])
      }
      state.set(path, 'done')
    }
    for (const path of edges.keys()) if (state.get(path) === undefined) visit(path, [])
    expect(circles).toEqual([])
  })

  it('user text never reaches a code generator: new Function appears only in codegen.ts', () => {
    const users = sources.filter((s) => /new Function\(|\beval\(/.test(s.text)).map((s) => s.path.slice(root.length))
    expect(users).toEqual(['/ops/codegen.ts'])
  })
})
