/**
 * Random tensor programs for the table-driven tests: one case per structural operation of the
 * tensor table and per entrywise (scalar) operation, each a generator of shapes, the program on
 * variables of those shapes, and points inside the operation's domain.
 */
import fc from 'fast-check'
import { variable, type Node } from '../../src/expr/node.js'
import { applyOp } from '../../src/ops/build.js'
import { table } from '../../src/ops/table.js'
import { opTags, type OpTag } from '../../src/ops/tags.js'
import type { Tensor } from '../../src/ops/tensor/array.js'
import * as B from '../../src/ops/tensor/build.js'
import { tensorTags, type TensorTag } from '../../src/ops/tensor/rule.js'
import { sizeOf } from '../../src/ops/tensor/shape.js'
import { tensorApply } from '../../src/ops/tensor/systems.js'

export type Shape = readonly number[]

/** One variable of a case: its shape, the interval its entries are drawn from, and whether it is data (labels, indices). */
export interface Input {
  readonly name: string
  readonly shape: Shape
  readonly lo: number
  readonly hi: number
  /** Integer entries in [lo, hi) held fixed (not differentiated). */
  readonly integer?: true
}

export interface Case {
  readonly inputs: readonly Input[]
  readonly build: (vars: readonly Node[]) => Node
}

const dim = fc.integer({ min: 1, max: 3 })
const shapeOfRank = (lo: number, hi: number): fc.Arbitrary<number[]> => fc.integer({ min: lo, max: hi }).chain((r) => fc.array(dim, { minLength: r, maxLength: r }))

/** A shape that broadcasts against `s`: a suffix of it, some axes turned into 1. */
const broadcastPartner = (s: Shape): fc.Arbitrary<number[]> =>
  fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })).map(([drop, ones]) => s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)))

const x = (shape: Shape, lo = -2, hi = 2): Input => ({ name: 'X', shape, lo, hi })
const y = (shape: Shape, lo = -2, hi = 2): Input => ({ name: 'Y', shape, lo, hi })

const someAxes = (s: Shape): fc.Arbitrary<number[]> => fc.subarray(s.map((_, i) => i))

/** A case per structural tensor operation. */
export const structuralCases: Readonly<Record<TensorTag, fc.Arbitrary<Case>>> = {
  matmul: fc.tuple(dim, dim, dim, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.boolean()).map(([m, k, n, kind, ta, tb]) => {
    const a = kind & 1 ? [m, k] : [k]
    const b = kind & 2 ? [k, n] : [k]
    // The flags transpose matrices: build the operands transposed so that op(A)·op(B) fits.
    const sa = a.length === 2 && ta ? [k, m] : a
    const sb = b.length === 2 && tb ? [n, k] : b
    return { inputs: [x(sa), y(sb)], build: ([A, B_]) => tensorApply('matmul', [A!, B_!], [ta ? 1 : 0, tb ? 1 : 0]) }
  }),
  transpose: shapeOfRank(0, 3).chain((s) => fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }).map((perm) => ({ inputs: [x(s)], build: ([X]) => B.transpose(X!, perm) }))),
  reshape: shapeOfRank(1, 3).map((s) => ({ inputs: [x(s)], build: ([X]) => B.reshape(X!, [sizeOf(s)]) })),
  broadcast_to: shapeOfRank(0, 3).chain((s) => broadcastPartner(s).map((p) => ({ inputs: [x(p)], build: ([X]) => B.broadcastTo(X!, [2, ...s]) }))),
  sum: shapeOfRank(1, 3).chain((s) => someAxes(s).map((axes) => ({ inputs: [x(s)], build: ([X]) => B.reduceSum(X!, axes) }))),
  amax: shapeOfRank(1, 3).chain((s) => someAxes(s).map((axes) => ({ inputs: [x(s)], build: ([X]) => B.reduceMax(X!, axes) }))),
  logsumexp: shapeOfRank(1, 3).chain((s) => someAxes(s).map((axes) => ({ inputs: [x(s)], build: ([X]) => B.logsumexp(X!, axes) }))),
  softmax: shapeOfRank(1, 3).chain((s) => fc.integer({ min: 0, max: s.length - 1 }).map((axis) => ({ inputs: [x(s)], build: ([X]) => B.softmax(X!, axis) }))),
  softmax_cross_entropy: fc.tuple(dim, fc.integer({ min: 2, max: 4 })).map(([n, c]) => ({
    inputs: [x([n, c]), { name: 'labels', shape: [n], lo: 0, hi: c, integer: true }],
    build: ([L, y_]) => B.softmaxCrossEntropy(L!, y_!),
  })),
  one_hot: fc.tuple(dim, fc.integer({ min: 2, max: 4 })).map(([n, c]) => ({
    inputs: [x([n, c]), { name: 'labels', shape: [n], lo: 0, hi: c, integer: true }],
    build: ([L, y_]) => applyOp('mul', L!, B.oneHot(y_!, c)),
  })),
  take: shapeOfRank(1, 3).chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).map((axis) => ({
      inputs: [x(s), { name: 'idx', shape: [3], lo: 0, hi: s[axis]!, integer: true }],
      build: ([X, i]) => B.take(X!, i!, axis),
    })),
  ),
  scatter_add: fc.tuple(dim, dim).map(([n, m]) => ({
    inputs: [x([3, m]), { name: 'idx', shape: [3], lo: 0, hi: n, integer: true }],
    build: ([X, i]) => tensorApply('scatter_add', [X!, i!], [0, n]),
  })),
  concat: shapeOfRank(1, 3).chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).map((axis) => ({ inputs: [x(s), y(s.map((d, i) => (i === axis ? d + 1 : d)))], build: ([X, Y]) => B.concat([X!, Y!], axis) })),
  ),
  slice: shapeOfRank(1, 3).chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
      fc.integer({ min: 0, max: s[axis]! - 1 }).chain((start) => fc.integer({ min: start + 1, max: s[axis]! }).map((end) => ({ inputs: [x(s)], build: ([X]) => B.slice(X!, axis, start, end) }))),
    ),
  ),
  pad: shapeOfRank(1, 3).chain((s) =>
    fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })).map(([axis, b, a]) => ({
      inputs: [x(s)],
      build: ([X]) => tensorApply('pad', [X!], [axis, b, a]),
    })),
  ),
}

