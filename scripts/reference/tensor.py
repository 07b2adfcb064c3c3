"""References for the tensor reductions at the edges of the double range (issue 10): log-sum-exp,
softmax and the softmax cross-entropy, and their gradients, in 700-digit arithmetic (inputs reach
1e308, so m + log s needs 308 digits before the point). Prints JSON; test/accuracy/tensor.test.ts
holds its output. A value outside the double range is null (the toolkit must give ±Infinity and
warn).

    python3 scripts/reference/tensor.py > test/reference/tensor.json
"""
import json
import math
from mpmath import mp, mpf, exp, log

mp.dps = 700


def lse(xs):
    m = max(xs)
    return m + log(sum(exp(x - m) for x in xs))


def softmax(xs):
    l = lse(xs)
    return [exp(x - l) for x in xs]


def double(x):
    f = float(x)  # rounded to nearest: beyond the largest double by more than half an ulp is inf
    return None if math.isinf(f) else f


vectors = [[1e308, 1e308, -1e308], [1000, -1000, 0], [1e-20, -1e-20], [-745, -745.5], [-1e308, -1e308],
           [0.1, 0.2, 0.3], [700, 700.5, -3], [1.7976931348623157e308, 1.7976931348623157e308]]
rows = [([[1e308, 1e308]], [0]), ([[1000, -1000, 0]], [1]), ([[0.1, 0.2, 0.3], [3, -2, 1e-3]], [2, 0]),
        ([[710, 709, 0]], [2]), ([[1e308, -1e308, 1e308]], [1])]
out = {'lse': [], 'sce': []}
for xs in vectors:
    X = [mpf(x) for x in xs]
    out['lse'].append({'x': xs, 'value': double(lse(X)), 'softmax': [float(v) for v in softmax(X)]})
for L, y in rows:
    R = [[mpf(v) for v in r] for r in L]
    value = sum(lse(r) - r[k] for r, k in zip(R, y)) / len(R)
    grad = [[float((p - (1 if j == k else 0)) / len(R)) for j, p in enumerate(softmax(r))] for r, k in zip(R, y)]
    out['sce'].append({'L': L, 'y': y, 'value': double(value), 'gradient': grad})
print(json.dumps(out, indent=1))
