/**
 * Second and higher derivatives: Hessian-vector products (forward-over-reverse, the document's
 * H v = ∇ₓ[(∇ₓ f)ᵀ v]), Hessians dense or through a colouring of their sparsity pattern, and
 * derivatives of any order along one variable.
 *
 * @example
 * const f = program([build.mul(build.add(x, y), z)])
 * hvp(f, { x: -2, y: 5, z: -4 }, { x: 1, z: -2 })   // hvp: { x: -2, y: -2, z: 1 }
 * hessian(f, { x: -2, y: 5, z: -4 })                // [[0, 0, 1], [0, 0, 1], [1, 1, 0]]
 * derivativesAt(program([build.sin(x)]), { x: 0 }, 'x', 4).derivative  // sin⁽⁴⁾(0) = 0
 */
export { hvp, hvpExpr, stopGradient, type HvpOptions, type HvpResult } from './hvp.js'
export { hessian, sparseHessian, type HessianOptions, type HessianResult, type SparseHessianResult } from './hessian.js'
export { derivative, derivativesAt, type HigherDerivativeResult } from './higher.js'
export { hessianPattern, opStructure, patternSize, type OpStructure, type SymmetricPattern } from './pattern.js'
export { distance2Colouring, isStructurallyOrthogonal, type Colouring } from './colouring.js'
