/**
 * `chainrule jacobian PROGRAM --at ... [--wrt ...] [--mode auto|forward|reverse] [--sparse]`:
 * values and the m×n Jacobian (row i = output i, column j = wrt[j]; a scalar program is one
 * row), the mode used and the cost figures behind the choice.
 *
 * JSON: `jacobian` is dense rows. With `--sparse` the pattern is detected and coloured, and a
 * `sparse` field adds the structural non-zeros in CSR form. A Jacobian of more than `printLimit`
 * entries is too large to print as rows: with `--sparse` `jacobian` is then the CSR form; without
 * it, that is an error (exit 2) that suggests `--sparse`.
 *
 * @example
 * // chainrule jacobian "[(x+y)*z, x*y, z]" --at x=-2,y=5,z=-4 --mode reverse --json
 * // {"value":[-12,-10,-4],"jacobian":[[-4,-4,3],[5,-2,0],[0,0,1]],"mode":"reverse","wrt":["x","y","z"],"cost":{...},"sweeps":1}
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { isDense, jacobian, toCsr, toDense, type CsrMatrix, type JacobianMatrix, type JacobianResult } from '../../jacobian/index.js'
import { evalFailure, usage } from '../errors.js'
import { jsonObject, plainJson, type Json } from '../json.js'
import { num, renderTable, type Align } from '../table.js'
import { costTable } from './costTable.js'
import { messages, outputLabels, printLimit } from './shared.js'
import { tensorJacobianCommand } from './tensor.js'
import type { CommandSpec, Input } from './types.js'

/** The table shows at most this many rows and columns of the matrix. */
const shownRows = 40
const shownCols = 12

export const jacobianCommand: CommandSpec = {
  name: 'jacobian',
  summary: 'values and Jacobian matrix, in the mode the cost model chooses (or --mode)',
  options: ['at', 'wrt', 'mode', 'sparse'],
  run: (input) => {
    if (input.tensor && input.sparse) return E.left(usage('--sparse colours scalar programs; this one works on tensors (its Jacobian is dense)'))
    if (input.tensor) return tensorJacobianCommand(input, input.mode)
    const entries = input.program.outputs.length * input.wrt.length
    const small = entries <= printLimit
    if (!small && !input.sparse) {
      return E.left(usage(`the Jacobian has ${input.program.outputs.length}×${input.wrt.length} entries, too many to print as rows; use --sparse for CSR`))
    }
    const options = { wrt: input.wrt, mode: input.mode, ...(input.sparse ? { sparse: true, format: 'csr' as const } : { format: 'dense' as const }) }
    return pipe(
      jacobian(input.program, input.point, options),
      E.mapLeft(evalFailure),
      E.map((r) => {
        const dense = isDense(r.jacobian) ? r.jacobian : small ? toDense(r.jacobian) : undefined
        const fields: [string, Json][] = [
          ['value', r.values.slice()],
          ['jacobian', dense ?? plainJson(r.jacobian)],
          ['mode', r.mode],
          ['wrt', r.wrt.slice()],
          ['cost', plainJson(r.cost)],
          ['sweeps', r.sweeps],
        ]
        if (r.colours !== undefined) fields.push(['colours', r.colours])
        if (input.sparse) fields.push(['sparse', plainJson(toCsr(r.jacobian))])
        return { json: jsonObject(fields), text: text(input, r, dense), warnings: messages(r.warnings) }
      }),
    )
  },
}

function text(input: Input, r: JacobianResult<JacobianMatrix>, dense: number[][] | undefined): string {
  const labels = outputLabels(input.program)
  const m = r.values.length
  const n = r.wrt.length
  const cols = Math.min(n, shownCols)
  const rows = Math.min(m, shownRows)
  const matrix = dense ?? topLeft(toCsr(r.jacobian), rows, cols)
  const header = ['output', 'value', ...r.wrt.slice(0, cols), ...(cols < n ? ['…'] : [])]
  const body = Array.from({ length: rows }, (_, i) => [labels[i] ?? `[${i}]`, num(r.values[i]), ...matrix[i].slice(0, cols).map(num), ...(cols < n ? ['…'] : [])])
  const align: Align[] = ['left', ...header.slice(1).map((): Align => 'right')]
  const how = `${r.mode} mode, ${r.sweeps} derivative sweep${r.sweeps === 1 ? '' : 's'}${r.colours !== undefined ? ` (${r.colours} colours)` : ''}${input.mode === 'auto' ? ', chosen by the cost model' : ', as asked'}`
  const lines = [`Jacobian (${m}×${n}, row = output, column = variable): ${how}`, '', renderTable(header, body, align)]
  if (rows < m || cols < n) lines.push(`(showing ${rows} of ${m} rows and ${cols} of ${n} columns; use --json for all)`)
  lines.push('', costTable(r.cost, undefined, m))
  return lines.join('\n')
}

/** The first `rows` × `cols` entries of a CSR matrix, dense (for the table of a huge Jacobian). */
function topLeft(J: CsrMatrix, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0)
    for (let k = J.rowPtr[i]; k < J.rowPtr[i + 1]; k++) if (J.colIdx[k] < cols) row[J.colIdx[k]] += J.values[k]
    return row
  })
}
