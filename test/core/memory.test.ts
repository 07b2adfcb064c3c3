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

/** Whether the nodes `make` returns are collected once nothing refers to them. */
async function collectable(make: () => readonly Node[]): Promise<boolean> {
  let refs = make().map((n) => new WeakRef(n))
  await nextJob()
  gc()
  await nextJob()
  gc()
  const alive = refs.filter((r) => r.deref() !== undefined).length
  refs = []
  return alive === 0
}

const text = Array.from({ length: 2000 }, (_, i) => `s = ${i === 0 ? '' : 's + '}sin(x${i}) * y${i}`).join('\n')
const parsed = (): Program => {
  const r = parse(text)
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

describe('memory', () => {
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
