/**
 * Cutting a tape into trees and reductions, the units the compiler works with.
 *
 * A node whose uses all lie in one tree (used once, or a named temporary read twice in one term,
 * `t·t`) and that is not an output can be computed inside that tree's code without storing its
 * value: it joins the tree. Trees are bounded in size (`maxTree`), which is also the checkpointing
 * knob: only tree roots are stored, interior values are recomputed in the reverse sweep.
 *
 * Sums become reductions, whatever their association. A sum node is an application of an op the
 * table declares a `sum` (a + b, a − b); a sum tree is a tree of sum nodes used once each; its
 * leaves are the terms, each with a sign. A long chain
 * `s = s ± term` (also `(s + a) + b`, `term + s`) becomes a loop that accumulates its terms in the
 * original order; any other large sum tree (the balanced trees of `sum(...)`) keeps its
 * association: its terms are computed by templates, then its sum nodes are evaluated level
 * by level over the stored terms. Either way the sum is bit-for-bit the interpreted one.
 *
 * Everything here is iterative and linear in the tape size. Trees are not objects: a tree is named
 * by its root slot, and its members are a range of one shared array (a graph of 10^6 nodes has
 * about 10^5 trees, and an object per tree is what the garbage collector then spends its time on).
 *
 * @example
 * const parts = partition(tapeFor(p.outputs, wrt), { maxTree: 32, minChain: 8 })
 * parts.roots                               // unit roots, in topological order
 * parts.members.subarray(parts.start[r], parts.start[r] + parts.treeSize[r])  // tree r's members
 */
import { sumSignByCode as sumSign } from '../ops/table.js';
/** Splits the applications of `tape` into trees and reductions. */
export function partition(tape, options) {
    const { size, leaves, a0, a1, op } = tape;
    const uses = new Int32Array(size);
    for (let i = leaves; i < size; i++) {
        uses[a0[i]]++;
        if (a1[i] >= 0)
            uses[a1[i]]++;
    }
    // single[s] = 1: s is an application used once and not an output.
    const single = new Uint8Array(size);
    for (let i = leaves; i < size; i++)
        if (uses[i] === 1)
            single[i] = 1;
    const isOutput = new Uint8Array(size);
    for (const s of tape.outputs) {
        uses[s]++;
        single[s] = 0;
        isOutput[s] = 1;
    }
    // The consumer of each slot (its last user; the only one of a single-use slot).
    const consumer = new Int32Array(size).fill(-1);
    for (let i = leaves; i < size; i++) {
        consumer[a0[i]] = i;
        if (a1[i] >= 0)
            consumer[a1[i]] = i;
    }
    const { inReduction, reductionTop, spine, sumTreeTop } = sums(tape, options, single, consumer);
    const { parent, treeSize, rootOf } = trees(tape, options.maxTree, single, isOutput, inReduction, consumer);
    // Members of each tree, grouped by root with a counting sort (so they come out in slot order,
    // which is topological).
    const start = new Int32Array(size + 1);
    for (let i = leaves; i < size; i++)
        start[rootOf[i] + 1]++;
    for (let i = 1; i <= size; i++)
        start[i] += start[i - 1];
    const fill = start.slice(0, size);
    const members = new Int32Array(size - leaves);
    for (let i = leaves; i < size; i++)
        members[fill[rootOf[i]]++] = i;
    // A term is absorbed into its reduction as a tree when it is single-use, a tree root, and read by
    // a link (or an interior node of a sum tree).
    const absorbed = new Uint8Array(size);
    for (let i = leaves; i < size; i++)
        if (single[i] === 1 && inReduction[i] === 0 && parent[i] < 0 && inReduction[consumer[i]] === 1)
            absorbed[i] = 1;
    const roots = new Int32Array(size - leaves);
    let n = 0;
    const reductions = new Map();
    for (let i = leaves; i < size; i++) {
        if (parent[i] >= 0 || absorbed[i] === 1)
            continue;
        if (reductionTop[i] === 1) {
            reductions.set(i, sumTreeTop[i] === 1 ? sumTree(tape, i, single, inReduction, absorbed) : chain(tape, i, spine, absorbed));
            roots[n++] = i;
        }
        else if (inReduction[i] === 0)
            roots[n++] = i;
    }
    return { roots: roots.slice(0, n), reductions, members, start: start.subarray(0, size), treeSize, uses };
}
/**
 * The reductions: which sum nodes are links of chains or interior nodes of sum trees
 * (`inReduction`), which are their tops, the spine of each chain (`spine[i]`: the link below i),
 * and which tops are sum trees (`sumTreeTop[top]` = 1).
 */
