/**
 * The data of the compiler, in the order the stages make them (see the glossary in `index.ts`):
 * a partition of the tape into trees and reductions (`partition.ts`), the shapes of the trees and
 * the templates chosen for them (`shape.ts`, `plan.ts`), the items those become (`plan.ts`), and
 * the plan: stored slots and a list of steps over them (`schedule.ts`, `batches.ts`,
 * `segment.ts`, `direct.ts`), which `run.ts` interprets and `bind.ts` wraps as the compiled
 * functions.
 *
 * Types only, and no import from this folder: every stage imports its data from here.
 */

type I32 = Int32Array

// -------------------------------------------------------------------------------------------------
// Partition: trees and reductions
// -------------------------------------------------------------------------------------------------

/**
 * `root = ±t₀ ± t₁ ± … ± t_{K−1}`: a chain, accumulated left to right, or (with `interior`) a sum
 * tree, whose sum nodes are evaluated over the terms' values.
 */
export interface ReduceUnit {
  readonly _tag: 'reduce'
  readonly root: number
  /** The terms (leaves) in order: accumulation order for a chain, left to right for a tree. */
  readonly terms: Int32Array
  /** Per term: 1 when the term is the root of a tree absorbed into the reduction. */
  readonly treeTerm: Uint8Array
  /** Per term: 1 when it is subtracted (the right operand of a − b, or under an odd number of them). */
  readonly negative: Uint8Array
  /**
   * Chains: per term, the link that adds it in (the bottom link adds terms 0 and 1), so that
   * term j ≥ 1 is added by link j − 1 counting from the bottom.
   */
  readonly links: Int32Array
  /** Sum trees: their sum nodes (the root last), in slot order; absent for chains. */
  readonly interior?: Int32Array
}

export interface Partition {
  /** Roots of the units (trees and reductions), in topological order. */
  readonly roots: Int32Array
  /** The reductions, by root; every other root is a tree's. */
  readonly reductions: ReadonlyMap<number, ReduceUnit>
  /** Tree members, grouped by tree, each tree's in topological order (the root last). */
  readonly members: Int32Array
  /** Per root slot: where its tree's members start in `members`, and how many there are. */
  readonly start: Int32Array
  readonly treeSize: Int32Array
  /** For each slot: the number of uses (argument edges plus outputs). */
  readonly uses: Int32Array
}

// -------------------------------------------------------------------------------------------------
// Shapes and templates
// -------------------------------------------------------------------------------------------------

/** An argument of a tree node: another node of the tree, or a hole. */
export type Ref = { readonly _tag: 'node'; readonly index: number } | { readonly _tag: 'hole'; readonly index: number }

export interface ShapeNode {
  readonly op: number
  readonly args: readonly Ref[]
}

/** Active, inactive, constant, or the sum so far of a reduction's block (never loaded from a slot). */
export type HoleKind = 'a' | 'i' | 'c' | 's'

export interface Shape {
  /** Identifies the shape: equal keys, equal structure. */
  readonly key: string
  /** Nodes in topological order; the last is the root. */
  readonly nodes: readonly ShapeNode[]
  readonly holeKinds: readonly HoleKind[]
}

/** A shape with its baked constants: what one compiled template computes. */
export interface TemplateSpec {
  readonly shape: Shape
  /** Per hole: the baked constant, or undefined when the hole is read from its slot. */
  readonly baked: readonly (number | undefined)[]
}

// -------------------------------------------------------------------------------------------------
// Items
// -------------------------------------------------------------------------------------------------

/**
 * A reduction item: its units in order (terms, and blocks of a chain's links named by their top
 * link), per unit the template of its tree or block (−1: a slot), and whether it is subtracted;
 * a sum tree's interior nodes (see `ReduceUnit`).
 */
export interface ReduceItem {
  readonly keys: Int32Array
  readonly template: Int32Array
  readonly negative: Uint8Array
  readonly interior?: Int32Array
}

/**
 * What an item is: a node run by the tape kernels, an instance of template `template`, or a
 * reduction (its units are in `Items.reductions`). Kinds are shared, one object per kind (one per
 * template), so that items of one kind hold the same object and no object is made per item.
 */
export type ItemKind = { readonly _tag: 'node' } | { readonly _tag: 'instance'; readonly template: number } | { readonly _tag: 'reduce' }

/**
 * The units of a partition after classification, as parallel arrays (an object per item is what
 * the garbage collector would spend its time on in a graph of 10^6 nodes).
 */
export interface Items {
  readonly count: number
  /** Per item: the slot it computes. */
  readonly root: Int32Array
  /** Per item: what it is (shared objects, see `ItemKind`). */
  readonly kind: readonly ItemKind[]
  readonly reductions: ReadonlyMap<number, ReduceItem>
  /** A templated tree rooted at slot r reads holes[holeStart[r] + h] for each hole h of its shape. */
  readonly holes: Int32Array
  readonly holeStart: Int32Array
}

// -------------------------------------------------------------------------------------------------
// Batches
// -------------------------------------------------------------------------------------------------

/**
 * How a batch finds its instances' hole slots: `indexed` reads row j of `idx` (count × width
 * slots); `affine` means slot = base + j·stride for each hole, and `idx` holds the pairs
 * [base₀, stride₀, base₁, stride₁, …] (models built in a loop over x1, x2, … are like that, and
 * then the template walks its operands with running offsets, without an index array).
 */
