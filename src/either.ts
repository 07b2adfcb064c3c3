/**
 * Leaving `Either` in one step. Every evaluation returns `Either<TypedError, Result>`, which a
 * library composes without exceptions; a script usually wants the result or an exception, and
 * `orThrow` gives exactly that: the `Right` value, or a `ChainruleError` whose `error` field is
 * the typed error (its `message` is the error's message).
 *
 * `isLeft` and `isRight` are fp-ts's own refinements, re-exported so that a script needs no
 * import path into fp-ts (under Node ESM that path is `fp-ts/lib/Either.js`).
 *
 * @example
 * import { grad, orThrow, parse } from 'chainrule'
 * const p = orThrow(parse('(x+y)*z'))
 * orThrow(grad(p, { x: -2, y: 5, z: -4 })).gradient   // → { x: -4, y: -4, z: 3 }
 *
 * @example
 * import { ChainruleError, grad, orThrow, parse } from 'chainrule'
 * try {
 *   orThrow(grad(orThrow(parse('x*y')), { x: 1 }))
 * } catch (e) {
 *   if (!(e instanceof ChainruleError)) throw e
 *   e.error     // → { _tag: 'MissingVariable', names: ['y'] }
 *   e.message   // → "no value given for variable 'y'"
 * }
 */
import type { Either } from 'fp-ts/lib/Either.js'

export { isLeft, isRight, type Either, type Left, type Right } from 'fp-ts/lib/Either.js'

/** What every typed error of the toolkit has: a tag and a message for people. */
export interface TypedError {
  readonly _tag: string
  readonly message: string
}

/** The exception `orThrow` raises: `error` is the typed error, `message` its message. */
export class ChainruleError<E extends TypedError = TypedError> extends Error {
  override readonly name = 'ChainruleError'
  constructor(readonly error: E) {
    super(error.message)
  }
}

/** The `Right` value of `result`; throws a `ChainruleError` carrying the `Left` error. */
export function orThrow<E extends TypedError, A>(result: Either<E, A>): A {
  if (result._tag === 'Left') throw new ChainruleError(result.left)
  return result.right
}
