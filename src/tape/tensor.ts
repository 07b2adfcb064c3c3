/**
 * The tape of a tensor program: its nodes in topological order, each application as a `Step`,
 * its variables with their shapes; loading a point (tensors of numbers, checked against the
 * variables' shapes) and the forward sweep of values that both modes start from. A slot holds one
 * tensor; the reverse sweep keeps one adjoint buffer per slot.
 *
 * @example
 * import { program, matmul, variable, isTensorProgram } from 'chainrule'
 * isTensorProgram(program([matmul(variable('A', [2, 2]), variable('x', [2]))]))   // → true
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { topoOrder } from '../expr/graph.js'
import type { Node, Shape, Var } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import { printExpr } from '../ops/print.js'
import { broadcastIndex, broadcastTo, fromNested, IndexError, scalarTensor, zerosOf, type Tensor } from '../ops/tensor/array.js'
import { isTensorTag } from '../ops/tensor/rule.js'
import { sameShape, ShapeError, showShape, unravel } from '../ops/tensor/shape.js'
import { differentiableArg, stepOf, valueAt, type Step } from '../ops/tensor/step.js'
import { sortByName } from '../expr/order.js'
import { tensorMathOf, tensors } from '../ops/tensor/systems.js'
import { caveatsOf, type Rule } from '../ops/rule.js'
import { rulesByCode, opCode } from '../ops/table.js'
import { isOpTag } from '../ops/tags.js'
import type { Warning } from './diagnose.js'
import { badArgument, kindOf, missingVariable, notAVariable, type EvalError } from './point.js'

/** A value of a tensor program's variable: a number (a scalar), a tensor, or nested arrays of numbers. */
export type TensorValue = number | Tensor | Float64Array | readonly unknown[]

/** Values for a tensor program's variables, by name. */
export type TensorPoint = Readonly<Record<string, TensorValue>>

export interface TensorTape {
  /** Every node the outputs depend on, arguments first. */
  readonly nodes: readonly Node[]
  /** The step of each application (undefined for constants and variables). */
  readonly steps: readonly (Step | undefined)[]
  /** For each node, the positions of its tensor arguments. */
  readonly args: readonly (readonly number[])[]
  /** The variables, one per name, with their positions. */
  readonly variables: ReadonlyMap<string, { readonly node: Var; readonly slot: number }>
  /** The positions of the outputs. */
  readonly outputs: readonly number[]
}

/** Whether any node of the program is a tensor (shape other than `[]`) or a tensor operation. */
export function isTensorProgram(program: Pick<Program, 'outputs'>): boolean {
  return topoOrder(program.outputs).some((n) => n.shape.length > 0 || (n._tag === 'apply' && isTensorTag(n.op)))
}

/** Tapes by output list: a program's nodes never change, so its tape is made once. */
const tapes = new WeakMap<readonly Node[], E.Either<EvalError, TensorTape>>()

/**
 * The tape of a tensor program (a `ShapeError` if two variables share a name with different
 * shapes), made at the first call for a program and kept with it: a training loop that calls
 * `tensorGrad` on one program plans its sweep once.
 */
export function tensorTapeFor(program: Pick<Program, 'outputs'>): E.Either<EvalError, TensorTape> {
  const hit = tapes.get(program.outputs)
  if (hit !== undefined) return hit
  const made = makeTape(program)
  tapes.set(program.outputs, made)
  return made
}

