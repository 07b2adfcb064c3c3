/**
 * Turning an example into a module that reports the outputs its comments show. A line
 * `expr  // → value` (or a statement `const name = expr  // → value`) becomes a call of
 * `__check(id, k, expr)`, which sends the value to the test; a comment line `// → value` right
 * under a one-line statement checks that statement. A written value may go on over the following
 * comment lines until its brackets close. Line numbers are kept, so compiler messages point at
 * the example as written.
 *
 * @example
 * instrument('const r = parse("x")  // → Right({ _tag: "program" })', 'readme:12')
 * // { code: 'const r = __check("readme:12", 0, parse("x"))  ...', checks: [{ line: 1, expected: 'Right(...)' }] }
 */
import { balanced } from './expect.js'

export interface Check {
  /** 1-based line of the checked statement in the example. */
  readonly line: number
  readonly expected: string
}

export interface Instrumented {
  readonly code: string
  readonly checks: readonly Check[]
  /** Lines whose output comment could not be attached to a statement. */
  readonly problems: readonly string[]
}

const arrow = /\/\/\s*→\s?(.*)$/
const declaration = /^(\s*(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*(?::[^=]+)?=\s*)(.+?);?\s*$/
const statementStart = /^\s*(?:if|for|while|return|throw|else|try|catch|finally|switch|case|default|import|export|function|class|interface|type|\}|\{)\b/

/** `example` with its output comments turned into checks, the module importing `checkModule`. */
export function instrument(example: string, id: string, checkModule = '../check.js'): Instrumented {
  const lines = example.split('\n')
  const checks: Check[] = []
  const problems: string[] = []
  let lastCode = -1
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    // Without semicolons, a line that starts with ( [ or ` continues the line before it: the
    // example as written computes something else than its instrumented form, which wraps the line
    // in a call (session 11 trial: `[r.sweeps, r.colours]` after `const r = ...` indexed r). An
    // import declaration cannot go on into an expression, so ASI ends it.
    const previous = lastCode < 0 ? '' : (lines[lastCode] ?? '').replace(/\/\/.*$/, '').trimEnd()
    if (/^\s*[([`]/.test(line) && previous !== '' && !/[;{}]$/.test(previous) && !/^\s*import\b/.test(previous)) problems.push(`line ${i + 1}: it starts with '${line.trim()[0] ?? ''}' after a line without a semicolon, so JavaScript reads it as a continuation of that line`)
    const m = arrow.exec(line)
    if (m === null || m.index === undefined) {
      if (line.trim() !== '' && !/^\s*\/\//.test(line)) lastCode = i
      continue
    }
    let expected = m[1] ?? ''
    const first = i
    while (!balanced(expected) && i + 1 < lines.length && /^\s*\/\//.test(lines[i + 1] ?? '')) {
      i++
      expected += ' ' + (lines[i] ?? '').replace(/^\s*\/\/\s*/, '')
    }
    const codePart = line.slice(0, m.index)
    const target = codePart.trim() === '' ? lastCode : first
    const code = target === first ? codePart : (lines[target] ?? '')
    if (target < 0 || statementStart.test(code) || code.trim() === '') {
      problems.push(`line ${first + 1}: an output comment must follow an expression or a declaration on one line`)
      continue
    }
    const k = checks.length
    const call = (expr: string): string => `__check(${JSON.stringify(id)}, ${k}, ${expr})`
    const d = declaration.exec(code)
    const body = code.replace(/;?\s*$/, '')
    const rewritten = d !== null ? `${d[1] ?? ''}${call(d[2] ?? '')}` : `${/^\s*/.exec(body)?.[0] ?? ''}${call(`(${body.trim()})`)}`
    lines[target] = target === first ? rewritten + '  ' + line.slice(m.index) : rewritten
    checks.push({ line: target + 1, expected })
    if (target === first) lastCode = first
  }
  const code = lines.join('\n') + `\nimport { __check } from ${JSON.stringify(checkModule)}\nexport {}\n`
  return { code, checks, problems }
}
