/**
 * The default order of variables: natural order, so that `x2` comes before `x10` and a vector in
 * numeric order (`x1, x2, …, x10`) matches the order of a gradient, a Jacobian's columns, a
 * Hessian's rows and a compiled function's inputs.
 *
 * A name is read as a sequence of symbols: each maximal run of ASCII digits is one symbol, a
 * number, and every other UTF-16 code unit is a symbol by itself. Numbers compare by value and
 * sit, as a block, where the digits sit among code units (after `/`, before `:`); other symbols
 * compare by code unit; a name that is a prefix of another comes first. Names equal under this
 * reading (`x01` and `x1`) are ordered by code units, so the order is total: two names compare
 * equal only when they are the same string. Without digits it is plain code-unit order.
 *
 * @example
 * import { naturalCompare } from 'chainrule'
 * ['x10', 'x2', 'x1', 'y', 'x01'].sort(naturalCompare)   // → ['x01', 'x1', 'x2', 'x10', 'y']
 */
const isDigit = (c) => c >= 48 && c <= 57;
/** The end of the digit run of `s` that starts at `i`. */
function runEnd(s, i) {
    let j = i;
    while (j < s.length && isDigit(s.charCodeAt(j)))
        j++;
    return j;
}
/** Whether `s` is digits from `i` to its end. */
const digitsFrom = (s, i) => runEnd(s, i) === s.length;
/** Compares the digit runs a[i, iEnd) and b[j, jEnd) by value (any length, leading zeros ignored). */
function compareRuns(a, i, iEnd, b, j, jEnd) {
    while (i < iEnd - 1 && a.charCodeAt(i) === 48)
        i++;
    while (j < jEnd - 1 && b.charCodeAt(j) === 48)
        j++;
    if (iEnd - i !== jEnd - j)
        return iEnd - i - (jEnd - j);
    for (; i < iEnd; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0)
            return d;
    }
    return 0;
}
/** Negative when `a` comes first in natural order, positive when `b` does, 0 only when a === b. */
export function naturalCompare(a, b) {
    // The common prefix compares equal either way; what follows it usually decides at once.
    const n = Math.min(a.length, b.length);
    let k = 0;
    while (k < n && a.charCodeAt(k) === b.charCodeAt(k))
        k++;
    if (k === n)
        return a.length - b.length; // a prefix comes first (also when the longer one goes on with digits)
    const ca = a.charCodeAt(k);
    const cb = b.charCodeAt(k);
    // Names of one length that differ first at a digit and are digits from there to the end (`z12`
    // and `z13`, most of the comparisons of a sort of variables): one digit run each, of one length
    // and with the same leading digits, so the first different digit decides, leading zeros or not.
    if (a.length === b.length && isDigit(ca) && isDigit(cb) && digitsFrom(a, k + 1) && digitsFrom(b, k + 1))
        return ca - cb;
    let s = k;
    while (s > 0 && isDigit(a.charCodeAt(s - 1)))
        s--;
    if (s === k && !(isDigit(ca) && isDigit(cb)))
        return ca - cb;
    // Inside (or at the start of) a digit run on both sides: by the runs' lengths, then the digit
    // that differs, unless the run has a leading zero (then the general case below).
    if (a.charCodeAt(s) !== 48 && b.charCodeAt(s) !== 48) {
        const lengthA = runEnd(a, s) - s;
        const lengthB = runEnd(b, s) - s;
        return lengthA !== lengthB ? lengthA - lengthB : ca - cb;
    }
    return naturalCompareRuns(a, b);
}
/** `naturalCompare` symbol by symbol (the general case: runs with leading zeros). */
function naturalCompareRuns(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const ca = a.charCodeAt(i);
        const cb = b.charCodeAt(j);
        if (isDigit(ca) && isDigit(cb)) {
            const iEnd = runEnd(a, i);
            const jEnd = runEnd(b, j);
            const d = compareRuns(a, i, iEnd, b, j, jEnd);
            if (d !== 0)
                return d;
            i = iEnd;
            j = jEnd;
        }
        else {
            // A digit against another code unit compares as the code units do: the numbers' block sits
            // where the digits are.
            if (ca !== cb)
                return ca - cb;
            i++;
            j++;
        }
    }
    if (i < a.length || j < b.length)
        return i < a.length ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Sorts `items` in place in the natural order of `nameOf(item)`. Lists of variables usually come
 * nearly in order already (as a program first uses them: `x2, x1, x4, x3, ...`), so this is an
 * insertion sort, linear on such lists, that hands over to `Array.prototype.sort` as soon as it
 * has moved items more than twice as many places as there are items.
 */
export function sortByName(items, nameOf) {
    const compare = (a, b) => naturalCompare(nameOf(a), nameOf(b));
    let budget = 2 * items.length;
    for (let i = 1; i < items.length; i++) {
        const item = items[i];
        let j = i - 1;
        while (j >= 0 && compare(items[j], item) > 0) {
            items[j + 1] = items[j];
            j--;
            if (--budget < 0) {
                items[j + 1] = item;
                return items.sort(compare);
            }
        }
        items[j + 1] = item;
    }
    return items;
}