// Every structural op has a case (a new entry of the table without one fails to compile here).
export const allStructural: readonly TensorTag[] = tensorTags

/** A case per entrywise op: its arguments' shapes broadcast against each other, entries inside its domain. */
export const entrywiseCase = (op: OpTag): fc.Arbitrary<Case> => {
  const rule = table[op]
  const [d0, d1] = rule.domain
  return shapeOfRank(0, 3).chain((s) =>
    broadcastPartner(s).map((p) =>
      rule.arity === 1
        ? { inputs: [x(s, d0![0], d0![1])], build: ([X]: readonly Node[]) => applyOp(op, X!) }
        : { inputs: [x(s, d0![0], d0![1]), y(p, (d1 ?? d0)![0], (d1 ?? d0)![1])], build: ([X, Y]: readonly Node[]) => applyOp(op, X!, Y!) },
    ),
  )
}

export const entrywiseOps: readonly OpTag[] = opTags

/** The variables of a case, as nodes. */
export const variablesOf = (c: Case): Node[] => c.inputs.map((i) => variable(i.name, i.shape))

/**
 * Random entries for each input of a case (integers for data inputs). The continuous entries of
 * all inputs are distinct points of a jittered grid over each input's interval, so that no two
 * entries tie (max, amax) and differences stay meaningful.
 */
export const pointFor = (c: Case): fc.Arbitrary<Record<string, Tensor>> => {
  const continuous = c.inputs.filter((i) => !i.integer)
  const total = continuous.reduce((n, i) => n + sizeOf(i.shape), 0)
  const ranks = Array.from({ length: total }, (_, k) => k)
  return fc
    .tuple(
      fc.shuffledSubarray(ranks, { minLength: total, maxLength: total }),
      fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: total, maxLength: total }),
      fc.tuple(...c.inputs.map((i) => (i.integer ? fc.array(fc.integer({ min: i.lo, max: Math.max(i.lo, i.hi - 1) }), { minLength: sizeOf(i.shape), maxLength: sizeOf(i.shape) }) : fc.constant([])))),
    )
    .map(([perm, jitter, ints]) => {
      let k = 0
      return Object.fromEntries(
        c.inputs.map((i, j) => {
          const data = i.integer
            ? Float64Array.from(ints[j]!)
            : Float64Array.from({ length: sizeOf(i.shape) }, () => {
                const r = perm[k]!
                const e = jitter[k++]!
                return i.lo + ((i.hi - i.lo) * (r + 0.5 + e)) / total
              })
          return [i.name, { shape: i.shape, data } satisfies Tensor]
        }),
      )
    })
}
