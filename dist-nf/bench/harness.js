/**
 * Timing for the benchmarks: warm-up, calibrated batches, interleaved variants, medians.
 *
 * `compare` measures several variants of the same job side by side. Each variant is warmed up,
 * then a batch size is chosen so that one sample lasts at least `minSample` seconds (fast calls
 * are repeated inside a sample; slow ones are one call per sample). The variants then run in
 * rounds, one sample of each per round (after one untimed call that brings its data back into the
 * caches), so that machine noise (another process, a thermal throttle) hits every variant alike;
 * rounds continue until `minTime` seconds have passed and every variant has `minSamples`
 * samples, or `maxSamples` rounds have run. The result is the median time per call of each
 * variant.
 *
 * Garbage that a variant allocates is collected on its own time, as it would be in a real
 * program: by default the harness calls `gc()` (under `node --expose-gc`) only before a
 * comparison starts, and samples are long enough to hold several minor collections.
 *
 * @example
 * const [a, b] = compare([{ name: 'eval', run: () => evaluate(p, pt) }, { name: 'hand', run: () => hand(x) }])
 * console.log(a.median / b.median)
 */
const now = () => performance.now() / 1000;
/** Keeps results reachable so that no call can be optimised away. */
let sink;
export const consume = (x) => {
    sink = x;
};
/** A full collection, when the process runs with `--expose-gc`; otherwise nothing. */
export function collect() {
    const g = globalThis.gc;
    if (g !== undefined)
        g();
}
/** Seconds for `calls` calls of `run`. */
function sample(run, calls) {
    const t0 = now();
    for (let k = 0; k < calls; k++)
        sink = run();
    return now() - t0;
}
/**
 * Calls per sample so that a sample lasts `minSample` seconds. After the warm-up, the cost of one
 * call is the fastest of a few single calls (a GC pause in one of them must not decide the batch).
 */
function calibrate(run, warmup, minSample) {
    let calls = 0;
    const t0 = now();
    while (calls < 3 || now() - t0 < warmup) {
        sink = run();
        calls++;
    }
    let fastest = Infinity;
    for (let k = 0; k < 3; k++)
        fastest = Math.min(fastest, sample(run, 1));
    if (fastest >= minSample)
        return 1;
    // Timer resolution: below a microsecond, find the batch by doubling.
    let batch = Math.max(1, Math.floor(minSample / Math.max(fastest, 1e-6)));
    while (batch < 1 << 24 && sample(run, batch) < minSample / 2)
        batch *= 2;
    return batch;
}
const median = (xs) => {
    const s = xs.slice().sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Median seconds per call of each variant, measured in interleaved rounds. */
export function compare(variants, options = {}) {
    const minTime = options.minTime ?? 0.5;
    const minSamples = options.minSamples ?? 5;
    const maxSamples = options.maxSamples ?? 200;
    const minSample = options.minSample ?? 0.05;
    const warmup = options.warmup ?? 0.05;
    const rewarm = options.rewarm ?? true;
    const isolate = options.isolate ?? false;
    collect();
    const batches = variants.map((v) => calibrate(v.run, warmup, minSample));
    const times = variants.map(() => []);
    const t0 = now();
    let rounds = 0;
    while (rounds < maxSamples && (rounds < minSamples || now() - t0 < minTime)) {
        // Rotate the starting variant each round, so that none always runs first (after a GC, say).
        for (let j = 0; j < variants.length; j++) {
            const k = (j + rounds) % variants.length;
            // A clean heap, so that no variant pays for another's garbage; then one untimed call, so
            // that the caches hold this variant's arrays, not the last one's.
            if (isolate)
                collect();
            if (rewarm)
                sink = variants[k].run();
            times[k].push(sample(variants[k].run, batches[k]) / batches[k]);
        }
        rounds++;
    }
    void sink;
    return variants.map((v, k) => ({ name: v.name, median: median(times[k]), min: Math.min(...times[k]), samples: times[k].length, batch: batches[k] }));
}
/** Seconds taken by one call of `f`, and its result (for one-shot costs: building a graph). */
export function once(f) {
    collect();
    const t0 = now();
    const result = f();
    return { seconds: now() - t0, result };
}
/** A duration for a person: 812 ns, 3.41 µs, 27.0 ms, 2.03 s. */
export function seconds(s) {
    if (!Number.isFinite(s))
        return String(s);
    const [scale, unit] = s >= 1 ? [1, 's'] : s >= 1e-3 ? [1e3, 'ms'] : s >= 1e-6 ? [1e6, 'µs'] : [1e9, 'ns'];
    const x = s * scale;
    return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ${unit}`;
}
/** A ratio for a person: 1.07×, 23.4×, 1210×. */
export function ratio(r) {
    if (!Number.isFinite(r))
        return String(r);
    return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}
/** An integer with thin separators: 549 998. */
export const count = (n) => n.toLocaleString('en-US').replace(/,/g, ' ');
/** A row for a plain figure. */
export const figure = (group, c, measure, value) => ({ group, case: c, measure, value });
/** A row for a ratio with an upper-bound target. */
export const bounded = (group, c, measure, r, limit) => ({
    group,
    case: c,
    measure,
    value: ratio(r),
    target: `≤ ${limit}`,
    ok: r <= limit,
});
/** The rows as one aligned plain-text table. */
export function formatTable(rows) {
    const header = ['benchmark', 'case', 'measure', 'value', 'target', ''];
    const cells = rows.map((r) => [r.group, r.case, r.measure, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
    const widths = header.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
    const right = new Set([3, 4]);
    const line = (c) => c.map((s, j) => (right.has(j) ? s.padStart(widths[j]) : s.padEnd(widths[j]))).join('  ').trimEnd();
    const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
    let last = '';
    for (let i = 0; i < rows.length; i++) {
        const key = `${rows[i].group}\u0000${rows[i].case}`;
        if (i > 0 && key !== last)
            out.push('');
        last = key;
        out.push(line(cells[i]));
    }
    return out.join('\n');
}
