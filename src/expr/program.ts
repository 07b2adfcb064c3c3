/**
 * A program: the output node(s) of a straight-line program, with the names its statements gave to
 * intermediate nodes (kept for messages and printing only; they do not change the graph).
 *
 * @example
 * import { program, mul, add, variable } from 'chainrule'
 * const x = variable('x'), y = variable('y'), z = variable('z')
 * program([mul(add(x, y), z)]).variables   // → ['x', 'y', 'z']
 */
import { freeVariables } from './graph.js'
import type { Node, Var } from './node.js'
import { sortByName } from './order.js'
import { given, optionsProblem } from './options.js'

export interface Program {
  readonly _tag: 'program'
  /** One node for a scalar program; m nodes for a program whose final expression is a list. */
  readonly outputs: readonly Node[]
  /** True when the final expression was a list `[e1, ..., em]` (a vector output, even if m = 1). */
  readonly vector: boolean
  /** Names given to nodes by assignments (`q = x + y`); the last name given wins. */
  readonly names: ReadonlyMap<Node, string>
  /**
   * The free variables, in natural order (`x2` before `x10`: see `naturalCompare`), with any
   * declared in the options (a derivative keeps the variables of the program it came from, even
   * those it no longer uses: the gradient of x + y is a program of x and y). Declared variables
   * that include every free one keep their declared order (a traced program's argument order, and
   * so its derivatives'). Points, `wrt` lists and directions may name these and no others.
   */
  readonly variables: readonly string[]
}

export interface ProgramOptions {
  readonly vector?: boolean | undefined
  readonly names?: ReadonlyMap<Node, string> | undefined
  /** Variables of the program besides its free variables (see `Program.variables`). */
  readonly variables?: readonly string[] | undefined
}

/** A program with the given outputs. */
export function program(outputs: readonly Node[], options: ProgramOptions = {}): Program {
  if (outputs.length === 0) throw new RangeError('a program needs at least one output')
  const bad = optionsProblem('program', options, { vector: given, names: given, variables: given })
  if (bad !== undefined) throw new RangeError(bad)
  return programOf(outputs, options, freeVariables(outputs))
}

/**
 * A program whose free variables are known without a walk (the parser knows them): `variables`
 * must be exactly the variables reachable from `outputs`, one node per name, in any order.
 */
export function programOf(outputs: readonly Node[], options: ProgramOptions, variables: Var[]): Program {
  // Declared variables (a derivative keeps its program's) join the free ones. When they include
  // every free variable, their order is kept: a derivative of a traced program keeps its argument
  // order, so that compile(gradExpr(t)) reads a vector as compile(t) does.
  const names = variables.map((v) => v.name)
  let ordered: string[] | undefined
  if (options.variables !== undefined) {
    const declared = new Set(options.variables)
    if (declared.size === options.variables.length && names.every((n) => declared.has(n))) ordered = [...options.variables]
    else {
      const seen = new Set(names)
      for (const n of options.variables) if (!seen.has(n)) (seen.add(n), names.push(n))
    }
  }
  return Object.freeze({
    _tag: 'program',
    outputs: Object.freeze(outputs.slice()),
    vector: options.vector ?? outputs.length > 1,
    names: options.names ?? new Map(),
    variables: Object.freeze(ordered ?? sortByName(names, (n) => n)),
  })
}
