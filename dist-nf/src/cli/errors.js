/**
 * What can go wrong on the command line, as values. Every user mistake becomes a `CliError`,
 * printed as a short message (`chainrule: error: ...`) with exit status 2; parse errors keep their
 * caret excerpt. Anything else is an internal error (exit status 1), never a stack trace unless
 * `CHAINRULE_DEBUG` is set.
 *
 * @example
 * formatCliError(usage('--mode must be auto, forward or reverse, not "fast"'))
 * // 'chainrule: error: --mode must be auto, forward or reverse, not "fast"'
 */
import { formatParseError } from '../lang/index.js';
import { argumentLabel, describeName, isNameError } from '../tape/point.js';
export const usage = (message) => ({ _tag: 'Usage', message });
export const parseFailure = (error) => ({ _tag: 'Parse', error });
export const evalFailure = (error) => ({ _tag: 'Eval', error });
/** Exit status for bad input. */
export const BAD_INPUT = 2;
/** Exit status for a bug in chainrule itself. */
export const INTERNAL = 1;
/** At most this many lines of stderr for one error. */
const maxLines = 5;
/** Longest line of a message built from user text. */
const maxWidth = 300;
const clip = (line) => (line.length > maxWidth ? `${line.slice(0, maxWidth - 1)}…` : line);
/** The stderr text for an error: at most five lines, the first starting `chainrule: error:`. */
export function formatCliError(e) {
    const body = describe(e);
    const lines = body.split('\n').map(clip);
    return ['chainrule: error: ' + lines[0], ...lines.slice(1, maxLines)].join('\n');
}
function describe(e) {
    switch (e._tag) {
        case 'Usage':
            return oneLine(e.message);
        case 'Parse':
            return formatParseError(e.error);
        case 'Eval':
            return oneLine(isNameError(e.error) ? describeName(e.error, flagOf) : e.error.message);
        default:
            return absurd(e);
    }
}
/** The flag that gave an argument of the library (`--wrt`, `--at`, `--v`). */
function flagOf(argument) {
    switch (argument) {
        case 'wrt':
            return '--wrt';
        case 'point':
            return '--at';
        case 'direction':
            return '--v';
        case 'tangent':
        case 'cotangent':
        case 'fixed':
            return argumentLabel(argument);
    }
}
/** Collapses a message to one line (commander's hints come on a second line). */
export const oneLine = (text) => text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ');
/** The one line printed for an unexpected exception (plus the stack when debugging). */
export function formatInternal(e, debug) {
    const message = e instanceof Error ? e.message : String(e);
    const head = `chainrule: internal error: ${clip(oneLine(message) || 'unknown')}`;
    return debug && e instanceof Error && e.stack !== undefined ? `${head}\n${e.stack}` : head;
}
export function absurd(x) {
    throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
