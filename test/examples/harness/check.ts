/**
 * Runs beside the examples (compiled with them, in their temporary project): `__check` records
 * the value of a checked statement, encoded as JSON the test can compare (NaN, ±Infinity, −0,
 * `undefined` and functions tagged; typed arrays as arrays; errors with their name and message).
 *
 * @example
 * const r = __check('README.md:40', 0, grad(p, point))   // r is grad(p, point), recorded
 */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded }

export interface Recorded {
  readonly id: string
  readonly k: number
  readonly value: Encoded
}

export const recorded: Recorded[] = []

const maxDepth = 24
const maxEntries = 2000

function encodeNumber(v: number): Encoded {
  if (Number.isNaN(v)) return { $: 'NaN' }
  if (v === Infinity) return { $: 'Infinity' }
  if (v === -Infinity) return { $: '-Infinity' }
  if (Object.is(v, -0)) return { $: '-0' }
  return v
}

/** `v` as JSON the test can read back. */
export function encode(v: unknown, depth = 0): Encoded {
  if (typeof v === 'number') return encodeNumber(v)
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v
  if (v === undefined) return { $: 'undefined' }
  if (typeof v === 'bigint') return { $: 'bigint', value: String(v) }
  if (typeof v === 'function') return { $: 'function' }
  if (typeof v === 'symbol') return { $: 'symbol' }
  if (depth > maxDepth) return { $: 'too deep' }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, encodeNumber)
  if (Array.isArray(v)) return v.slice(0, maxEntries).map((x: unknown) => encode(x, depth + 1))
  if (v instanceof Map) return { $: 'Map', entries: [...v.entries()].slice(0, maxEntries).map(([k, x]) => [encode(k, depth + 1), encode(x, depth + 1)]) }
  const out: { [key: string]: Encoded } = {}
  if (v instanceof Error) {
    out.name = v.name
    out.message = v.message
  }
  for (const [k, x] of Object.entries(v as object).slice(0, maxEntries)) out[k] = encode(x, depth + 1)
  return out
}

/** Records `value` as check `k` of example `id`, and returns it. */
export function __check<T>(id: string, k: number, value: T): T {
  recorded.push({ id, k, value: encode(value) })
  return value
}
