#!/usr/bin/env python3
"""
The high-precision reference for every rule of the derivative table: value, first partials and
second partials of each primitive at points spread over the whole double range, written to
test/reference/rules.json for test/accuracy/rules.test.ts and scripts/reference/accuracy.ts.

    python3 scripts/reference/make.py            # writes test/reference/rules.json
    python3 scripts/reference/make.py --check    # also re-derives every partial with sympy

How a true value is computed:
- each primitive is written in mpmath with closed forms of its partials, chosen to have no
  cancellation (tanh' = sech² rather than 1 − tanh², σ' = sech²(x/2)/4);
- the arguments are exact doubles (mpf(float) is exact), so the reference is the function at
  exactly the point the toolkit sees;
- everything is computed at 60 digits and again at 90: the two must agree to 45 digits, which
  catches a formula that cancels at some point (the result would change with the precision);
- `--check` differentiates the plain formula of each primitive with sympy (`sympy.diff`) and
  evaluates the result with sympy's guaranteed-precision `evalf(strict=True)` at every point where
  that succeeds (it gives up where a plain formula cancels beyond 2000 digits, e.g. 1 − tanh²(1e300));
  every closed form must agree with it to 30 digits;
- each true value is rounded to the nearest double (ties to even, subnormals included; mpmath's
  own float() rounds towards zero), and classified: exactly zero, subnormal (0 < |t| < 2^-1022),
  underflow (rounds to 0 but is not 0), overflow (|t| rounds beyond the largest double), else
  normal. Numbers are written with Python's repr, which JavaScript reads back to the same double;
  overflows are written "Infinity" / "-Infinity".

The list of primitives is read from src/ops/tags.ts: a tag without a definition here is an error.
Definitions of primitives the table does not have yet (hypot, diffsq) are written too, so the
reference is ready when they arrive.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import mpmath
from mpmath import mp, mpf

ROOT = Path(__file__).resolve().parents[2]
TAGS_TS = ROOT / "src" / "ops" / "tags.ts"
OUT = ROOT / "test" / "reference" / "rules.json"

DPS = 60
DPS_CHECK = 90
MIN_NORMAL = 2.0 ** -1022
MAX_DOUBLE = sys.float_info.max

# ------------------------------------------------------------------------------------------------
# Rounding to doubles
# ------------------------------------------------------------------------------------------------


def to_double(x: mpf) -> float:
    """The double nearest to x (ties to even), inf beyond the largest double, subnormals exact."""
    if x == 0:
        return 0.0
    if abs(x) < mpf(MIN_NORMAL):
        n = int(mpmath.nint(mpmath.ldexp(x, 1074)))  # ldexp is exact; nint ties to even
        return math.ldexp(float(n), -1074)
    with mp.workprec(53):
        r = +x  # round to 53 bits, to nearest (the context's rounding)
    if abs(r) > mpf(MAX_DOUBLE):
        return math.copysign(math.inf, float(r))
    return float(r)  # exact: r has 53 bits and is in range


def classify(d: float, exact_zero: bool) -> str:
    """How the double d nearest to a true value sits among the doubles."""
    if exact_zero:
        return "zero"
    if math.isinf(d):
        return "overflow"
    if d == 0:
        return "underflow"
    if abs(d) < MIN_NORMAL:
        return "subnormal"
    return "normal"


# ------------------------------------------------------------------------------------------------
# The primitives in mpmath, with their partials
# ------------------------------------------------------------------------------------------------

Z = lambda: mpf(0)  # noqa: E731  an exact zero


@dataclass
class Op:
    arity: int
    # value, first partials, second partials (unary: [f''], binary: [aa, ab, bb]) at mpf args
    f: Callable[..., mpf]
    d1: Callable[..., Sequence[mpf]]
    d2: Callable[..., Sequence[mpf]]
    points: Sequence[tuple[float, ...]]
    # The same function as a plain sympy formula, for --check (None: piecewise, checked by hand).
    sym: Callable | None = None


def sech2(x):
    return mp.sech(x) ** 2


def sigmoid(x):
    # 1/(1 + e^-x), written with no cancellation on either side
    return mp.exp(x) / (1 + mp.exp(x)) if x < 0 else 1 / (1 + mp.exp(-x))


def step(x):
    return mpf(1) if x > 0 else mpf(0)


def sgn(x):
    return mpf(mp.sign(x))


# ---- point sets ----------------------------------------------------------------------------------

TINY = [5e-324, 1e-310, 1e-300, 1e-200, 1e-100, 1e-20, 1e-10, 1e-5]
ORDINARY = [0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 7.25]
LARGE = [20.0, 40.0, 50.0, 100.0, 300.0, 355.0, 372.0, 400.0, 700.0, 709.0, 710.0,
         1e10, 1e100, 1e154, 1e160, 1e200, 1e300, 1.7e308]
POSITIVE = TINY + ORDINARY + LARGE
WIDE = [0.0] + POSITIVE + [-x for x in POSITIVE]
ONE_MINUS = [1 - 2.0 ** -53, 1 - 1e-10, 0.9, 0.99]  # below 1
ONE_PLUS = [1 + 2.0 ** -52, 1 + 1e-10, 1.1]
HALF_PI = math.pi / 2  # the double just below π/2


def unary(xs):
    return sorted({(float(x),) for x in xs})


def pairs(xs, ys, keep=lambda a, b: True):
    return [(float(a), float(b)) for a in xs for b in ys if keep(a, b)]


def signed(xs):
    return [x for m in xs for x in ((m,) if m == 0 else (m, -m))]


SMALL_SET = [0.0, 5e-324, -1e-300, 0.5, -3.0, 1e100, 1.7e308, -1.7e308]
# Products and quotients: left and right operands over the whole range, with mixed signs.
MUL_LEFT = [0.0, 5e-324, -1e-300, 1e-160, -1e-100, 0.5, -3.0, 1e100, 1e160, -1e300, 1.7e308]
MUL_RIGHT = [5e-324, -1e-300, 1e-160, 1e-100, -0.5, 3.0, -1e100, 1e160, 1e300, -1.7e308]
ATAN2_MAGS = [5e-324, 1e-300, 1e-200, 1e-100, 1e-10, 1.0, 3.0, 1e10, 1e100, 1e200, 1e300, 1.7e308]
ATAN2_UNEQUAL = [5e-324, 1e-300, 1e-100, 1.0, 1e100, 1e300, 1.7e308]


def atan2_points():
    pts = []
    for m in ATAN2_MAGS:  # equal magnitudes, all four quadrants
        pts += [(m, m), (m, -m), (-m, m), (-m, -m)]
    for y in ATAN2_UNEQUAL:  # unequal magnitudes, first quadrant
        for x in ATAN2_UNEQUAL:
            if x != y:
                pts.append((y, x))
    for y, x in [(1e-300, 1.0), (1.0, 1e-300), (1e200, 1e-200), (1e-200, 1e200), (3.0, 1e300)]:
        pts += [(-y, x), (y, -x), (-y, -x)]
    for t in [5e-324, 1e-300, 1e-100, 1e-10]:  # next to the branch cut x < 0, y = ±0, not on it
        for x in [-1.0, -1e300, -1e-300]:
            pts += [(t, x), (-t, x)]
    for m in [1e-300, 1.0, 1e300]:  # on the axes away from the cut
        pts += [(0.0, m), (m, 0.0), (-m, 0.0)]
    return sorted(set(pts))


def pow_points():
    a_set = [5e-324, 1e-300, 1e-100, 0.1, 0.5, 1 - 2.0 ** -53, 1.0, 1 + 2.0 ** -52, 2.0, 10.0,
             1e100, 1.7e308]
    b_set = [-300.0, -2.5, -1.0, -0.5, 0.0, 1e-300, 1e-10, 0.5, 1.0, 1.5, 3.0, 300.0]
    pts = pairs(a_set, b_set)
    pts += [
        (1 + 2.0 ** -52, 1e15), (1 - 2.0 ** -53, 1e16), (1 + 2.0 ** -52, 1e17),
        (0.5, 1074.0), (0.5, 1075.0), (2.0, 1023.5), (2.0, 1024.0), (2.0, -1074.0),
        (2.0, -1075.0), (10.0, 308.0), (10.0, 309.0), (10.0, -323.0), (10.0, -324.0),
        (10.0, 300.1), (1.5, 1e10), (1.5, -1e10), (0.5, 1e10),
        # a^b overflows but ∂a = b·a^(b−1) is finite
        (1e300, 1.03), (1.7e308, 1.01),
        # a^b overflows but ∂b = a^b·log a is finite (log a ≈ 2.2e-16)
        (1 + 2.0 ** -52, 3.3e18),
    ]

    # ∂²/∂a∂b = a^(b−1)(1 + b·log a) crosses zero at b·log a = −1 (not a double): keep away from it
    def conditioned(a, b):
        return a == 1.0 or abs(1 + b * math.log(a)) > 1e-3

    return [p for p in pts if conditioned(*p)]


def atan2_d2(y, x):
    r4 = (x * x + y * y) ** 2
    return [-2 * x * y / r4, (y * y - x * x) / r4, 2 * x * y / r4]


HYPOT_MAGS = [5e-324, 1e-300, 1e-160, 1.0, 3.0, 1e160, 1e300, 1.7e308]


def hypot_points():
    pts = pairs(HYPOT_MAGS, HYPOT_MAGS)
    pts += [(-a, b) for a, b in [(3.0, 4.0), (1e300, 1e300), (1e-300, 1e-300), (1e-200, 1e200)]]
    pts += [(a, -b) for a, b in [(3.0, 4.0), (1e-300, 1.0), (5e-324, 5e-324)]]
    pts += [(0.0, 3.0), (3.0, 0.0), (0.0, -1e300), (-1e-300, 0.0)]
    return pts


def sym(name):
    import sympy as sp
    return getattr(sp, name)


OPS: dict[str, Op] = {
    # ---- arith ----
    "add": Op(2, lambda a, b: a + b, lambda a, b: [mpf(1), mpf(1)], lambda a, b: [Z(), Z(), Z()],
              pairs(SMALL_SET, SMALL_SET), lambda a, b: a + b),
    "sub": Op(2, lambda a, b: a - b, lambda a, b: [mpf(1), mpf(-1)], lambda a, b: [Z(), Z(), Z()],
              pairs(SMALL_SET, SMALL_SET), lambda a, b: a - b),
    "mul": Op(2, lambda a, b: a * b, lambda a, b: [b, a], lambda a, b: [Z(), mpf(1), Z()],
              pairs(MUL_LEFT + [0.0], MUL_RIGHT + [0.0]), lambda a, b: a * b),
    "div": Op(2, lambda a, b: a / b, lambda a, b: [1 / b, -a / b ** 2],
              lambda a, b: [Z(), -1 / b ** 2, 2 * a / b ** 3],
              pairs(MUL_LEFT, MUL_RIGHT), lambda a, b: a / b),
    "neg": Op(1, lambda x: -x, lambda x: [mpf(-1)], lambda x: [Z()], unary(WIDE), lambda x: -x),
    "pow": Op(2, lambda a, b: mp.power(a, b),
              lambda a, b: [b * mp.power(a, b - 1), mp.power(a, b) * mp.log(a)],
              lambda a, b: [b * (b - 1) * mp.power(a, b - 2), mp.power(a, b - 1) * (1 + b * mp.log(a)),
                            mp.power(a, b) * mp.log(a) ** 2],
              pow_points(), lambda a, b: a ** b),
    # ---- explog ----
    "exp": Op(1, mp.exp, lambda x: [mp.exp(x)], lambda x: [mp.exp(x)],
              unary(WIDE + [-708.0, -740.0, -745.0, -746.0, -750.0, 709.78]), lambda x: sym("exp")(x)),
    "log": Op(1, mp.log, lambda x: [1 / x], lambda x: [-1 / x ** 2],
              unary(POSITIVE + ONE_MINUS + ONE_PLUS), lambda x: sym("log")(x)),
    "sqrt": Op(1, mp.sqrt, lambda x: [1 / (2 * mp.sqrt(x))], lambda x: [-1 / (4 * x * mp.sqrt(x))],
               unary(POSITIVE + ONE_MINUS + ONE_PLUS), lambda x: sym("sqrt")(x)),
    "log1p": Op(1, mp.log1p, lambda x: [1 / (1 + x)], lambda x: [-1 / (1 + x) ** 2],
                unary([x for x in WIDE if x > -1] + [-1 + 2.0 ** -53, -1 + 1e-10, -0.999, -0.9, -0.5]),
                lambda x: sym("log")(1 + x)),
    "expm1": Op(1, mp.expm1, lambda x: [mp.exp(x)], lambda x: [mp.exp(x)],
                unary(WIDE + [-745.0, -750.0]), lambda x: sym("exp")(x) - 1),
    "xlogy": Op(2, lambda x, y: x * mp.log(y), lambda x, y: [mp.log(y), x / y],
                lambda x, y: [Z(), 1 / y, -x / y ** 2],
                pairs([0.0, 5e-324, -1e-300, 1e-10, -0.5, 3.0, -1e100, 1e300, -1.7e308],
                      [5e-324, 1e-300, 1e-100, 1e-10, 0.5, 1 - 2.0 ** -53, 1.0, 1 + 2.0 ** -52, 2.0,
                       1e10, 1e100, 1e300, 1.7e308]),
                lambda x, y: x * sym("log")(y)),
    # ---- trig ----
    "sin": Op(1, mp.sin, lambda x: [mp.cos(x)], lambda x: [-mp.sin(x)],
              unary(WIDE + [math.pi, HALF_PI, 2 * math.pi, -math.pi]), lambda x: sym("sin")(x)),
    "cos": Op(1, mp.cos, lambda x: [-mp.sin(x)], lambda x: [-mp.cos(x)],
              unary(WIDE + [math.pi, HALF_PI, 2 * math.pi, -HALF_PI]), lambda x: sym("cos")(x)),
    "tan": Op(1, mp.tan, lambda x: [mp.sec(x) ** 2], lambda x: [2 * mp.tan(x) * mp.sec(x) ** 2],
              unary(WIDE + [HALF_PI, -HALF_PI, math.nextafter(HALF_PI, 4), 1.57, -1.57, math.pi / 4, math.pi]),
              lambda x: sym("tan")(x)),
    "asin": Op(1, mp.asin, lambda x: [1 / mp.sqrt(1 - x * x)], lambda x: [x / (1 - x * x) ** mpf(1.5)],
               unary(signed([0.0] + TINY + [0.1, 0.5, 0.9, 0.99] + ONE_MINUS) + [-1 + 1e-16]),
               lambda x: sym("asin")(x)),
    "acos": Op(1, mp.acos, lambda x: [-1 / mp.sqrt(1 - x * x)], lambda x: [-x / (1 - x * x) ** mpf(1.5)],
               unary(signed([0.0] + TINY + [0.1, 0.5, 0.9, 0.99] + ONE_MINUS) + [-1 + 1e-16]),
               lambda x: sym("acos")(x)),
    "atan": Op(1, mp.atan, lambda x: [1 / (1 + x * x)], lambda x: [-2 * x / (1 + x * x) ** 2],
               unary(WIDE), lambda x: sym("atan")(x)),
    "atan2": Op(2, lambda y, x: mp.atan2(y, x), lambda y, x: [x / (x * x + y * y), -y / (x * x + y * y)],
                atan2_d2, atan2_points(), lambda y, x: sym("atan2")(y, x)),
    # ---- hyperbolic ----
    "sinh": Op(1, mp.sinh, lambda x: [mp.cosh(x)], lambda x: [mp.sinh(x)],
               unary(WIDE + [710.47, 710.48, -710.48, 711.0]), lambda x: sym("sinh")(x)),
    "cosh": Op(1, mp.cosh, lambda x: [mp.sinh(x)], lambda x: [mp.cosh(x)],
               unary(WIDE + [710.47, 710.48, -710.48, 711.0]), lambda x: sym("cosh")(x)),
    "tanh": Op(1, mp.tanh, lambda x: [sech2(x)], lambda x: [-2 * mp.tanh(x) * sech2(x)],
               unary(WIDE + [10.0, -10.0, 19.0, 30.0, 372.5]), lambda x: sym("tanh")(x)),
    # ---- piecewise (exact derivatives; never sampled at their kinks) ----
    "relu": Op(1, lambda x: x if x > 0 else mpf(0), lambda x: [step(x)], lambda x: [Z()],
               unary(signed([5e-324, 1e-300, 0.5, 3.0, 1e300]))),
    "abs": Op(1, abs, lambda x: [sgn(x)], lambda x: [Z()], unary(signed([5e-324, 1e-300, 0.5, 3.0, 1e300]))),
    "sign": Op(1, sgn, lambda x: [Z()], lambda x: [Z()], unary(signed([5e-324, 1e-300, 0.5, 3.0, 1e300]))),
    "step": Op(1, step, lambda x: [Z()], lambda x: [Z()], unary(signed([5e-324, 1e-300, 0.5, 3.0, 1e300]))),
    "max": Op(2, max, lambda a, b: [step(a - b), step(b - a)], lambda a, b: [Z(), Z(), Z()],
              [(1.0, 2.0), (2.0, 1.0), (-1e300, 1e300), (1e300, -1e300), (5e-324, 0.0), (0.0, 5e-324),
               (-3.0, -1e-300), (1.7e308, -1.7e308), (1e-300, 2e-300), (-0.5, -0.25)]),
    "min": Op(2, min, lambda a, b: [step(b - a), step(a - b)], lambda a, b: [Z(), Z(), Z()],
              [(1.0, 2.0), (2.0, 1.0), (-1e300, 1e300), (1e300, -1e300), (5e-324, 0.0), (0.0, 5e-324),
               (-3.0, -1e-300), (1.7e308, -1.7e308), (1e-300, 2e-300), (-0.5, -0.25)]),
    "sigmoid": Op(1, sigmoid, lambda x: [sech2(x / 2) / 4], lambda x: [-sech2(x / 2) * mp.tanh(x / 2) / 4],
                  unary(WIDE + [-745.0, -746.0, -750.0, 36.0, 37.0, -710.0, 10.0, -10.0]),
                  lambda x: 1 / (1 + sym("exp")(-x))),
    "softplus": Op(1, lambda x: mp.log1p(mp.exp(x)), lambda x: [sigmoid(x)], lambda x: [sech2(x / 2) / 4],
                   unary(WIDE + [-745.0, -746.0, -750.0, 36.0, 37.0, -710.0, 10.0, -10.0]),
                   lambda x: sym("log")(1 + sym("exp")(x))),
    # ---- special ----
    # stop_gradient's derivative is zero by definition (the value passes through).
    "stop_gradient": Op(1, lambda x: x, lambda x: [Z()], lambda x: [Z()], unary([0.0, 5e-324, -1.0, 1e300, -1.7e308])),
    # ---- primitives on their way into the table ----
    "hypot": Op(2, mp.hypot, lambda a, b: [a / mp.hypot(a, b), b / mp.hypot(a, b)],
                lambda a, b: [b * b / mp.hypot(a, b) ** 3, -a * b / mp.hypot(a, b) ** 3, a * a / mp.hypot(a, b) ** 3],
                hypot_points(), lambda a, b: sym("sqrt")(a * a + b * b)),
    "diffsq": Op(2, lambda a, b: (a - b) * (a + b), lambda a, b: [2 * a, -2 * b], lambda a, b: [mpf(2), Z(), mpf(-2)],
                 pairs([0.0, 5e-324, -1e-300, 1e-160, -1.0, 3.0, 1e154, -1e160, 1e300, 1.7e308],
                       [0.0, 5e-324, 1e-160, 1.0, -3.0, 1e160, 1.7e308]),
                 lambda a, b: a * a - b * b),
}


def lse_p(a, b):
    """The softmax weights of log(e^a + e^b), with no overflow."""
    return 1 / (1 + mp.exp(b - a)), 1 / (1 + mp.exp(a - b))


def lse_h(a, b):
    pa, pb = lse_p(a, b)
    return [pa * pb, -pa * pb, pa * pb]


# A few whole programs (variables a and b) whose derivatives need more than each rule alone: the
# second derivatives of log(s) go through 1/s, which underflows or overflows although the Hessian
# of log(e^a + e^b) is modest everywhere. Only points where the program as written can be accurate:
# e^a, e^b and their sum finite normal doubles, no log(1 + tiny) (at a = −700, b = 0 the value
# log(1 + e^−700) rounds to 0), and weights p = e^a/s, e^b/s away from 1: the chain rule computes
# ∂aa = p − p², which loses a factor 1/(1 − p) (all of it at a = 300, b = −300; 2e4 at a difference
# of 10, too much for 1e-13; 8 at the difference of 2 used here).
PROGRAMS: dict[str, Op] = {
    "log(exp(a) + exp(b))": Op(2, lambda a, b: max(a, b) + mp.log1p(mp.exp(-abs(a - b))),
                               lambda a, b: list(lse_p(a, b)), lse_h,
                               [(0.0, 0.0), (1.0, 2.0), (-3.0, 0.5), (700.0, 700.0), (700.0, 698.0),
                                (-700.0, -700.0), (-700.0, -698.0)],
                               lambda a, b: sym("log")(sym("exp")(a) + sym("exp")(b))),
}

# Points where the function is not differentiable (kinks) never belong to the reference.
KINKS: dict[str, Callable[..., bool]] = {
    "relu": lambda x: x == 0, "abs": lambda x: x == 0, "sign": lambda x: x == 0, "step": lambda x: x == 0,
    "max": lambda a, b: a == b, "min": lambda a, b: a == b,
    "atan2": lambda y, x: (y == 0 and x <= 0), "hypot": lambda a, b: a == 0 and b == 0,
}


def table_tags() -> list[str]:
    text = TAGS_TS.read_text()
    block = re.search(r"opTags\s*=\s*\[(.*?)\]\s*as const", text, re.S)
    if block is None:
        sys.exit(f"cannot find the opTags list in {TAGS_TS}")
    body = re.sub(r"//[^\n]*", "", block.group(1))
    return re.findall(r"'([a-z_0-9]+)'", body)


# ------------------------------------------------------------------------------------------------
# Evaluation
# ------------------------------------------------------------------------------------------------


def hessian(arity: int, d2: Sequence[mpf]) -> list[list[mpf]]:
    if arity == 1:
        return [[d2[0]]]
    aa, ab, bb = d2
    return [[aa, ab], [ab, bb]]


def evaluate(op: Op, args: tuple[float, ...], dps: int):
    with mp.workdps(dps):
        xs = [mpf(a) for a in args]
        return op.f(*xs), list(op.d1(*xs)), hessian(op.arity, op.d2(*xs))


def agree(a: mpf, b: mpf, digits: int) -> bool:
    if a == b:
        return True
    return abs(a - b) <= mpf(10) ** -digits * max(abs(a), abs(b))


def flat(value, d1, d2):
    return [("value", value)] + [(f"d1[{i}]", v) for i, v in enumerate(d1)] + \
        [(f"d2[{i}][{j}]", v) for i, row in enumerate(d2) for j, v in enumerate(row)]


def encode(d: float):
    if math.isinf(d):
        return "Infinity" if d > 0 else "-Infinity"
    return d


def entry(tag: str, op: Op, args: tuple[float, ...], field: str = "op") -> dict:
    lo = evaluate(op, args, DPS)
    hi = evaluate(op, args, DPS_CHECK)
    marks = {}
    rounded = {}
    for (key, a), (_, b) in zip(flat(*lo), flat(*hi)):
        if not agree(a, b, 45):
            sys.exit(f"{tag}{list(args)} {key}: {DPS} and {DPS_CHECK} digits disagree ({a} vs {b}): the formula cancels here")
        d = to_double(a)
        cls = classify(d, a == 0 and b == 0)
        if cls != "normal":
            marks[key] = cls
        rounded[key] = d
    value, d1, d2 = lo
    return {
        field: tag,
        "args": list(args),
        "value": encode(rounded["value"]),
        "d1": [encode(rounded[f"d1[{i}]"]) for i in range(len(d1))],
        "d2": [[encode(rounded[f"d2[{i}][{j}]"]) for j in range(len(row))] for i, row in enumerate(d2)],
        **({"marks": marks} if marks else {}),
    }


# ------------------------------------------------------------------------------------------------
# The independent check with sympy
# ------------------------------------------------------------------------------------------------


def sympy_check(tag: str, op: Op, args: tuple[float, ...]) -> tuple[int, int]:
    """(checked, skipped) quantities at one point; exits on a disagreement."""
    import sympy as sp

    names = sp.symbols("a b")[: op.arity]
    f = op.sym(*names)
    exprs = [f] + [sp.diff(f, v) for v in names]
    exprs += [sp.diff(f, names[0], names[0])] if op.arity == 1 else \
        [sp.diff(f, names[0], names[0]), sp.diff(f, names[0], names[1]), sp.diff(f, names[1], names[1])]
    value, d1, d2 = evaluate(op, args, DPS)
    ours = [value] + d1 + ([d2[0][0]] if op.arity == 1 else [d2[0][0], d2[0][1], d2[1][1]])
    checked = skipped = 0
    for k, (e, mine) in enumerate(zip(exprs, ours)):
        theirs = adaptive(sp.lambdify(names, e, modules="mpmath"), args)
        # None: no two precisions agreed; 0 against a nonzero closed form: the plain formula may
        # cancel completely (1 − tanh²(1e300) is 0 at any precision we can afford).
        if theirs is None or (theirs == 0 and mine != 0):
            skipped += 1
            continue
        if not agree(mine, theirs, 30):
            sys.exit(f"{tag}{list(args)} quantity {k}: closed form {mine} but sympy's formula gives {theirs}")
        checked += 1
    return checked, skipped


def adaptive(fn: Callable, args: tuple[float, ...]) -> mpf | None:
    """fn at args, at doubling precision until two successive results agree to 35 digits."""
    last = None
    dps = 60
    while dps <= 3840:
        with mp.workdps(dps):
            try:
                r = fn(*[mpf(a) for a in args])
            except (ZeroDivisionError, ValueError, OverflowError):
                return None
            if isinstance(r, mpmath.mpc):
                r = r.real if r.imag == 0 else None
            r = None if r is None else +r
        if last is not None and r is not None and r != 0 and agree(last, r, 35):
            return r
        if last is not None and r == 0 and last == 0 and dps >= 480:
            return mpf(0)
        last = r
        dps *= 2
    return None


# ------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="re-derive every partial with sympy")
    parser.add_argument("--out", type=Path, default=OUT)
    opts = parser.parse_args()

    tags = table_tags()
    missing = [t for t in tags if t not in OPS]
    if missing:
        sys.exit(f"no reference definition for table tag(s) {missing}: add them to OPS in {__file__}")
    pending = [t for t in OPS if t not in tags]
    if pending:
        print(f"note: {pending} are not in tags.ts yet; their reference points are written anyway", file=sys.stderr)

    entries = []
    for tag, op in OPS.items():
        kink = KINKS.get(tag, lambda *a: False)
        points = [p for p in dict.fromkeys(op.points) if len(p) == op.arity and not kink(*p)]
        if not points:
            sys.exit(f"{tag}: no reference points")
        checked = skipped = 0
        for args in points:
            entries.append(entry(tag, op, args))
            if opts.check and op.sym is not None:
                c, s = sympy_check(tag, op, args)
                checked, skipped = checked + c, skipped + s
        note = f", sympy checked {checked} quantities (skipped {skipped})" if opts.check and op.sym is not None else ""
        print(f"{tag}: {len(points)} points{note}", file=sys.stderr)

    programs = []
    for text, op in PROGRAMS.items():
        checked = skipped = 0
        for args in op.points:
            programs.append(entry(text, op, args, field="program"))
            if opts.check:
                c, s = sympy_check(text, op, args)
                checked, skipped = checked + c, skipped + s
        note = f", sympy checked {checked} quantities (skipped {skipped})" if opts.check else ""
        print(f"{text}: {len(op.points)} points{note}", file=sys.stderr)

    def rows(es):
        return ",\n".join("  " + json.dumps(e, allow_nan=False) for e in es)

    about = ("True values of every rule of the derivative table (entries) and of a few programs (programs, "
             "on the variables a and b), rounded to doubles; made by scripts/reference/make.py (mpmath, 60 "
             "digits). d1 is the gradient, d2 the Hessian. marks: zero (exact), subnormal, underflow (nonzero, "
             "rounds to 0), overflow; unmarked values are normal doubles.")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(
        f'{{\n"about": {json.dumps(about)},\n'
        f'"entries": [\n{rows(entries)}\n],\n'
        f'"programs": [\n{rows(programs)}\n]\n}}\n'
    )
    print(f"wrote {len(entries)} + {len(programs)} points to {opts.out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
