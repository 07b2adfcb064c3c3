/**
 * The sweeps as the document writes them, one step at a time: the Wengert list of a scalar
 * program (every node once, inputs first, then each operation in topological order), the forward
 * sweep that fills in values and tangents, and the reverse sweep that fills the grad_table from
 * the output back (grad_table[uₙ] = 1; each step adds ∂uᵢ/∂uⱼ · grad_table[uᵢ] into the entry of
 * every input uⱼ of uᵢ). This is for reading, not speed: the engine's sweeps run on typed-array
 * tapes (`src/tape`); these walk the nodes and ask the same derivative table for the same
 * partials, so the numbers agree.
 *
 * An operation whose two inputs are one node (x·x) contributes to its entry twice, one step each,
 * as bprop treats them (§3.2). A structurally zero partial (stop_gradient) contributes nothing.
 *
 * @example
 * import { wengert, reverseTrace, parse, orThrow } from 'chainrule'
 * const list = orThrow(wengert(orThrow(parse('q = x + y; f = q * z')), { x: -2, y: 5, z: -4 }))
 * list.entries.map((e) => `${e.label}=${e.value}`)            // → ['x=-2', 'y=5', 'z=-4', 'q=3', 'f=-12']
 * const steps = reverseTrace(list)
 * steps.map((s) => s.changes.map((c) => `${c.label}:${c.total}`).join(' '))   // → ['q:-4 z:3', 'x:-4 y:-4']
 */
import * as E from 'fp-ts/lib/Either.js'
import { topoOrder } from '../expr/graph.js'
import type { Node } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import { numbers, partialsIn, partialValue, times } from '../ops/math.js'
import type { Partial as LocalPartial } from '../ops/rule.js'
import { isOpTag, type OpTag } from '../ops/tags.js'
import { table } from '../ops/table.js'
import { wrtTape } from '../tape/names.js'
import { badArgument, loadPoint, type EvalError, type Point } from '../tape/point.js'

// -------------------------------------------------------------------------------------------------
// The Wengert list
// -------------------------------------------------------------------------------------------------

/** One node of the list: an input (variable or constant) or an operation on earlier entries. */
export interface Entry {
  /** Position in the list (0-based); inputs come first. */
  readonly index: number
  /** The name a statement gave it, the variable's name, the constant's value, or vₖ. */
  readonly label: string
  readonly kind: 'variable' | 'constant' | 'operation'
  /** The operation's tag (`add`, `sin`, ...); the kind for inputs. */
  readonly op: string
  /** How the operation is written: `+`, `×`, `sin`; the label for inputs. */
  readonly symbol: string
  /** Indices of the arguments (empty for inputs). */
  readonly args: readonly number[]
  readonly value: number
  /** ∂(this)/∂(argument k), per argument; null where the partial is structurally zero. */
  readonly partials: readonly (number | null)[]
}

export interface WengertList {
  readonly entries: readonly Entry[]
  /** Index of each output in `entries`. */
  readonly outputs: readonly number[]
  /** The variables differentiated with respect to, and their entries (−1: not in the program). */
  readonly wrt: readonly string[]
  readonly wrtEntries: readonly number[]
  /**
   * Per entry, the partials as the table gives them (quotients kept whole, so that a zero tangent
   * or adjoint times 0/0 is 0, as in every sweep of the engine); `partials` shows their values.
   */
  readonly local: readonly (readonly LocalPartial<number>[])[]
}

const symbols: Partial<Record<OpTag, string>> = { add: '+', sub: '−', mul: '×', div: '÷', neg: '−', pow: '^' }

/** The operation as the figures write it: `+`, `×`, or the function's name. */
export function symbolOf(op: string): string {
  if (!isOpTag(op)) return op
  const s = symbols[op]
  if (s !== undefined) return s
  const syntax = table[op].syntax
  return syntax._tag === 'call' ? syntax.name : op
}

/**
 * The Wengert list of `program` at `point`: each node once, in topological order with the inputs
 * first, with its value and its local partials. The point must give a number for every variable
 * (as every evaluator checks); `wrt` (default: every variable) must name distinct variables.
 * Tensor programs are refused.
 */
