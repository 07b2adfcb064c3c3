/**
 * Second and higher derivatives: Hessian-vector products (forward-over-reverse, the document's
 * H v = ∇ₓ[(∇ₓ f)ᵀ v]), Hessians dense or through a colouring of their sparsity pattern, and
 * derivatives of any order along one variable.
 *
 * @example
 * import { parse, program, sin, variable, hvp, hessian, derivativesAt, orThrow } from 'chainrule'
 * const f = orThrow(parse('(x + y)*z'))
 * orThrow(hvp(f, { x: -2, y: 5, z: -4 }, { x: 1, z: -2 })).hvp   // → { x: -2, y: -2, z: 1 }
 * orThrow(hessian(f, { x: -2, y: 5, z: -4 })).hessian           // → [[0, 0, 1], [0, 0, 1], [1, 1, 0]]
 * orThrow(derivativesAt(program([sin(variable('x'))]), { x: 0 }, 'x', 4)).derivative   // → 0   sin⁽⁴⁾(0)
 */
export { hvp, hvpExpr, stopGradient } from './hvp.js';
export { hessian, sparseHessian } from './hessian.js';
export { derivative, derivativesAt } from './higher.js';
export { hessianPattern, opStructure, patternSize } from './pattern.js';
export { distance2Colouring, isStructurallyOrthogonal } from './colouring.js';