function sums(tape, options, single, consumer) {
    const { size, leaves, a0, a1, op } = tape;
    // isSum[i]: i is a sum node; interior[i]: a sum node used once, by a sum node; leafCount[i]:
    // the terms below i; below[i]: i and the single-use applications under it (about the tree i
    // would root).
    const isSum = new Uint8Array(size);
    const interior = new Uint8Array(size);
    const leafCount = new Int32Array(size);
    const below = new Int32Array(size);
    // Chains: spine[i] is the link below i (or −1). A link continues the chain through an argument
    // that is a single-use sum node: the left one of a − b (s − term), either one of a + b
    // (the longer chain, so that `term + s` and `s + term` are both recognised; between chains as
    // long, the one over more nodes; two small sums of one link, (a₁ + b₁) + (a₂ + b₂) at the bottom
    // of s = s + (a + b), are both terms).
    const spine = new Int32Array(size).fill(-1);
    const onSpine = new Uint8Array(size);
    const chainLength = new Int32Array(size);
    for (let i = leaves; i < size; i++) {
        const x = a0[i];
        const y = a1[i];
        const other = y >= 0 && y !== x;
        below[i] = 1 + (single[x] === 1 ? below[x] : 0) + (other && single[y] === 1 ? below[y] : 0);
        if (sumSign[op[i]] === 0)
            continue;
        isSum[i] = 1;
        const c = consumer[i];
        if (single[i] === 1 && c >= 0 && sumSign[op[c]] !== 0)
            interior[i] = 1;
        leafCount[i] = (interior[x] === 1 ? leafCount[x] : 1) + (other && interior[y] === 1 ? leafCount[y] : 1);
        const l0 = single[x] === 1 && isSum[x] === 1 ? chainLength[x] : 0;
        const l1 = sumSign[op[i]] === 1 && other && single[y] === 1 && isSum[y] === 1 ? chainLength[y] : 0;
        const next = l0 !== l1 ? (l0 > l1 ? x : y)
            : l0 === 0 ? -1
                : below[x] !== below[y] ? (below[x] > below[y] ? x : y)
                    : l0 === 1 && below[x] <= options.maxTree ? -1
                        : x;
        if (next >= 0) {
            spine[i] = next;
            onSpine[next] = 1;
        }
        chainLength[i] = 1 + (next >= 0 ? chainLength[next] : 0);
    }
    const inReduction = new Uint8Array(size);
    const reductionTop = new Uint8Array(size);
    const sumTreeTop = new Uint8Array(size);
    // Sum trees that are not chains: many terms, and a chain below the top that is short, or
    // shorter than the largest sum hanging off it (the balanced trees of `sum`: the chain down
    // the left edge is log₂ K links long, the subtree beside its top has K/2 terms). Their
    // interior nodes are marked first, top down, so that no chain is looked for inside them. A
    // small sum at the bottom (at most a tree: `(a_i + b_i)` in sum(a₁ + b₁, a₂ + b₂, …), or
    // x₁ + x₂ + x₃ + x₄) is one term: a template computes it, as it would in a chain.
    const minSumTerms = 4 * options.minChain;
    const smallSum = options.maxTree;
    const stack = [];
    for (let i = size - 1; i >= leaves; i--) {
        if (interior[i] === 1 || leafCount[i] < minSumTerms)
            continue;
        let widest = 0;
        for (let s = i; s >= 0; s = spine[s]) {
            const off = a0[s] === spine[s] ? a1[s] : a0[s];
            if (interior[off] === 1 && leafCount[off] > widest)
                widest = leafCount[off];
            if (spine[s] < 0 && interior[a1[s]] === 1 && leafCount[a1[s]] > widest)
                widest = leafCount[a1[s]];
        }
        if (chainLength[i] >= options.minChain && widest <= chainLength[i])
            continue;
        reductionTop[i] = 1;
        sumTreeTop[i] = 1;
        stack.push(i);
        while (stack.length > 0) {
            const s = stack.pop();
            inReduction[s] = 1;
            if (interior[a0[s]] === 1 && below[a0[s]] > smallSum)
                stack.push(a0[s]);
            if (a1[s] !== a0[s] && interior[a1[s]] === 1 && below[a1[s]] > smallSum)
                stack.push(a1[s]);
        }
    }
    // A chain's top is a link that is not itself below another link; short chains are ordinary trees.
    for (let i = size - 1; i >= leaves; i--) {
        if (isSum[i] === 0 || onSpine[i] === 1 || inReduction[i] === 1 || chainLength[i] < options.minChain)
            continue;
        reductionTop[i] = 1;
        for (let s = i; s >= 0; s = spine[s])
            inReduction[s] = 1;
    }
    return { inReduction, reductionTop, spine, sumTreeTop };
}
/**
 * Trees: each application absorbs its single-use arguments while the size bound allows, then the
 * arguments it is the last to read whose other readers it has absorbed already (a named temporary
 * read twice in one term: `t·t`, `(100·t)·t`), so that a tree may be a DAG but no value computed
 * inside a tree is read from outside it.
 *
 * A node read twice is absorbed only when its own tree holds no such node: in a chain
 * t_k = t_{k−1} + 0.1·sin(t_{k−1}) every t is read twice by the next link alone, and absorbing them
 * all would merge the links into trees of `maxTree` nodes cut anywhere, whose shapes do not
 * repeat; this way two links make one tree, and the trees repeat.
 */
