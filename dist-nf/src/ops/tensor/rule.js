/** The structural tensor operations, as nodes and the language name them. */
export const tensorTags = [
    'matmul',
    'transpose',
    'reshape',
    'broadcast_to',
    'sum',
    'amax',
    'logsumexp',
    'softmax',
    'softmax_cross_entropy',
    'one_hot',
    'take',
    'scatter_add',
    'concat',
    'slice',
    'pad',
];
const tagSet = new Set(tensorTags);
export const isTensorTag = (s) => tagSet.has(s);
/** How many of `n` arguments of an op with `arity` are tensor arguments (the rest are attributes). */
export const dataCount = (arity, n) => (arity.data === 'rest' ? n - arity.attrs : arity.data);