export function wengert(program: Program, point: Point, wrt: readonly string[] = program.variables): E.Either<EvalError, WengertList> {
  const checked = wrtTape(program, wrt)
  if (E.isLeft(checked)) return checked
  const loaded = loadPoint(checked.right, point, program)
  if (E.isLeft(loaded)) return loaded
  const order = topoOrder(program.outputs)
  const inputsFirst = [...order.filter((n) => n._tag !== 'apply'), ...order.filter((n) => n._tag === 'apply')]
  const index = new Map<Node, number>()
  const entries: Entry[] = []
  const local: (readonly LocalPartial<number>[])[] = []
  let k = 0
  // A name assigned again (x = x + 1; x = x * x) labels a new node each time: x, x#2, x#3, ... so
  // that no two rows of a trace share a label (primes, x′, would read as derivatives in a lesson on
  // them); generated labels (v1, v2, ...) skip names the program uses.
  const used = new Map<string, number>()
  const unique = (label: string): string => {
    const n = (used.get(label) ?? 0) + 1
    used.set(label, n)
    return n === 1 ? label : `${label}#${n}`
  }
  const taken = new Set<string>([...program.variables, ...program.names.values()])
  const generated = (): string => {
    let label: string
    do label = `v${++k}`
    while (taken.has(label))
    return label
  }
  for (const node of inputsFirst) {
    const i = entries.length
    index.set(node, i)
    local[i] = []
    const given = program.names.get(node)
    switch (node._tag) {
      case 'var': {
        const value = point[node.name] as number
        entries.push({ index: i, label: unique(node.name), kind: 'variable', op: 'variable', symbol: node.name, args: [], value, partials: [] })
        break
      }
      case 'const':
        entries.push({ index: i, label: given ?? String(node.value), kind: 'constant', op: 'constant', symbol: String(node.value), args: [], value: node.value, partials: [] })
        break
      case 'apply': {
        if (!isOpTag(node.op)) return E.left(badArgument(`the operation ${node.op} has no scalar rule (tensor programs are not traced)`))
        const args = node.args.map((a) => index.get(a) as number)
        const xs = args.map((a) => (entries[a] as Entry).value)
        const value = table[node.op].fn(xs[0] as number, xs[1] as number)
        const raw = partialsIn(numbers, node.op, xs, value)
        local[i] = raw
        const partials = raw.map((p) => (p === null ? null : partialValue(numbers, p)))
        entries.push({ index: i, label: unique(given ?? generated()), kind: 'operation', op: node.op, symbol: symbolOf(node.op), args, value, partials })
        break
      }
    }
  }
  const byName = new Map(entries.filter((e) => e.kind === 'variable').map((e) => [e.label, e.index]))
  return E.right({
    entries,
    outputs: program.outputs.map((n) => index.get(n) as number),
    wrt,
    wrtEntries: wrt.map((name) => byName.get(name) ?? -1),
    local,
  })
}

// -------------------------------------------------------------------------------------------------
// Forward mode: values and one tangent per sweep
// -------------------------------------------------------------------------------------------------

/** One step of a forward sweep: the entry computed and its tangents (one per seed). */
export interface ForwardStep {
  readonly entry: number
  /** ẋ of this entry in each sweep (seeds in the order given). */
  readonly tangents: readonly number[]
}

/**
 * Forward sweeps, one per seed direction (a tangent per wrt variable, or the given directions),
 * run side by side: step k computes entry k's value and its tangent Σ ∂ᵢ·ẋᵢ in every sweep. Input
 * entries come first, their tangents the seeds.
 */
