/**
 * The package as a user gets it: `npm pack` (which builds dist/ in its prepack script), then
 * installed into a fresh project, one of two ways:
 * - `unpack` (the default, for `npm test`): the tarball unpacked as node_modules/chainrule, its
 *   dependencies linked from this repository's node_modules (the same versions, no npm cache and
 *   no network needed);
 * - `npm` (for `npm run check:pack`): `npm install --offline` of the tarball, as a user would
 *   install it, its dependencies from the npm cache that `npm ci` filled; the install's output is
 *   kept, to check that it warns about nothing.
 *
 * @example
 * const project = packedProject(repo)   // { dir, tarball, files, bin, installLog }
 * // import ... from 'chainrule' in project.dir resolves to the installed package
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type Install = 'unpack' | 'npm'

export interface PackedProject {
  /** The project: package.json (ESM) and node_modules with chainrule and its dependencies. */
  readonly dir: string
  readonly tarball: string
  /** The files of the tarball, relative to the package root. */
  readonly files: readonly string[]
  /** The command as the project runs it (node_modules/.bin/chainrule after an npm install). */
  readonly bin: string
  /** What `npm install` printed (empty when unpacked). */
  readonly installLog: string
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** Links `names` from the repository's node_modules into the project's. */
function link(repo: string, dir: string, names: readonly string[]): void {
  for (const name of names) {
    const at = join(dir, 'node_modules', name)
    if (existsSync(at)) continue
    mkdirSync(join(at, '..'), { recursive: true })
    symlinkSync(join(repo, 'node_modules', name), at, 'dir')
  }
}

/** Packs the repository at `repo` and installs the tarball into a fresh project in a temporary directory. */
export function packedProject(repo: string, install: Install = 'unpack'): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-pack-'))
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[]
  if (info === undefined) throw new Error(`npm pack printed no package: ${out}`)
  const tarball = join(dir, info.filename)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'chainrule-user', version: '1.0.0', private: true, type: 'module' }, null, 2))
  let installLog = ''
  if (install === 'npm') {
    // Warnings go to stderr: keep both streams.
    const r = spawnSync(npm, ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: dir, encoding: 'utf8' })
    installLog = `${r.stdout}${r.stderr}`
    if (r.status !== 0) throw new Error(`npm install --offline of the tarball failed (its dependencies come from the npm cache: run npm ci first):\n${installLog}`)
  } else {
    const pkg = join(dir, 'node_modules', 'chainrule')
    mkdirSync(pkg, { recursive: true })
    execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1'])
    link(repo, dir, ['fp-ts', 'commander', 'fast-check'])
  }
  // The user's own dev tools: Node's types for the examples' runner, and vitest (an optional peer
  // of chainrule/vitest) for the README's test files.
  link(repo, dir, ['@types/node', 'vitest'])
  const bin = install === 'npm' ? join(dir, 'node_modules', '.bin', 'chainrule') : join(dir, 'node_modules', 'chainrule', 'bin', 'chainrule.js')
  return { dir, tarball, files: info.files.map((f) => f.path), bin, installLog }
}
