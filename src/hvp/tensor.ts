/**
 * Hessian-vector products and Hessians of tensor programs with one scalar output: the gradient
 * is built as a graph by reverse mode over nodes (`tensorGradExpr`), then differentiated in
 * forward mode along v (forward-over-reverse, the document's R-operator), so H·v costs a small
 * multiple of the gradient. The Hessian is H·eⱼ for every input entry j, flattened row-major.
 *
 * @example
 * import { variable, mul, reduceSum, program, tensorHvp, orThrow, toNested } from 'chainrule'
 * const x = variable('x', [2])
 * const p = program([reduceSum(mul(mul(x, x), x))])     // Σ xᵢ³: H = diag(6xᵢ)
 * toNested(orThrow(tensorHvp(p, { x: [1, 2] }, { x: [1, 1] })).hvp.x!)   // → [6, 12]
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Shape } from '../expr/node.js'
import type { Program } from '../expr/program.js'
import type { Tensor } from '../ops/tensor/array.js'
import { sizeOf } from '../ops/tensor/shape.js'
import { tensorMathOf, tensors } from '../ops/tensor/systems.js'
import { jacobianColumns, pushforward } from '../forward/tensor.js'
import { tensorGrad, tensorGradExpr } from '../reverse/tensor.js'
import type { Warning } from '../tape/diagnose.js'
import { nameError, type EvalError } from '../tape/point.js'
import { filled, loadTensorPoint, tensorDenseLimit, tensorSweep, tooLarge, type TensorPoint } from '../tape/tensor.js'
import { given, optionsError } from '../tape/options.js'

export interface TensorHvpResult {
  readonly value: Tensor
  readonly gradient: Readonly<Record<string, Tensor>>
  /** H·v per variable of `wrt`. */
  readonly hvp: Readonly<Record<string, Tensor>>
  readonly wrt: readonly string[]
  readonly warnings: readonly Warning[]
}

export interface TensorHessianResult {
  readonly value: Tensor
  /** n × n, row-major, over the entries of the `wrt` variables flattened in order. */
  readonly hessian: Float64Array
  readonly size: number
  readonly wrt: readonly string[]
  readonly shapes: Readonly<Record<string, Shape>>
  readonly warnings: readonly Warning[]
}

/** The gradient program's sweep at `point`: its tape, values, and the slots of the wrt variables in it. */
function gradientSweep(program: Program, point: TensorPoint, wrt: readonly string[] | undefined) {
  return pipe(
    tensorGrad(program, point, wrt),
    E.chain((g) =>
      pipe(
        tensorGradExpr(program, g.wrt),
        E.chain((gp) => tensorSweep(gp, point)),
        E.map((sweep) => ({ g, ...sweep })),
      ),
    ),
  )
}

/**
 * A warning for non-finite second derivatives of a tensor program. The tensor sweeps use IEEE
 * arithmetic where the scalar engine takes 0·∞ = 0 (`sum(sqrt(x)*0 + x*x)` at x = 0: NaN here, 2
 * there), and they cannot yet say which operation did it: at least the NaN is never silent.
 */
function secondOrderWarnings(what: string, entries: ArrayLike<number>): Warning[] {
  let bad = 0
  for (let i = 0; i < entries.length; i++) if (!Number.isFinite(entries[i] as number)) bad++
  if (bad === 0) return []
  return [{ _tag: 'NonFiniteDerivative', node: '', at: [], message: `${what} has ${bad} non-finite ${bad === 1 ? 'entry' : 'entries'}: tensor programs use IEEE arithmetic for second derivatives (0·∞ is NaN, where the scalar engine takes 0), or a second derivative is infinite there` }]
}

/** Options of `tensorHvp` and `tensorHessian`, as `hvp` and `hessian` take them. */
export interface TensorHvpOptions {
  /** The variables to differentiate with respect to, in order (all by default). */
  readonly wrt?: readonly string[] | undefined
}

/**
 * H·v for a tensor program with one scalar output; `v` gives a direction for some of `wrt` (the
 * rest are zero). A direction for a variable outside `wrt` is refused (`NotDifferentiated`), as
 * `hvp` refuses it: it would make a mixed second derivative.
 */
export function tensorHvp(program: Program, point: TensorPoint, v: TensorPoint, options: TensorHvpOptions = {}): E.Either<EvalError, TensorHvpResult> {
  const bad = optionsError('tensorHvp', options, { wrt: given })
  if (bad !== undefined) return E.left(bad)
  return pipe(
    gradientSweep(program, point, options.wrt),
    E.chainFirst(({ g }) => {
      const outside = typeof v === 'object' && v !== null ? Object.keys(v).find((name) => !g.wrt.includes(name)) : undefined
      return outside === undefined ? E.right(undefined) : E.left(nameError({ _tag: 'NotDifferentiated', name: outside, argument: 'direction', wrt: g.wrt }))
    }),
    E.chain(({ g, tape, values }) =>
      pipe(
        loadTensorPoint(tape, v, { names: program.names, variables: program.variables }, 'direction'),
        E.map((dots) => {
          const tangents = pushforward(tensorMathOf(tensors), tape, values, dots)
          const hvp = Object.fromEntries(g.wrt.map((name, j) => [name, filled(tangents[tape.outputs[j] as number] ?? null, values[tape.outputs[j] as number] as Tensor)]))
          return { value: g.value, gradient: g.gradient, hvp, wrt: g.wrt, warnings: [...g.warnings, ...secondOrderWarnings('H·v', Object.values(hvp).flatMap((t) => Array.from(t.data)))] }
        }),
      ),
    ),
  )
}

/** The Hessian of a tensor program with one scalar output, over the entries of `wrt` flattened in order. */
export function tensorHessian(program: Program, point: TensorPoint, options: TensorHvpOptions = {}): E.Either<EvalError, TensorHessianResult> {
  const bad = optionsError('tensorHessian', options, { wrt: given })
  if (bad !== undefined) return E.left(bad)
  return pipe(
    gradientSweep(program, point, options.wrt),
    E.chain(({ g, tape, values }) => {
      const shapes = g.wrt.map((name) => (g.gradient[name] as Tensor).shape)
      const n = shapes.reduce((s, sh) => s + sizeOf(sh), 0)
      if (n * n > tensorDenseLimit) return E.left(tooLarge('Hessian', n, n))
      // The Jacobian of the gradient, by forward mode: a variable the gradient does not depend on
      // (no slot in its tape) has a zero column.
      const slots = g.wrt.map((name) => tape.variables.get(name)?.slot ?? -1)
      const hessian = jacobianColumns(tape, values, slots, shapes, n)
      return E.right({ value: g.value, hessian, size: n, wrt: g.wrt, shapes: Object.fromEntries(g.wrt.map((name, i) => [name, shapes[i] as Shape])), warnings: [...g.warnings, ...secondOrderWarnings('the Hessian', hessian)] })
    }),
  )
}
