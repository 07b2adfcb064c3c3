/** The graph of a Wengert list, with the values, adjoints and tangents given. */
export function graphView(list, options = {}) {
    const outputs = new Set(list.outputs);
    const shown = options.computed ?? list.entries.length;
    const nodes = list.entries.map((e) => {
        const adjoint = options.adjoints?.[e.index];
        const tangent = options.tangents?.[e.index];
        return {
            id: e.index,
            label: e.label,
            kind: e.kind,
            symbol: e.symbol,
            value: e.index < shown ? e.value : NaN,
            ...(adjoint === undefined ? {} : { adjoint }),
            ...(tangent === undefined || e.index >= shown ? {} : { tangent }),
            output: outputs.has(e.index),
            current: e.index === options.current,
        };
    });
    const edges = list.entries.flatMap((e) => e.args.map((a, k) => ({ from: a, to: e.index, partial: e.partials[k] ?? null })));
    return { nodes, edges };
}
// -------------------------------------------------------------------------------------------------
// DOT
// -------------------------------------------------------------------------------------------------
/** The document's colours: forward values green, adjoints red; tangents blue. */
export const colours = { value: '#1a7f37', adjoint: '#cf222e', tangent: '#0550ae', current: '#fff8c5' };
/** A number for a figure: integers as they are, others to 6 significant digits, −0 as 0. */
export function figure(x) {
    if (Number.isNaN(x))
        return 'NaN';
    if (!Number.isFinite(x))
        return x > 0 ? '∞' : '−∞';
    const s = Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
    return s.replace(/^-/, '−');
}
const html = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function nodeLabel(n) {
    const head = n.kind === 'operation' ? (n.label === n.symbol ? n.label : `${html(n.label)} = ${html(n.symbol)}`) : html(n.label);
    const rows = [`<TR><TD><B>${head}</B></TD></TR>`];
    if (!Number.isNaN(n.value) || n.kind !== 'operation')
        rows.push(`<TR><TD><FONT COLOR="${colours.value}">${html(figure(n.value))}</FONT></TD></TR>`);
    if (n.tangent !== undefined)
        rows.push(`<TR><TD><FONT COLOR="${colours.tangent}">ṫ ${html(figure(n.tangent))}</FONT></TD></TR>`);
    if (n.adjoint !== undefined)
        rows.push(`<TR><TD><FONT COLOR="${colours.adjoint}">∂ ${html(figure(n.adjoint))}</FONT></TD></TR>`);
    return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.join('')}</TABLE>>`;
}
/**
 * Graphviz text for a view: inputs on the left, the output on the right (rankdir=LR), variables
 * as ellipses, constants as plain text, operations as rounded boxes, the output doubled.
 */
export function toDot(view, options = {}) {
    const withPartials = options.partials ?? view.nodes.some((n) => n.adjoint !== undefined);
    const lines = [
        'digraph chainrule {',
        '  rankdir=LR;',
        '  bgcolor="white";',
        '  node [fontname="Helvetica", fontsize=12];',
        '  edge [fontname="Helvetica", fontsize=10, color="#57606a", arrowsize=0.7];',
    ];
    if (options.title !== undefined)
        lines.push(`  labelloc="t"; label=<${html(options.title)}>;`);
    for (const n of view.nodes) {
        const shape = n.kind === 'variable' ? 'ellipse' : n.kind === 'constant' ? 'plaintext' : 'box';
        const style = [n.kind === 'operation' ? 'rounded' : '', n.current ? 'filled' : ''].filter((s) => s !== '').join(',');
        const attrs = [`shape=${shape}`, `label=${nodeLabel(n)}`];
        if (style !== '')
            attrs.push(`style="${style}"`);
        if (n.current)
            attrs.push(`fillcolor="${colours.current}"`);
        if (n.output)
            attrs.push('peripheries=2');
        lines.push(`  n${n.id} [${attrs.join(', ')}];`);
    }
    for (const e of view.edges) {
        const label = withPartials && e.partial !== null ? ` [label=<${html(figure(e.partial))}>, fontcolor="#57606a"]` : e.partial === null ? ' [style=dashed]' : '';
        lines.push(`  n${e.from} -> n${e.to}${label};`);
    }
    lines.push('}');
    return lines.join('\n') + '\n';
}
