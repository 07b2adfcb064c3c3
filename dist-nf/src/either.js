export { isLeft, isRight } from 'fp-ts/lib/Either.js';
/** The exception `orThrow` raises: `error` is the typed error, `message` its message. */
export class ChainruleError extends Error {
    error;
    name = 'ChainruleError';
    constructor(error) {
        super(error.message);
        this.error = error;
    }
}
/** The `Right` value of `result`; throws a `ChainruleError` carrying the `Left` error. */
export function orThrow(result) {
    if (result._tag === 'Left')
        throw new ChainruleError(result.left);
    return result.right;
}
