/**
 * The cost of forward and reverse mode, told to a student: the sentences that say why this
 * engine's figures differ from the textbook's (lanes, cones, memory), and the curve of both modes'
 * cost as the number of inputs or outputs grows, with the crossover.
 *
 * @example
 * import { costNotes, chooseMode, textbookChoice, parse, orThrow } from 'chainrule'
 * const p = orThrow(parse('[x1 + x2 + x3 + x4 + x5]'))
 * costNotes(orThrow(chooseMode(p)), orThrow(textbookChoice(p)))[0]
 * // → 'Textbook: 5 forward sweeps of one tangent against one values sweep and 1 reverse sweep ...'
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { program } from '../expr/program.js'
import { chooseMode, laneWidth, textbookChoice, tieFactor, type ModeChoice, type TextbookChoice } from '../jacobian/index.js'
import type { EvalError } from '../tape/point.js'

const count = (k: number): string => k.toLocaleString('en-US')
const plural = (k: number, one: string, many = `${one}s`): string => `${count(k)} ${k === 1 ? one : many}`
const ratio = (a: number, b: number): string => {
  const r = b > 0 ? a / b : Infinity
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`
}

/** Whether the engine's two estimates are within the cost model's error of each other (a tie: `tieFactor`). */
const withinError = (c: ModeChoice): boolean => {
  const [a, b] = [c.forward.estimate, c.reverse.estimate]
  return Math.max(a, b) < tieFactor * Math.min(a, b)
}

/**
 * Sentences for the cost table: the textbook's count and its choice, why the engine's lanes change
 * it, why reverse sweeps can be small (cones), and what the memory figures mean.
 */
export function costNotes(chunked: ModeChoice, textbook: TextbookChoice): string[] {
  const notes: string[] = []
  const { inputs: n, outputs: m } = chunked
  const tf = textbook.forward
  const tr = textbook.reverse
  if (n === 0 || m === 0) return ['No output depends on the variables differentiated by: the Jacobian is zero.']
  const cheaper = tf.madds <= tr.madds ? 'forward' : 'reverse'
  // Equal counts are said to be equal ("1.0× less arithmetic" said the opposite of what it meant).
  const arithmetic = tf.madds === tr.madds ? 'so both modes do the same arithmetic' : `so ${cheaper} mode does ${ratio(Math.max(tf.madds, tr.madds), Math.min(tf.madds, tr.madds))} less arithmetic`
  notes.push(
    `Textbook: ${plural(n, 'forward sweep')} of one tangent against one values sweep and ${plural(m, 'reverse sweep')} of one adjoint: ` +
      `${count(tf.madds)} against ${count(tr.madds)} multiply-adds, ${arithmetic}; ` +
      `compile(p).jacobian runs these sweeps and uses ${textbook.mode} mode. Their estimated times use the compiled one-lane passes' own measured constants, ` +
      `the engine's columns those of its 16-lane interpreted sweeps: equal counts can take different times.`,
  )
  const f = chunked.forward
  const r = chunked.reverse
  if (f.width > 1 || r.width > 1) {
    notes.push(
      `This engine (jacobian, chainrule jacobian) carries up to ${laneWidth} lanes per sweep: ${plural(f.sweeps, 'forward sweep')} of ${plural(f.width, 'tangent')}, ` +
        `${plural(r.sweeps, 'reverse sweep')} of ${plural(r.width, 'adjoint row')}. An edge visit computes its partial once for all its lanes, and that fixed part ` +
        (chunked.mode === textbook.mode
          ? `costs more than a lane; here it still uses ${chunked.mode} mode, as the textbook does${withinError(chunked) ? " (the two estimates are within the model's error, and a tie goes to less arithmetic)" : ''}.`
          : `costs more than a lane, so fewer sweeps can win over less arithmetic: it uses ${chunked.mode} mode.`),
    )
  }
  if (r.sweeps > 0 && r.ops - r.sweeps * chunked.edges < tr.ops - tr.sweeps * chunked.edges) {
    const visited = (r.ops - (tr.ops - tr.sweeps * chunked.edges)) / r.sweeps
    notes.push(
      `Each reverse sweep visits only the part of the graph its outputs depend on (their cone): ${count(Math.round(visited))} of the ${plural(chunked.edges, 'edge')} on average, ` +
        'which is why many separate outputs cost reverse mode less than the textbook count says.',
    )
  }
  notes.push(
    `Memory: this engine keeps every value in both modes and one slot per lane (${plural(f.width, 'tangent')} forward, ${plural(r.width, 'adjoint row')} reverse), ` +
      `so more lanes cost more memory. As the textbook counts it, a forward sweep can drop each value after its last use ` +
      `(at most ${plural(textbook.liveValues, 'value')} at once here), while reverse mode must keep all ${plural(textbook.storedValues, 'value')} for the reverse sweep.`,
  )
  return notes
}

