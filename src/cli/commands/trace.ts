/**
 * `chainrule trace PROGRAM --at ... --mode forward|reverse [--wrt ...] [--v ...]`: a sweep as a
 * table, one row per step of the Wengert list. Forward mode: each node's value and its tangents
 * (one sweep per wrt variable, side by side, or the one direction --v). Reverse mode (also auto):
 * the values sweep, then the reverse sweep from the output back, each step with its adjoint and
 * the grad_table entries it changed (input += ∂node/∂input × adjoint → new total).
 *
 * @example
 * // chainrule trace "(x+y)*z" --at x=-2,y=5,z=-4 --mode reverse --json
 * // {"mode":"reverse","value":-12,"rows":[{"phase":"forward","step":1,"node":"x",...}, ...],"gradient":{"x":-4,"y":-4,"z":3}}
 */
import * as E from 'fp-ts/lib/Either.js'
import { forwardTrace, gradTableAfter, reverseTrace, type Entry, type WengertList } from '../../teach/index.js'
import { usage } from '../errors.js'
import { jsonObject, type Json, type JsonObject } from '../json.js'
import { num, renderTable } from '../table.js'
import { listFor } from './graph.js'
import { engineWarnings } from './shared.js'
import type { CommandSpec } from './types.js'


const entryOf = (list: WengertList, i: number): Entry => list.entries[i] as Entry
const argLabels = (list: WengertList, e: Entry): string[] => e.args.map((a) => entryOf(list, a).label)
const opName = (e: Entry): string => (e.kind === 'operation' ? e.symbol : e.kind)

function valueRows(list: WengertList): { json: JsonObject[]; text: string[][] } {
  const json = list.entries.map((e, k) => jsonObject([['phase', 'forward'], ['step', k + 1], ['node', e.label], ['op', opName(e)], ['inputs', argLabels(list, e)], ['value', e.value]]))
  const text = list.entries.map((e, k) => [String(k + 1), e.label, opName(e), argLabels(list, e).join(', '), num(e.value)])
  return { json, text }
}

export const traceCommand: CommandSpec = {
  name: 'trace',
  summary: 'the forward or reverse sweep step by step: the Wengert list with values, tangents or grad_table entries',
  options: ['at', 'wrt', 'v', 'mode'],
  run: (input) => {
    const listed = listFor(input, 'trace')
    if (E.isLeft(listed)) return listed
    const list = listed.right
    const values = valueRows(list)
    const outputValue: Json = input.program.vector ? list.outputs.map((o) => entryOf(list, o).value) : entryOf(list, list.outputs[0] as number).value
    // --v is a direction: it implies the forward sweep (as in graph) unless --mode reverse refused it.
    if (input.mode === 'forward' || input.v !== undefined) {
      const seeds = input.v !== undefined ? [input.v] : list.wrt.map((name) => ({ [name]: 1 }))
      const names = input.v !== undefined ? ['tangent'] : list.wrt.map((name) => `∂/∂${name}`)
      const steps = forwardTrace(list, seeds)
      const tangentsOf = (k: number): Json =>
        input.v !== undefined ? (steps[k]?.tangents[0] as number) : jsonObject(list.wrt.map((name, j) => [name, steps[k]?.tangents[j] as number] as const))
      const rows = values.json.map((row, k) => jsonObject([...Object.entries(row), [input.v !== undefined ? 'tangent' : 'tangents', tangentsOf(k)]]))
      const table = renderTable(['step', 'node', 'operation', 'inputs', 'value', ...names], values.text.map((r, k) => [...r, ...(steps[k]?.tangents ?? []).map(num)]), ['right', 'left', 'left', 'left', 'right', ...names.map(() => 'right' as const)])
      const lead = input.v !== undefined ? 'forward sweep: values and the tangent along --v' : `forward mode: ${list.wrt.length} sweep${list.wrt.length === 1 ? '' : 's'}, one tangent each (shown side by side)`
      // What the sweeps found at the output: its gradient (one sweep per variable), or its derivative
      // along --v; for a vector program, per output.
      const at = (o: number, j: number): number => steps[o]?.tangents[j] as number
      const scalar = !input.program.vector
      const result: [string, Json] =
        input.v !== undefined
          ? ['derivative', scalar ? at(list.outputs[0] as number, 0) : list.outputs.map((o) => at(o, 0))]
          : scalar
            ? ['gradient', jsonObject(list.wrt.map((name, j) => [name, at(list.outputs[0] as number, j)] as const))]
            : ['jacobian', list.outputs.map((o) => list.wrt.map((_, j) => at(o, j)))]
      return E.right({ json: jsonObject([['mode', 'forward'], ['value', outputValue], ['rows', rows], result]), text: `${lead}\n\n${table}`, warnings: engineWarnings(input, list.wrt, 'forward', input.v) })
    }
    if (list.outputs.length !== 1) return E.left(usage(`trace --mode reverse needs a program with one output, but this one has ${list.outputs.length} (use --mode forward)`))
    const steps = reverseTrace(list)
    const g = gradTableAfter(list, steps)
    const change = (c: { label: string; partial: number; added: number; total: number }, adjoint: number): string => `${c.label} += ${num(c.partial)}×${num(adjoint)} → ${num(c.total)}`
    const reverseJson = steps.map((s, k) => {
      const e = entryOf(list, s.entry)
      return jsonObject([
        ['phase', 'reverse'], ['step', k + 1], ['node', e.label], ['op', opName(e)], ['inputs', argLabels(list, e)], ['value', e.value], ['adjoint', s.adjoint],
        ['changed', s.changes.map((c) => jsonObject([['node', c.label], ['partial', c.partial], ['added', c.added], ['total', c.total]]))],
        ...(s.skipped === true ? [['skipped', true] as const] : []),
      ])
    })
    const reverseText = steps.map((s, k) => {
      const e = entryOf(list, s.entry)
      if (s.skipped === true) {
        const inputs = s.changes.map((c) => c.label)
        return [String(k + 1), e.label, opName(e), num(s.adjoint), inputs.length === 0 ? '(no input carries a derivative)' : `adds 0 to ${inputs.join(', ')} (the engine skips it)`]
      }
      return [String(k + 1), e.label, opName(e), num(s.adjoint), s.changes.map((c) => change(c, s.adjoint)).join('; ') || '(no input carries a derivative)']
    })
    const gradient = jsonObject(list.wrt.map((name, j) => [name, list.wrtEntries[j] !== undefined && list.wrtEntries[j] >= 0 ? (g[list.wrtEntries[j]] ?? 0) : 0] as const))
    const outLabel = entryOf(list, list.outputs[0] as number).label
    const text = [
      'forward sweep: the values, stored for the reverse sweep',
      '',
      renderTable(['step', 'node', 'operation', 'inputs', 'value'], values.text, ['right', 'left', 'left', 'left', 'right']),
      '',
      `reverse sweep: grad_table[${outLabel}] = 1, then each operation from the output back adds ∂node/∂input × its adjoint into its inputs' entries (an operation whose adjoint is 0 adds 0)`,
      '',
      renderTable(['step', 'node', 'operation', 'adjoint', 'grad_table changes'], reverseText, ['right', 'left', 'left', 'right', 'left']),
      '',
      renderTable(['variable', 'gradient'], list.wrt.map((name) => [name, num(gradient[name] as number)]), ['left', 'right']),
    ].join('\n')
    return E.right({ json: jsonObject([['mode', 'reverse'], ['value', outputValue], ['rows', [...values.json, ...reverseJson]], ['gradient', gradient]]), text, warnings: engineWarnings(input, list.wrt, 'reverse') })
  },
}
