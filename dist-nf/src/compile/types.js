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
export {};
