/**
 * The table of one build (`building` in node.ts): nodes interned by integer keys, held strongly
 * and dropped with the build.
 *
 * @example
 * building(() => add(x, y) === add(x, y))   // → true: one node, found by the build's table
 */
import type { Apply, Const, Node, Shape, Var } from './node.js'
import { scalarShape, opKey, hash2, isNegativeZero, isApply2, newConstant, newVariable, shapedKey, newApply, minCapacity, chainLimit, genericKey, nameHash, nodesCreated, type Table } from './intern.js'

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
export class Build implements Table {
  private lo: number
  /** Entries (ids lo, lo + 1, ...) the arrays have room for. */
  private room = 0
  private nodeAt: (Apply | undefined)[] = []
  /** The first user in an entry's list, the next user in the lists of a user's first and second argument. */
  private head: Int32Array = new Int32Array(0)
  private link0: Int32Array = new Int32Array(0)
  private link1: Int32Array = new Int32Array(0)
  /** Users so far. */
  private users: Int32Array = new Int32Array(0)

  private readonly foreign = new Map<Node, number>()
  private readonly foreignNodes: Node[] = []
  private readonly foreignHead: number[] = []
  private readonly foreignLink0: number[] = []
  private readonly foreignLink1: number[] = []
  private readonly foreignUsers: number[] = []

  /** Applications whose arguments are all hot: (hash, handle) pairs, open addressing, hash 0 empty. */
  private hot: Int32Array = new Int32Array(2 * 64)
  private hotCount = 0
  private readonly generic = new Map<string, Apply>()

  private readonly constants = new Map<number, Const>()
  private negativeZero: Const | undefined
  /** Variables: (name hash, index) pairs, open addressing, hash 0 empty; the variables by index. */
  private variablePairs: Int32Array = new Int32Array(2 * 64)
  private readonly variables: Var[] = []
  /** Variables made by `newVariable`, not in the table yet. */
  private readonly unentered: Var[] = []
  /** Variables of tensor shape, by name and shape (few: a map is enough). */
  private readonly shaped = new Map<string, Var>()

  constructor(expected: number) {
    this.lo = nodesCreated()
    this.grow(Math.max(minCapacity, expected) - 1)
  }

  constant(value: number): Const {
    if (isNegativeZero(value)) return (this.negativeZero ??= newConstant(value))
    let c = this.constants.get(value)
    if (c === undefined) {
      c = newConstant(value)
      this.constants.set(value, c)
    }
    return c
  }

  variable(name: string, h = nameHash(name)): Var {
    if (this.unentered.length > 0) this.enterVariables()
    const i = this.variableSlot(name, h)
    if (this.variablePairs[i] !== 0) return this.variables[this.variablePairs[i + 1]]
    const v = newVariable(name)
    this.placeVariable(i, h, v)
    return v
  }

  /** Where the variable `name` (hash `h`) is in the table, or the empty pair where it would go. */
  private variableSlot(name: string, h: number): number {
    const pairs = this.variablePairs
    const mask = pairs.length - 2
    let i = h & mask
    for (let g = pairs[i]; g !== 0; g = pairs[i]) {
      if (g === h && this.variables[pairs[i + 1]].name === name) return i
      i = (i + 2) & mask
    }
    return i
  }

  /** Enters `v` unless the table has a variable of its name. */
  private enterVariable(v: Var): void {
    const h = nameHash(v.name)
    const i = this.variableSlot(v.name, h)
    if (this.variablePairs[i] === 0) this.placeVariable(i, h, v)
  }

  newVariable(name: string): Var {
    const v = newVariable(name)
    this.unentered.push(v)
    return v
  }

  shapedVariable(name: string, shape: Shape): Var {
    const key = shapedKey(name, shape)
    let v = this.shaped.get(key)
    if (v === undefined) {
      v = newVariable(name, Object.freeze(shape.slice()))
      this.shaped.set(key, v)
    }
    return v
  }

  /** Enters the variables made by `newVariable` in the table (at the first lookup after them). */
  private enterVariables(): void {
    for (const v of this.unentered.splice(0)) this.enterVariable(v)
  }

  private placeVariable(i: number, h: number, v: Var): void {
    this.variablePairs[i] = h
    this.variablePairs[i + 1] = this.variables.length
    this.variables.push(v)
    if (this.variables.length * 4 > this.variablePairs.length) {
      const old = this.variablePairs
      const pairs = (this.variablePairs = new Int32Array(old.length * 2))
      const mask = pairs.length - 2
      for (let j = 0; j < old.length; j += 2) {
        if (old[j] === 0) continue
        let k = old[j] & mask
        while (pairs[k] !== 0) k = (k + 2) & mask
        pairs[k] = old[j]
        pairs[k + 1] = old[j + 1]
      }
    }
  }

