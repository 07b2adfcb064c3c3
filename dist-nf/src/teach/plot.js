/**
 * The cost curves as an SVG figure: two panels (inputs growing, outputs growing), estimated time
 * of forward mode (green, as the tangents travel with the values) and reverse mode (red, as the
 * adjoints), the textbook's one-lane sweeps solid and this engine's chunked sweeps dashed, the
 * crossover marked. Plain SVG text, so that it needs no library and runs anywhere.
 *
 * @example
 * import { costCurves, costPlot, parse, orThrow } from 'chainrule'
 * costPlot(orThrow(costCurves(orThrow(parse('[x*y, x+y, sin(x)*y]')))), 'example').startsWith('<svg')   // → true
 */
import { colours, figure } from './graph.js';
const width = 420;
const height = 300;
const pad = { left: 64, right: 16, top: 56, bottom: 44 };
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Time in the unit a person reads. */
function duration(ns) {
    if (ns < 1e3)
        return `${figure(Math.round(ns))} ns`;
    if (ns < 1e6)
        return `${figure(Number((ns / 1e3).toPrecision(3)))} µs`;
    if (ns < 1e9)
        return `${figure(Number((ns / 1e6).toPrecision(3)))} ms`;
    return `${figure(Number((ns / 1e9).toPrecision(3)))} s`;
}
function panel(curve, x0) {
    const pts = curve.points;
    const maxX = Math.max(1, ...pts.map((p) => p.size));
    const maxY = Math.max(1, ...pts.flatMap((p) => [p.forward, p.reverse, p.textbookForward, p.textbookReverse]));
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    const sx = (v) => x0 + pad.left + (maxX === 1 ? w / 2 : ((v - 1) / (maxX - 1)) * w);
    const sy = (v) => pad.top + h - (v / maxY) * h;
    const line = (get, colour, dashed) => `<polyline fill="none" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="5,4"' : ''} points="${pts.map((p) => `${sx(p.size).toFixed(1)},${sy(get(p)).toFixed(1)}`).join(' ')}"/>`;
    const parts = [
        `<text x="${x0 + pad.left + w / 2}" y="40" text-anchor="middle" font-size="14">as the ${curve.axis} grow</text>`,
        `<line x1="${x0 + pad.left}" y1="${pad.top + h}" x2="${x0 + pad.left + w}" y2="${pad.top + h}" stroke="#333"/>`,
        `<line x1="${x0 + pad.left}" y1="${pad.top}" x2="${x0 + pad.left}" y2="${pad.top + h}" stroke="#333"/>`,
        `<text x="${x0 + pad.left + w / 2}" y="${height - 8}" text-anchor="middle" font-size="12">number of ${curve.axis} (1 to ${maxX})</text>`,
        `<text x="${x0 + pad.left - 6}" y="${pad.top + 4}" text-anchor="end" font-size="11">${esc(duration(maxY))}</text>`,
        `<text x="${x0 + pad.left - 6}" y="${pad.top + h}" text-anchor="end" font-size="11">0</text>`,
        line((p) => p.textbookForward, colours.value, false),
        line((p) => p.textbookReverse, colours.adjoint, false),
        line((p) => p.forward, colours.value, true),
        line((p) => p.reverse, colours.adjoint, true),
    ];
    if (curve.crossover !== undefined) {
        const x = sx(curve.crossover);
        parts.push(`<line x1="${x.toFixed(1)}" y1="${pad.top}" x2="${x.toFixed(1)}" y2="${pad.top + h}" stroke="#6e7781" stroke-dasharray="2,3"/>`, `<text x="${(x + 4).toFixed(1)}" y="${pad.top + 14}" font-size="11" fill="#444">crossover: ${curve.crossover}</text>`);
    }
    return parts.join('\n');
}
/** The two panels side by side, with a legend and a title. */
export function costPlot(curves, title) {
    const total = 2 * width;
    const legend = [
        [colours.value, false, 'forward, textbook (one tangent per sweep; compile(p).jacobian)'],
        [colours.adjoint, false, 'reverse, textbook (one adjoint per sweep)'],
        [colours.value, true, 'forward, this engine (up to 16 tangents per sweep)'],
        [colours.adjoint, true, 'reverse, this engine (16 adjoint rows, cones)'],
    ];
    const items = legend.map(([c, dashed, text], i) => {
        const y = height + 16 + i * 16;
        return `<line x1="${pad.left}" y1="${y - 4}" x2="${pad.left + 28}" y2="${y - 4}" stroke="${c}" stroke-width="2"${dashed ? ' stroke-dasharray="5,4"' : ''}/><text x="${pad.left + 36}" y="${y}" font-size="12">${esc(text)}</text>`;
    });
    const h = height + 16 + legend.length * 16 + 8;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${h}" viewBox="0 0 ${total} ${h}" font-family="Helvetica, Arial, sans-serif">`,
        `<rect width="${total}" height="${h}" fill="white"/>`,
        `<text x="${total / 2}" y="16" text-anchor="middle" font-size="12" fill="#444">estimated Jacobian time: ${esc(title)}</text>`,
        panel(curves[0], 0),
        panel(curves[1], width),
        ...items,
        '</svg>',
    ].join('\n') + '\n';
}
