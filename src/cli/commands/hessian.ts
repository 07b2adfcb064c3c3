/**
 * `chainrule hessian PROGRAM --at ... [--wrt ...] [--sparse]`: the Hessian of a scalar program,
 * one Hessian-vector product per variable, or, with `--sparse`, one per colour of its pattern.
 * A Hessian of more than `printLimit` entries is printed, with `--sparse`, in coordinate form
 * (`{"format": "coo", "shape", "rows", "cols", "values"}`); without `--sparse` it is an error.
 *
 * @example
 * // chainrule hessian "(x+y)*z" --at x=-2,y=5,z=-4 --json
 * // {"value":-12,"hessian":[[0,0,1],[0,0,1],[1,1,0]],"wrt":["x","y","z"],"sweeps":3}
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { hessian, sparseHessian } from '../../hvp/index.js'
import { evalFailure, usage } from '../errors.js'
import { num, renderTable, valueLine, type Align } from '../table.js'
import { messages, outputLabels, requireScalar, printLimit } from './shared.js'
import { tensorHessianCommand } from './tensor.js'
import type { CommandSpec, Input } from './types.js'

export const hessianCommand: CommandSpec = {
  name: 'hessian',
  summary: 'Hessian matrix of a scalar program (n Hessian-vector products, or colours with --sparse)',
  options: ['at', 'wrt', 'sparse'],
  run: (input) =>
    input.tensor && input.sparse ? E.left(usage('--sparse colours scalar programs; this one works on tensors (its Hessian is dense)'))
    : input.tensor ? tensorHessianCommand(input) : input.wrt.length * input.wrt.length > printLimit ? large(input) : pipe(
      requireScalar(input.program, 'hessian'),
      E.chain((program) => pipe(hessian(program, input.point, { wrt: input.wrt, sparse: input.sparse }), E.mapLeft(evalFailure))),
      E.map((r) => {
        const label = outputLabels(input.program)[0]
        const n = r.wrt.length
        const header = ['', ...r.wrt]
        const rows = r.hessian.map((row, i) => [r.wrt[i], ...row.map(num)])
        const align: Align[] = ['left', ...r.wrt.map((): Align => 'right')]
        return {
          json: { value: r.value, hessian: r.hessian.map((row) => row.slice()), wrt: r.wrt.slice(), sweeps: r.sweeps },
          text: [
            valueLine(label, r.value),
            '',
            n === 0 ? '(no variables to differentiate with respect to)' : `Hessian (${n}×${n}, ${r.sweeps} Hessian-vector product${r.sweeps === 1 ? '' : 's'}):`,
            ...(n === 0 ? [] : [renderTable(header, rows, align)]),
          ].join('\n'),
          warnings: messages(r.warnings),
        }
      }),
    ),
}

/** A Hessian too large for rows: coordinate form with --sparse, an error without. */
function large(input: Input): ReturnType<CommandSpec['run']> {
  const n = input.wrt.length
  if (!input.sparse) return E.left(usage(`the Hessian has ${n}×${n} entries, too many to print as rows; use --sparse for coordinate form`))
  return pipe(
    requireScalar(input.program, 'hessian'),
    E.chain((program) => pipe(sparseHessian(program, input.point, { wrt: input.wrt }), E.mapLeft(evalFailure))),
    E.map((r) => ({
      json: { value: r.value, hessian: { format: 'coo', shape: [n, n], rows: Array.from(r.rows), cols: Array.from(r.cols), values: Array.from(r.values) }, wrt: r.wrt.slice(), sweeps: r.sweeps },
      text: [valueLine(outputLabels(input.program)[0], r.value), '', `Hessian (${n}×${n}, ${r.values.length} structural non-zeros, ${r.sweeps} Hessian-vector product${r.sweeps === 1 ? '' : 's'}): use --json for the entries`].join('\n'),
      warnings: messages(r.warnings),
    })),
  )
}
