/**
 * The package as a user gets it: `npm pack` (which builds dist/ in its prepack script), then the
 * tarball unpacked as node_modules/chainrule of a fresh project, its dependencies linked from this
 * repository's node_modules (the same versions, and no network).
 *
 * @example
 * const project = packedProject(repo)   // { dir, tarball, files }
 * // import ... from 'chainrule' in project.dir resolves to the unpacked tarball
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PackedProject {
  /** The project: package.json (ESM) and node_modules with chainrule and its dependencies. */
  readonly dir: string
  readonly tarball: string
  /** The files of the tarball, relative to the package root. */
  readonly files: readonly string[]
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** Packs the repository at `repo` and unpacks the tarball into a fresh project in a temporary directory. */
export function packedProject(repo: string, links: readonly string[] = ['fp-ts', 'commander', '@types/node']): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-pack-'))
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[]
  if (info === undefined) throw new Error(`npm pack printed no package: ${out}`)
  const tarball = join(dir, info.filename)
  const pkg = join(dir, 'node_modules', 'chainrule')
  mkdirSync(pkg, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1'])
  for (const name of links) {
    const at = join(dir, 'node_modules', name)
    mkdirSync(join(at, '..'), { recursive: true })
    symlinkSync(join(repo, 'node_modules', name), at, 'dir')
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'chainrule-user', private: true, type: 'module' }, null, 2))
  return { dir, tarball, files: info.files.map((f) => f.path) }
}
