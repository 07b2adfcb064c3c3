/**
 * Nothing keeps a graph alive but its users: once a program (parsed, derived, or built inside or
 * outside a build) is dropped, a full collection takes its nodes. Builds hold their tables only
 * while they run; the shared table of nodes built outside any build holds them weakly (a weak
 * reference keeps its node until the current job ends, hence the macrotask before collecting).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { building, variable, type Node } from '../../src/expr/node.js'
import { program, type Program } from '../../src/expr/program.js'
import { parse } from '../../src/lang/index.js'
import { build } from '../../src/ops/build.js'
import { gradExpr } from '../../src/reverse/index.js'
import { unwrap } from './helpers.js'

setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void
const nextJob = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * Whether the nodes `make` returns are collected once nothing refers to them. Several rounds of a
 * macrotask and a full collection: one round sometimes leaves a few nodes to the next (a weak
 * reference or a V8 handle of the job that made them, about one run in sixteen on a loaded
 * machine); a node something really keeps stays alive through all of them.
 */
async function collectable(make: () => readonly Node[]): Promise<boolean> {
  let refs = make().map((n) => new WeakRef(n))
  for (let round = 0; round < 8; round++) {
    await nextJob()
    gc()
    refs = refs.filter((r) => r.deref() !== undefined)
    if (refs.length === 0) return true
  }
  return false
}

const text = Array.from({ length: 2000 }, (_, i) => `s = ${i === 0 ? '' : 's + '}sin(x${i}) * y${i}`).join('\n')
const parsed = (): Program => {
  const r = parse(text)
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

describe('memory', () => {
  it('the check sees a node that something keeps', async () => {
    const kept: Node[] = []
    expect(await collectable(() => [(kept[0] = building(() => build.sin(variable('kept'))))])).toBe(false)
    expect(kept.length).toBe(1)
  })

  it('a parsed program, and its gradient, are collected once dropped', async () => {
    expect(await collectable(() => parsed().outputs)).toBe(true)
    expect(await collectable(() => unwrap(gradExpr(parsed())).outputs)).toBe(true)
  })

  it('so are graphs built inside a build and outside any', async () => {
    const chain = (): Node => {
      let t: Node = variable('t')
      for (let i = 0; i < 2000; i++) t = build.add(build.sin(t), i)
      return t
    }
    expect(await collectable(() => [building(chain)])).toBe(true)
    expect(await collectable(() => [chain()])).toBe(true)
    expect(await collectable(() => program([building(chain)]).outputs)).toBe(true)
  })
})
