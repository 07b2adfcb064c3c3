/**
 * Laying out a graph flat: one walk over the nodes gives the tape's slots (leaves first, then
 * applications in topological order), op codes and argument slots.
 *
 * The order is `topoOrder`'s (post-order of an iterative depth-first walk from the outputs), with
 * the leaves moved to the front; everything a slot needs is read from its node when the walk
 * leaves it, so each node object is touched once (on a graph of 10^6 nodes, separate passes for
 * the order, the leaves, the slot index and the arguments cost more than the walk itself: the
 * nodes are scattered in memory).
 *
 * @example
 * const l = layout(program.outputs)
 * l.nodes[l.a0[l.leaves]]  // the first argument of the first application
 */
import { postOrder } from '../expr/graph.js';
import { opCode } from '../ops/table.js';
import { isOpTag } from '../ops/tags.js';
import { Ints } from './ints.js';
/** Op code of a variable slot. Applications have codes ≥ 0 (`opCode`). */
export const VAR = -1;
/** Op code of a constant slot. */
export const CONST = -2;
// Op codes by name: the table's, then those registered at run time (`defineOp`), by `opCode`.
const codeOf = { get: (op) => (isOpTag(op) ? opCode[op] : undefined) };
/**
 * What the walk knows about each node id: 0 unseen, 1 on the stack, 2 + c when laid out, where
 * c = 2k for the k-th leaf and 2k + 1 for the k-th application. An array by id when ids are small
 * enough (the common case), a map otherwise.
 */
class ById {
    arr;
    map;
    constructor(maxId) {
        if (maxId < 1 << 26)
            this.arr = new Int32Array(maxId + 1);
        else
            this.map = new Map();
    }
    get(id) {
        return this.arr !== undefined ? this.arr[id] : (this.map.get(id) ?? 0);
    }
    set(id, v) {
        if (this.arr !== undefined)
            this.arr[id] = v;
        else
            this.map.set(id, v);
    }
}
/** The slots of the ancestors of `outputs`. Iterative and linear in the number of nodes. */
export function layout(outputs) {
    // Every argument has a smaller id than its user, so the largest id among the roots bounds all.
    let maxId = 0;
    for (const r of outputs)
        if (r.id > maxId)
            maxId = r.id;
    const state = new ById(maxId);
    const leafNodes = [];
    const appNodes = [];
    // Per application: op code and argument codes (c as above; −1 none), resolved to slots at the end.
    const appOp = new Ints(1024);
    const appA0 = new Ints(1024);
    const appA1 = new Ints(1024);
    // A variable is its name: variable nodes of one name (built in different builds) share a slot.
    const variableCodes = new Map();
    postOrder(outputs, (n) => state.get(n.id) === 0 && (state.set(n.id, 1), true), (node) => {
        if (node._tag !== 'apply') {
            if (node._tag === 'var') {
                const same = variableCodes.get(node.name);
                if (same !== undefined) {
                    state.set(node.id, same);
                    return;
                }
                variableCodes.set(node.name, 2 + 2 * leafNodes.length);
            }
            if (node.shape.length !== 0)
                throw new TensorProgramError(node);
            state.set(node.id, 2 + 2 * leafNodes.length);
            leafNodes.push(node);
            return;
        }
        const args = node.args;
        const code = codeOf.get(node.op);
        if (code === undefined || node.shape.length !== 0)
            throw new TensorProgramError(node);
        if (args.length > 2)
            throw new RangeError(`operation '${node.op}' has ${args.length} arguments; the tape holds at most 2`);
        state.set(node.id, 3 + 2 * appNodes.length);
        appNodes.push(node);
        appOp.push(code);
        appA0.push(args.length > 0 ? state.get(args[0].id) - 2 : -1);
        appA1.push(args.length > 1 ? state.get(args[1].id) - 2 : -1);
    });
    const leaves = leafNodes.length;
    const size = leaves + appNodes.length;
    const slot = (c) => (c < 0 ? -1 : (c & 1) === 0 ? c >> 1 : leaves + (c >> 1));
    const op = new Int32Array(size);
    const a0 = new Int32Array(size).fill(-1);
    const a1 = new Int32Array(size).fill(-1);
    const init = new Float64Array(size);
    const variables = new Map();
    for (let i = 0; i < leaves; i++) {
        const n = leafNodes[i];
        if (n._tag === 'const') {
            op[i] = CONST;
            init[i] = n.value;
        }
        else if (n._tag === 'var') {
            op[i] = VAR;
            variables.set(n.name, i);
        }
    }
    for (let j = 0; j < appOp.length; j++) {
        op[leaves + j] = appOp.data[j];
        a0[leaves + j] = slot(appA0.data[j]);
        a1[leaves + j] = slot(appA1.data[j]);
    }
    const outputSlots = Int32Array.from(outputs, (n) => slot(state.get(n.id) - 2));
    return { size, leaves, nodes: leafNodes.concat(appNodes), op, a0, a1, init, variables, outputs: outputSlots };
}
/**
 * The scalar tape met a tensor (a variable or operation of non-scalar shape, or a structural
 * tensor operation): the program must go to the tensor evaluators. The scalar entry points that
 * return an `Either` turn this into a `BadArgument`; the command line routes tensor programs
 * itself.
 */
export class TensorProgramError extends Error {
    constructor(node) {
        const what = node._tag === 'var' ? `the variable ${node.name} has shape [${node.shape.join(',')}]` : node._tag === 'apply' ? `it applies ${node.op}${node.shape.length > 0 ? ` with shape [${node.shape.join(',')}]` : ''}` : 'it holds a tensor';
        super(`this program works on tensors (${what}): use tensorEvaluate, tensorGrad, tensorVjp, tensorJvp, tensorJacobian, tensorHvp or compileTensor`);
        this.name = 'TensorProgramError';
    }
}
