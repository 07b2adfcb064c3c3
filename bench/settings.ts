/**
 * What every benchmark of `npm run bench` receives: the size switch, the timing options and a
 * progress logger (stderr, so that stdout holds only the final table).
 *
 * @example
 * const settings: Settings = { quick: false, timing: { minTime: 0.5 }, log: (s) => console.error(s) }
 */
import type { Options } from './harness.js'

export interface Settings {
  /** Smaller sizes, for a quick look (`--quick`). */
  readonly quick: boolean
  /** Options for every `compare` call. */
  readonly timing: Options
  /** Progress messages. */
  readonly log: (message: string) => void
}