  apply2(op: string, a: Node, b: Node | undefined): Apply {
    const ha = this.handle(a)
    const hb = b === undefined ? -1 : this.handle(b)
    return this.find(op, a, b, ha, hb) ?? this.enter(newApply(op, Object.freeze(b === undefined ? [a] : [a, b]), scalarShape), a, b, ha, hb)
  }

  apply(op: string, args: readonly Node[], shape: Shape): Apply {
    if (shape.length === 0 && (args.length === 1 || args.length === 2)) return this.apply2(op, args[0], args[1])
    const key = genericKey(op, args, shape)
    let n = this.generic.get(key)
    if (n === undefined) {
      n = newApply(op, Object.freeze(args.slice()), shape)
      this.generic.set(key, n)
    }
    return n
  }

  adopt(nodes: readonly Node[]): void {
    // Nodes from one earlier build have ids close together: entries for them cost less than the map.
    let min = this.lo
    for (const n of nodes) if (n.id < min) min = n.id
    if (min < this.lo && this.foreign.size === 0 && this.lo - min <= 4 * nodes.length + minCapacity) this.rebase(min)
    for (const n of nodes) {
      switch (n._tag) {
        case 'const':
          if (isNegativeZero(n.value)) this.negativeZero ??= n
          else if (!this.constants.has(n.value)) this.constants.set(n.value, n)
          break
        case 'var': {
          if (this.unentered.length > 0) this.enterVariables()
          this.enterVariable(n)
          break
        }
        case 'apply': {
          const [a, b] = n.args
          if (n.shape.length > 0 || n.args.length === 0 || n.args.length > 2) {
            const key = genericKey(n.op, n.args, n.shape)
            if (!this.generic.has(key)) this.generic.set(key, n)
            break
          }
          const ha = this.handle(a)
          const hb = b === undefined ? -1 : this.handle(b)
          if (this.find(n.op, a, b, ha, hb) === undefined) this.enter(n, a, b, ha, hb)
          break
        }
      }
    }
  }

  // -- Lookups ------------------------------------------------------------------------------------

  /** The application op(a) or op(a, b) if the build has it (`ha`, `hb`: the arguments' handles). */
  private find(op: string, a: Node, b: Node | undefined, ha: number, hb: number): Apply | undefined {
    const na = this.usersOf(ha)
    const nb = b === undefined ? 0 : this.usersOf(hb)
    const coldA = na <= chainLimit
    const coldB = b !== undefined && nb <= chainLimit
    if (!coldA && !coldB) return this.findHot(hash2(opKey(op), a, b), op, a, b)
    // The shorter list of a cold argument.
    const viaA = coldA && (!coldB || na <= nb)
    const via = viaA ? a : (b as Node)
    for (let u = this.headOf(viaA ? ha : hb); u !== -1; ) {
      const n = this.nodeOf(u)
      if (isApply2(n, op, a, b)) return n
      u = n.args[0] === via ? this.link0Of(u) : this.link1Of(u)
    }
    return undefined
  }

  private findHot(h: number, op: string, a: Node, b: Node | undefined): Apply | undefined {
    const mask = this.hot.length - 2
    let i = h & mask
    for (let g = this.hot[i]; g !== 0; g = this.hot[i]) {
      if (g === h) {
        const n = this.nodeOf(this.hot[i + 1])
        if (isApply2(n, op, a, b)) return n
      }
      i = (i + 2) & mask
    }
    return undefined
  }

  // -- Entering a node ----------------------------------------------------------------------------

  /** Enters the application `n` = op(a) or op(a, b), which the build does not have yet. */
  private enter(n: Apply, a: Node, b: Node | undefined, ha: number, hb: number): Apply {
    const hn = this.handle(n)
    if (hn >= 0) {
      // Kept packed: the holes (ids of constants and variables) are filled, never skipped.
      while (this.nodeAt.length < hn) this.nodeAt.push(undefined)
      this.nodeAt[hn] = n
    }
    this.attach(hn, a, ha, 0)
    if (b !== undefined && b !== a) this.attach(hn, b, hb, 1)
    if (this.isHot(a) && (b === undefined || this.isHot(b))) this.enterHot(hn, n)
    return n
  }

  /** Adds the node `hn` to the users of its argument `arg` (handle `h`, at `position`). */
  private attach(hn: number, arg: Node, h: number, position: 0 | 1): void {
    const count = this.usersOf(h)
    if (count <= chainLimit) {
      // Still cold: the list is walked, so the new user goes in front.
      if (position === 0) this.setLink0(hn, this.headOf(h))
      else this.setLink1(hn, this.headOf(h))
      this.setHead(h, hn)
    }
    this.setUsers(h, count + 1)
    // Turning hot: from now on its list is not walked, so its users whose arguments are all hot
    // must be found in the hash table (the others are still in the list of a cold argument).
    if (count + 1 === chainLimit + 1) {
      for (let u = this.headOf(h); u !== -1; ) {
        const w = this.nodeOf(u)
        if (this.isHot(w.args[0]) && (w.args.length === 1 || this.isHot(w.args[1]))) this.enterHot(u, w)
        u = w.args[0] === arg ? this.link0Of(u) : this.link1Of(u)
      }
    }
  }