function makeTape(program: Pick<Program, 'outputs'>): E.Either<EvalError, TensorTape> {
  const nodes = topoOrder(program.outputs)
  const slot = new Map<Node, number>()
  nodes.forEach((n, i) => slot.set(n, i))
  const steps: (Step | undefined)[] = []
  const args: number[][] = []
  const variables = new Map<string, { node: Var; slot: number }>()
  for (const [i, n] of nodes.entries()) {
    if (n._tag === 'apply') {
      const s = stepOf(n)
      steps.push(s)
      args.push(s.args.map((a) => slot.get(a) as number))
    } else {
      steps.push(undefined)
      args.push([])
      if (n._tag === 'var') {
        const known = variables.get(n.name)
        if (known !== undefined && !sameShape(known.node.shape, n.shape)) {
          return E.left({ _tag: 'ShapeError', message: `the variable ${n.name} is used with shapes ${showShape(known.node.shape)} and ${showShape(n.shape)}` })
        }
        if (known === undefined) variables.set(n.name, { node: n, slot: i })
      }
    }
  }
  return E.right({ nodes, steps, args, variables, outputs: program.outputs.map((o) => slot.get(o) as number) })
}

/** A value given for a variable, as a tensor, or why it is not one. */
export function tensorValueOf(v: unknown): Tensor | string {
  if (typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && (v as Tensor).data instanceof Float64Array) return v as Tensor
  return fromNested(v)
}

/**
 * The point's value of every variable, by slot, checked: every variable has a value of its shape,
 * and every name of the point is a variable. `argument` names the point in messages.
 */
export function loadTensorPoint(tape: TensorTape, point: unknown, program?: Pick<Program, 'names' | 'variables'>, argument: 'point' | 'tangent' | 'cotangent' | 'direction' = 'point'): E.Either<EvalError, Map<number, Tensor>> {
  if (typeof point !== 'object' || point === null || Array.isArray(point)) return E.left(badArgument(`the ${argument} must be a record of values by name, got ${kindOf(point)}`))
  const record = point as Record<string, unknown>
  const known = [...new Set([...tape.variables.keys(), ...(program?.variables ?? [])])]
  for (const name of Object.keys(record)) {
    // A variable the program declares but its outputs do not use (a gradient that does not depend on it) takes any value.
    if (!tape.variables.has(name) && !known.includes(name)) return E.left(notAVariable(name, argument === 'cotangent' ? 'point' : argument, known, program?.names ?? new Map()))
  }
  const out = new Map<number, Tensor>()
  const missing: string[] = []
  for (const [name, { node, slot }] of tape.variables) {
    if (!Object.hasOwn(record, name)) {
      missing.push(name)
      continue
    }
    const t = tensorValueOf(record[name])
    if (typeof t === 'string') return E.left(badArgument(`the value of ${name} in the ${argument} is not a tensor: ${t}`))
    if (!sameShape(t.shape, node.shape)) {
      // A scalar given a tensor: its shape was not declared (or was declared under another name).
      const remedy = node.shape.length === 0 ? ` (declare its shape when parsing: parse(text, { shapes: { ${name}: ${showShape(t.shape)} } }))` : ''
      return E.left({ _tag: 'ShapeError', message: `the variable ${name} has shape ${showShape(node.shape)}, but the ${argument} gives it a value of shape ${showShape(t.shape)}${remedy}` })
    }
    out.set(slot, t)
  }
  if (missing.length > 0 && argument === 'point') return E.left(missingVariable(missing))
  return E.right(out)
}

/** Every node's value at the point (`inputs`: the variables' values by slot). */
export function tensorValues(tape: TensorTape, inputs: ReadonlyMap<number, Tensor>): E.Either<EvalError, Tensor[]> {
  const values: Tensor[] = []
  try {
    for (const [i, n] of tape.nodes.entries()) {
      const s = tape.steps[i]
      if (s !== undefined) values.push(valueAt(s, (tape.args[i] as number[]).map((k) => values[k] as Tensor)))
      else if (n._tag === 'const') values.push(scalarTensor(n.value))
      else values.push(inputs.get(i) as Tensor)
    }
  } catch (e) {
    if (e instanceof IndexError) return E.left(badArgument(e.message))
    if (e instanceof ShapeError) return E.left({ _tag: 'ShapeError', message: e.message })
    throw e
  }
  return E.right(values)
}

