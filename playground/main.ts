/**
 * The playground page: a program and a point, the graph with values (green) and adjoints (red) or
 * tangents (blue), stepped one node at a time through the forward sweep and then the reverse
 * sweep, and the cost comparison of the two modes. It runs the toolkit itself (the core has no
 * Node-only dependency) and lays the graph out with Graphviz in WebAssembly (`@viz-js/viz`).
 */
import { instance } from '@viz-js/viz'
import {
  chooseMode, costNotes, forwardTrace, grad, gradTableAfter, graphView, isLeft, jacobian, jvp, parse, formatParseError, reverseTrace, textbookChoice, toDot, wengert,
  type ForwardStep, type Program, type ReverseStep, type WengertList,
} from '../src/index.js'

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const vizReady = instance()

interface State {
  readonly program: Program
  readonly list: WengertList
  readonly mode: 'forward' | 'reverse'
  readonly forward: readonly ForwardStep[]
  readonly reverse: readonly ReverseStep[]
  /** Steps done: the first N compute the values (and tangents), the rest are reverse steps. */
  position: number
  readonly seed: string
}

let state: State | undefined

/** `x=1,y=2` or a JSON object; a name given twice, an empty name or a value that is no decimal number is refused (as the CLI refuses them). */
function parsePoint(text: string): Record<string, number> {
  const t = text.trim()
  if (t.startsWith('{')) return JSON.parse(t) as Record<string, number>
  const point: Record<string, number> = {}
  const decimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:Infinity|NaN)$/
  for (const part of t.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=')
    const k = eq < 0 ? '' : part.slice(0, eq).trim()
    const v = eq < 0 ? '' : part.slice(eq + 1).trim()
    if (eq < 0 || k === '') throw new Error(`cannot read '${part}': write name=number`)
    if (!decimal.test(v)) throw new Error(`the value of '${k}' is not a number: '${v}'`)
    if (Object.hasOwn(point, k)) throw new Error(`'${k}' is given twice in the point`)
    point[k] = Number(v)
  }
  return point
}

const fmt = (x: number | undefined): string => (x === undefined ? '' : Object.is(x, -0) ? '0' : String(Number.isInteger(x) ? x : Number(x.toPrecision(6))))
const total = (s: State): number => s.list.entries.length + (s.mode === 'reverse' ? s.reverse.length : 0)

function load(): void {
  $('error').textContent = ''
  const parsed = parse($<HTMLTextAreaElement>('program').value)
  if (isLeft(parsed)) return fail(formatParseError(parsed.left))
  let point: Record<string, number>
  try {
    point = parsePoint($<HTMLInputElement>('point').value)
  } catch (e) {
    return fail((e as Error).message)
  }
  const listed = wengert(parsed.right, point)
  if (isLeft(listed)) return fail(listed.left.message)
  const list = listed.right
  const mode = $<HTMLSelectElement>('mode').value === 'forward' ? 'forward' : 'reverse'
  if (mode === 'reverse' && list.outputs.length !== 1) return fail('reverse mode here shows one output: write a scalar program, or choose forward mode')
  const seedSelect = $<HTMLSelectElement>('seed')
  const previous = seedSelect.value
  seedSelect.replaceChildren(...list.wrt.map((name) => new Option(`∂/∂${name}`, name)))
  const seed = list.wrt.includes(previous) ? previous : (list.wrt[0] ?? '')
  seedSelect.value = seed
  state = { program: parsed.right, list, mode, forward: forwardTrace(list, seedOf(seed)), reverse: reverseTrace(list), position: 0, seed }
  showCost(parsed.right)
  showWarnings(state, point)
  void draw()
}

/**
 * The engine's warnings for the sweep shown (a kink met, a NaN and where it starts, 0·∞ = 0), as
 * `chainrule trace` prints them: the page shows the document's arithmetic, and must not be quieter
 * than the engine about a point where that arithmetic is not the derivative.
 */
