/**
 * Reverse mode on tensor programs: back-propagation with one adjoint tensor per node, accumulated
 * in place (a node's first contribution is kept as it is; a second one makes the buffer its own
 * and adds into it), over the pruned graph: only nodes that depend on a differentiated variable
 * are visited, so no adjoint is computed for data (the images of a minibatch). The same sweep
 * runs over nodes to give the gradient as a graph (`tensorGradExpr`), which forward mode then
 * differentiates again for Hessian-vector products.
 *
 * @example
 * import { variable, matmul, reduceSum, program, tensorGrad, orThrow, toNested } from 'chainrule'
 * const W = variable('W', [2, 2]), x = variable('x', [2])
 * const p = program([reduceSum(matmul(W, x))])
 * toNested(orThrow(tensorGrad(p, { W: [[1, 2], [3, 4]], x: [5, 6] }, ['W'])).gradient.W!)   // → [[5, 6], [5, 6]]
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { adopt, building, type Node } from '../expr/node.js'
import { sortByName } from '../expr/order.js'
import { program as makeProgram, type Program } from '../expr/program.js'
import { broadcastTo, zerosOf, type Tensor } from '../ops/tensor/array.js'
import type { TM } from '../ops/tensor/rule.js'
import { ShapeError, showShape, sizeOf } from '../ops/tensor/shape.js'
import { differentiableArg, vjpAt } from '../ops/tensor/step.js'
import { tensorMathOf, tensorNodes, tensors } from '../ops/tensor/systems.js'
import type { Warning } from '../tape/diagnose.js'
import { badArgument, nameError, notAVariable, type EvalError } from '../tape/point.js'
import { differentiableVariables, entriesText, nonFiniteCount, tensorSweep, tensorTapeFor, type TensorPoint, type TensorTape } from '../tape/tensor.js'

export { differentiableVariables }

export interface TensorGradResult {
  readonly value: Tensor
  /** ∂output/∂name for each name of `wrt`, a tensor of the variable's shape. */
  readonly gradient: Readonly<Record<string, Tensor>>
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
}

export interface TensorVjpResult {
  readonly values: readonly Tensor[]
  /** wᵀJ per variable of `wrt`. */
  readonly vjp: Readonly<Record<string, Tensor>>
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
}

/** Which nodes depend on a variable at `sources` through differentiable arguments: the nodes back-propagation visits. */
export function dependsOn(tape: TensorTape, sources: ReadonlySet<number>): boolean[] {
  const needs: boolean[] = []
  for (let i = 0; i < tape.nodes.length; i++) {
    const s = tape.steps[i]
    needs.push(s === undefined ? sources.has(i) : (tape.args[i] as number[]).some((k, j) => needs[k] === true && differentiableArg(s, j)))
  }
  return needs
}

/**
 * The adjoint of every node for the adjoints `seeds` of some nodes (by slot), in any tensor number
 * system; `add(a, b)` adds a contribution b into the accumulated adjoint a (it may do so in
 * place). Only nodes marked in `needs` receive adjoints.
 */
export function pullback<T>(t: TM<T>, tape: TensorTape, values: readonly T[], seeds: ReadonlyMap<number, T>, needs: readonly boolean[], add: (a: T, b: T) => T): (T | undefined)[] {
  const adjoints: (T | undefined)[] = new Array<T | undefined>(tape.nodes.length)
  for (const [k, s] of seeds) adjoints[k] = adjoints[k] === undefined ? s : add(adjoints[k] as T, s)
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const s = tape.steps[i]
    const cot = adjoints[i]
    if (s === undefined || cot === undefined || needs[i] !== true) continue
    const args = tape.args[i] as number[]
    const contributions = vjpAt(t, s, args.map((k) => values[k] as T), cot, values[i] as T, args.map((k) => needs[k] === true))
    contributions.forEach((c, j) => {
      if (c === null) return
      const k = args[j] as number
      adjoints[k] = adjoints[k] === undefined ? c : add(adjoints[k] as T, c)
    })
  }
  return adjoints
}

/** Numeric accumulation in place: a buffer received from a rule is copied once, on the second contribution. */
function inPlace(): (a: Tensor, b: Tensor) => Tensor {
  const owned = new WeakSet<Float64Array>()
  return (a, b) => {
    const buffer = owned.has(a.data) ? a : { shape: a.shape, data: Float64Array.from(a.data) }
    owned.add(buffer.data)
    const x = buffer.data
    const y = b.data
    if (y.length === x.length) for (let i = 0; i < x.length; i++) x[i] += y[i] as number
    else if (y.length === 1) for (let i = 0; i < x.length; i++) x[i] += y[0] as number
    else throw new RangeError(`adjoint of shape ${showShape(a.shape)} met a contribution of shape ${showShape(b.shape)}`)
    return buffer
  }
}

/** The names to differentiate: `wrt`, checked against the tape's variables, or those `differentiableVariables` lists. */
export function wrtSlots(tape: TensorTape, wrt: readonly string[] | undefined): E.Either<EvalError, { names: string[]; slots: number[] }> {
  if (wrt !== undefined && (!Array.isArray(wrt) || !wrt.every((w) => typeof w === 'string'))) return E.left(badArgument('wrt must be a list of variable names'))
  const differentiable = differentiableVariables(tape)
  const names = wrt === undefined ? differentiable : [...wrt]
  const slots: number[] = []
  const seen = new Set<string>()
  for (const name of names) {
    const v = tape.variables.get(name)
    if (v === undefined) return E.left(notAVariable(name, 'wrt', [...tape.variables.keys()], new Map()))
    if (seen.has(name)) return E.left(nameError({ _tag: 'DuplicateName', name, argument: 'wrt' }))
    seen.add(name)
    // A variable read only as labels or indices (softmax_cross_entropy's, one_hot's, take's) has no
    // derivative: refused, not a tensor of zeros.
    if (!differentiable.includes(name)) {
      const others = differentiable.length === 0 ? 'none is differentiable' : `differentiate with respect to ${differentiable.map((n) => `'${n}'`).join(', ')}`
      return E.left(badArgument(`'${name}' in wrt reaches the outputs only as labels or indices, which are not differentiable (${others})`))
    }
    slots.push(v.slot)
  }
  return E.right({ names, slots })
}

