/**
 * A local partial written as the quotient num/den and kept apart, so that a sweep can divide the
 * tangent or adjoint first (see `times`). Built by `m.over(num, den)` in a rule.
 */
export class Quotient {
    num;
    den;
    constructor(num, den) {
        this.num = num;
        this.den = den;
    }
}
// -------------------------------------------------------------------------------------------------
// Helpers for writing table entries
// -------------------------------------------------------------------------------------------------
export const call = (name) => ({ _tag: 'call', name });
export const infix = (symbol, prec) => ({ _tag: 'infix', symbol, prec });
/** A typical sample interval for an unrestricted argument. */
export const anywhere = [-3, 3];
export const positive = [0.2, 4];
export const unitOpen = [-0.9, 0.9];
