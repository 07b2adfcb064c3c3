/**
 * Every rule of the table, accurate over its whole domain (issue 8, item 1): at every point of the
 * high-precision reference (`test/reference/rules.json`, made by `scripts/reference/make.py` with
 * mpmath at 60 digits; tiny, ordinary, huge and overflowing magnitudes, both signs, the edges of
 * each domain), the value, first and second partials computed by every engine (see `engines.ts`)
 * agree with the truth rounded to a double:
 * - relative error ≤ 1e-13 where the truth is a normal double;
 * - absolute error ≤ 1e-13 · 2.2250738585072014e-308 ≈ 2.2e-321 where it is subnormal, underflows
 *   or is exactly zero;
 * - where it overflows: ±∞ (or NaN), and a warning from every engine that can give one.
 *
 * The few known limits (`limits.ts`: symbolic second derivatives in the far tails, hypot's second
 * partials where |a| ≫ |b|, pow where a^(b−1) leaves the range, atan2 at the largest doubles) are
 * listed with their reasons and shown by `npm run accuracy`; nothing else escapes.
 *
 * One test per (op, order, engine), iterating `opTags`: a tag without reference points fails. Each
 * failure lists every failing point with what the engine gave and what it should have given. The
 * reference's few whole programs (log(e^a + e^b), whose Hessian goes through 1/s) are checked the
 * same way.
 */
import { describe, expect, it } from 'vitest'
import { opTags } from '../../src/ops/tags.js'
import { compare, describeFailure, engines, knownLimit, loadReference, opCase, passes, programCase, type Case, type RefPoint } from './engines.js'

const reference = loadReference()
const orderName = ['value', 'd1', 'd2'] as const
const engineTests = engines.map((e) => [`${orderName[e.order]} by ${e.name}`, e] as const)

/** Fails with every point where `engine` misses the reference. */
function checkAll(c: Case, engine: (typeof engines)[number], points: readonly RefPoint[]): void {
  const failures = points.flatMap((ref) =>
    compare(c, engine, ref)
      .filter((cmp) => !passes(cmp) && knownLimit(ref, engine, cmp) === undefined)
      .map((cmp) => describeFailure(ref, engine, cmp)),
  )
  if (failures.length > 0) throw new Error(`${failures.length} failing:\n${failures.join('\n')}`)
}

describe.each(opTags)('%s', (tag) => {
  const points = reference.filter((r) => !r.isProgram && r.op === tag)

  it('has reference points', () => {
    expect(points.length, `no reference points for ${tag}: add it to scripts/reference/make.py and run it`).toBeGreaterThan(0)
  })

  it.each(engineTests)('%s', (_, engine) => checkAll(opCase(tag), engine, points), 120_000)
})

const programs = [...new Set(reference.filter((r) => r.isProgram).map((r) => r.op))]

describe.each(programs)('program %s', (text) => {
  const points = reference.filter((r) => r.isProgram && r.op === text)
  it.each(engineTests)('%s', (_, engine) => checkAll(programCase(text), engine, points), 120_000)
})
