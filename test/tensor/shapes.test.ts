/**
 * Shape errors, one or more per tensor operation of the table and for broadcasting: each is a
 * `ShapeError` naming the operation and every shape it was given, thrown when the graph is built.
 */
import { describe, expect, it } from 'vitest'
import { variable, type Node } from '../../src/expr/node.js'
import { applyOp } from '../../src/ops/build.js'
import * as B from '../../src/ops/tensor/build.js'
import { tensorTags, type TensorTag } from '../../src/ops/tensor/rule.js'
import { ShapeError } from '../../src/ops/tensor/shape.js'
import { tensorApply } from '../../src/ops/tensor/systems.js'

const v = (name: string, ...shape: number[]): Node => variable(name, shape)

/** For each op: calls with shapes that do not fit, and what the message must say. */
const wrong: Readonly<Record<TensorTag, readonly (readonly [() => unknown, string])[]>> = {
  matmul: [
    [() => B.matmul(v('A', 2, 3), v('B', 2, 3)), 'matmul: shapes [2,3] and [2,3] do not fit: inner dimensions 3 and 2 differ'],
    [() => B.matmul(v('A', 2, 3, 4), v('B', 4)), 'matmul: shapes [2,3,4] and [4] are not vectors or matrices'],
    [() => B.matmul(v('a'), v('b')), 'matmul: shapes [] and [] are not vectors or matrices'],
    [() => B.matmul(v('a', 3), v('b', 4)), 'matmul: shapes [3] and [4] do not fit'],
  ],
  transpose: [[() => B.transpose(v('A', 2, 3), [0, 0]), 'transpose: shape [2,3] cannot be permuted by (0,0)']],
  reshape: [[() => B.reshape(v('A', 2, 3), [4, 2]), 'reshape: shape [2,3] cannot be reshaped to [4,2] (6 entries)']],
  broadcast_to: [[() => B.broadcastTo(v('A', 2, 3), [3, 3]), 'broadcast_to: shape [2,3] cannot be broadcast to [3,3]']],
  sum: [[() => B.reduceSum(v('A', 2, 3), 2), 'sum: shape [2,3] has no axis 2 (rank 2)']],
  amax: [[() => B.reduceMax(v('A', 2), -2), 'amax: shape [2] has no axis -2 (rank 1)']],
  logsumexp: [[() => B.logsumexp(v('a'), 0), 'logsumexp: shape [] has no axis 0 (rank 0: a scalar has no axes)']],
  softmax: [[() => B.softmax(v('A', 2, 3), 5), 'softmax: shape [2,3] has no axis 5']],
  softmax_cross_entropy: [
    [() => B.softmaxCrossEntropy(v('L', 4, 3), v('y', 3)), 'softmax_cross_entropy: shapes [4,3] and [3] do not fit: expected logits [N,C] and labels [N]'],
    [() => B.softmaxCrossEntropy(v('L', 4), v('y', 4)), 'softmax_cross_entropy: shapes [4] and [4] do not fit'],
  ],
  one_hot: [[() => B.oneHot(v('y', 3), 0), 'one_hot: shape [3] cannot have 0 classes']],
  take: [[() => B.take(v('A', 2, 3), v('i', 2), 2), 'take: shape [2,3] has no axis 2']],
  scatter_add: [[() => tensorApply('scatter_add', [v('Y', 2, 3), v('i', 3)], [0, 4]), "scatter_add: shapes [2,3] and [3] do not fit: the indices' shape must appear at axis 0"]],
  concat: [
    [() => B.concat([v('A', 2, 3), v('B', 3, 2)], 0), 'concat: shapes [2,3] and [3,2] differ on an axis other than 0'],
    [() => B.concat([v('A', 2, 3), v('B', 3)], 0), 'concat: shapes [2,3] and [3] differ on an axis other than 0'],
  ],
  slice: [[() => B.slice(v('A', 2, 3), 1, 2, 5), 'slice: shape [2,3] has no entries 2..5 along axis 1 (size 3)']],
  pad: [[() => tensorApply('pad', [v('A', 2)], [1, 0, 0]), 'pad: shape [2] has no axis 1']],
}

describe('shape errors name the operation and the shapes', () => {
  it('every tensor operation has cases', () => {
    for (const tag of tensorTags) expect(wrong[tag].length).toBeGreaterThan(0)
  })
  for (const tag of tensorTags) {
    it(tag, () => {
      for (const [call, message] of wrong[tag]) {
        expect(call).toThrow(ShapeError)
        expect(call).toThrow(message)
      }
    })
  }
  it('entrywise operations broadcast, or refuse naming both shapes and the axis', () => {
    expect(() => applyOp('add', v('A', 2, 3), v('b', 2))).toThrow('add: shapes [2,3] and [2] do not broadcast (axis 1: 3 against 2)')
    expect(() => applyOp('atan2', v('A', 4, 1), v('b', 3, 2))).toThrow('atan2: shapes [4,1] and [3,2] do not broadcast (axis 0: 4 against 3)')
    expect(applyOp('mul', v('A', 4, 1), v('b', 3)).shape).toEqual([4, 3])
    expect(applyOp('sin', v('A', 4, 1)).shape).toEqual([4, 1])
  })
  it('stack refuses tensors of different shapes', () => {
    expect(() => B.stack([v('A', 2), v('B', 3)])).toThrow('stack: shapes [2] and [3] differ')
  })
})
