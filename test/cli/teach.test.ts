/** The teaching commands: graph, trace, cost --textbook and --plot, on the document's example. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, cliAsync, cliJson, expectBadInput, tempFiles } from './helpers.js'

const doc = ['(x+y)*z', '--at', 'x=-2,y=5,z=-4']

describe('trace', () => {
  it('reverse: the values, then the grad_table from the output back', () => {
    const out = cliJson(['trace', ...doc, '--mode', 'reverse'])
    expect(out.gradient).toEqual({ x: -4, y: -4, z: 3 })
    const rows = out.rows as { phase: string; node: string; adjoint?: number; changed?: { node: string; total: number }[] }[]
    expect(rows.filter((r) => r.phase === 'forward').map((r) => r.node)).toEqual(['x', 'y', 'z', 'v1', 'v2'])
    const back = rows.filter((r) => r.phase === 'reverse')
    expect(back.map((r) => [r.node, r.adjoint, r.changed?.map((c) => `${c.node}=${c.total}`)])).toEqual([['v2', 1, ['v1=-4', 'z=3']], ['v1', -4, ['x=-4', 'y=-4']]])
    expect(cli(['trace', ...doc]).stdout).toContain('v1 += -4×1 → -4; z += 3×1 → 3')
  })

  it('forward: one tangent per input, side by side, or along --v', () => {
    const out = cliJson(['trace', ...doc, '--mode', 'forward'])
    const rows = out.rows as { node: string; tangents: Record<string, number> }[]
    expect(rows.at(-1)?.tangents).toEqual({ x: -4, y: -4, z: 3 })
    const along = cliJson(['trace', ...doc, '--mode', 'forward', '--v', 'x=1,y=1'])
    expect((along.rows as { tangent: number }[]).at(-1)?.tangent).toBe(-8)
  })

  it('bad input exits 2: a vector program in reverse, a tensor program, a missing variable', () => {
    expectBadInput(cli(['trace', '[x, y]', '--at', 'x=1,y=2', '--mode', 'reverse']))
    expectBadInput(cli(['trace', 'sum(X)', '--at', '{"X": [1, 2]}']))
    expectBadInput(cli(['trace', '(x+y)*z', '--at', 'x=1']))
  })

  it('--v names only variables differentiated, and only for the forward sweep (as hvp): never silently dropped', () => {
    const at = ['sin(x)*y', '--at', 'x=1,y=2']
    for (const command of ['trace', 'graph']) {
      expect(expectBadInput(cli([command, ...at, '--v', 'y=1', '--wrt', 'x', '--mode', 'forward']))).toContain("'y' in --v is not among the variables differentiated ('x')")
      expect(expectBadInput(cli([command, ...at, '--v', 'q=1', '--mode', 'forward']))).toContain("unknown variable 'q' in --v")
      expect(expectBadInput(cli([command, ...at, '--v', 'x=1', '--mode', 'reverse']))).toContain(`--v is a direction for the forward sweep: ${command} --mode reverse`)
    }
    // Without --mode, --v is the forward sweep's direction, in trace as in graph.
    const along = cliJson(['trace', ...at, '--v', 'x=1'])
    expect(along.mode).toBe('forward')
    expect((along.rows as { tangent: number }[]).at(-1)?.tangent).toBeCloseTo(2 * Math.cos(1), 15)
    // A constant has no adjoint in the graph (no "∂ 0" on the 2 of x*2).
    const g = cliJson(['graph', 'x*2', '--at', 'x=3', '--format', 'dot'])
    expect((g.nodes as { label: string; adjoint?: number }[]).find((n) => n.label === '2')).not.toHaveProperty('adjoint')
  })
})

describe('graph', () => {
  it('--format dot: values green, adjoints red, the local partials on the edges', () => {
    const r = cli(['graph', ...doc, '--format', 'dot'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^digraph chainrule \{/)
    expect(r.stdout).toContain('<FONT COLOR="#1a7f37">−12</FONT>')
    expect(r.stdout).toContain('<FONT COLOR="#cf222e">∂ 3</FONT>')
    const out = cliJson(['graph', ...doc, '--format', 'dot'])
    expect((out.nodes as { label: string; adjoint: number }[]).map((n) => [n.label, n.adjoint])).toEqual([['x', -4], ['y', -4], ['z', 3], ['v1', -4], ['v2', 1]])
  })

  it('tangents with --v, instead of adjoints', () => {
    const out = cliJson(['graph', ...doc, '--format', 'dot', '--v', 'z=1'])
    expect((out.nodes as { tangent?: number; adjoint?: number }[]).map((n) => [n.tangent, n.adjoint])).toEqual([[0, undefined], [0, undefined], [1, undefined], [0, undefined], [3, undefined]])
  })

  it('svg by default, laid out by Graphviz', async () => {
    const r = await cliAsync(['graph', ...doc])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('<svg')
    expect(r.stdout).toContain('fill="#cf222e"')
  })

  it('trace --mode forward --json gives what the sweeps found at the output (session 11 trial: no "gradient")', () => {
    expect(cliJson(['trace', 'q = x*y; q + sin(x)', '--at', 'x=1,y=2', '--mode', 'forward']).gradient).toEqual(cliJson(['grad', 'q = x*y; q + sin(x)', '--at', 'x=1,y=2']).gradient)
    expect(cliJson(['trace', 'x*y + y', '--at', 'x=1,y=2', '--v', 'x=1,y=1']).derivative).toBe(4)
    expect(cliJson(['trace', '[x*y, x]', '--at', 'x=1,y=2', '--mode', 'forward']).jacobian).toEqual([[2, 1], [1, 0]])
  })

  it('a graph too large to lay out as SVG is refused, and given as DOT (session 11 trial)', async () => {
    // 20 000 nested sin, or a sum of 2 500 terms, overflowed Graphviz's stack: an internal error.
    const deep = `${'sin('.repeat(2_000)}x${')'.repeat(2_000)}`
    expect(expectBadInput(await cliAsync(['graph', deep, '--at', 'x=1']))).toBe('chainrule: error: the graph has 2001 nodes, too many to lay out as SVG (at most 2000); use --format dot for the Graphviz text\n')
    expect(cli(['graph', deep, '--at', 'x=1', '--format', 'dot']).code).toBe(0)
  })

  it('a document on stdout stays valid with warnings: they go to stderr (session 11 trial)', async () => {
    // `graph ... > g.svg` left "warnings (1): ..." after </svg>, and XML parsers refused the file.
    const r = await cliAsync(['graph', 'abs(x)*y', '--at', 'x=0,y=0'])
    expect(r.code).toBe(0)
    expect(r.stdout.trimEnd().endsWith('</svg>')).toBe(true)
    expect(r.stderr).toContain("abs(x) at x = 0: abs is not differentiable at 0")
    const d = cli(['graph', 'abs(x)*y', '--at', 'x=0,y=0', '--format', 'dot'])
    expect(d.stdout.trimEnd().endsWith('}')).toBe(true)
    expect(d.stderr).toContain('warnings (1):')
  })

  it("the title is the program as written: the user's names, one line, comments dropped", () => {
    const dir = tempFiles({ 'p.cr': 't = x*y  # first\n\n[t + sin(t),\n  t*2]\n' })
    const dot = cli(['graph', '-f', join(dir, 'p.cr'), '--at', 'x=1,y=2', '--v', 'x=1', '--format', 'dot']).stdout
    expect(dot).toContain('label=<t = x*y; [t + sin(t), t*2]  (tangents along x = 1)>')
    expect(cli(['graph', 't = x*y; t + sin(t)', '--at', 'x=1,y=2', '--format', 'dot']).stdout).toContain('label=<t = x*y; t + sin(t)>')
  })

  it('bad --format exits 2', () => {
    expectBadInput(cli(['graph', ...doc, '--format', 'png']))
  })
})

describe('trace warns as grad and jacobian do', () => {
  it('a NaN value, a tie in max: the same warnings as the engine', () => {
    const r = cliJson(['trace', 'log(x)', '--at', 'x=-1', '--mode', 'reverse'])
    expect(r.warnings).toEqual(['log(x) is NaN at x = -1'])
    const f = cliJson(['trace', 'max(x, y)', '--at', 'x=1,y=1', '--mode', 'forward'])
    expect((f.warnings as string[])[0]).toContain('max has a tie')
  })
})

describe('cost --textbook and --plot', () => {
  it('the textbook view counts one lane per sweep and says why the engine differs', () => {
    const out = cliJson(['cost', '[x1+x2+x3+x4+x5]', '--textbook'])
    // The 16-lane forward sweep is estimated 1.3× faster, within the model's error: the tie goes to less arithmetic.
    expect(out.mode).toBe('reverse')
    expect(out.textbook).toMatchObject({ mode: 'reverse', forward: { sweeps: 5, madds: 40 }, reverse: { sweeps: 1, madds: 8 } })
    expect((out.notes as string[]).join(' ')).toContain('compile(p).jacobian runs these sweeps and uses reverse mode')
    expect(cli(['cost', '[x1+x2+x3+x4+x5]', '--textbook']).stdout).toContain('multiply-adds (derivative edges × lanes)')
  })

  it('--plot writes an SVG with both modes and the crossover', async () => {
    const dir = tempFiles({})
    const file = join(dir, 'cost.svg')
    const r = await cliAsync(['cost', '[x1*x2 + sin(x3)*x4, x1 - x2, x3*x4*x5, exp(x5) + x1]', '--plot', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`plot: ${file}`)
    const svg = readFileSync(file, 'utf8')
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('#1a7f37')
    expect(svg).toContain('#cf222e')
  })

  it('--plot grows the inputs along --wrt, not along every variable', async () => {
    const dir = tempFiles({})
    const file = join(dir, 'wrt.svg')
    const r = await cliAsync(['cost', '[x1*x2 + sin(x3)*x4, x1 - x2, x3*x4*x5, exp(x5) + x1]', '--wrt', 'x2,x4', '--plot', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('(inputs 1 to 2:')
  })

  it('--plot --json carries the crossovers the text prints', async () => {
    const file = join(tempFiles({}), 'json.svg')
    const r = await cliAsync(['cost', '[x*y, x+y, sin(x)]', '--plot', file, '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({ plot: file, crossover: { inputs: null, outputs: 2 } })
  })
})

describe('cost: outputs that depend on no input', () => {
  it('a constant program has one output, none of which needs a sweep', () => {
    expect(cli(['cost', '3']).stdout).toContain('graph: 0 inputs → 0 of 1 output (those that depend on the inputs), 1 slot')
  })

  it('a constant among the outputs is counted in the program, not in the rows', () => {
    expect(cli(['cost', '[x*y, 3]']).stdout).toContain('2 inputs → 1 of 2 outputs (those that depend on the inputs)')
    expect(cli(['jacobian', '[x*y, 3]', '--at', 'x=1,y=2']).stdout).toContain('2 inputs → 1 of 2 outputs')
  })
})

describe('teaching views show every number they stand for (session 10 teacher trial)', () => {
  it('the reverse trace lists an operation whose adjoint is 0: it adds 0, and the engine skips it', () => {
    const r = cli(['trace', 'relu(w*x) + b', '--at', 'w=2,x=-1,b=1', '--mode', 'reverse'])
    expect(r.stdout).toMatch(/3 +v1 +× +0 +adds 0 to w, x \(the engine skips it\)/)
    const rows = (cliJson(['trace', 'relu(w*x) + b', '--at', 'w=2,x=-1,b=1', '--mode', 'reverse']).rows as { phase: string; node: string; skipped?: boolean }[]).filter((row) => row.phase === 'reverse')
    expect(rows.map((row) => [row.node, row.skipped === true])).toEqual([['v3', false], ['v2', false], ['v1', true]])
  })

  it('trace --v reports the warnings of the sweep it shows, along --v (session 10 review)', () => {
    const r = cliJson(['trace', 'sqrt(x) + y', '--at', 'x=0,y=1', '--v', 'x=0,y=1'])
    expect(r.warnings).toEqual([expect.stringContaining('met only zeros')])
  })

  it('graph draws a NaN value, reports the warnings trace gives, and says along which direction its tangents are', () => {
    expect(cli(['graph', 'log(x)*y', '--at', 'x=-1,y=0', '--format', 'dot']).stdout.match(/>NaN</g)?.length).toBeGreaterThanOrEqual(2)
    const tie = cliJson(['graph', 'max(x,y)', '--at', 'x=1,y=1', '--format', 'dot'])
    expect(tie.warnings).toEqual([expect.stringContaining('max has a tie')])
    expect((tie.nodes as { output: boolean }[]).map((n) => n.output)).toEqual([false, false, true])
    const forward = cliJson(['graph', 'q = x + y; f = q * z', '--at', 'x=-2,y=5,z=-4', '--mode', 'forward', '--format', 'dot'])
    expect(forward.direction).toEqual({ x: 1 })
    expect(forward.dot).toContain('(tangents along x = 1, the first variable: give --v for another direction)')
    // Forward-mode figures carry the edges' partials too: ṫ = Σ partial·ṫ can be checked on them.
    expect(forward.dot).toMatch(/n0 -> n3 \[label=<1>/)
  })
})
