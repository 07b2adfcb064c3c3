/**
 * Parse errors: a value with the position of the offending text (1-based line and column, 0-based
 * offset) and an excerpt of the source line with a caret under the column.
 *
 * @example
 * import { parse, formatParseError } from 'chainrule'
 * const r = parse('x = 1\ny = (x + 1')
 * if (r._tag === 'Left') {
 *   r.left   // → { _tag: 'ParseError', line: 2, column: 5, offset: 10 }
 *   formatParseError(r.left).split('\n')
 *   // → ["parse error at line 2, column 5: expected ')' to close this '('",
 *   //    '  y = (x + 1',
 *   //    '      ^']
 * }
 */
/** Longest excerpt line shown; a longer line is cut to a window around the column. */
const window = 72;
/** The error `message` at `offset` of `source` (clamped into the source). */
export function parseError(source, offset, message) {
    const at = Math.min(Math.max(0, Math.floor(offset) || 0), source.length);
    let line = 1;
    for (let nl = source.indexOf('\n'); nl >= 0 && nl < at; nl = source.indexOf('\n', nl + 1))
        line++;
    const lineStart = at === 0 ? 0 : source.lastIndexOf('\n', at - 1) + 1;
    const nextNl = source.indexOf('\n', at);
    const lineEnd = nextNl < 0 ? source.length : nextNl;
    const column = at - lineStart + 1;
    return Object.freeze({
        _tag: 'ParseError',
        message,
        line,
        column,
        offset: at,
        excerpt: excerpt(source.slice(lineStart, lineEnd), column),
    });
}
/** `text` and a caret line under `column`, showing at most `window` characters of `text`. */
function excerpt(text, column) {
    let shown = text.replace(/\r$/, '');
    let caret = column - 1;
    if (shown.length > window) {
        const from = Math.max(0, Math.min(caret - (window >> 1), shown.length - window));
        const to = Math.min(shown.length, from + window);
        shown = (from > 0 ? '…' : '') + shown.slice(from, to) + (to < shown.length ? '…' : '');
        caret = caret - from + (from > 0 ? 1 : 0);
    }
    // Control characters would break the layout; tabs are kept so that the caret lines up.
    shown = shown.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g, ' ');
    const pad = shown.slice(0, caret).replace(/[^\t]/g, ' ');
    return `${shown}\n${pad}${' '.repeat(Math.max(0, caret - pad.length))}^`;
}
/**
 * A short, human-readable rendering (three lines):
 * `parse error at line 2, column 5: expected ')'`, then the excerpt indented by two spaces.
 */
export function formatParseError(err) {
    const [text, caret] = err.excerpt.split('\n');
    const head = `parse error at line ${err.line}, column ${err.column}: ${err.message}`;
    return caret === undefined ? head : `${head}\n  ${text}\n  ${caret}`;
}