  private isHot(n: Node): boolean {
    return this.usersOf(this.handle(n)) > chainLimit
  }

  /** Enters `n` (handle `hn`) in the hash table of hot applications, unless it is there. */
  private enterHot(hn: number, n: Apply): void {
    const h = hash2(opKey(n.op), n.args[0], n.args[1])
    if (this.findHot(h, n.op, n.args[0], n.args[1]) !== undefined) return
    let mask = this.hot.length - 2
    if (++this.hotCount * 4 > this.hot.length) {
      const old = this.hot
      this.hot = new Int32Array(old.length * 2)
      mask = this.hot.length - 2
      for (let j = 0; j < old.length; j += 2) if (old[j] !== 0) this.placeHot(old[j], old[j + 1], mask)
    }
    this.placeHot(h, hn, mask)
  }

  private placeHot(h: number, handle: number, mask: number): void {
    let i = h & mask
    while (this.hot[i] !== 0) i = (i + 2) & mask
    this.hot[i] = h
    this.hot[i + 1] = handle
  }

  // -- Handles ------------------------------------------------------------------------------------

  /** The handle of `n`, making room or a foreign entry for it if needed. */
  private handle(n: Node): number {
    const d = n.id - this.lo
    if (d >= 0) {
      if (d >= this.room) this.grow(d)
      return d
    }
    let k = this.foreign.get(n)
    if (k === undefined) {
      k = this.foreignNodes.length
      this.foreign.set(n, k)
      this.foreignNodes.push(n)
      this.foreignHead.push(0)
      this.foreignLink0.push(0)
      this.foreignLink1.push(0)
      this.foreignUsers.push(0)
    }
    return -2 - k
  }

  /** The application with handle `h` (a user in some list). */
  private nodeOf(h: number): Apply {
    return (h >= 0 ? this.nodeAt[h] : this.foreignNodes[-2 - h]) as Apply
  }

  private usersOf(h: number): number {
    return h >= 0 ? this.users[h] : this.foreignUsers[-2 - h]
  }

  // Lists hold handle + 1, so that a fresh (zeroed) array holds empty lists: 0 is none (−1).

  private headOf(h: number): number {
    return (h >= 0 ? this.head[h] : this.foreignHead[-2 - h]) - 1
  }

  private link0Of(h: number): number {
    return (h >= 0 ? this.link0[h] : this.foreignLink0[-2 - h]) - 1
  }

  private link1Of(h: number): number {
    return (h >= 0 ? this.link1[h] : this.foreignLink1[-2 - h]) - 1
  }

  private setUsers(h: number, v: number): void {
    if (h >= 0) this.users[h] = v
    else this.foreignUsers[-2 - h] = v
  }

  private setHead(h: number, v: number): void {
    if (h >= 0) this.head[h] = v + 1
    else this.foreignHead[-2 - h] = v + 1
  }

  private setLink0(h: number, v: number): void {
    if (h >= 0) this.link0[h] = v + 1
    else this.foreignLink0[-2 - h] = v + 1
  }

  private setLink1(h: number, v: number): void {
    if (h >= 0) this.link1[h] = v + 1
    else this.foreignLink1[-2 - h] = v + 1
  }

  /** Room for entry `d` at least (doubling). */
  private grow(d: number): void {
    let room = Math.max(this.room, minCapacity)
    while (room <= d) room *= 2
    this.resize(room, 0)
  }

  /** Makes `lo` the first id with an entry (lower than now; before any foreign entry exists). */
  private rebase(lo: number): void {
    const shift = this.lo - lo
    this.lo = lo
    for (let h = 0; h < this.hot.length; h += 2) if (this.hot[h] !== 0) this.hot[h + 1] += shift
    this.resize(this.room + shift, shift)
  }

  /**
   * Arrays of `room` entries, the old entries moved up by `shift` (and the dense handles inside
   * them too). `nodeAt` is a plain array filled as applications are made (its holes, at the ids of
   * constants and variables, are never read), so it is only rebuilt when shifted.
   */
  private resize(room: number, shift: number): void {
    const move = (old: Int32Array, isList: boolean): Int32Array => {
      const a = new Int32Array(room)
      if (shift === 0) a.set(old)
      else for (let i = 0; i < old.length; i++) a[i + shift] = isList && old[i] > 0 ? old[i] + shift : old[i]
      return a
    }
    this.head = move(this.head, true)
    this.link0 = move(this.link0, true)
    this.link1 = move(this.link1, true)
    this.users = move(this.users, false)
    if (shift > 0) {
      const nodes: (Apply | undefined)[] = []
      for (let i = 0; i < shift; i++) nodes.push(undefined)
      for (const n of this.nodeAt) nodes.push(n)
      this.nodeAt = nodes
    }
    this.room = room
  }
}
