/**
 * The textbook's sweeps, counted by the same cost model (`cost.ts`): forward mode runs one sweep
 * per input carrying one tangent, reverse mode one values sweep and then one sweep per output
 * carrying one adjoint. This is what the document describes (n forward sweeps against m reverse
 * sweeps), and it is what a compiled Jacobian (`compile(p).jacobian`) runs, one lane per pass; so
 * its mode is this view's choice, estimated with the compiled passes' constants (`passNs` and the
 * rest in `cost.ts`). Every reverse sweep visits all of G′ here; the tape kernels prune each to its
 * outputs' cone. The tape kernels of `jacobian` carry up to `laneWidth` lanes per
 * sweep instead (`chooseMode`), which can change the answer: a lane costs little next to the
 * fixed part of an edge visit (computing the op's partials), so one forward sweep carrying five
 * tangents can beat one values sweep and one reverse sweep.
 *
 * Memory, as the textbook counts it: a forward sweep may drop each value once its last consumer
 * has run, so it holds at most `liveValues` values (and their tangents) at once; reverse mode keeps
 * every value for the reverse sweep, and an adjoint per node.
 *
 * @example
 * import { textbookChoice, parse, orThrow } from 'chainrule'
 * const t = orThrow(textbookChoice(orThrow(parse('x1 + x2 + x3 + x4 + x5'))))
 * t.mode                                  // → 'reverse'
 * const sweeps = [t.forward.sweeps, t.reverse.sweeps]   // → [5, 1]
 * const madds = [t.forward.madds, t.reverse.madds]      // → [40, 8]
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Program } from '../expr/program.js'
import { wrtTape } from '../tape/names.js'
import type { EvalError } from '../tape/point.js'
import type { Tape } from '../tape/tape.js'
import { forwardPasses, reasonFor, reversePasses, tieFactor, type GraphCounts, type ModeCost } from './cost.js'
import { factsOf, type TapeFacts } from './facts.js'
import type { Mode } from './types.js'

/** The textbook view of a Jacobian's cost: n sweeps of one tangent against m sweeps of one adjoint. */
export interface TextbookChoice {
  readonly mode: Mode
  /** One sweep per input, one tangent each. */
  readonly forward: ModeCost
  /** A values sweep, then one sweep per output, one adjoint each, over all of G′. */
  readonly reverse: ModeCost
  /** One sentence, as `chooseMode`'s. */
  readonly reason: string
  /** The most values a forward sweep holds at once when it drops each after its last use. */
  readonly liveValues: number
  /** The values reverse mode keeps for its reverse sweeps: every slot of the tape. */
  readonly storedValues: number
}

/** Graph counts of a tape, as the cost model reads them. */
export const countsOf = (f: TapeFacts): GraphCounts => ({
  size: f.tape.size,
  activeNodes: f.tape.activeOrder.length,
  activeEdges: f.activeEdges,
  valueEdges: f.valueEdges,
  inactiveEdges: f.inactiveEdges,
})

/**
 * The most values alive at once when the tape is evaluated in order and each value is dropped
 * after its last reader (outputs live to the end). Linear in the tape.
 */
export function liveValues(tape: Tape): number {
  const { size, leaves, a0, a1 } = tape
  const last = Int32Array.from({ length: size }, (_, s) => s)
  for (let i = leaves; i < size; i++) {
    last[a0[i]] = i
    if (a1[i] >= 0) last[a1[i]] = i
  }
  for (const s of tape.outputs) last[s] = size
  const dies = new Int32Array(size + 1)
  for (let s = 0; s < size; s++) dies[last[s]]++
  let live = 0
  let most = 0
  for (let i = 0; i < size; i++) {
    live++
    most = Math.max(most, live)
    live -= dies[i]
  }
  return most
}

const cache = new WeakMap<Tape, TextbookChoice>()

/** The textbook view of `tape` (computed once per tape). */
export function textbookOf(tape: Tape): TextbookChoice {
  const hit = cache.get(tape)
  if (hit !== undefined) return hit
  const f = factsOf(tape)
  const g = countsOf(f)
  const [n, m] = [f.columns.length, f.rows.length]
  // Memory as the textbook counts it: a forward sweep holds only the live values and their
  // tangents; reverse mode stores every value, and an adjoint per slot.
  const live = liveValues(tape)
  const forward = { ...forwardPasses(g, n), bytes: 16 * live }
  const reverse = { ...reversePasses(g, m), bytes: 16 * tape.size }
  // Estimates within the model's error are a tie, which goes to less arithmetic (as in `chooseMode`).
  const [fast, slow]: [Mode, Mode] = forward.estimate <= reverse.estimate ? ['forward', 'reverse'] : ['reverse', 'forward']
  const costOf = (x: Mode): typeof forward => (x === 'forward' ? forward : reverse)
  const mode: Mode = costOf(slow).estimate < tieFactor * costOf(fast).estimate && costOf(slow).madds < costOf(fast).madds ? slow : fast
  const shape = { inputs: n, outputs: m, edges: f.activeEdges, valueEdges: f.valueEdges }
  const choice: TextbookChoice = { mode, forward, reverse, reason: reasonFor(mode, forward, reverse, shape, false), liveValues: live, storedValues: tape.size }
  cache.set(tape, choice)
  return choice
}

/**
 * The textbook view of a Jacobian of `program` with respect to `wrt` (distinct variables of the
 * program): one tangent per forward sweep, one adjoint per reverse sweep. `compile(p).jacobian`
 * runs these sweeps and uses this mode.
 */
export function textbookChoice(program: Program, wrt: readonly string[] = program.variables): E.Either<EvalError, TextbookChoice> {
  return E.map(textbookOf)(wrtTape(program, wrt))
}
