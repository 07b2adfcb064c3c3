/**
 * Expression nodes: the immutable, hash-consed computational graph.
 *
 * A node is a constant, a variable or the application of a named operation to
 * argument nodes (the document's "operation: a simple function of one or more
 * variables returning one output"). Nodes are frozen and interned: building a
 * structurally equal node twice in the same build (see `building`; a parse and a
 * derivative are builds of their own), or twice outside any build, returns the
 * very same object, so common subexpressions are shared and `z = f(f(f(w)))`
 * holds one node per level. Nodes of different builds are equal by
 * `structurallyEqual`, not by `===`.
 *
 * This module knows nothing about what operations mean; `src/ops` gives them
 * their semantics and derivative rules. Every node has a `shape` (`[]` for a
 * scalar) so that tensors can arrive without changing the representation.
 *
 * @example
 * import { variable, sin } from 'chainrule'
 * const x = variable('x')
 * sin(x) === sin(x)   // → true   one node
 */
export const scalarShape = Object.freeze([]);
// -------------------------------------------------------------------------------------------------
// Guards and exhaustiveness
// -------------------------------------------------------------------------------------------------
export const isConst = (n) => n._tag === 'const';
export const isVar = (n) => n._tag === 'var';
export const isApply = (n) => n._tag === 'apply';
/** Compile-time exhaustiveness check for `switch` on `_tag`. */
export function absurd(x) {
    throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
// -------------------------------------------------------------------------------------------------
// Hash-consing: builds and the shared table
// -------------------------------------------------------------------------------------------------
// Where a node is interned decides which structurally equal nodes it is the same object as:
//
// - inside a build (`building(f)`: a parse, a derivative, or any code the caller wraps), every
//   node goes into the build's own table, keyed by integers (op and argument ids, through the
//   list of users of each argument; a constant's value; a variable's name hash), holding its
//   nodes strongly and dropped with the build. No weak references, no sweeping, and nothing of
//   the build is kept alive after it but what the caller holds;
// - outside any build (builders called at top level), into one shared table that holds its
//   nodes weakly, so that `sin(x) === sin(x)` in user code and a graph nobody references any more
//   is collected. A `WeakRef` costs several times a node (and each one created or dereferenced
//   keeps its node alive until the current job ends), which is why builds do not use one.
//
// Two builds may hold structurally equal nodes that are different objects, variables included.
// A variable is its name: the tape gives all variable nodes of one name one slot, and
// `freeVariables` lists a name once, so graphs from different builds combine as if each name
// had one node.
//
// Ids are unique in the process and increase in creation order, whatever the table, so every
// argument has a smaller id than its user and ids can key per-walk arrays.
let nextId = 0;
/** The number of nodes ever created in this process (a counter for tests of sharing). */
export const nodesCreated = () => nextId;
/** A hash of an op name (FNV-1a over its code units: op names are short). */
function opKey(op) {
    let h = 0x811c9dc5;
    for (let i = 0; i < op.length; i++)
        h = Math.imul(h ^ op.charCodeAt(i), 0x01000193);
    return h;
}
/**
 * One step of the hash of a variable's name: `nameHash(s)` starts from the first code unit and
 * applies this to each of the others. The lexer computes it as it reads a name.
 */
export const nameHashStep = (h, c) => Math.imul(h ^ c, 0x01000193);
/** The hash of a variable's name (never 0, which marks an empty slot). */
export function nameHash(name) {
    let h = name.length > 0 ? name.charCodeAt(0) : 0;
    for (let i = 1; i < name.length; i++)
        h = nameHashStep(h, name.charCodeAt(i));
    return h | 1;
}
/** Mixes `k` into the hash `h` (MurmurHash2's multiplier; numbers beyond 32 bits wrap). */
function mix(h, k) {
    const m = Math.imul(h ^ k, 0x5bd1e995);
    return m ^ (m >>> 15);
}
/** The last step of every hash: never 0, which marks an empty slot of a table. */
const final = (h) => h | 1;
/** A 32-bit hash of op(args) with `shape`. */
function hashApply(key, args, shape) {
    let h = Math.imul(key, 0x9e3779b1);
    for (let i = 0; i < args.length; i++)
        h = mix(h, args[i].id);
    if (shape.length > 0)
        for (let i = 0; i < shape.length; i++)
            h = mix(h, shape[i] + 0x7fff);
    return final(mix(h, args.length));
}
/** The hash of a unary or binary scalar application (`hashApply` of the same node). */
function hash2(key, a, b) {
    let h = mix(Math.imul(key, 0x9e3779b1), a.id);
    if (b !== undefined)
        h = mix(h, b.id);
    return final(mix(h, b === undefined ? 1 : 2));
}
const bits = new Float64Array(1);
const bitWords = new Int32Array(bits.buffer);
/** A 32-bit hash of a constant's bits (every NaN alike; 0 and −0 differ). */
function hashConstant(value) {
    bits[0] = value === value ? value : NaN;
    return final(mix(mix(0x2545f491, bitWords[0]), bitWords[1]));
}
/** The same constant: `Object.is`, so −0 is not 0 and every NaN is the same constant. */
const sameValue = (a, b) => (a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b);
const isNegativeZero = (v) => v === 0 && 1 / v < 0;
const sameShape = (a, b) => {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
};
/** Whether `n` is op(args) with `shape`. */
function isApplyOf(n, op, args, shape) {
    const have = n.args;
    if (n.op !== op || have.length !== args.length || !sameShape(n.shape, shape))
        return false;
    for (let i = 0; i < args.length; i++)
        if (have[i] !== args[i])
            return false;
    return true;
}
/** Whether `n` is the scalar op(a) or op(a, b). */
const isApply2 = (n, op, a, b) => n.op === op && n.args[0] === a && (b === undefined ? n.args.length === 1 : n.args.length === 2 && n.args[1] === b) && n.shape.length === 0;
const newConstant = (value) => Object.freeze({ _tag: 'const', id: nextId++, value, shape: scalarShape });
const newVariable = (name, shape = scalarShape) => Object.freeze({ _tag: 'var', id: nextId++, name, shape });
/** The key of a variable of tensor shape: its name and its shape. */
const shapedKey = (name, shape) => `${name}[${shape.join('x')}]`;
const newApply = (op, args, shape) => ({ _tag: 'apply', id: nextId++, op, args, shape });
/** Smallest table of applications; tables grow by doubling at half full. */
const minCapacity = 1024;
/** The power of two at least `minCapacity` and at least twice `n`. */
function capacityFor(n) {
    let c = minCapacity;
    while (c < 2 * n && c < 1 << 28)
        c *= 2;
    return c;
}
/** Users an argument may have while lookups still walk its list of users; past it, it is "hot". */
const chainLimit = 8;
/** The key of an application of another arity or shape than the common ones (a rare case). */
const genericKey = (op, args, shape) => `${op}(${args.map((a) => a.id).join(',')})[${shape.join('x')}]`;
/**
 * The table of one build. Rather than one hash table of every application, whose probes land
 * anywhere in a table as large as the graph (on graphs of 10^6 nodes, a cache miss or two per
 * node), each argument keeps the list of its users, threaded through arrays indexed by id: an
 * application op(a, b) can only equal a user of a (and of b), so a lookup walks the shorter of
 * the two lists, and a new node's own list starts empty. The arrays hold entries for ids from
 * `lo` (the first id of the build) on, so the lists of recent nodes sit together in memory.
 *
 * A list is walked only while its argument has at most `chainLimit` users (the constant 2 of
 * `x^2` has thousands): an application whose arguments all have more is also entered in a small
 * hash table, and found there. So a lookup costs at most `chainLimit` steps, a hash probe, or
 * nothing for a fresh argument. Nodes made before the build (adopted, or used as arguments) get
 * their entries through a map instead. Constants and variables: maps, by value and by name.
 *
 * Handles: an entry of the arrays (d ≥ 0, for id lo + d), a node made before the build
 * (−2 − its index in `foreign`), or −1 for none.
 */
class Build {
    lo;
    /** Entries (ids lo, lo + 1, ...) the arrays have room for. */
    room = 0;
    nodeAt = [];
    /** The first user in an entry's list, the next user in the lists of a user's first and second argument. */
    head = new Int32Array(0);
    link0 = new Int32Array(0);
    link1 = new Int32Array(0);
    /** Users so far. */
    users = new Int32Array(0);
    foreign = new Map();
    foreignNodes = [];
    foreignHead = [];
    foreignLink0 = [];
    foreignLink1 = [];
    foreignUsers = [];
    /** Applications whose arguments are all hot: (hash, handle) pairs, open addressing, hash 0 empty. */
    hot = new Int32Array(2 * 64);
    hotCount = 0;
    generic = new Map();
    constants = new Map();
    negativeZero;
    /** Variables: (name hash, index) pairs, open addressing, hash 0 empty; the variables by index. */
    variablePairs = new Int32Array(2 * 64);
    variables = [];
    /** Variables made by `newVariable`, not in the table yet. */
    unentered = [];
    /** Variables of tensor shape, by name and shape (few: a map is enough). */
    shaped = new Map();
    constructor(expected) {
        this.lo = nextId;
        this.grow(Math.max(minCapacity, expected) - 1);
    }
    constant(value) {
        if (isNegativeZero(value))
            return (this.negativeZero ??= newConstant(value));
        let c = this.constants.get(value);
        if (c === undefined) {
            c = newConstant(value);
            this.constants.set(value, c);
        }
        return c;
    }
    variable(name, h = nameHash(name)) {
        if (this.unentered.length > 0)
            this.enterVariables();
        const pairs = this.variablePairs;
        const mask = pairs.length - 2;
        let i = h & mask;
        for (let g = pairs[i]; g !== 0; g = pairs[i]) {
            if (g === h && this.variables[pairs[i + 1]].name === name)
                return this.variables[pairs[i + 1]];
            i = (i + 2) & mask;
        }
        const v = newVariable(name);
        this.placeVariable(i, h, v);
        return v;
    }
    newVariable(name) {
        const v = newVariable(name);
        this.unentered.push(v);
        return v;
    }
    shapedVariable(name, shape) {
        const key = shapedKey(name, shape);
        let v = this.shaped.get(key);
        if (v === undefined) {
            v = newVariable(name, Object.freeze(shape.slice()));
            this.shaped.set(key, v);
        }
        return v;
    }
    /** Enters the variables made by `newVariable` in the table (at the first lookup after them). */
    enterVariables() {
        const made = this.unentered.splice(0);
        for (const v of made) {
            const h = nameHash(v.name);
            const pairs = this.variablePairs;
            const mask = pairs.length - 2;
            let i = h & mask;
            let known = false;
            for (let g = pairs[i]; g !== 0 && !known; g = pairs[i]) {
                known = g === h && this.variables[pairs[i + 1]].name === v.name;
                if (!known)
                    i = (i + 2) & mask;
            }
            if (!known)
                this.placeVariable(i, h, v);
        }
    }
    placeVariable(i, h, v) {
        this.variablePairs[i] = h;
        this.variablePairs[i + 1] = this.variables.length;
        this.variables.push(v);
        if (this.variables.length * 4 > this.variablePairs.length) {
            const old = this.variablePairs;
            const pairs = (this.variablePairs = new Int32Array(old.length * 2));
            const mask = pairs.length - 2;
            for (let j = 0; j < old.length; j += 2) {
                if (old[j] === 0)
                    continue;
                let k = old[j] & mask;
                while (pairs[k] !== 0)
                    k = (k + 2) & mask;
                pairs[k] = old[j];
                pairs[k + 1] = old[j + 1];
            }
        }
    }
    apply2(op, a, b) {
        const ha = this.handle(a);
        const hb = b === undefined ? -1 : this.handle(b);
        return this.find(op, a, b, ha, hb) ?? this.enter(newApply(op, (b === undefined ? [a] : [a, b]), scalarShape), a, b, ha, hb);
    }
    apply(op, args, shape) {
        if (shape.length === 0 && (args.length === 1 || args.length === 2))
            return this.apply2(op, args[0], args[1]);
        const key = genericKey(op, args, shape);
        let n = this.generic.get(key);
        if (n === undefined) {
            n = newApply(op, Object.freeze(args.slice()), shape);
            this.generic.set(key, n);
        }
        return n;
    }
    adopt(nodes) {
        // Nodes from one earlier build have ids close together: entries for them cost less than the map.
        let min = this.lo;
        for (const n of nodes)
            if (n.id < min)
                min = n.id;
        if (min < this.lo && this.foreign.size === 0 && this.lo - min <= 4 * nodes.length + minCapacity)
            this.rebase(min);
        for (const n of nodes) {
            switch (n._tag) {
                case 'const':
                    if (isNegativeZero(n.value))
                        this.negativeZero ??= n;
                    else if (!this.constants.has(n.value))
                        this.constants.set(n.value, n);
                    break;
                case 'var': {
                    if (this.unentered.length > 0)
                        this.enterVariables();
                    const h = nameHash(n.name);
                    const pairs = this.variablePairs;
                    const mask = pairs.length - 2;
                    let i = h & mask;
                    let known = false;
                    for (let g = pairs[i]; g !== 0 && !known; g = pairs[i]) {
                        known = g === h && this.variables[pairs[i + 1]].name === n.name;
                        i = (i + 2) & mask;
                    }
                    if (!known)
                        this.placeVariable(i, h, n);
                    break;
                }
                case 'apply': {
                    const [a, b] = n.args;
                    if (n.shape.length > 0 || n.args.length === 0 || n.args.length > 2) {
                        const key = genericKey(n.op, n.args, n.shape);
                        if (!this.generic.has(key))
                            this.generic.set(key, n);
                        break;
                    }
                    const ha = this.handle(a);
                    const hb = b === undefined ? -1 : this.handle(b);
                    if (this.find(n.op, a, b, ha, hb) === undefined)
                        this.enter(n, a, b, ha, hb);
                    break;
                }
            }
        }
    }
    // -- Lookups ------------------------------------------------------------------------------------
    /** The application op(a) or op(a, b) if the build has it (`ha`, `hb`: the arguments' handles). */
    find(op, a, b, ha, hb) {
        const na = this.usersOf(ha);
        const nb = b === undefined ? 0 : this.usersOf(hb);
        const coldA = na <= chainLimit;
        const coldB = b !== undefined && nb <= chainLimit;
        if (!coldA && !coldB)
            return this.findHot(hash2(opKey(op), a, b), op, a, b);
        // The shorter list of a cold argument.
        const viaA = coldA && (!coldB || na <= nb);
        const via = viaA ? a : b;
        for (let u = this.headOf(viaA ? ha : hb); u !== -1;) {
            const n = this.nodeOf(u);
            if (isApply2(n, op, a, b))
                return n;
            u = n.args[0] === via ? this.link0Of(u) : this.link1Of(u);
        }
        return undefined;
    }
    findHot(h, op, a, b) {
        const mask = this.hot.length - 2;
        let i = h & mask;
        for (let g = this.hot[i]; g !== 0; g = this.hot[i]) {
            if (g === h) {
                const n = this.nodeOf(this.hot[i + 1]);
                if (isApply2(n, op, a, b))
                    return n;
            }
            i = (i + 2) & mask;
        }
        return undefined;
    }
    // -- Entering a node ----------------------------------------------------------------------------
    /** Enters the application `n` = op(a) or op(a, b), which the build does not have yet. */
    enter(n, a, b, ha, hb) {
        const hn = this.handle(n);
        if (hn >= 0) {
            // Kept packed: the holes (ids of constants and variables) are filled, never skipped.
            while (this.nodeAt.length < hn)
                this.nodeAt.push(undefined);
            this.nodeAt[hn] = n;
        }
        this.attach(hn, a, ha, 0);
        if (b !== undefined && b !== a)
            this.attach(hn, b, hb, 1);
        if (this.isHot(a) && (b === undefined || this.isHot(b)))
            this.enterHot(hn, n);
        return n;
    }
    /** Adds the node `hn` to the users of its argument `arg` (handle `h`, at `position`). */
    attach(hn, arg, h, position) {
        const count = this.usersOf(h);
        if (count <= chainLimit) {
            // Still cold: the list is walked, so the new user goes in front.
            if (position === 0)
                this.setLink0(hn, this.headOf(h));
            else
                this.setLink1(hn, this.headOf(h));
            this.setHead(h, hn);
        }
        this.setUsers(h, count + 1);
        // Turning hot: from now on its list is not walked, so its users whose arguments are all hot
        // must be found in the hash table (the others are still in the list of a cold argument).
        if (count + 1 === chainLimit + 1) {
            for (let u = this.headOf(h); u !== -1;) {
                const w = this.nodeOf(u);
                if (this.isHot(w.args[0]) && (w.args.length === 1 || this.isHot(w.args[1])))
                    this.enterHot(u, w);
                u = w.args[0] === arg ? this.link0Of(u) : this.link1Of(u);
            }
        }
    }
    isHot(n) {
        return this.usersOf(this.handle(n)) > chainLimit;
    }
    /** Enters `n` (handle `hn`) in the hash table of hot applications, unless it is there. */
    enterHot(hn, n) {
        const h = hash2(opKey(n.op), n.args[0], n.args[1]);
        if (this.findHot(h, n.op, n.args[0], n.args[1]) !== undefined)
            return;
        let mask = this.hot.length - 2;
        if (++this.hotCount * 4 > this.hot.length) {
            const old = this.hot;
            this.hot = new Int32Array(old.length * 2);
            mask = this.hot.length - 2;
            for (let j = 0; j < old.length; j += 2)
                if (old[j] !== 0)
                    this.placeHot(old[j], old[j + 1], mask);
        }
        this.placeHot(h, hn, mask);
    }
    placeHot(h, handle, mask) {
        let i = h & mask;
        while (this.hot[i] !== 0)
            i = (i + 2) & mask;
        this.hot[i] = h;
        this.hot[i + 1] = handle;
    }
    // -- Handles ------------------------------------------------------------------------------------
    /** The handle of `n`, making room or a foreign entry for it if needed. */
    handle(n) {
        const d = n.id - this.lo;
        if (d >= 0) {
            if (d >= this.room)
                this.grow(d);
            return d;
        }
        let k = this.foreign.get(n);
        if (k === undefined) {
            k = this.foreignNodes.length;
            this.foreign.set(n, k);
            this.foreignNodes.push(n);
            this.foreignHead.push(0);
            this.foreignLink0.push(0);
            this.foreignLink1.push(0);
            this.foreignUsers.push(0);
        }
        return -2 - k;
    }
    /** The application with handle `h` (a user in some list). */
    nodeOf(h) {
        return (h >= 0 ? this.nodeAt[h] : this.foreignNodes[-2 - h]);
    }
    usersOf(h) {
        return h >= 0 ? this.users[h] : this.foreignUsers[-2 - h];
    }
    // Lists hold handle + 1, so that a fresh (zeroed) array holds empty lists: 0 is none (−1).
    headOf(h) {
        return (h >= 0 ? this.head[h] : this.foreignHead[-2 - h]) - 1;
    }
    link0Of(h) {
        return (h >= 0 ? this.link0[h] : this.foreignLink0[-2 - h]) - 1;
    }
    link1Of(h) {
        return (h >= 0 ? this.link1[h] : this.foreignLink1[-2 - h]) - 1;
    }
    setUsers(h, v) {
        if (h >= 0)
            this.users[h] = v;
        else
            this.foreignUsers[-2 - h] = v;
    }
    setHead(h, v) {
        if (h >= 0)
            this.head[h] = v + 1;
        else
            this.foreignHead[-2 - h] = v + 1;
    }
    setLink0(h, v) {
        if (h >= 0)
            this.link0[h] = v + 1;
        else
            this.foreignLink0[-2 - h] = v + 1;
    }
    setLink1(h, v) {
        if (h >= 0)
            this.link1[h] = v + 1;
        else
            this.foreignLink1[-2 - h] = v + 1;
    }
    /** Room for entry `d` at least (doubling). */
    grow(d) {
        let room = Math.max(this.room, minCapacity);
        while (room <= d)
            room *= 2;
        this.resize(room, 0);
    }
    /** Makes `lo` the first id with an entry (lower than now; before any foreign entry exists). */
    rebase(lo) {
        const shift = this.lo - lo;
        this.lo = lo;
        for (let h = 0; h < this.hot.length; h += 2)
            if (this.hot[h] !== 0)
                this.hot[h + 1] += shift;
        this.resize(this.room + shift, shift);
    }
    /**
     * Arrays of `room` entries, the old entries moved up by `shift` (and the dense handles inside
     * them too). `nodeAt` is a plain array filled as applications are made (its holes, at the ids of
     * constants and variables, are never read), so it is only rebuilt when shifted.
     */
    resize(room, shift) {
        const move = (old, isList) => {
            const a = new Int32Array(room);
            if (shift === 0)
                a.set(old);
            else
                for (let i = 0; i < old.length; i++)
                    a[i + shift] = isList && old[i] > 0 ? old[i] + shift : old[i];
            return a;
        };
        this.head = move(this.head, true);
        this.link0 = move(this.link0, true);
        this.link1 = move(this.link1, true);
        this.users = move(this.users, false);
        if (shift > 0) {
            const nodes = [];
            for (let i = 0; i < shift; i++)
                nodes.push(undefined);
            for (const n of this.nodeAt)
                nodes.push(n);
            this.nodeAt = nodes;
        }
        this.room = room;
    }
}
/**
 * The shared table, for nodes built outside any build: the same probing over weak references,
 * with the hashes alongside. A probe dereferences an entry only when the hashes agree. Dead
 * entries stay until the table would pass half full; then it is rebuilt with the live entries
 * only (at a size of four times their number), so each insertion pays for a constant number of
 * dereferences. Variables: weakly, by name, swept when they have doubled since the last sweep.
 */
class Shared {
    hashes = new Int32Array(minCapacity);
    refs = new Array(minCapacity).fill(undefined);
    mask = minCapacity - 1;
    /** Entries, live or dead. */
    count = 0;
    /** The first dead entry met by the last probe, or −1. */
    dead = -1;
    variables = new Map();
    sweepAt = minCapacity;
    /** Variables of tensor shape, by name and shape (few, and not swept). */
    shaped = new Map();
    constant(value) {
        const h = hashConstant(value);
        this.dead = -1;
        let i = h & this.mask;
        for (let g = this.hashes[i]; g !== 0; g = this.hashes[i]) {
            if (g === h) {
                const n = this.live(i);
                if (n !== undefined && n._tag === 'const' && sameValue(n.value, value))
                    return n;
            }
            i = (i + 1) & this.mask;
        }
        return this.insert(i, h, newConstant(value));
    }
    variable(name) {
        const hit = this.variables.get(name)?.deref();
        if (hit !== undefined)
            return hit;
        if (this.variables.size >= this.sweepAt) {
            for (const [k, r] of this.variables)
                if (r.deref() === undefined)
                    this.variables.delete(k);
            this.sweepAt = Math.max(minCapacity, 2 * this.variables.size);
        }
        const v = newVariable(name);
        this.variables.set(name, new WeakRef(v));
        return v;
    }
    apply2(op, a, b) {
        const h = hash2(opKey(op), a, b);
        this.dead = -1;
        let i = h & this.mask;
        for (let g = this.hashes[i]; g !== 0; g = this.hashes[i]) {
            if (g === h) {
                const n = this.live(i);
                if (n !== undefined && n._tag === 'apply' && isApply2(n, op, a, b))
                    return n;
            }
            i = (i + 1) & this.mask;
        }
        return this.insert(i, h, newApply(op, (b === undefined ? [a] : [a, b]), scalarShape));
    }
    apply(op, args, shape) {
        const h = hashApply(opKey(op), args, shape);
        this.dead = -1;
        let i = h & this.mask;
        for (let g = this.hashes[i]; g !== 0; g = this.hashes[i]) {
            if (g === h) {
                const n = this.live(i);
                if (n !== undefined && n._tag === 'apply' && isApplyOf(n, op, args, shape))
                    return n;
            }
            i = (i + 1) & this.mask;
        }
        return this.insert(i, h, newApply(op, Object.freeze(args.slice()), shape));
    }
    newVariable(name) {
        return this.variable(name);
    }
    shapedVariable(name, shape) {
        const key = shapedKey(name, shape);
        const hit = this.shaped.get(key)?.deref();
        if (hit !== undefined)
            return hit;
        const v = newVariable(name, Object.freeze(shape.slice()));
        this.shaped.set(key, new WeakRef(v));
        return v;
    }
    /** The shared table adopts nothing: it would cost a weak reference per node. */
    adopt() { }
    /** The node of slot `i`, or `undefined` (noting the slot) if it was collected. */
    live(i) {
        const n = this.refs[i].deref();
        if (n === undefined && this.dead < 0)
            this.dead = i;
        return n;
    }
    /** Stores `node` in the first dead slot of the last probe, else in the empty slot `i` that ended it. */
    insert(i, h, node) {
        const at = this.dead >= 0 ? this.dead : i;
        if (at === i)
            this.count++;
        this.refs[at] = new WeakRef(node);
        this.hashes[at] = h;
        if (this.count * 2 > this.hashes.length)
            this.rebuild();
        return node;
    }
    rebuild() {
        const oldRefs = this.refs;
        const oldHashes = this.hashes;
        const live = [];
        for (let j = 0; j < oldHashes.length; j++)
            if (oldHashes[j] !== 0 && oldRefs[j]?.deref() !== undefined)
                live.push(j);
        const capacity = capacityFor(2 * live.length);
        this.refs = new Array(capacity).fill(undefined);
        this.hashes = new Int32Array(capacity);
        this.mask = capacity - 1;
        this.count = live.length;
        for (const j of live) {
            let i = oldHashes[j] & this.mask;
            while (this.hashes[i] !== 0)
                i = (i + 1) & this.mask;
            this.refs[i] = oldRefs[j];
            this.hashes[i] = oldHashes[j];
        }
    }
}
const shared = new Shared();
let current = shared;
/**
 * Runs `f` inside a build: every node made while it runs (by the builders, `parse`, the rules of
 * a derivative) is interned in a table of the build's own, so that within it structurally equal
 * nodes are one node, and the table is dropped when `f` returns. Inside a build already, `f`
 * joins it. `parse` and the symbolic derivatives run in a build of their own when called
 * outside one. `expected`, about how many nodes `f` will make, sizes the first table.
 *
 * Wrap code that builds a large graph with the builders: a build is several times faster than the
 * shared table used outside any build, and its nodes are the ones `parse` or `gradExpr` give for
 * the same structure in the same call. Only what `f` runs synchronously is inside the build (the
 * rest of an async `f` builds in the shared table).
 *
 * @example
 * import { building, gradExpr, program, add, mul, variable, structurallyEqual, orThrow } from 'chainrule'
 * const x = variable('x')
 * building(() => orThrow(gradExpr(program([mul(x, x)]))).outputs[0] === add(x, x))   // → true   one build, one node
 * const [g] = orThrow(gradExpr(program([mul(x, x)]))).outputs                         // a build of its own
 * g === add(x, x)                                                                       // → false
 * g !== undefined && structurallyEqual(g, add(x, x))                                    // → true
 */
export function building(f, expected = 0) {
    if (current !== shared)
        return f();
    current = new Build(expected);
    try {
        return f();
    }
    finally {
        current = shared;
    }
}
/** Whether code running now is inside a build (`building`). */
export const inBuild = () => current !== shared;
/**
 * Inside a build, makes `nodes` (built anywhere) the nodes the build gives for their structure,
 * unless it already has one: a derivative adopts the graph it differentiates, so that the rules
 * find `cos(x)` where the program has it. Outside a build it does nothing.
 */
export const adopt = (nodes) => current.adopt(nodes);
// -------------------------------------------------------------------------------------------------
// Constructors (raw: no simplification; `src/ops` adds the smart constructors)
// -------------------------------------------------------------------------------------------------
/** The constant node for `value` (in the current build, or the shared table). */
export const constant = (value) => current.constant(value);
/**
 * The variable node named `name` (in the current build, or the shared table); with a `shape`
 * other than `[]`, a tensor variable of that shape (a program's tensor inputs).
 */
export const variable = (name, shape) => shape === undefined || shape.length === 0 ? current.variable(name, nameHash(name)) : current.shapedVariable(name, shape);
/** `variable(name)` when `h` is `nameHash(name)` already (the lexer computes it as it reads). */
export const variableHashed = (name, h) => current.variable(name, h);
/**
 * `variable(name)` when the current build is known not to have a variable of that name: only for
 * a parse in a build of its own (`building` called outside any build), whose lexer sees each
 * name once. The build enters it in its table only if a variable is looked up later.
 */
export const newVariableIn = (name) => current.newVariable(name);
/**
 * The node `op(args...)`, without any checking or simplification. Use the typed builders of
 * `src/ops` instead: they check arity and fold trivial cases.
 */
export function applyRaw(op, args, shape = scalarShape) {
    return shape.length === 0 && (args.length === 1 || args.length === 2) ? current.apply2(op, args[0], args[1]) : current.apply(op, args, shape);
}
/** `op(a)` or `op(a, b)` on scalars, without checking or simplification (no argument array unless new). */
export const applyRaw2 = (op, a, b) => current.apply2(op, a, b);
