/**
 * The playground in a real browser: Debian's chromium driven by playwright-core. The page is
 * built with esbuild and served on localhost; the test types the document's example (x+y)·z at
 * x = −2, y = 5, z = −4, steps through the forward sweep and then the reverse sweep one node at
 * a time, and reads the adjoints the page displays: −4, −4, 3. It also steps back, and checks
 * forward mode's tangents. Skipped only where chromium is absent and CI is not set (.ci/run
 * installs it, so CI always runs it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// Building, launching a browser and rendering Graphviz on a loaded machine: no time limit to trip.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 })

const executablePath = '/usr/bin/chromium'
const available = existsSync(executablePath)
if (!available && process.env.CI !== undefined) throw new Error(`the browser test needs ${executablePath} in CI (.ci/run installs it with apt-get)`)

interface Playground {
  buildPlayground(out: string): Promise<string>
  servePlayground(dir: string, port: number): Promise<{ server: Server; url: string }>
}

let browser: Browser | undefined
let server: Server | undefined
let url = ''
let out = ''

beforeAll(async () => {
  if (!available) return
  const script = join(import.meta.dirname, '..', '..', 'scripts', 'playground.mjs')
  const playground = (await import(script)) as Playground
  out = await playground.buildPlayground(mkdtempSync(join(tmpdir(), 'chainrule-playground-')))
  const served = await playground.servePlayground(out, 0)
  server = served.server
  url = served.url
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] })
})

afterAll(async () => {
  await browser?.close()
  await new Promise((done) => (server === undefined ? done(undefined) : server.close(() => done(undefined))))
  if (out !== '') rmSync(out, { recursive: true, force: true })
})

async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await (browser as Browser).newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
  return { page, errors }
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).textContent()) ?? '').trim()

/** Types a program and a point, chooses the mode, presses show and waits for the graph. */
async function show(page: Page, program: string, point: string, mode: 'forward' | 'reverse'): Promise<void> {
  await page.fill('#program', program)
  await page.fill('#point', point)
  await page.selectOption('#mode', mode)
  await page.click('#run')
  await page.waitForSelector('#graph svg')
}

describe.skipIf(!available)('the playground in chromium', () => {
  it('(x+y)·z at x = −2, y = 5, z = −4: stepping through the reverse sweep shows the adjoints −4, −4, 3', async () => {
    const { page, errors } = await open()
    await show(page, '(x+y)*z', 'x=-2,y=5,z=-4', 'reverse')
    // Five forward steps (x, y, z, x+y, the product), then the two reverse steps.
    for (let k = 0; k < 5; k++) await page.click('#step')
    expect(await text(page, '#status')).toBe('forward sweep: step 5 of 5')
    expect(await text(page, '[data-adjoint="x"]')).toBe('')
    await page.click('#step')
    expect(await text(page, '#status')).toBe('reverse sweep: step 1 of 2')
    // The multiply gate has run: z's entry is complete, x and y not yet reached.
    expect([await text(page, '[data-adjoint="x"]'), await text(page, '[data-adjoint="z"]')]).toEqual(['', '3'])
    await page.click('#step')
    expect(await page.isDisabled('#step')).toBe(true)
    expect(await text(page, '#status')).toBe('reverse sweep: step 2 of 2 (done)')
    const adjoints = [await text(page, '[data-adjoint="x"]'), await text(page, '[data-adjoint="y"]'), await text(page, '[data-adjoint="z"]')]
    expect(adjoints).toEqual(['-4', '-4', '3'])
    // The graph shows them too, in red, and the value −12 in green.
    const svg = await page.locator('#graph svg').innerHTML()
    expect(svg).toContain('−12')
    expect(svg).toMatch(/fill="#cf222e"[^>]*>∂ −4</)
    // Stepping back undoes the last step.
    await page.click('#back')
    expect(await text(page, '[data-adjoint="x"]')).toBe('')
    expect(await text(page, '#cost')).toContain('textbook')
    expect(errors).toEqual([])
    await page.close()
  })

  it('forward mode: the tangents of the sweep seeded on z, and a parse error shown with its caret', async () => {
    const { page, errors } = await open()
    await page.fill('#program', '(x+y)*z')
    await page.fill('#point', 'x=-2,y=5,z=-4')
    await page.selectOption('#mode', 'forward')
    await page.selectOption('#seed', 'z')
    await page.click('#end')
    expect(await text(page, '[data-tangent="z"]')).toBe('1')
    expect(await page.locator('#steps tr').last().locator('td').last().textContent()).toBe('3')
    await page.fill('#program', '(x+y*z')
    await page.click('#run')
    expect(await text(page, '#error')).toMatch(/^parse error at line 1/)
    expect(errors).toEqual([])
    await page.close()
  })

  it('session 10 trial: warnings as the CLI gives them, a strict point, nothing stale beside an error, the output named', async () => {
    const { page, errors } = await open()
    await show(page, 'relu(x)', 'x=0', 'reverse')
    expect(await text(page, '#warnings')).toContain('relu is not differentiable at 0')
    await page.fill('#program', 'f = x*y; g = f*f')
    await page.fill('#point', 'x=1,y=2')
    await page.click('#run')
    expect(await text(page, '#variables th:last-child')).toBe('adjoint ∂g/∂·')
    await page.fill('#point', 'x=1,x=7,y=2')
    await page.click('#run')
    expect(await text(page, '#error')).toBe("'x' is given twice in the point")
    expect(await text(page, '#cost')).toBe('')
    await page.fill('#point', 'x=0x10,y=2')
    await page.click('#run')
    expect(await text(page, '#error')).toBe("the value of 'x' is not a number: '0x10'")
    expect(errors).toEqual([])
    await page.close()
  })
})
