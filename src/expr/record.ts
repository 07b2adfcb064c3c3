/**
 * Records of numbers by name, made fast: the shape every point and gradient has.
 *
 * @example
 * import { recordOf } from 'chainrule'
 * recordOf(['x', 'y'], [1, 2])   // → { x: 1, y: 2 }
 */

/** `{name: value}` for parallel arrays (of one length: anything else throws a `RangeError`). */
export function recordOf(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  if (values.length !== names.length) throw new RangeError(`recordOf: ${names.length} names but ${values.length} values`)
  const out: Record<string, number> = {}
  for (let i = 0; i < names.length; i++) {
    // Plain assignment is the fast path; `__proto__` must be defined, or it would set the prototype.
    if (names[i] === '__proto__') Object.defineProperty(out, names[i], { value: values[i], enumerable: true, writable: true, configurable: true })
    else out[names[i]] = values[i]
  }
  return out
}
