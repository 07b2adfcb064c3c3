import { sortByName } from './order.js';
/**
 * A set of nodes keyed by id: a byte per id when ids are small enough (the common case, and
 * several times faster than a `Set` of objects on large graphs), a `Set` of ids otherwise.
 */
class NodeMarks {
    bytes;
    set;
    constructor(maxId) {
        if (maxId < 1 << 26)
            this.bytes = new Uint8Array(maxId + 1);
        else
            this.set = new Set();
    }
    has(n) {
        return this.bytes !== undefined ? this.bytes[n.id] === 1 : this.set.has(n.id);
    }
    add(n) {
        if (this.bytes !== undefined)
            this.bytes[n.id] = 1;
        else
            this.set.add(n.id);
    }
}
/** Every argument has a smaller id than its user, so the largest id among the roots bounds all. */
const maxIdOf = (roots) => roots.reduce((m, r) => Math.max(m, r.id), 0);
/**
 * Every ancestor of `roots` (roots included), each once, arguments before the nodes that use
 * them: the order of the document's forward propagation.
 */
export function topoOrder(roots) {
    const order = [];
    const seen = new NodeMarks(maxIdOf(roots));
    postOrder(roots, (n) => !seen.has(n) && (seen.add(n), true), (n) => order.push(n));
    return order;
}
/**
 * Visits every ancestor of `roots` once, arguments before the nodes that use them, with an
 * explicit stack of (node, next argument) rather than recursion, so depth costs nothing.
 * `claim(n)` answers whether n is not yet visited, and marks it; `visit(n)` runs once all of n's
 * arguments have been visited. Callers keep their own per-node state (`topoOrder`, the tape
 * layout).
 */
export function postOrder(roots, claim, visit) {
    const stack = [];
    const next = [];
    for (const root of roots) {
        if (!claim(root))
            continue;
        stack.push(root);
        next.push(0);
        while (stack.length > 0) {
            const top = stack.length - 1;
            const node = stack[top];
            const args = node._tag === 'apply' ? node.args : noArgs;
            const k = next[top];
            if (k < args.length) {
                next[top] = k + 1;
                const child = args[k];
                if (claim(child)) {
                    stack.push(child);
                    next.push(0);
                }
            }
            else {
                stack.pop();
                next.pop();
                visit(node);
            }
        }
    }
}
const noArgs = Object.freeze([]);
/** The inputs (parents) of a node: the document's get_inputs. */
export const inputs = (node) => (node._tag === 'apply' ? node.args : noArgs);
/**
 * The consumers (children) of every node in `order`: the document's get_consumers. A node that
 * uses the same argument twice (`x*x`) is listed twice, once per edge.
 */
export function consumers(order) {
    const out = new Map();
    for (const n of order)
        out.set(n, []);
    for (const n of order)
        for (const a of inputs(n))
            out.get(a)?.push(n);
    return out;
}
/**
 * The free variables reachable from `roots`, in the natural order of their names (`x2` before
 * `x10`), one node per name.
 */
export function freeVariables(roots) {
    // A pre-order walk, first arguments first (each node's arguments pushed in reverse), so that
    // the variables come out in the order the program text first uses them: for most programs
    // nearly natural order already, which `sortByName` puts in order in linear time.
    const vars = [];
    const seen = new NodeMarks(maxIdOf(roots));
    const stack = [];
    for (let r = roots.length - 1; r >= 0; r--)
        stack.push(roots[r]);
    while (stack.length > 0) {
        const n = stack.pop();
        if (seen.has(n))
            continue;
        seen.add(n);
        if (n._tag === 'var')
            vars.push(n);
        else if (n._tag === 'apply')
            for (let k = n.args.length - 1; k >= 0; k--)
                if (!seen.has(n.args[k]))
                    stack.push(n.args[k]);
    }
    sortByName(vars, (v) => v.name);
    // Variable nodes of one name from different builds are one variable: keep the first.
    let kept = 0;
    for (const v of vars)
        if (kept === 0 || vars[kept - 1].name !== v.name)
            vars[kept++] = v;
    vars.length = kept;
    return vars;
}
/**
 * The document's pruning (§3.2.2): given a topological `order` of the ancestors of the outputs,
 * marks the nodes that are also descendants of one of `wrt`. Only these need adjoints in the
 * reverse sweep or tangents in the forward sweep.
 */
export function descendantsOf(order, wrt) {
    const active = new Set();
    // A variable is its name: another node of the same name (from another build) is the same variable.
    const names = new Set();
    for (const w of wrt)
        if (w._tag === 'var')
            names.add(w.name);
    for (const n of order) {
        if (wrt.has(n) || (n._tag === 'var' && names.has(n.name))) {
            active.add(n);
            continue;
        }
        for (const a of inputs(n)) {
            if (active.has(a)) {
                active.add(n);
                break;
            }
        }
    }
    return active;
}
/**
 * Whether `a` and `b` are the same expression: the same constants (by `Object.is`), variable
 * names, operations and shapes, with structurally equal arguments. Nodes built in one build (or
 * outside any) are equal exactly when they are the same object; nodes of different builds (two
 * parses of one text) are equal by this test. Iterative, and linear in the size of the graphs
 * when each is hash-consed.
 */
export function structurallyEqual(a, b) {
    const matched = new Map();
    const stack = [a, b];
    while (stack.length > 0) {
        const y = stack.pop();
        const x = stack.pop();
        if (x === y || matched.get(x) === y)
            continue;
        if (x._tag !== y._tag || x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i]))
            return false;
        switch (x._tag) {
            case 'const':
                if (!Object.is(x.value, y.value))
                    return false;
                break;
            case 'var':
                if (x.name !== y.name)
                    return false;
                break;
            case 'apply': {
                const z = y;
                if (x.op !== z.op || x.args.length !== z.args.length)
                    return false;
                for (let i = x.args.length - 1; i >= 0; i--)
                    stack.push(x.args[i], z.args[i]);
                break;
            }
        }
        matched.set(x, y);
    }
    return true;
}