export type Addressing = 'indexed' | 'affine'

/** A run of instances of one template. */
export interface Batch {
  readonly template: number
  readonly count: number
  readonly addressing: Addressing
  /** count × rowWidth hole slots (indexed), or base/stride pairs per row position (affine). */
  readonly idx: Int32Array
  /**
   * Row positions read from and written to the caller's arrays for the wrt variables (see
   * `direct.ts`); absent when every position uses the slot arrays.
   */
  readonly direct?: readonly boolean[]
  /**
   * Direct row positions that are the only writer of their slots' adjoints (see `direct.ts`):
   * they assign instead of adding.
   */
  readonly sole?: readonly boolean[]
  /**
   * Direct row positions that write their slots' adjoints first in `grad`'s fused pass over the
   * output's terms (see `direct.ts`): they assign there, and add in every other sweep.
   */
  readonly first?: readonly boolean[]
}

/**
 * Where a batch reads and writes each row position: `direct[p]` means the caller's arrays for the
 * wrt variables (x, tx, gx, hx), at the same index; otherwise the slot arrays (v, t, g, h).
 *
 * For affine batches, `lanes[p]` is the first row position with the same stride as p (positions
 * of one lane share one running offset, and differ by a fixed distance), or −1 when p's stride is
 * 0 (every instance reads the same slot). One running offset per lane, and a loop bounded by it
 * instead of a counter, run about 10% faster than one offset per position (extended Rosenbrock).
 */
export interface Access {
  readonly addressing: Addressing
  readonly direct: readonly boolean[]
  readonly lanes: readonly number[]
  /** Direct positions that are their slots' only writer: adjoints are assigned, not added. */
  readonly sole: readonly boolean[]
  /** Direct positions that write first in `grad`'s fused pass: assigned there (`checkedUpdates`), added elsewhere. */
  readonly first: readonly boolean[]
}

// -------------------------------------------------------------------------------------------------
// The plan
// -------------------------------------------------------------------------------------------------

/** One step of a plan: a run of tape nodes, a batch of template instances, a reduction, or segments. */
export type Step =
  /** Tape kernels over the stored slots [from, to) (their ops are in `Plan.op/a0/a1`). */
  | { readonly _tag: 'tape'; readonly from: number; readonly to: number; readonly order: Int32Array }
  /** One template over `count` instances; roots in `out`. */
  | { readonly _tag: 'template'; readonly batch: Batch; readonly out: Int32Array }
  /**
   * root = ±terms in order (a chain): template runs (summing form; blocks of links compute the new
   * sum themselves) and plain slots. With `runs`, a sum tree: the parts store their terms' values
   * (batches at `out`; slots are stored already), then `runs` (see `sumtree.ts`) adds them up.
   */
  | { readonly _tag: 'reduce'; readonly root: number; readonly parts: readonly ReducePart[]; readonly runs?: Int32Array }
  /** Checkpointed trees [from, to) of `Plan.segments`, recomputed from their holes; roots in `roots`. */
  | { readonly _tag: 'segment'; readonly from: number; readonly to: number; readonly roots: Int32Array }

/**
 * Terms of a reduction: instances of one template, or plain slots; `negative` ones are subtracted.
 * (In a chain only slots are: a subtracted term of a template is inside a block.) In a sum tree, a
 * batch stores its instances' values at `out`.
 */
export type ReducePart =
  | { readonly _tag: 'batch'; readonly batch: Batch; readonly out?: Int32Array; readonly negative?: boolean }
  | { readonly _tag: 'slots'; readonly slots: Int32Array; readonly negative?: boolean }

/** The instructions of every segment of a plan, and where each segment's are. */
export interface SegmentCode {
  readonly op: I32
  readonly a0: I32
  readonly a1: I32
  /** Per segment k: instruction offset, hole count, length (holes + nodes), offset into `holes`. */
  readonly base: I32
  readonly holeCount: I32
  readonly length: I32
  readonly holeAt: I32
  /** Stored slots of the holes, segment after segment. */
  readonly holes: I32
  /** The longest segment (size of the scratch arrays). */
  readonly longest: number
}

/**
 * A compiled program: one array of stored slots (leaves first, the wrt variables leading, then
 * the units' roots) and the steps that fill it, run in order for values and tangents and in
 * reverse order for adjoints.
 */
export interface Plan {
  /** Number of stored slots. */
  readonly size: number
  /** Initial contents: constants at their slots. */
  readonly init: Float64Array
  /** Stored slot of each tape slot, or −1 for values computed inside templates. */
  readonly slotOf: Int32Array
  /** Ops and argument slots for the tape steps (indexed by stored slot). */
  readonly op: Int32Array
  readonly a0: Int32Array
  readonly a1: Int32Array
  readonly steps: readonly Step[]
  readonly templates: readonly TemplateSpec[]
  /** Stored slots of the outputs and of the wrt variables (−1 when absent). */
  readonly outputs: Int32Array
  readonly wrtSlots: Int32Array
  /** Variables by name → stored slot. */
  readonly variables: ReadonlyMap<string, number>
  /** The instructions of checkpointed trees (see `segment.ts`), when there are any. */
  readonly segments?: SegmentCode
}
