/**
 * Names shared by the language and the evaluators: the constants a program may write (`pi`, `e`),
 * and the closest known name to a misspelt one, for "did you mean" hints (unknown functions in
 * the parser; unknown variables in `wrt`, points, tangents and directions).
 *
 * @example
 * constants.get('e')                    // 2.718281828459045
 * closest('yy', ['x', 'y'])             // 'y'
 * closest('z', ['x', 'y'])              // 'y' (both are one edit away; 'y' is nearer in the alphabet)
 * closest('Y', ['x', 'y'])              // 'y' (a difference of case only comes first)
 * closest('speed', ['x', 'y'])          // undefined: nothing within two edits
 */

/** Names that mean a constant in the language unless the program assigns them. */
export const constants: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
])

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Why `name` cannot be a variable of the program language, or undefined. */
export function badName(name: string): string | undefined {
  if (typeof name !== 'string' || !identifier.test(name)) return `'${String(name)}' is not a name of the program language (a letter or _, then letters, digits or _)`
  if (constants.has(name)) return `'${name}' is a constant of the program language`
  return undefined
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      row.push(d)
      if (d < best) best = d
    }
    if (best > limit) return limit + 1
    prev = row
  }
  return prev[b.length]
}

/**
 * Breaks ties between known names at the same edit distance from `name`: a name of the same
 * length first, then the one whose first differing character is nearest in the alphabet (for `z`,
 * `y` rather than `x`). Smaller is closer.
 */
function tieKey(name: string, known: string): number {
  const sameLength = known.length === name.length ? 0 : 1 << 20
  let i = 0
  while (i < name.length && i < known.length && name[i] === known[i]) i++
  const gap = i < name.length && i < known.length ? Math.abs(name.charCodeAt(i) - known.charCodeAt(i)) : 1 << 16
  return sameLength + gap
}

/**
 * The known name closest to `name` within `limit` edits (default 2; 1 for names of one or two
 * characters, which two edits turn into anything), or undefined. Linear in the number of known
 * names; meant for error messages.
 */
export function closest(name: string, known: Iterable<string>, limit = 2): string | undefined {
  const within = Math.min(limit, Math.max(1, name.length - 1))
  let best: string | undefined
  let bestDistance = within + 1
  let bestTie = Infinity
  for (const k of known) {
    if (k === name) continue
    // A name that differs only in case (`Y` for `y`) is the closest of all.
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, k, within)
    if (d > within) continue
    const tie = tieKey(name, k)
    if (d < bestDistance || (d === bestDistance && tie < bestTie)) {
      best = k
      bestDistance = d
      bestTie = tie
    }
  }
  return best
}
