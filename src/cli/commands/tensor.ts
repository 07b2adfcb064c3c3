/**
 * The commands on tensor programs (a tensor in `--at`, or tensor operations in the program):
 * values and gradients as nested arrays of each variable's shape, Jacobians and Hessians over the
 * entries flattened in row-major order with the shapes alongside. The text form shows shapes.
 *
 * @example
 * // chainrule grad "sum(X @ w)" --at '{"X": [[1,2],[3,4]], "w": [0.5,-1]}' --json
 * // {"value":-2.5,"gradient":{"X":[[0.5,-1],[0.5,-1]],"w":[4,6]}}
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { differentiableVariables, tensorTapeFor } from '../../tape/tensor.js'
import type { Shape } from '../../expr/node.js'
import { toNested, type Tensor } from '../../ops/tensor/array.js'
import { showShape, sizeOf } from '../../ops/tensor/shape.js'
import { tensorEvaluate } from '../../forward/tensor.js'
import { tensorGrad } from '../../reverse/tensor.js'
import { tensorJacobian } from '../../jacobian/tensor.js'
import { tensorHessian, tensorHvp } from '../../hvp/tensor.js'
import { evalFailure, usage, type CliError } from '../errors.js'
import { jsonObject, type Json } from '../json.js'
import { num, renderTable } from '../table.js'
import { messages, outputLabels, printLimit } from './shared.js'
import type { Input, Mode, Output } from './types.js'

/**
 * `--wrt`, or undefined when it was not given: then the library's default for tensor programs,
 * every variable but the labels and indices (data that have no derivative).
 */
const wrtOf = (input: Input): readonly string[] | undefined => (input.wrt === input.program.variables ? undefined : input.wrt)

/** `wrtOf` as the options field the library takes. */
const wrtOption = (input: Input): { readonly wrt?: readonly string[] } => (input.wrt === input.program.variables ? {} : { wrt: input.wrt })

/** A tensor as JSON: a number for a scalar, nested arrays otherwise. */
const nested = (t: Tensor): Json => toNested(t) as Json

/** `X [2,3] = [[1,2,3],[4,5,6]]` (long values cut: --json has them all). */
function tensorLine(label: string, t: Tensor): string {
  const body = t.shape.length === 0 ? num(t.data[0] as number) : nestedText(toNested(t))
  const shown = body.length > 400 ? `${body.slice(0, 399)}… (use --json for all ${t.data.length} entries)` : body
  return `${label}${t.shape.length === 0 ? '' : ` ${showShape(t.shape)}`} = ${shown}`
}

/** Nested arrays as text, numbers as `num` writes them (Infinity and NaN by name, as in the scalar tables). */
const nestedText = (x: unknown): string => (Array.isArray(x) ? `[${x.map(nestedText).join(',')}]` : num(x as number))

const shapesJson = (shapes: Readonly<Record<string, Shape>>): Json => jsonObject(Object.entries(shapes).map(([k, s]) => [k, s.slice()] as const))

/** The rows of a row-major matrix as JSON. */
const rowsOf = (m: Float64Array, rows: number, cols: number): number[][] => Array.from({ length: rows }, (_, i) => Array.from(m.subarray(i * cols, (i + 1) * cols)))

function scalarOutput(input: Input, command: string): E.Either<CliError, void> {
  const [out] = input.program.outputs
  if (input.program.outputs.length === 1 && !input.program.vector && out !== undefined && out.shape.length === 0) return E.right(undefined)
  const what = input.program.outputs.length === 1 && out !== undefined ? `an output of shape ${showShape(out.shape)}` : `${input.program.outputs.length} outputs`
  return E.left(usage(`${command} needs a program with one scalar output, but this one has ${what} (use jacobian, or sum(...) for a scalar loss)`))
}

export function tensorEvalCommand(input: Input): E.Either<CliError, Output> {
  return pipe(
    tensorEvaluate(input.program, input.tensorPoint),
    E.mapLeft(evalFailure),
    E.map((r) => {
      const labels = outputLabels(input.program)
      return {
        json: { value: input.program.vector ? r.values.map(nested) : nested(r.values[0] as Tensor) },
        text: r.values.map((v, i) => tensorLine(labels[i] as string, v)).join('\n'),
        warnings: messages(r.warnings),
      }
    }),
  )
}

export function tensorGradCommand(input: Input): E.Either<CliError, Output> {
  return pipe(
    scalarOutput(input, 'grad'),
    E.chain(() => pipe(tensorGrad(input.program, input.tensorPoint, wrtOf(input)), E.mapLeft(evalFailure))),
    E.map((r) => ({
      json: { value: r.value.data[0] as number, gradient: jsonObject(r.wrt.map((name) => [name, nested(r.gradient[name] as Tensor)] as const)) },
      text: [tensorLine(outputLabels(input.program)[0] as string, r.value), '', 'gradient:', ...r.wrt.map((name) => tensorLine(`  ${name}`, r.gradient[name] as Tensor))].join('\n'),
      warnings: messages(r.warnings),
    })),
  )
}

/**
 * The entries of the flattened outputs and of the flattened wrt variables (shapes are fixed by the
 * program). By default only the variables the outputs reach through differentiable arguments count
 * (labels and indices are not differentiated: 2 500 of them made a 3×3 Hessian "too large").
 */
function sizesOf(input: Input): { readonly rows: number; readonly cols: number } {
  const rows = input.program.outputs.reduce((n, o) => n + sizeOf(o.shape), 0)
  const tape = tensorTapeFor(input.program)
  // A program without a tape (variables of one name and two shapes): the library says why.
  if (E.isLeft(tape)) return { rows, cols: 0 }
  const wrt = input.wrt === input.program.variables ? differentiableVariables(tape.right) : input.wrt
  return { rows, cols: wrt.reduce((n, name) => n + sizeOf(tape.right.variables.get(name)?.node.shape ?? []), 0) }
}

