/**
 * The command line's grammar, declared once for commander: the commands, the flags each takes,
 * and a pre-pass that lets a program start with a minus sign (`chainrule eval "-x^2" --at x=3`).
 *
 * Commander is told never to exit or print errors itself (`exitOverride`, `configureOutput`):
 * its errors come back as exceptions that `main.ts` turns into one short line and exit status 2.
 *
 * @example
 * normalizeArgv(['eval', '-x^2', '--at', 'x=3'])   // ['eval', '--at', 'x=3', '--', '-x^2']
 */
import { Command } from 'commander'
import type { CommandSpec, OptionName } from './commands/types.js'

/** The raw flags of one invocation, as commander collects them (value flags may repeat). */
export interface RawOptions {
  readonly file?: string[] | undefined
  readonly at?: string[] | undefined
  readonly wrt?: string[] | undefined
  readonly v?: string[] | undefined
  readonly mode?: string[] | undefined
  readonly sparse?: boolean | undefined
  readonly format?: string[] | undefined
  readonly textbook?: boolean | undefined
  readonly plot?: string[] | undefined
  readonly json?: boolean | undefined
}

interface OptionDecl {
  readonly flags: string
  readonly help: string
}

const declarations: Readonly<Record<OptionName | 'file' | 'json', OptionDecl>> = {
  file: { flags: '-f, --file <path>', help: 'read the program from a file (- for standard input) instead of the argument' },
  at: { flags: '--at <point>', help: 'the point: x=1,y=2 or a JSON object {"x":1} or @file.json' },
  wrt: { flags: '--wrt <names>', help: 'variables to differentiate with respect to, comma-separated (default: every free variable, in natural order)' },
  v: { flags: '--v <direction>', help: 'the direction v of H·v (or of the tangents of graph and trace), written like --at (absent variables are 0)' },
  mode: { flags: '--mode <mode>', help: 'auto (default), forward or reverse (trace: auto is reverse)' },
  sparse: { flags: '--sparse', help: 'detect the sparsity pattern and share sweeps between structurally orthogonal columns or rows' },
  format: { flags: '--format <format>', help: 'svg (default, laid out by Graphviz) or dot (the Graphviz text)' },
  textbook: { flags: '--textbook', help: 'also show the textbook view: one tangent per forward sweep, one adjoint per reverse sweep' },
  plot: { flags: '--plot <file.svg>', help: 'write the cost of both modes as the inputs and the outputs grow, with the crossover, to an SVG file' },
  json: { flags: '--json', help: 'print one JSON object instead of tables' },
}

/** Flags that take a value (the next argument is theirs, even when it starts with '-'). */
const valueFlags: ReadonlySet<string> = new Set(['-f', '--file', '--at', '--wrt', '--v', '--mode', '--format', '--plot'])
/** Every flag any command takes (commander still checks which command takes which). */
const knownFlags: ReadonlySet<string> = new Set([...valueFlags, '--json', '--sparse', '--textbook', '-h', '--help', '-V', '--version'])

/** Every value collected in order, so that a repeated flag can be refused later. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

const epilog = `
Points (--at, --v): x=1,y=-2.5 or '{"x": 1, "y": -2.5}' or @point.json. Values are decimal
numbers; NaN, Infinity and -Infinity are accepted. --at, --wrt and --v name only the program's
variables (--v only those of --wrt). With --json, non-finite results are written as the strings
"NaN", "Infinity", "-Infinity". Bad input exits with status 2.`

/**
 * The commander program. `onAction` receives the command, the program argument and the flags;
 * `writeOut` receives help and version text.
 */
export function buildCommander(
  specs: readonly CommandSpec[],
  version: string,
  writeOut: (text: string) => void,
  onAction: (spec: CommandSpec, programText: string | undefined, options: RawOptions) => void,
): Command {
  const root = new Command('chainrule')
  root
    .description('automatic differentiation of straight-line programs: values, gradients, Jacobians, Hessians')
    .exitOverride()
    .configureOutput({ writeOut, writeErr: () => {}, outputError: () => {} })
    .version(version, '-V, --version', 'print the version number')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', epilog)
  for (const spec of specs) {
    const cmd = root.command(spec.name).description(spec.summary).argument('[program]', 'the program text (or use -f FILE)')
    for (const name of ['file', ...spec.options, 'json'] as const) {
      const d = declarations[name]
      if (d.flags.includes('<')) cmd.option(d.flags, d.help, collect)
      else cmd.option(d.flags, d.help)
    }
    cmd.action((programText: string | undefined, options: RawOptions) => onAction(spec, programText, options))
  }
  return root
}

/**
 * Moves arguments that start with '-' but are no flag of ours (a program such as `-x^2`, `-1` or
 * `--x`) behind `--`, so that commander reads them as the program. An unknown argument shaped
 * like a long flag (`--jsn`) stays a flag, so that commander reports it, unless the command line
 * has no program otherwise: then it is the program (`chainrule eval --x --at x=1` is -(-x)).
 */
export function normalizeArgv(argv: readonly string[], commands: ReadonlySet<string>): string[] {
  if (argv.length === 0 || !commands.has(argv[0])) return argv.slice()
  const kept = [argv[0]]
  const moved: string[] = []
  const flagLike: number[] = []
  let tail: string[] = []
  let hasProgram = false
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      tail = argv.slice(i + 1)
      hasProgram ||= tail.length > 0
      break
    }
    if (valueFlags.has(a)) {
      hasProgram ||= a === '-f' || a === '--file'
      kept.push(a)
      if (i + 1 < argv.length) kept.push(argv[++i])
    } else if (knownFlags.has(a) || knownFlags.has(a.split('=')[0])) {
      hasProgram ||= a.startsWith('--file=')
      kept.push(a)
    } else if (!a.startsWith('-') || a === '-') {
      hasProgram = true
      kept.push(a)
    } else if (/^--[A-Za-z][A-Za-z0-9-]*(=.*)?$/s.test(a)) {
      flagLike.push(kept.length)
      kept.push(a)
    } else {
      hasProgram = true
      moved.push(a)
    }
  }
  if (!hasProgram && flagLike.length > 0) moved.push(...kept.splice(flagLike[0], 1))
  return moved.length === 0 && tail.length === 0 ? kept : [...kept, '--', ...moved, ...tail]
}