function showWarnings(s: State, point: Record<string, number>): void {
  const r =
    s.mode === 'reverse'
      ? grad(s.program, point, s.list.wrt)
      : s.seed !== ''
        ? jvp(s.program, point, Object.fromEntries(s.list.wrt.map((name) => [name, name === s.seed ? 1 : 0])))
        : jacobian(s.program, point, { wrt: s.list.wrt, mode: 'forward' })
  const messages = isLeft(r) ? [] : r.right.warnings.map((w) => `⚠ ${w.message}`)
  $('warnings').textContent = messages.join('\n')
}

/** The forward sweep's seed: ẋ = 1 for the variable chosen, or none when the program has no variable. */
const seedOf = (seed: string): Record<string, number>[] => [seed === '' ? {} : { [seed]: 1 }]

function fail(message: string): void {
  state = undefined
  $('error').textContent = message
  // Nothing of the previous program may stay on the page beside the error.
  $('cost').replaceChildren()
  $('warnings').textContent = ''
  $<HTMLSelectElement>('seed').replaceChildren()
  $('graph').replaceChildren()
  $('steps').replaceChildren()
  $('variables').replaceChildren()
  $('status').textContent = ''
}

function move(to: number): void {
  if (state === undefined) return
  state.position = Math.max(0, Math.min(total(state), to))
  void draw()
}

function row(cells: readonly (string | [string, string])[], header = false): HTMLTableRowElement {
  const tr = document.createElement('tr')
  for (const c of cells) {
    const td = document.createElement(header ? 'th' : 'td')
    if (typeof c === 'string') td.textContent = c
    else [td.className, td.textContent] = c
    tr.append(td)
  }
  return tr
}

async function draw(): Promise<void> {
  const s = state
  if (s === undefined) return
  const n = s.list.entries.length
  const computed = Math.min(s.position, n)
  const reverseDone = Math.max(0, s.position - n)
  const inReverse = s.mode === 'reverse' && s.position >= n
  const adjoints = inReverse ? gradTableAfter(s.list, s.reverse, reverseDone) : undefined
  const tangents = s.mode === 'forward' ? s.forward.map((f) => f.tangents[0] as number) : undefined
  const current = s.position === 0 ? undefined : inReverse && reverseDone > 0 ? s.reverse[reverseDone - 1]?.entry : s.position <= n ? s.position - 1 : undefined
  const view = graphView(s.list, { computed, ...(adjoints === undefined ? {} : { adjoints }), ...(tangents === undefined ? {} : { tangents }), ...(current === undefined ? {} : { current }) })
  const viz = await vizReady
  if (state !== s) return
  $('graph').replaceChildren(viz.renderSVGElement(toDot(view)))

  // The variables with their values and, in reverse mode, their grad_table entries so far.
  const variables = s.list.entries.filter((e) => e.kind === 'variable')
  const output = s.list.entries[s.list.outputs[0] ?? 0]?.label ?? 'f'
  const last = s.mode === 'reverse' ? `adjoint ∂${output}/∂·` : s.seed === '' ? 'tangent (no variable to seed)' : `tangent (∂/∂${s.seed})`
  $('variables').replaceChildren(
    row(['variable', 'value', last], true),
    ...variables.map((e) => {
      // Once the sweep is done, a variable nothing flowed back to has derivative 0 (not a blank).
      const adjoint = adjoints?.[e.index] ?? (s.position === total(s) && inReverse ? 0 : undefined)
      const tr = row([e.label, ['value', fmt(e.value)], s.mode === 'reverse' ? ['adjoint', fmt(adjoint)] : ['tangent', e.index < computed ? fmt(tangents?.[e.index]) : '']])
      tr.lastElementChild?.setAttribute(s.mode === 'reverse' ? 'data-adjoint' : 'data-tangent', e.label)
      return tr
    }),
  )

  // The sweep: the values (and tangents), then the reverse steps.
  const rows: HTMLTableRowElement[] = [row(['step', 'node', 'operation', 'inputs', 'value', s.mode === 'reverse' ? 'grad_table changes' : 'tangent'], true)]
  s.list.entries.forEach((e, k) => {
    const tr = row([String(k + 1), e.label, e.kind === 'operation' ? e.symbol : e.kind, e.args.map((a) => s.list.entries[a]?.label ?? '').join(', '), ['value', k < computed ? fmt(e.value) : ''], s.mode === 'forward' ? ['tangent', k < computed ? fmt(tangents?.[k]) : ''] : ''])
    if (k === s.position - 1) tr.className = 'current'
    rows.push(tr)
  })
  if (s.mode === 'reverse') {
    s.reverse.forEach((r, k) => {
      const e = s.list.entries[r.entry]
      const text =
        k >= reverseDone
          ? ''
          : r.changes.length === 0
            ? '(no input carries a derivative)'
            : r.skipped === true
              ? `adds 0 to ${r.changes.map((c) => c.label).join(', ')} (the engine skips it)`
              : r.changes.map((c) => `${c.label} += ${fmt(c.partial)}×${fmt(r.adjoint)} → ${fmt(c.total)}`).join('; ')
      const tr = row([`←${k + 1}`, e?.label ?? '', e?.symbol ?? '', '', ['adjoint', k < reverseDone ? `∂ ${fmt(r.adjoint)}` : ''], ['adjoint', text]])
      if (k === reverseDone - 1 && inReverse) tr.className = 'current'
      rows.push(tr)
    })
  }
  $('steps').replaceChildren(...rows)
  const phase = s.position === 0 ? 'nothing computed yet: press step' : s.position <= n ? `forward sweep: step ${s.position} of ${n}` : `reverse sweep: step ${reverseDone} of ${s.reverse.length}`
  $('status').textContent = `${phase}${s.position === total(s) ? ' (done)' : ''}`
  $<HTMLButtonElement>('step').disabled = s.position >= total(s)
  $<HTMLButtonElement>('back').disabled = s.position <= 0
}

