/**
 * Dual numbers: a value and a tangent, over any base number system. `dualOf(numbers)` is
 * ordinary forward mode; `dualOf(dualOf(numbers))` nests it for second derivatives.
 *
 * The tangent of `op(a, b)` is Σᵢ ∂ᵢ·ȧᵢ with the partials from the one table, each product taken
 * by `times`: zero tangents are skipped rather than multiplied (an infinite partial times a zero
 * tangent contributes nothing), and quotient partials divide the tangent first.
 *
 * @example
 * import { dual, dualOf, numbers } from 'chainrule'
 * const D = dualOf(numbers)
 * D.apply('sin', [dual(2, 1)])  // → { value: 0.9093, tangent: -0.4161 }   sin 2 and cos 2
 */
import { Quotient } from './rule.js';
import { partialsIn, times } from './math.js';
export const dual = (value, tangent) => ({ value, tangent });
const cache = new WeakMap();
/** The dual numbers over `base`. */
export function dualOf(base) {
    const hit = cache.get(base);
    if (hit !== undefined)
        return hit;
    const zero = base.constant(0);
    const add = (a, b) => base.apply('add', [a, b]);
    const sub = (a, b) => base.apply('sub', [a, b]);
    const D = {
        constant: (c) => ({ value: base.constant(c), tangent: zero }),
        isZero: (d) => base.isZero(d.value) && base.isZero(d.tangent),
        apply: (op, args) => {
            const values = args.map((a) => a.value);
            const value = base.apply(op, values);
            let tangent = null;
            let ps = null;
            for (let i = 0; i < args.length; i++) {
                const t = args[i].tangent;
                if (base.isZero(t))
                    continue;
                ps ??= partialsIn(base, op, values, value);
                const p = ps[i];
                if (p === null)
                    continue;
                const term = times(base, p, t);
                tangent = tangent === null ? term : add(tangent, term);
            }
            return { value, tangent: tangent ?? zero };
        },
        // p·t: value p·t, tangent ṗ·t + p·ṫ, each product with the zero convention of `times`.
        scale: (p, t) => ({ value: times(base, p.value, t.value), tangent: add(times(base, p.tangent, t.value), times(base, p.value, t.tangent)) }),
        // F = t·n/d: Ḟ = ṫ·n/d + t·ṅ/d − F·ḋ/d, every term divided first (see the last one).
        quotient: (n, d, t) => {
            const value = base.isZero(t.value) ? zero : times(base, new Quotient(n.value, d.value), t.value);
            const terms = [
                base.isZero(t.tangent) ? zero : times(base, new Quotient(n.value, d.value), t.tangent),
                base.isZero(n.tangent) || base.isZero(t.value) ? zero : times(base, new Quotient(n.tangent, d.value), t.value),
            ];
            const first = base.isZero(terms[0]) ? terms[1] : base.isZero(terms[1]) ? terms[0] : add(terms[0], terms[1]);
            // (ḋ/d)·F: ḋ divided by its own d (a relative change, O(1)), not F: at d = 2e304 the value
            // F = 5e-305 divided by d underflows while ḋ/d = 0.5. A zero ḋ or F gives zero.
            const tangent = base.isZero(d.tangent) || base.isZero(value) ? first : sub(first, times(base, new Quotient(value, d.value), d.tangent));
            return { value, tangent };
        },
    };
    cache.set(base, D);
    return D;
}