/** How many entries of a tensor are not finite (one cheap pass when all are: x·0 is NaN only for ±∞ and NaN). */
/** `1 non-finite entry`, `3 non-finite entries`. */
export const entriesText = (n: number): string => `${n} non-finite entr${n === 1 ? 'y' : 'ies'}`

export function nonFiniteCount(t: Tensor): number {
  const d = t.data
  let probe = 0
  for (let i = 0; i < d.length; i++) probe += (d[i] as number) * 0
  if (probe === 0) return 0
  let n = 0
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) n++
  return n
}

/** How many entries of the entrywise `rule` applied to `args` (broadcast to `size` entries of `shape`) sit on its kink, and the first. */
function kinkCount(rule: Rule, args: readonly Tensor[], shape: Shape, size: number): Hits {
  const kink = rule.kink
  if (kink === undefined) return { hits: 0, first: -1 }
  return entriesWhere(args, shape, size, (at) => kink.distance(at) === 0)
}

/** How many entries passed a test, and the flat index of the first (−1 for none). */
interface Hits {
  readonly hits: number
  readonly first: number
}

/** How many entries of an entrywise node (arguments broadcast to `shape`) pass `test`, and the first. */
function entriesWhere(args: readonly Tensor[], shape: Shape, size: number, test: (at: readonly number[]) => boolean): Hits {
  const maps = args.map((a) => (a.data.length === size ? null : a.data.length === 1 ? new Int32Array(size) : broadcastIndex(a.shape, shape)))
  const at = args.map(() => 0)
  let hits = 0
  let first = -1
  for (let j = 0; j < size; j++) {
    for (let k = 0; k < args.length; k++) {
      const m = maps[k]
      at[k] = (args[k] as Tensor).data[m === null || m === undefined ? j : (m[j] as number)] as number
    }
    if (!test(at)) continue
    if (hits++ === 0) first = j
  }
  return { hits, first }
}

/** `in 3 of 6 entries (the first at [0, 2])`: where in a tensor of `shape`, so that the user can find it. */
function whereIn(h: Hits, shape: Shape, size: number): string {
  const count = `in ${h.hits} of ${size} ${size === 1 ? 'entry' : 'entries'}`
  if (shape.length === 0 || h.first < 0) return count
  return `${count} (${h.hits === 1 ? 'at' : 'the first at'} [${unravel(shape, h.first).join(', ')}])`
}

/** The node, printed for a message (its name in the program, if it has one). */
export const shown = (n: Node, names: ReadonlyMap<Node, string>): string => names.get(n) ?? printExpr(n, { names, maxLength: 60 })

/**
 * Warnings of a value sweep: entrywise operations at their kinks (relu at 0; how many entries),
 * and non-finite values where they first appear (from finite arguments).
 */
