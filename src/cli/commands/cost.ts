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
import { chooseMode, textbookChoice, type TextbookChoice } from '../../jacobian/index.js'
import { printProgram } from '../../ops/print.js'
import { costCurves, costNotes, costPlot } from '../../teach/index.js'
import { evalFailure, usage } from '../errors.js'
import { jsonObject, plainJson, type Json } from '../json.js'
import type { Io } from '../io.js'
import { costTable } from './costTable.js'
import type { CommandSpec } from './types.js'

const fieldsOf = (x: unknown): [string, Json][] => {
  const figures = plainJson(x)
  return typeof figures === 'object' && figures !== null && !Array.isArray(figures) ? Object.entries(figures) : []
}

export const costCommand: CommandSpec = {
  name: 'cost',
  summary: 'the forward-versus-reverse trade for a Jacobian of the program: sweeps, arithmetic, memory, choice (--textbook, --plot)',
  options: ['wrt', 'sparse', 'textbook', 'plot'],
  run: (input) =>
    input.plot !== undefined && !/\.svg$/i.test(input.plot)
      ? E.left(usage(`--plot writes SVG: give a file name ending in .svg, not ${JSON.stringify(input.plot)}`))
      : pipe(
      chooseMode(input.program, input.wrt, input.sparse ? { sparse: true } : {}),
      E.chain((choice) => E.map((textbook: TextbookChoice) => ({ choice, textbook }))(textbookChoice(input.program, input.wrt))),
      E.mapLeft(evalFailure),
      E.map(({ choice, textbook }) => {
        const extra: [string, Json][] = input.textbook ? [['textbook', jsonObject(fieldsOf(textbook))], ['notes', costNotes(choice, textbook)]] : []
        const output = { json: jsonObject([...fieldsOf(choice), ['wrt', input.wrt.slice()], ...extra]), text: costTable(choice, input.textbook ? textbook : undefined, input.program.outputs.length), warnings: [] }
        const file = input.plot
        if (file === undefined) return output
        return {
          ...output,
          later: async (io: Io) => {
            const curves = costCurves(input.program, undefined, input.wrt)
            if (E.isLeft(curves)) return E.left(evalFailure(curves.left))
            try {
              io.writeFile(file, costPlot(curves.right, printProgram(input.program)))
            } catch (e) {
              return E.left(usage(`cannot write the plot to ${file}: ${(e as Error).message}`))
            }
            const [byInputs, byOutputs] = curves.right
            const where = (c: typeof byInputs): string => (c.crossover === undefined ? 'no crossover' : `crossover at ${c.crossover}`)
            return E.right({ text: `${output.text}\n\nplot: ${file} (inputs 1 to ${byInputs.points.at(-1)?.size ?? 0}: ${where(byInputs)}; outputs 1 to ${byOutputs.points.at(-1)?.size ?? 0}: ${where(byOutputs)})`, json: jsonObject([['plot', file], ['crossover', jsonObject([['inputs', byInputs.crossover ?? null], ['outputs', byOutputs.crossover ?? null]])]]) })
          },
        }
      }),
    ),
}