// -------------------------------------------------------------------------------------------------
// The curve
// -------------------------------------------------------------------------------------------------

/** Both modes' cost at one size of the family. */
export interface CostPoint {
  readonly size: number
  /** Estimated time (ns) of the engine's chunked sweeps, and of the textbook's one-lane sweeps. */
  readonly forward: number
  readonly reverse: number
  readonly textbookForward: number
  readonly textbookReverse: number
}

export interface CostCurve {
  /** What grows: the number of inputs differentiated, or of outputs kept. */
  readonly axis: 'inputs' | 'outputs'
  readonly points: readonly CostPoint[]
  /** The first size at which the textbook's reverse mode is estimated cheaper than forward (inputs) or dearer (outputs), if any. */
  readonly crossover: number | undefined
}

/**
 * The cost of the Jacobian of `p` with respect to `wrt` (default: every variable) as the inputs
 * grow (with respect to the first k names of `wrt`, k = 1..n, every output) and as the outputs grow
 * (its first k outputs, k = 1..m, with respect to all of `wrt`). At most `most` sizes per axis,
 * spread evenly.
 */
export function costCurves(p: Program, most = 40, wrt: readonly string[] = p.variables): E.Either<EvalError, readonly [CostCurve, CostCurve]> {
  const n = wrt.length
  const m = p.outputs.length
  const sizes = (k: number): number[] => [...new Set(Array.from({ length: Math.min(k, most) }, (_, i) => Math.max(1, Math.round(((i + 1) * k) / Math.min(k, most)))))]
  const at = (q: Program, wrt: readonly string[], size: number): E.Either<EvalError, CostPoint> => {
    const c = chooseMode(q, wrt, { sparse: false })
    const t = textbookChoice(q, wrt)
    if (E.isLeft(c)) return c
    if (E.isLeft(t)) return t
    return E.right({ size, forward: c.right.forward.estimate, reverse: c.right.reverse.estimate, textbookForward: t.right.forward.estimate, textbookReverse: t.right.reverse.estimate })
  }
  const curve = (axis: CostCurve['axis'], points: E.Either<EvalError, CostPoint>[]): E.Either<EvalError, CostCurve> => {
    const bad = points.find(E.isLeft)
    if (bad !== undefined) return bad
    const ok = points.map((pt) => (pt as E.Right<CostPoint>).right)
    const reverseWins = (pt: CostPoint): boolean => pt.textbookReverse < pt.textbookForward
    const first = ok.findIndex((pt, i) => i > 0 && reverseWins(pt) !== reverseWins(ok[i - 1] as CostPoint))
    return E.right({ axis, points: ok, crossover: first < 0 ? undefined : (ok[first] as CostPoint).size })
  }
  const byInputs = curve('inputs', sizes(n).map((k) => at(p, wrt.slice(0, k), k)))
  const byOutputs = curve('outputs', sizes(m).map((k) => at(program(p.outputs.slice(0, k), { vector: true, names: p.names, variables: p.variables }), wrt, k)))
  if (E.isLeft(byInputs)) return byInputs
  if (E.isLeft(byOutputs)) return byOutputs
  return E.right([byInputs.right, byOutputs.right] as const)
}
