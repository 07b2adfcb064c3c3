/**
 * `chainrule cost PROGRAM [--wrt ...] [--sparse]`: what a Jacobian would cost in each mode on
 * this program's pruned graph, the mode the model chooses and why. No point is needed: the
 * figures depend on the graph only.
 *
 * @example
 * // chainrule cost "[x*y, x+y, sin(x)]" --json
 * // {"mode":"forward","forward":{"sweeps":1,...},"reverse":{...},"reason":"forward mode: ...","wrt":["x","y"],...}
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { chooseMode } from '../../jacobian/index.js'
import { evalFailure } from '../errors.js'
import { jsonObject, plainJson } from '../json.js'
import { costTable } from './costTable.js'
import type { CommandSpec } from './types.js'

export const costCommand: CommandSpec = {
  name: 'cost',
  summary: 'the forward-versus-reverse trade for a Jacobian of the program: sweeps, operations, memory, choice',
  options: ['wrt', 'sparse'],
  run: (input) =>
    pipe(
      chooseMode(input.program, input.wrt, input.sparse ? { sparse: true } : {}),
      E.mapLeft(evalFailure),
      E.map((choice) => {
        const figures = plainJson(choice)
        const fields = typeof figures === 'object' && figures !== null && !Array.isArray(figures) ? Object.entries(figures) : []
        return { json: jsonObject([...fields, ['wrt', input.wrt.slice()]]), text: costTable(choice), warnings: [] }
      }),
    ),
}
