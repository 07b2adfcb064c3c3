/**
 * The tensor entries of the derivative table, one record per structural operation (the scalar
 * table in `../table.ts` stays the only source for elementwise operations).
 */
import { broadcastTo, concat, matmul, pad, reshape, scatterAdd, slice, sum, take, transpose } from './linear.js';
import { amax, logsumexp, oneHot, softmax, softmaxCrossEntropy } from './softmax.js';
export const tensorTable = {
    matmul,
    transpose,
    reshape,
    broadcast_to: broadcastTo,
    sum,
    amax,
    logsumexp,
    softmax,
    softmax_cross_entropy: softmaxCrossEntropy,
    one_hot: oneHot,
    take,
    scatter_add: scatterAdd,
    concat,
    slice,
    pad,
};
