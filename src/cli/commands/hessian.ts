/**
 * `chainrule hessian PROGRAM --at ... [--wrt ...] [--sparse]`: the Hessian of a scalar program,
 * one Hessian-vector product per variable, or, with `--sparse`, one per colour of its pattern.
 *
 * @example
 * // chainrule hessian "(x+y)*z" --at x=-2,y=5,z=-4 --json
 * // {"value":-12,"hessian":[[0,0,1],[0,0,1],[1,1,0]],"wrt":["x","y","z"],"sweeps":3}
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { hessian } from '../../hvp/index.js'
import { evalFailure } from '../errors.js'
import { num, renderTable, valueLine, type Align } from '../table.js'
import { messages, outputLabels, requireScalar } from './shared.js'
import type { CommandSpec } from './types.js'

export const hessianCommand: CommandSpec = {
  name: 'hessian',
  summary: 'Hessian matrix of a scalar program (n Hessian-vector products, or colours with --sparse)',
  options: ['at', 'wrt', 'sparse'],
  run: (input) =>
    pipe(
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
            n === 0 ? '(no variables to differentiate with respect to)' : `Hessian (${n}×${n}, ${r.sweeps} Hessian-vector products):`,
            ...(n === 0 ? [] : [renderTable(header, rows, align)]),
          ].join('\n'),
          warnings: messages(r.warnings),
        }
      }),
    ),
}