export function tensorValueWarnings(tape: TensorTape, values: readonly Tensor[], names: ReadonlyMap<Node, string>): Warning[] {
  const out: Warning[] = []
  for (const [i, n] of tape.nodes.entries()) {
    const s = tape.steps[i]
    const v = values[i] as Tensor
    if (s === undefined) {
      if (n._tag === 'var' && nonFiniteCount(v) > 0) out.push({ _tag: 'NonFiniteValue', node: n.name, at: [], message: `the variable ${n.name} is given ${entriesText(nonFiniteCount(v))}` })
      continue
    }
    const args = (tape.args[i] as number[]).map((k) => values[k] as Tensor)
    if (s._tag === 'entrywise' && isOpTag(s.op)) {
      const rule = rulesByCode[opCode[s.op]]
      if (rule?.kink !== undefined) {
        const size = v.data.length
        const h = kinkCount(rule, args, v.shape, size)
        if (h.hits > 0) out.push({ _tag: 'NonDifferentiable', node: shown(n, names), at: [], message: `${shown(n, names)} is at a non-differentiable point ${whereIn(h, v.shape, size)}: ${rule.kink.convention}` })
      }
      // The rule's first-order caveats, entry by entry (pow with a negative base past 2^53, atan2
      // past 1.8e308); a mixed second-order one needs to know what is differentiated, so not here.
      // Arguments that are constants rule a caveat out once (W^2 costs no pass over W).
      const constants = (tape.args[i] as number[]).map((k) => {
        const a = tape.nodes[k]
        return a !== undefined && a._tag === 'const' ? a.value : undefined
      })
      for (const caveat of caveatsOf(rule?.caveat)) {
        if ((caveat.order ?? 1) !== 1 || !caveat.possible(constants)) continue
        const h = entriesWhere(args, v.shape, v.data.length, caveat.where)
        if (h.hits > 0) out.push({ _tag: 'InexactDerivative', node: shown(n, names), at: [], message: `${shown(n, names)} ${whereIn(h, v.shape, v.data.length)}: ${caveat.message}` })
      }
    }
    if (s._tag === 'structural' && s.rule.kink !== undefined) {
      const groups = v.data.length
      const hits = s.rule.kink.count(tensorMathOf(tensors), args, v, s.attrs)
      if (hits > 0) out.push({ _tag: 'NonDifferentiable', node: shown(n, names), at: [], message: `${shown(n, names)} is at a non-differentiable point in ${hits} of ${groups} ${groups === 1 ? 'entry' : 'entries'}: ${s.rule.kink.convention}` })
    }
    const bad = nonFiniteCount(v)
    if (bad > 0 && args.every((a) => nonFiniteCount(a) === 0)) {
      out.push({ _tag: 'NonFiniteValue', node: shown(n, names), at: [], message: `${shown(n, names)} has ${entriesText(bad)} from finite arguments` })
    }
  }
  return out
}

/** The tape, the values of every node, and the value warnings at `point`. */
export function tensorSweep(program: Program, point: TensorPoint): E.Either<EvalError, { tape: TensorTape; values: Tensor[]; warnings: Warning[] }> {
  return pipe(
    tensorTapeFor(program),
    E.chain((tape) =>
      pipe(
        loadTensorPoint(tape, point, program),
        E.chain((inputs) => tensorValues(tape, inputs)),
        E.map((values) => ({ tape, values, warnings: tensorValueWarnings(tape, values, program.names) })),
      ),
    ),
  )
}

/** A tangent tensor of `like`'s shape: `t`, or zeros when `t` is null (broadcast if needed). */
export function filled(t: Tensor | null, like: Tensor): Tensor {
  if (t === null) return zerosOf(like.shape)
  return sameShape(t.shape, like.shape) ? t : broadcastTo(t, like.shape)
}


/**
 * The variables an output depends on through differentiable arguments, in natural order: the
 * default `wrt`. Labels and indices (the class labels of a cross-entropy, the indices of a take)
 * are data, not parameters, and are left out.
 */
export function differentiableVariables(tape: TensorTape): string[] {
  const reached = new Uint8Array(tape.nodes.length)
  for (const k of tape.outputs) reached[k] = 1
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const s = tape.steps[i]
    if (s === undefined || reached[i] !== 1) continue
    ;(tape.args[i] as number[]).forEach((k, j) => {
      if (differentiableArg(s, j)) reached[k] = 1
    })
  }
  return sortByName([...tape.variables].filter(([, v]) => reached[v.slot] === 1).map(([name]) => name), (n) => n)
}

/** Most entries of a tensor Jacobian or Hessian, dense (2^26: 512 MB); `tensorJvp`/`tensorVjp`/`tensorHvp` give products with larger ones. */
export const tensorDenseLimit = 1 << 26

/** A dense matrix too large to build. */
export const tooLarge = (what: 'Jacobian' | 'Hessian', rows: number, cols: number): EvalError =>
  badArgument(`the ${what} would be ${rows}×${cols}, ${rows * cols} entries (${((8 * rows * cols) / 2 ** 30).toFixed(1)} GiB), more than ${tensorDenseLimit} built dense: ${what === 'Jacobian' ? 'tensorJvp and tensorVjp give its products with vectors' : 'tensorHvp gives its products with vectors'}`)