function showCost(p: Parameters<typeof chooseMode>[0]): void {
  const c = chooseMode(p)
  const t = textbookChoice(p)
  if (isLeft(c) || isLeft(t)) return void $('cost').replaceChildren()
  const lines = [
    `Jacobian of ${p.outputs.length} output(s)${c.right.outputs !== p.outputs.length ? ` (${c.right.outputs} depending on the inputs)` : ''} with respect to ${c.right.inputs} input(s):`,
    `  this engine:  forward ${c.right.forward.sweeps} sweep(s) × ${c.right.forward.width} lanes, ${c.right.forward.madds} multiply-adds;  reverse ${c.right.reverse.sweeps} sweep(s) × ${c.right.reverse.width} lanes, ${c.right.reverse.madds} multiply-adds → ${c.right.mode} mode`,
    `  textbook:     forward ${t.right.forward.sweeps} sweep(s), ${t.right.forward.madds} multiply-adds;  reverse ${t.right.reverse.sweeps} sweep(s), ${t.right.reverse.madds} multiply-adds → ${t.right.mode} mode`,
    '',
    ...costNotes(c.right, t.right).map((note) => `• ${note}`),
  ]
  const h = document.createElement('h2')
  h.style.fontSize = '1rem'
  h.textContent = 'cost: forward against reverse mode'
  const pre = document.createElement('pre')
  pre.textContent = lines.join('\n')
  $('cost').replaceChildren(h, pre)
}

$('form').addEventListener('submit', (e) => {
  e.preventDefault()
  load()
})
$('mode').addEventListener('change', load)
$('seed').addEventListener('change', () => {
  if (state === undefined) return
  const seed = $<HTMLSelectElement>('seed').value
  state = { ...state, seed, forward: forwardTrace(state.list, seedOf(seed)) }
  try {
    showWarnings(state, parsePoint($<HTMLInputElement>('point').value))
  } catch {
    // The point was read when the program was shown; an edit since then shows at the next show.
  }
  void draw()
})
$('start').addEventListener('click', () => move(0))
$('back').addEventListener('click', () => move((state?.position ?? 0) - 1))
$('step').addEventListener('click', () => move((state?.position ?? 0) + 1))
$('end').addEventListener('click', () => move(Number.MAX_SAFE_INTEGER))
load()