/** Gradient warnings: a non-finite entry in an adjoint of a variable. */
function gradientWarnings(gradient: Readonly<Record<string, Tensor>>): Warning[] {
  return Object.entries(gradient)
    .filter(([, g]) => nonFiniteCount(g) > 0)
    .map(([name, g]) => ({ _tag: 'NonFiniteDerivative' as const, node: name, at: [], message: `the derivative with respect to ${name} has ${entriesText(nonFiniteCount(g))}` }))
}

/**
 * wᵀJ for a tensor program: `cotangents` gives one tensor per output (of its shape); the result
 * has one tensor per variable of `wrt` (all variables by default).
 */
export function tensorVjp(program: Program, point: TensorPoint, cotangents: readonly (Tensor | number)[], wrt?: readonly string[]): E.Either<EvalError, TensorVjpResult> {
  return pipe(
    tensorSweep(program, point),
    E.chain(({ tape, values, warnings }) =>
      pipe(
        wrtSlots(tape, wrt),
        E.chain(({ names, slots }) => {
          if (cotangents.length !== tape.outputs.length) return E.left(badArgument(`the cotangent has ${cotangents.length} entries, the program ${tape.outputs.length} outputs`))
          // One accumulator for the seeds (an output listed twice) and the sweep: its buffers are its own.
          const add = inPlace()
          const seeds = new Map<number, Tensor>()
          for (const [j, k] of tape.outputs.entries()) {
            const c = cotangents[j] as Tensor | number
            const seed: Tensor = typeof c === 'number' ? { shape: [], data: Float64Array.of(c) } : c
            const want = (values[k] as Tensor).shape
            if (sizeOf(seed.shape) !== sizeOf(want) && seed.data.length !== 1) return E.left({ _tag: 'ShapeError' as const, message: `output ${j + 1} has shape ${showShape(want)}, its cotangent ${showShape(seed.shape)}` })
            const full = seed.data.length === sizeOf(want) ? { shape: want, data: seed.data } : broadcastTo(seed, want)
            seeds.set(k, seeds.has(k) ? add(seeds.get(k) as Tensor, full) : full)
          }
          let adjoints: (Tensor | undefined)[]
          try {
            adjoints = pullback(tensorMathOf(tensors), tape, values, seeds, dependsOn(tape, new Set(slots)), add)
          } catch (e) {
            // A rule's shape check on the way back (an empty dimension, say) is the user's shapes' doing: a Left, not a throw.
            if (e instanceof ShapeError) return E.left({ _tag: 'ShapeError' as const, message: e.message })
            throw e
          }
          const vjp: Record<string, Tensor> = {}
          names.forEach((name, j) => {
            vjp[name] = adjoints[slots[j] as number] ?? zerosOf((values[slots[j] as number] as Tensor).shape)
          })
          return E.right({ values: tape.outputs.map((k) => values[k] as Tensor), vjp, wrt: names, warnings: [...warnings, ...gradientWarnings(vjp)] })
        }),
      ),
    ),
  )
}

/** The value and gradient of a tensor program with one scalar output (a loss). */
export function tensorGrad(program: Program, point: TensorPoint, wrt?: readonly string[]): E.Either<EvalError, TensorGradResult> {
  const out = program.outputs
  if (out.length !== 1 || (out[0] as Node).shape.length !== 0) {
    return E.left(badArgument(`grad needs one scalar output; this program has ${out.length === 1 ? `an output of shape ${showShape((out[0] as Node).shape)}` : `${out.length} outputs`} (use vjp or jacobian)`))
  }
  return pipe(
    tensorVjp(program, point, [1], wrt),
    E.map((r) => ({ value: r.values[0] as Tensor, gradient: r.vjp, wrt: r.wrt, warnings: r.warnings })),
  )
}

/**
 * The gradient of a tensor program with one scalar output as a graph: a program whose outputs
 * are ∂output/∂name for each name of `wrt`, in the order of `wrt` (symbol-to-symbol).
 */
export function tensorGradExpr(program: Program, wrt?: readonly string[]): E.Either<EvalError, Program> {
  return building(() => {
    adopt([...program.outputs])
    return pipe(
      tensorTapeFor(program),
      E.chain((tape) =>
        pipe(
          wrtSlots(tape, wrt),
          E.map(({ slots }) => {
            const t = tensorMathOf(tensorNodes)
            const [k] = tape.outputs
            const seeds = new Map<number, Node>([[k as number, t.c(1)]])
            const adjoints = pullback(t, tape, tape.nodes, seeds, dependsOn(tape, new Set(slots)), (a, b) => t.add(a, b))
            const outputs = slots.map((s) => adjoints[s] ?? t.zeros((tape.nodes[s] as Node).shape))
            const shaped = outputs.map((g, j) => (g.shape.length === (tape.nodes[slots[j] as number] as Node).shape.length ? g : t.broadcastTo(g, (tape.nodes[slots[j] as number] as Node).shape)))
            return makeProgram(shaped, { variables: [...tape.variables.keys()] })
          }),
        ),
      ),
    )
  })
}
