/**
 * One node of a tensor program as a step of a sweep: which rule it follows (a scalar rule mapped
 * entrywise, or a structural entry of the tensor table), its tensor arguments and its integer
 * attributes. The sweeps of both modes call `valueAt`, `jvpAt` and `vjpAt`, and know nothing of
 * particular operations.
 */
import type { Apply, Node, Shape } from '../../expr/node.js'
import { isOpTag, type OpTag } from '../tags.js'
import type { Tensor } from './array.js'
import { elementwiseJvp, elementwiseVjp } from './elementwise.js'
import { dataCount, isTensorTag, type TensorRule, type TensorTag, type TM } from './rule.js'
import { tensors } from './systems.js'
import { tensorTable } from './table.js'

export type Step =
  | { readonly _tag: 'entrywise'; readonly op: OpTag; readonly args: readonly Node[] }
  | {
      readonly _tag: 'structural'
      readonly op: TensorTag
      readonly rule: TensorRule
      readonly args: readonly Node[]
      readonly attrs: readonly number[]
      /** The node's shape, which its rule checked when the node was built. */
      readonly shape: Shape
    }

/** The step of the application `n`. */
export function stepOf(n: Apply): Step {
  if (isTensorTag(n.op)) {
    const rule = tensorTable[n.op]
    const k = dataCount(rule.arity, n.args.length)
    const attrs = n.args.slice(k).map((a) => (a._tag === 'const' ? a.value : NaN))
    return { _tag: 'structural', op: n.op, rule, args: n.args.slice(0, k), attrs, shape: n.shape }
  }
  if (isOpTag(n.op)) return { _tag: 'entrywise', op: n.op, args: n.args }
  throw new RangeError(`unknown operation ${n.op}`)
}

/** Whether argument i of the step carries a derivative (labels and indices do not). */
export const differentiableArg = (s: Step, i: number): boolean => s._tag === 'entrywise' || !(s.rule.constantArgs ?? []).includes(i)

/** The step's value on tensors of numbers. */
export function valueAt(s: Step, args: readonly Tensor[]): Tensor {
  switch (s._tag) {
    case 'entrywise':
      return tensors.apply(s.op, args)
    case 'structural':
      return s.rule.kernel(args, s.attrs, s.shape)
  }
}

/** The step's tangent for the arguments' tangents `dots` (null: zero). */
export function jvpAt<T>(t: TM<T>, s: Step, args: readonly T[], dots: readonly (T | null)[], out: T): T | null {
  const live = dots.map((d, i) => (differentiableArg(s, i) ? d : null))
  switch (s._tag) {
    case 'entrywise':
      return elementwiseJvp(t, s.op, args, live, out)
    case 'structural':
      return live.every((d) => d === null) ? null : s.rule.jvp(t, args, live, out, s.attrs)
  }
}

/** The adjoints of the step's arguments for the adjoint `cot` of its value (only those `wanted`). */
export function vjpAt<T>(t: TM<T>, s: Step, args: readonly T[], cot: T, out: T, wanted: readonly boolean[]): readonly (T | null)[] {
  const live = wanted.map((w, i) => w && differentiableArg(s, i))
  if (!live.some((w) => w)) return live.map(() => null)
  switch (s._tag) {
    case 'entrywise':
      return elementwiseVjp(t, s.op, args, cot, out, live)
    case 'structural':
      return s.rule.vjp(t, args, cot, out, s.attrs, live)
  }
}
