/** Helpers for the language tests: unwrap a parse, or its error. */
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import { topoOrder } from '../../src/expr/graph.js'
import { adopt, building, type Node } from '../../src/expr/node.js'
import type { Program } from '../../src/expr/program.js'
import { formatParseError, parse, type ParseError } from '../../src/lang/index.js'

/** The program of `source`; fails the test with the formatted error otherwise. */
export function ok(source: string): Program {
  const r = parse(source)
  if (isLeft(r)) throw new Error(formatParseError(r.left))
  return r.right
}

/** The single output of `source`. */
export const out = (source: string): Node => {
  const p = ok(source)
  if (p.outputs.length !== 1 || p.vector) throw new Error(`expected one scalar output from ${source}`)
  return p.outputs[0]
}

/** The error of `source`; fails the test if it parses. */
export function err(source: string): ParseError {
  const r = parse(source)
  if (isRight(r)) throw new Error(`expected a parse error for ${JSON.stringify(source)}`)
  return r.left
}

/**
 * The program of `source`, parsed in a build that has adopted the graphs of `nodes` (see
 * `adopt`): where the text rebuilds one of them, the parse gives that very node.
 */
export const okAmong = (nodes: readonly Node[], source: string): Program =>
  building(() => {
    adopt(topoOrder(nodes))
    return ok(source)
  })

/** The single output of `source` parsed among `nodes` (as `okAmong`). */
export const outAmong = (nodes: readonly Node[], source: string): Node => {
  const p = okAmong(nodes, source)
  if (p.outputs.length !== 1 || p.vector) throw new Error(`expected one scalar output from ${source}`)
  return p.outputs[0]
}
