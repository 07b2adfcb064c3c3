/**
 * Text output for a person: aligned columns (names left, numbers right), numbers in the shortest
 * form that reads back to the same double, warnings listed after the table.
 *
 * @example
 * renderTable(['variable', 'gradient'], [['x', '-4'], ['yy', '3']], ['left', 'right'])
 * // variable  gradient
 * // x               -4
 * // yy               3
 */
/** A number for a table: `-4`, `0.1`, `1e-7`, `NaN`, `Infinity`, `-0`. */
export const num = (x) => (Object.is(x, -0) ? '-0' : String(x));
/** Rows under an optional header, columns separated by two spaces, no trailing blanks. */
export function renderTable(header, rows, align) {
    const all = header === null ? rows : [header, ...rows];
    const widths = [];
    for (const row of all)
        row.forEach((cell, j) => (widths[j] = Math.max(widths[j] ?? 0, cell.length)));
    const line = (row) => row
        .map((cell, j) => ((align[j] ?? 'left') === 'right' ? cell.padStart(widths[j]) : cell.padEnd(widths[j])))
        .join('  ')
        .trimEnd();
    return all.map(line).join('\n');
}
/** `f = -12` for a scalar program's value (`value = -12` when the output has no name). */
export const valueLine = (label, value) => `${label} = ${num(value)}`;
/** The warnings section: nothing when there are none. */
export function renderWarnings(warnings) {
    if (warnings.length === 0)
        return '';
    return ['\n', `warnings (${warnings.length}):`, ...warnings.map((w) => `  - ${w}`)].join('\n');
}