export function forwardTrace(list: WengertList, seeds: readonly Readonly<Record<string, number>>[] = unitSeeds(list.wrt)): ForwardStep[] {
  // A seed naming a variable not differentiated would be dropped, every tangent 0: refused.
  for (const seed of seeds) {
    for (const name of Object.keys(seed)) {
      if (!list.wrt.includes(name)) throw new RangeError(`forwardTrace: the seed names '${name}', which is not a variable differentiated (${list.wrt.join(', ') || 'none'})`)
      if (typeof seed[name] !== 'number') throw new RangeError(`forwardTrace: the seed's value for '${name}' is not a number`)
    }
  }
  const t = list.entries.map(() => new Float64Array(seeds.length))
  const steps: ForwardStep[] = []
  for (const e of list.entries) {
    const mine = t[e.index] as Float64Array
    if (e.kind === 'variable') seeds.forEach((seed, s) => (mine[s] = list.wrt.includes(e.label) ? (seed[e.label] ?? 0) : 0))
    e.args.forEach((a, k) => {
      const p = list.local[e.index]?.[k]
      if (p === null || p === undefined) return
      const ta = t[a] as Float64Array
      // Explicit zeros: a zero tangent contributes nothing, even through an infinite partial.
      for (let s = 0; s < seeds.length; s++) if (ta[s] !== 0) mine[s] += times(numbers, p, ta[s] as number)
    })
    steps.push({ entry: e.index, tangents: Array.from(mine) })
  }
  return steps
}

/** One seed per variable: ẋ = 1 for that variable, 0 for the others. */
export const unitSeeds = (wrt: readonly string[]): Record<string, number>[] => wrt.map((name) => ({ [name]: 1 }))

// -------------------------------------------------------------------------------------------------
// Reverse mode: the grad_table, filled from the output back
// -------------------------------------------------------------------------------------------------

/** One addition into the grad_table: ∂node/∂input · grad_table[node] added into the input's entry. */
export interface Change {
  readonly entry: number
  readonly label: string
  /** ∂(the step's node)/∂(this input). */
  readonly partial: number
  /** The amount added: partial × the step's adjoint. */
  readonly added: number
  /** The entry's value after the addition. */
  readonly total: number
}

/** One step of the reverse sweep: an operation, its adjoint (complete by now), and what it added. */
export interface ReverseStep {
  readonly entry: number
  /** grad_table of this entry, ∂output/∂entry, complete when the step runs. */
  readonly adjoint: number
  readonly changes: readonly Change[]
  /**
   * The adjoint is 0, so the step adds 0 to each input (its changes say so): the engine skips such
   * operations; the trace shows them, so that every operation of the sweep has its row.
   */
  readonly skipped?: true
}

/**
 * The reverse sweep of output `output` (default the first; an entry index, one of `list.outputs`):
 * grad_table[output] = 1, then every operation in reverse order, each adding its contributions
 * into its inputs' entries. An operation whose adjoint is 0 adds 0 (0·∞ = 0 included) and is marked
 * `skipped`: the engine does not run it. A constant has no grad_table entry.
 */
export function reverseTrace(list: WengertList, output = list.outputs[0] ?? 0): ReverseStep[] {
  if (!list.outputs.includes(output)) {
    throw new RangeError(`reverseTrace: ${String(output)} is not an output's entry (the outputs are entries ${list.outputs.join(', ')}; output k is list.outputs[k])`)
  }
  const g = new Float64Array(list.entries.length)
  g[output] = 1
  const steps: ReverseStep[] = []
  for (let i = list.entries.length - 1; i >= 0; i--) {
    const e = list.entries[i] as Entry
    if (e.kind !== 'operation') continue
    const zero = g[i] === 0
    const changes: Change[] = []
    e.args.forEach((a, k) => {
      const p = list.local[i]?.[k]
      // A constant has no grad_table entry: nothing is differentiated with respect to it.
      if (p === null || p === undefined || (list.entries[a] as Entry).kind === 'constant') return
      const added = zero ? 0 : times(numbers, p, g[i] as number)
      g[a] = (g[a] as number) + added
      changes.push({ entry: a, label: (list.entries[a] as Entry).label, partial: e.partials[k] ?? 0, added, total: g[a] as number })
    })
    steps.push(zero ? { entry: i, adjoint: 0, changes, skipped: true } : { entry: i, adjoint: g[i] as number, changes })
  }
  return steps
}

/** grad_table after the first `k` steps of a reverse sweep (all of them by default); the output's entry is 1. */
export function gradTableAfter(list: WengertList, steps: readonly ReverseStep[], k = steps.length, output = list.outputs[0] ?? 0): (number | undefined)[] {
  const g: (number | undefined)[] = list.entries.map(() => undefined)
  g[output] = 1
  for (const step of steps.slice(0, k)) for (const c of step.changes) g[c.entry] = c.total
  return g
}
