/**
 * The tape: a program's graph laid out flat in typed arrays, one slot per distinct node, in
 * topological order (leaves first, then applications). Evaluators sweep it with tight loops
 * instead of walking objects; every per-evaluation quantity (values, adjoints, tangents) lives in
 * arrays indexed by slot, owned by that evaluation, never on the nodes.
 *
 * The tape also records the document's pruned graph G′: `active[i]` is 1 when slot i is a
 * descendant of a variable we differentiate with respect to, and `activeOrder` lists the active
 * applications in topological order; the reverse sweep visits only those.
 *
 * @example
 * import { linearize, parse, orThrow } from 'chainrule'
 * const p = orThrow(parse('(x + y)*z'))
 * const tape = linearize(p.outputs, ['x', 'y'])
 * const counts = [tape.size, tape.edges]   // → [5, 3]   slots, and edges of G′ (the edge from z is not differentiated)
 */
import type { Node } from '../expr/node.js'
import { caveatsOf } from '../ops/rule.js'
import { numbers, partialsIn, partialValue } from '../ops/math.js'
import { rulesByCode } from '../ops/table.js'
import { opTags } from '../ops/tags.js'
import { CONST, layout, type Layout } from './layout.js'

export { CONST, VAR } from './layout.js'

/** A layout (slots, ops, arguments, constants: see `layout.ts`) with the pruned graph G′ marked. */
export interface Tape extends Layout {
  /** Names differentiated with respect to, and their slots (−1: not in the program). */
  readonly wrt: readonly string[]
  readonly wrtSlots: Int32Array
  /** 1 where the slot depends on a `wrt` variable (G′). */
  readonly active: Uint8Array
  /** Active application slots, in topological order. */
  readonly activeOrder: Int32Array
  /** Edges from active slots into active applications: the cost of one sweep over G′. */
  readonly edges: number
  /** Active applications whose op has a non-differentiable point. */
  readonly kinkSlots: Int32Array
  /** Active applications whose op can have an infinite partial at finite arguments (`singular`). */
  readonly singularSlots: Int32Array
  /** Active applications whose op has a `caveat` that their constant arguments do not rule out. */
  readonly caveatSlots: Int32Array
  /**
   * Active binary applications whose two arguments are one slot and whose two partials cancel
   * there (t − t, atan2(t, t); not t·t): where reverse mode may absorb (see `absorbedAt`).
   */
  readonly sameArgSlots: Int32Array
}

/**
 * Lays out the ancestors of `outputs`, marking the descendants of the variables named in `wrt`.
 * Iterative and linear in the number of nodes.
 */
export function linearize(outputs: readonly Node[], wrt: readonly string[] = []): Tape {
  const { size, leaves, nodes, op, a0, a1, init, variables, outputs: outputSlots } = layout(outputs)
  const wrtSlots = Int32Array.from(wrt, (name) => variables.get(name) ?? -1)
  const active = new Uint8Array(size)
  for (const s of wrtSlots) if (s >= 0) active[s] = 1
  let nActive = 0
  for (let i = leaves; i < size; i++) {
    if (active[a0[i]] === 1 || (a1[i] >= 0 && active[a1[i]] === 1)) {
      active[i] = 1
      nActive++
    }
  }
  const activeOrder = new Int32Array(nActive)
  const kinks: number[] = []
  const singular: number[] = []
  const caveats: number[] = []
  const same: number[] = []
  const constants: (number | undefined)[] = [undefined, undefined]
  let edges = 0
  for (let i = leaves, k = 0; i < size; i++) {
    if (active[i] === 0) continue
    activeOrder[k++] = i
    edges += active[a0[i]] + (a1[i] >= 0 ? active[a1[i]] : 0)
    if (rulesByCode[op[i]].kink !== undefined) kinks.push(i)
    if (rulesByCode[op[i]].singular === true) singular.push(i)
    if (a1[i] >= 0 && a1[i] === a0[i] && cancelsOnDiagonal(op[i])) same.push(i)
    const caveat = rulesByCode[op[i]].caveat
    if (caveat !== undefined) {
      const x = a0[i]
      const y = a1[i]
      constants[0] = op[x] === CONST ? init[x] : undefined
      constants[1] = y >= 0 && op[y] === CONST ? init[y] : undefined
      if (caveatsOf(caveat).some((c) => c.possible(constants))) caveats.push(i)
    }
  }

  return {
    size,
    leaves,
    nodes,
    op,
    a0,
    a1,
    init,
    variables,
    outputs: outputSlots,
    wrt: Object.freeze(wrt.slice()),
    wrtSlots,
    active,
    activeOrder,
    edges,
    kinkSlots: Int32Array.from(kinks),
    singularSlots: Int32Array.from(singular),
    sameArgSlots: Int32Array.from(same),
    caveatSlots: Int32Array.from(caveats),
  }
}

/** Per op code: whether its two partials cancel when both arguments are equal (sampled once). */
const diagonal = new Map<number, boolean>()

function cancelsOnDiagonal(code: number): boolean {
  let known = diagonal.get(code)
  if (known === undefined) {
    const rule = rulesByCode[code]
    known = [0.7, 1.3].every((v) => {
      try {
        const [p0, p1] = partialsIn(numbers, opTags[code], [v, v], rule.fn(v, v)).map((p) => (p === null || p === undefined ? 0 : partialValue(numbers, p)))
        const sum = Math.abs((p0 ?? 0) + (p1 ?? 0))
        return Number.isFinite(sum) && sum <= 1e-12 * (Math.abs(p0 ?? 0) + Math.abs(p1 ?? 0))
      } catch {
        return false
      }
    })
    diagonal.set(code, known)
  }
  return known
}

export const noNames: readonly string[] = Object.freeze([])
const cache = new WeakMap<readonly Node[], Map<string, Tape>>()
const byIdentity = new WeakMap<readonly Node[], WeakMap<readonly string[], Tape>>()

/**
 * `linearize(outputs, wrt)`, remembered per outputs array and `wrt` list, so that evaluating the
 * same program at many points lays it out once.
 */
export function tapeFor(outputs: readonly Node[], wrt: readonly string[] = noNames): Tape {
  // The same wrt array as last time (the common case: the program's own `variables`) is found
  // without building a key from all its names.
  let same = byIdentity.get(outputs)
  const hit = same?.get(wrt)
  if (hit !== undefined) return hit
  if (same === undefined) {
    same = new WeakMap()
    byIdentity.set(outputs, same)
  }
  let byWrt = cache.get(outputs)
  if (byWrt === undefined) {
    byWrt = new Map()
    cache.set(outputs, byWrt)
  }
  const key = wrt.join('\u0000')
  let tape = byWrt.get(key)
  if (tape === undefined) {
    tape = linearize(outputs, wrt)
    byWrt.set(key, tape)
  }
  same.set(wrt, tape)
  return tape
}
