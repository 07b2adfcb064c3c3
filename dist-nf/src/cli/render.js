/**
 * Graphviz for the command: DOT text to SVG with `@viz-js/viz` (Graphviz compiled to
 * WebAssembly, shipped in its npm package), loaded only when an SVG is asked for, so that
 * `--format dot` never needs it.
 *
 * @example
 * await svgOf('digraph { a -> b }')   // '<?xml ...><svg ...>...</svg>'
 */
/** The SVG of `dot`, laid out by Graphviz's dot engine. */
export async function svgOf(dot) {
    const { instance } = await import('@viz-js/viz');
    const viz = await instance();
    return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}