function trees(tape, maxTree, single, isOutput, inReduction, consumer) {
    const { size, leaves, a0, a1 } = tape;
    // Nodes read more than once that a tree may hold (applications, not outputs, not reductions'),
    // and their readers, each once (CSR: the readers of s are reader[from[s], from[s + 1])).
    const shared = new Uint8Array(size);
    const from = new Int32Array(size + 1);
    for (let i = leaves; i < size; i++) {
        if (single[i] === 0 && isOutput[i] === 0 && inReduction[i] === 0)
            shared[i] = 1;
        const x = a0[i];
        const y = a1[i];
        if (shared[x] === 1)
            from[x + 1]++;
        if (y >= 0 && y !== x && shared[y] === 1)
            from[y + 1]++;
    }
    for (let s = 1; s <= size; s++)
        from[s] += from[s - 1];
    const reader = new Int32Array(from[size]);
    const next = from.slice(0, size);
    for (let i = leaves; i < size; i++) {
        const x = a0[i];
        const y = a1[i];
        if (shared[x] === 1)
            reader[next[x]++] = i;
        if (y >= 0 && y !== x && shared[y] === 1)
            reader[next[y]++] = i;
    }
    const treeSize = new Int32Array(size);
    const parent = new Int32Array(size).fill(-1);
    // holdsShared[i]: i's tree holds a node read more than once (not counting i).
    const holdsShared = new Uint8Array(size);
    /** Whether i may take the shared node x: its last reader, holding every other reader already. */
    const takesShared = (i, x) => {
        if (shared[x] === 0 || consumer[x] !== i || holdsShared[x] === 1 || treeSize[i] + treeSize[x] > maxTree)
            return false;
        for (let k = from[x]; k < from[x + 1]; k++) {
            let c = reader[k];
            while (parent[c] >= 0)
                c = parent[c];
            if (c !== i)
                return false;
        }
        return true;
    };
    for (let i = leaves; i < size; i++) {
        treeSize[i] = 1;
        if (inReduction[i] === 1)
            continue;
        const x = a0[i];
        const y = a1[i] >= 0 && a1[i] !== x ? a1[i] : -1;
        // Single-use arguments first (their place is certain), then the shared ones.
        if (single[x] === 1 && inReduction[x] === 0 && 1 + treeSize[x] <= maxTree) {
            parent[x] = i;
            treeSize[i] += treeSize[x];
            holdsShared[i] |= holdsShared[x];
        }
        if (y >= 0 && single[y] === 1 && inReduction[y] === 0 && treeSize[i] + treeSize[y] <= maxTree) {
            parent[y] = i;
            treeSize[i] += treeSize[y];
            holdsShared[i] |= holdsShared[y];
        }
        if (shared[x] === 1 && takesShared(i, x)) {
            parent[x] = i;
            treeSize[i] += treeSize[x];
            holdsShared[i] = 1;
        }
        if (y >= 0 && shared[y] === 1 && takesShared(i, y)) {
            parent[y] = i;
            treeSize[i] += treeSize[y];
            holdsShared[i] = 1;
        }
    }
    const rootOf = new Int32Array(size).fill(-1);
    for (let i = size - 1; i >= leaves; i--)
        rootOf[i] = parent[i] < 0 ? i : rootOf[parent[i]];
    return { parent, treeSize, rootOf };
}
/** A chain: walk down the spine collecting each link's term; the bottom link contributes both arguments. */
function chain(tape, top, spine, absorbed) {
    const links = [];
    for (let s = top; s >= 0; s = spine[s])
        links.push(s);
    const bottom = links[links.length - 1];
    const terms = new Int32Array(links.length + 1);
    const negative = new Uint8Array(links.length + 1);
    const linkOf = new Int32Array(links.length + 1);
    terms[0] = tape.a0[bottom];
    terms[1] = tape.a1[bottom];
    negative[1] = sumSign[tape.op[bottom]] === -1 ? 1 : 0;
    linkOf[0] = linkOf[1] = bottom;
    for (let k = links.length - 2, j = 2; k >= 0; k--, j++) {
        const link = links[k];
        const left = tape.a0[link] === links[k + 1];
        terms[j] = left ? tape.a1[link] : tape.a0[link];
        negative[j] = left && sumSign[tape.op[link]] === -1 ? 1 : 0;
        linkOf[j] = link;
    }
    const treeTerm = new Uint8Array(terms.length);
    for (let j = 0; j < terms.length; j++)
        treeTerm[j] = absorbed[terms[j]];
    return { _tag: 'reduce', root: top, terms, treeTerm, negative, links: linkOf };
}
/** A sum tree: its terms left to right with their signs, and its interior nodes. */
function sumTree(tape, top, single, inReduction, absorbed) {
    const { a0, a1, op } = tape;
    const terms = [];
    const negative = [];
    const interior = [];
    // Depth first, left operand first, with the sign of each node (an explicit stack: the tree may
    // be deep). An operand is interior when it is a single-use reduction node below this top.
    const inside = (s) => single[s] === 1 && inReduction[s] === 1;
    const stack = [top, 0];
    while (stack.length > 0) {
        const neg = stack.pop();
        const s = stack.pop();
        if (s !== top && !inside(s)) {
            terms.push(s);
            negative.push(neg);
            continue;
        }
        interior.push(s);
        // Right operand pushed first, so the left one is visited first.
        stack.push(a1[s], sumSign[op[s]] === -1 ? 1 - neg : neg, a0[s], neg);
    }
    const t = Int32Array.from(terms);
    const treeTerm = Uint8Array.from(t, (s) => absorbed[s]);
    return { _tag: 'reduce', root: top, terms: t, treeTerm, negative: Uint8Array.from(negative), links: new Int32Array(0), interior: Int32Array.from(interior).sort() };
}
