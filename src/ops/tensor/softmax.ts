/**
 * The reductions that are not linear (max, log-sum-exp) and the softmax family: numerically
 * stable kernels (shifted by the maximum), and derivative rules that reuse the value (softmax
 * from its output, log-sum-exp's gradient is the softmax).
 *
 * `softmax_cross_entropy` has a rule of its own, as the document asks (§3.4): its gradient with
 * respect to the logits is (softmax − onehot)/N, which back-propagation through log, exp and a
 * sum would compute at greater cost and with cancellation.
 */
import * as K from './array.js'
import { reductionShape } from './linear.js'
import type { TensorRule, TM } from './rule.js'
import { ShapeError, normalAxis } from './shape.js'

/** 1 where `a` equals its maximum over `axes` (`out`, broadcast back), else 0. */
const argmaxMask = <T>(t: TM<T>, a: T, out: T, axes: readonly number[]): T =>
  t.sub(t.c(1), t.step(t.sub(t.expand(out, t.shapeOf(a), axes), a)))

export const amax: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: reductionShape('amax'),
  kernel: ([a], axes) => K.maxAxes(a!, axes),
  // Ties split the adjoint evenly, as the scalar max does.
  jvp: (t, [a], [d], out, axes) => {
    if (d === null || d === undefined) return null
    const mask = argmaxMask(t, a!, out, axes)
    return t.div(t.sum(t.mul(mask, d), axes), t.sum(mask, axes))
  },
  vjp: (t, [a], cot, out, axes) => {
    const mask = argmaxMask(t, a!, out, axes)
    return [t.mul(mask, t.expand(t.div(cot, t.sum(mask, axes)), t.shapeOf(a!), axes))]
  },
  kink: {
    // Groups whose maximum is attained more than once.
    count: (t, [a], out, axes) => {
      const ties = t.sum(argmaxMask(t, a!, out, axes), axes).data
      let n = 0
      for (let k = 0; k < ties.length; k++) if ((ties[k] as number) > 1) n++
      return n
    },
    convention: 'amax is not differentiable where the maximum is attained more than once; the toolkit splits the derivative evenly among the tied entries',
  },
}

/**
 * The softmax over `axes` (the gradient of log-sum-exp): exp(a − m)/Σ exp(a − m) with m the
 * maximum held constant (stop_gradient: the ratio does not depend on it). Not exp(a − out): where
 * |m| is huge, out = m + log s rounds log s away, and that would give every maximal entry weight 1.
 */
function weights<T>(t: TM<T>, a: T, axes: readonly number[]): T {
  const shape = t.shapeOf(a)
  const e = t.exp(t.sub(a, t.expand(t.stop_gradient(t.amax(a, axes)), shape, axes)))
  return t.div(e, t.expand(t.sum(e, axes), shape, axes))
}

export const logsumexp: TensorRule = {
  arity: { data: 1, attrs: 'rest' },
  shape: reductionShape('logsumexp'),
  kernel: ([a], axes) => K.logSumExp(a!, axes),
  jvp: (t, [a], [d], _out, axes) => (d === null || d === undefined ? null : t.sum(t.mul(weights(t, a!, axes), d), axes)),
  vjp: (t, [a], cot, _out, axes) => [t.mul(weights(t, a!, axes), t.expand(cot, t.shapeOf(a!), axes))],
}

export const softmax: TensorRule = {
  arity: { data: 1, attrs: 1 },
  shape: ([a], [axis]) => (normalAxis('softmax', a!, axis!), a!),
  kernel: ([a], [axis]) => K.softmax(a!, axis!),
  // s ⊙ (ẋ − Σ s ẋ) along the axis; the vjp is the same map (it is symmetric).
  jvp: (t, [a], [d], s, [axis]) => (d === null || d === undefined ? null : t.mul(s, t.sub(d, t.expand(t.sum(t.mul(s, d), [axis!]), t.shapeOf(a!), [axis!])))),
  vjp: (t, [a], cot, s, [axis]) => [t.mul(s, t.sub(cot, t.expand(t.sum(t.mul(s, cot), [axis!]), t.shapeOf(a!), [axis!])))],
}

/**
 * (softmax(L) − onehot(y)) / N: the gradient of the mean cross-entropy with respect to the logits.
 * The label's entry, p_y − 1, cancels where p_y is near 1 (logits [30, 0, 0], label 0: three digits
 * kept): there it is −Σ_{j≠y} p_j instead, which has no cancellation; where p_y ≤ ½, p_y − 1 itself
 * (the sum of n − 1 rounded weights would be worse: 10 ulps at 175 classes).
 */
function logitGradient<T>(t: TM<T>, logits: T, labels: T): T {
  const shape = t.shapeOf(logits)
  const [rows, classes] = shape as [number, number]
  const p = t.softmax(logits, 1)
  const hot = t.oneHot(labels, classes)
  const others = t.mul(p, t.sub(t.c(1), hot))
  const py = t.sum(t.mul(p, hot), [1])
  const near1 = t.step(t.sub(py, t.c(0.5)))
  const label = t.add(t.mul(near1, t.neg(t.sum(others, [1]))), t.mul(t.sub(t.c(1), near1), t.sub(py, t.c(1))))
  return t.div(t.add(others, t.mul(hot, t.expand(label, shape, [1]))), t.c(rows))
}

export const softmaxCrossEntropy: TensorRule = {
  arity: { data: 2 },
  constantArgs: [1],
  shape: (shapes) => {
    const [l, y] = shapes as [readonly number[], readonly number[]]
    if (l.length !== 2 || y.length !== 1 || y[0] !== l[0]) {
      throw new ShapeError('softmax_cross_entropy', shapes, 'do not fit: expected logits [N,C] and labels [N]')
    }
    return []
  },
  kernel: ([l, y]) => K.softmaxCrossEntropy(l!, y!),
  jvp: (t, [l, y], [d]) => (d === null || d === undefined ? null : t.sum(t.mul(logitGradient(t, l!, y!), d), [0, 1])),
  vjp: (t, [l, y], cot) => [t.mul(logitGradient(t, l!, y!), cot), null],
}

export const oneHot: TensorRule = {
  arity: { data: 1, attrs: 1 },
  constantArgs: [0],
  shape: ([y], [classes]) => {
    if (!Number.isInteger(classes) || classes! < 1) throw new ShapeError('one_hot', [y!], `cannot have ${classes} classes`)
    return [...y!, classes!]
  },
  kernel: ([y], [classes]) => K.oneHot(y!, classes!),
  jvp: () => null,
  vjp: () => [null],
}