export function tensorJacobianCommand(input: Input, mode: Mode): E.Either<CliError, Output> {
  // Refused before it is computed: 300×300 inputs asked for 8.1·10^9 entries and crashed.
  const { rows, cols } = sizesOf(input)
  if (rows * cols > printLimit) return E.left(usage(`the Jacobian has ${rows}×${cols} entries, too many to print as rows (at most ${printLimit}); use grad or hvp for a scalar loss`))
  return pipe(
    tensorJacobian(input.program, input.tensorPoint, { ...wrtOption(input), mode }),
    E.mapLeft(evalFailure),
    E.map((r) => {
      const matrix = rowsOf(r.jacobian, r.rows, r.cols)
      const sweeps = r.mode === 'forward' ? r.cols : r.rows
      const fields: [string, Json][] = [
        ['value', Array.from(r.value)],
        ['jacobian', matrix],
        ['mode', r.mode],
        ['wrt', r.wrt.slice()],
        ['shapes', shapesJson(r.shapes)],
        ['outputShapes', r.outputShapes.map((s) => s.slice())],
        ['sweeps', sweeps],
      ]
      const columns = r.wrt.flatMap((name) => entryLabels(name, r.shapes[name] as Shape))
      const shown = Math.min(r.cols, 12)
      const body = matrix.slice(0, 40).map((row, i) => [`[${i}]`, num(r.value[i] as number), ...row.slice(0, shown).map(num)])
      const text = [
        `Jacobian (${r.rows}×${r.cols}, inputs and outputs flattened row-major; output shapes ${r.outputShapes.map(showShape).join(', ')}; ${r.wrt.map((n) => `${n} ${showShape(r.shapes[n] as Shape)}`).join(', ')}): ${r.mode} mode, ${sweeps} sweeps`,
        '',
        renderTable(['output', 'value', ...columns.slice(0, shown)], body, ['left', ...Array<'right'>(shown + 1).fill('right')]),
      ]
      if (r.rows > 40 || r.cols > shown) text.push(`(showing ${Math.min(r.rows, 40)} of ${r.rows} rows and ${shown} of ${r.cols} columns; use --json for all)`)
      return { json: jsonObject(fields), text: text.join('\n'), warnings: messages(r.warnings) }
    }),
  )
}

/** `X[0,1]`, ... for the entries of a variable of `shape`, row-major. */
function entryLabels(name: string, shape: Shape): string[] {
  if (shape.length === 0) return [name]
  const out: string[] = []
  const index = shape.map(() => 0)
  const n = shape.reduce((a, b) => a * b, 1)
  for (let e = 0; e < n; e++) {
    out.push(`${name}[${index.join(',')}]`)
    for (let k = shape.length - 1; k >= 0 && ++index[k]! === shape[k]; k--) index[k] = 0
  }
  return out
}

export function tensorHvpCommand(input: Input): E.Either<CliError, Output> {
  if (input.tensorV === undefined) return E.left(usage('hvp needs a direction: --v x=1,y=0 or --v \'{"X": [[1,0],[0,1]]}\''))
  const v = input.tensorV
  return pipe(
    scalarOutput(input, 'hvp'),
    E.chain(() => pipe(tensorHvp(input.program, input.tensorPoint, v, wrtOption(input)), E.mapLeft(evalFailure))),
    E.map((r) => ({
      json: {
        value: r.value.data[0] as number,
        hvp: jsonObject(r.wrt.map((name) => [name, nested(r.hvp[name] as Tensor)] as const)),
        gradient: jsonObject(r.wrt.map((name) => [name, nested(r.gradient[name] as Tensor)] as const)),
      },
      text: [tensorLine(outputLabels(input.program)[0] as string, r.value), '', 'H·v:', ...r.wrt.map((name) => tensorLine(`  ${name}`, r.hvp[name] as Tensor))].join('\n'),
      warnings: messages(r.warnings),
    })),
  )
}

/** Larger Hessians are refused: n Hessian-vector products and n² numbers of output. */
const hessianLimit = 2000

export function tensorHessianCommand(input: Input): E.Either<CliError, Output> {
  return pipe(
    scalarOutput(input, 'hessian'),
    E.chain(() => {
      // Refused before it is computed (n Hessian-vector products, n² numbers).
      const n = sizesOf(input).cols
      return n > hessianLimit ? E.left(usage(`the Hessian over ${n} entries is too large to print (at most ${hessianLimit}); use hvp`)) : E.right(undefined)
    }),
    E.chain(() => pipe(tensorHessian(input.program, input.tensorPoint, wrtOption(input)), E.mapLeft(evalFailure))),
    E.map((r) => ({
      json: { value: r.value.data[0] as number, hessian: rowsOf(r.hessian, r.size, r.size), wrt: r.wrt.slice(), shapes: shapesJson(r.shapes), sweeps: r.size },
      text: [
        tensorLine(outputLabels(input.program)[0] as string, r.value),
        '',
        `Hessian (${r.size}×${r.size} over ${r.wrt.map((n) => `${n} ${showShape(r.shapes[n] as Shape)}`).join(', ')}, flattened row-major; ${r.size} Hessian-vector product${r.size === 1 ? '' : 's'})`,
        renderTable(null, rowsOf(r.hessian, r.size, r.size).slice(0, 40).map((row) => row.slice(0, 12).map(num)), Array<'right'>(Math.min(r.size, 12)).fill('right')),
      ].join('\n'),
      warnings: messages(r.warnings),
    })),
  )
}
