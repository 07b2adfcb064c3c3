/**
 * chainrule: automatic differentiation of straight-line programs.
 *
 * @example
 * import { parse, grad, isRight } from 'chainrule'
 * const p = parse('(x+y)*z')                          // Either<ParseError, Program>
 * if (isRight(p)) {
 *   grad(p.right, { x: -2, y: 5, z: -4 })            // → Right({ value: -12, gradient: { x: -4, y: -4, z: 3 } })
 * }
 *
 * @example
 * import { variable, mul, add, sin, program, grad, orThrow } from 'chainrule'
 * const x = variable('x'), y = variable('y')
 * orThrow(grad(program([mul(add(x, y), sin(x))]), { x: 1, y: 2 })).gradient   // → { x: 2.4624, y: 0.8415 }
 */
import { build } from './ops/build.js'

// Leaving Either in one step
export { orThrow, ChainruleError, isLeft, isRight, type Either, type Left, type Right, type TypedError } from './either.js'

// Graphs
export { constant, variable, building, adopt, isApply, isConst, isVar, absurd, type Node, type Const, type Var, type Apply, type Shape } from './expr/node.js'
export { topoOrder, consumers, inputs, freeVariables, descendantsOf, structurallyEqual } from './expr/graph.js'
export { program, type Program, type ProgramOptions } from './expr/program.js'
export { naturalCompare } from './expr/order.js'

// The derivative table and number systems
export { table, ruleOf, opCode } from './ops/table.js'
export { opTags, isOpTag, type OpTag } from './ops/tags.js'
export type { Rule, Num, M, Partials, Partial, Kink, Interval, Syntax } from './ops/rule.js'
export { Quotient } from './ops/rule.js'
export { numbers, mathOf, partialsIn, partialValue, times } from './ops/math.js'
export { dual, dualOf, type Dual } from './ops/dual.js'
export { nodes, build, apply, sum, prod, type Arg, type Builder, type Builders } from './ops/build.js'
export { defineOp, NotDifferentiableError, type OpDefinition, type NotDifferentiable } from './ops/registry.js'
export { printExpr, printProgram } from './ops/print.js'

// The language
export { parse, formatParseError, type ParseError } from './lang/index.js'

// Functions as programs
export { trace, pointOf, argsOf, type Traced, type TraceOptions, type TraceError, type Output, type ArgShape, type ArgsOf, type Leaves, type Names, type NamesOf, type Nested, type Scalars, type ScalarsOf, type Value, type ValuesOf } from './trace/index.js'

// Evaluation
export { linearize, tapeFor, type Tape } from './tape/tape.js'
export { vectorOf, recordOf, describeName, type VectorOfOptions, isNameError, type Point, type EvalError, type NameError, type Argument } from './tape/point.js'
export type { Warning, WarningKind } from './tape/diagnose.js'
export { evaluate, jvp, derivativeAt, forwardSweep, type EvalResult, type JvpResult, type DerivativeResult } from './forward/index.js'
export { grad, vjp, gradExpr, reverseSweep, type GradResult, type VjpResult } from './reverse/index.js'

// Jacobians, Hessians, higher order
export * from './jacobian/index.js'
export { hvp, hvpExpr, hessian, sparseHessian, derivative, derivativesAt } from './hvp/index.js'
export type { HvpOptions, HvpResult, HessianOptions, HessianResult, SparseHessianResult, HigherDerivativeResult } from './hvp/index.js'

// Tensors: shapes checked when the graph is built, both modes, symbolic gradients
export { tensorOf, scalarTensor, toNested, fromNested, type Tensor } from './ops/tensor/array.js'
export { ShapeError, showShape } from './ops/tensor/shape.js'
export { matmul, transpose, reshape, broadcastTo, reduceSum, reduceMean, reduceMax, logsumexp, softmax, softmaxCrossEntropy, oneHot, take, concat, stack, slice } from './ops/tensor/build.js'
export { isTensorProgram, type TensorPoint, type TensorValue } from './tape/tensor.js'
export { tensorEvaluate, tensorJvp, type TensorEvalResult, type TensorJvpResult } from './forward/tensor.js'
export { tensorGrad, tensorVjp, tensorGradExpr, type TensorGradResult, type TensorVjpResult } from './reverse/tensor.js'
export { tensorJacobian, type TensorJacobianOptions, type TensorJacobianResult } from './jacobian/tensor.js'
export { tensorHvp, tensorHessian, type TensorHvpOptions, type TensorHvpResult, type TensorHessianResult } from './hvp/tensor.js'

// Compile once, evaluate many times
export { compile, type Compiled, type CompileOptions, type CompileStats, type Parametric } from './compile/index.js'
export { compileTensor, type CompiledTensor } from './compile/tensor.js'

// Teaching views: the Wengert list, the sweeps step by step, the graph as DOT, the cost explained
export * from './teach/index.js'

// -------------------------------------------------------------------------------------------------
// Builders: one per primitive of the table (numbers are lifted to constants), then n-ary sums
// -------------------------------------------------------------------------------------------------

/** a + b */
export const add = build.add
/** a − b */
export const sub = build.sub
/** a · b */
export const mul = build.mul
/** a / b */
export const div = build.div
/** −a */
export const neg = build.neg
/** aᵇ (`a^b` in the language). */
export const pow = build.pow
/** √(a² + b²) without overflow or underflow. */
export const hypot = build.hypot
/** a² − b², computed as (a − b)(a + b): accurate where it cancels. */
export const diffsq = build.diffsq
/** eᵃ */
export const exp = build.exp
/** The natural logarithm of a. */
export const log = build.log
/** √a */
export const sqrt = build.sqrt
/** log(1 + a), accurate for small a. */
export const log1p = build.log1p
/** eᵃ − 1, accurate for small a. */
export const expm1 = build.expm1
/** a · log(b), and 0 when a = 0 (so 0 · log 0 = 0). */
export const xlogy = build.xlogy
/** sin a */
export const sin = build.sin
/** cos a */
export const cos = build.cos
/** tan a */
export const tan = build.tan
/** arcsin a */
export const asin = build.asin
/** arccos a */
export const acos = build.acos
/** arctan a */
export const atan = build.atan
/** atan2(y, x): the angle of the point (x, y). */
export const atan2 = build.atan2
/** sinh a */
export const sinh = build.sinh
/** cosh a */
export const cosh = build.cosh
/** tanh a */
export const tanh = build.tanh
/** max(a, 0), with relu′(0) = 0. */
export const relu = build.relu
/** |a|, with abs′(0) = 0. */
export const abs = build.abs
/** −1, 0 or 1 as a is negative, zero or positive (derivative 0). */
export const sign = build.sign
/** Heaviside's step: 1 for a > 0, else 0 (derivative 0). */
export const step = build.step
/** The larger of a and b; a tie splits the adjoint evenly. */
export const max = build.max
/** The smaller of a and b; a tie splits the adjoint evenly. */
export const min = build.min
/** 1 / (1 + e⁻ᵃ) */
export const sigmoid = build.sigmoid
/** log(1 + eᵃ), without overflow. */
export const softplus = build.softplus
/** The value of a, with derivative zero: nothing upstream of it is differentiated. */
export const stopGradient = build.stop_gradient
