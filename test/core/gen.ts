/**
 * Random programs over the whole rule table for the core tests: the kit's own `arbitraryProgram`
 * (chainrule/testing), over every operation of the table and the variables x0, x1, x2. Each new
 * node applies a random op to earlier nodes chosen with repetition (so reuse, and `f(n, n)`, are
 * common), its arguments mapped into the op's sample domain; the outputs are random linear
 * combinations of the nodes.
 *
 * @example
 * fc.assert(fc.property(programs({ outputs: 1 }), ({ program, point }) => ...))
 */
import type fc from 'fast-check'
import type { Program } from '../../src/expr/program.js'
import { arbitraryProgram, programOf, type ProgramSample, type Recipe } from '../../src/testing/index.js'

export const varNames = ['x0', 'x1', 'x2'] as const

export type Sample = ProgramSample
export type { Recipe }

export interface ProgramOptions {
  /** Number of outputs (1: a scalar program). */
  readonly outputs?: number
  readonly maxSteps?: number
  /** Map arguments into each op's domain (default); false passes every argument raw. */
  readonly inDomain?: boolean
  /** Variable values. */
  readonly point?: fc.Arbitrary<number>
}

/** Random programs with a random point. */
export function programs(options: ProgramOptions = {}): fc.Arbitrary<Sample> {
  return arbitraryProgram({
    variables: varNames,
    ...(options.outputs === undefined ? {} : { outputs: options.outputs }),
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    ...(options.inDomain === undefined ? {} : { inDomain: options.inDomain }),
    ...(options.point === undefined ? {} : { value: options.point }),
  })
}

/** The program of a recipe (deterministic: building it twice must give the same nodes). */
export const buildProgram = (r: Recipe): Program => programOf(r)
