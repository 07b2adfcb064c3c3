/**
 * chainrule: automatic differentiation of straight-line programs.
 *
 * @example
 * import { parse, grad } from 'chainrule'
 * import * as E from 'fp-ts/Either'
 * const p = parse('(x+y)*z')                          // Either<ParseError, Program>
 * if (E.isRight(p)) grad(p.right, { x: -2, y: 5, z: -4 }) // Right({ value: -12, gradient: { x: -4, y: -4, z: 3 } })
 *
 * @example
 * import { variable, mul, add, sin, program, grad } from 'chainrule'
 * const x = variable('x'), y = variable('y')
 * grad(program([mul(add(x, y), sin(x))]), { x: 1, y: 2 })
 */
import { build } from './ops/build.js'

// Graphs
export { constant, variable, isApply, isConst, isVar, absurd, type Node, type Const, type Var, type Apply, type Shape } from './expr/node.js'
export { topoOrder, consumers, inputs, freeVariables, descendantsOf } from './expr/graph.js'
export { program, type Program, type ProgramOptions } from './expr/program.js'

// The derivative table and number systems
export { table, ruleOf, opCode } from './ops/table.js'
export { opTags, isOpTag, type OpTag } from './ops/tags.js'
export type { Rule, Num, M, Partials, Kink, Interval, Syntax } from './ops/rule.js'
export { numbers, mathOf, partialsIn } from './ops/math.js'
export { dual, dualOf, type Dual } from './ops/dual.js'
export { nodes, build, apply, type Arg } from './ops/build.js'
export { printExpr, printProgram } from './ops/print.js'

// The language
export { parse, formatParseError, type ParseError } from './lang/index.js'

// Evaluation
export { linearize, tapeFor, type Tape } from './tape/tape.js'
export { describeName, isNameError, type Point, type EvalError, type NameError, type Argument } from './tape/point.js'
export type { Warning, WarningKind } from './tape/diagnose.js'
export { evaluate, jvp, derivativeAt, forwardSweep, type EvalResult, type JvpResult, type DerivativeResult } from './forward/index.js'
export { grad, vjp, gradExpr, reverseSweep, type GradResult, type VjpResult } from './reverse/index.js'

// Jacobians, Hessians, higher order
export * from './jacobian/index.js'
export { hvp, hvpExpr, hessian, sparseHessian, derivative, derivativesAt } from './hvp/index.js'

// Compile once, evaluate many times
export { compile, type Compiled, type CompileOptions, type CompileStats } from './compile/index.js'

// Builders, one per primitive (numbers are lifted to constants).
export const {
  add, sub, mul, div, neg, pow,
  exp, log, sqrt, log1p, expm1, xlogy,
  sin, cos, tan, asin, acos, atan, atan2,
  sinh, cosh, tanh,
  relu, abs, sign, max, min, sigmoid, softplus,
} = build
/** The value of `e`, with derivative zero: nothing upstream of it is differentiated. */
export const stopGradient = build.stop_gradient
