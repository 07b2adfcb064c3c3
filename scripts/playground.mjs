#!/usr/bin/env node
/**
 * The playground page: `build` bundles playground/main.ts (the toolkit's core and @viz-js/viz) with
 * esbuild into static files; `serve` builds and serves them on localhost and prints the address.
 *
 *   npm run build:playground              # → dist-playground/ (index.html, main.js): any static host
 *   npm run playground                    # → playground: http://127.0.0.1:8350/  (PORT=0: any free port)
 *
 * The browser test (test/playground) imports `buildPlayground` and `servePlayground`.
 */
import { createServer } from 'node:http'
import { copyFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const defaultOut = join(repo, 'dist-playground')

/** Bundles the page into `out` (index.html and main.js); returns `out`. */
export async function buildPlayground(out = defaultOut) {
  const { build } = await import('esbuild')
  mkdirSync(out, { recursive: true })
  await build({
    entryPoints: [join(repo, 'playground', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(out, 'main.js'),
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  })
  copyFileSync(join(repo, 'playground', 'index.html'), join(out, 'index.html'))
  return out
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml' }

/** Serves the files of `dir` on 127.0.0.1:`port` (0: any free port); resolves to the server and its address. */
export function servePlayground(dir = defaultOut, port = 8350) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    const file = normalize(join(dir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  return new Promise((resolveServer, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      resolveServer({ server, url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}/` })
    })
  })
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'serve'
  const out = await buildPlayground()
  if (command === 'build') console.log(`playground built in ${out} (open index.html through any static web server)`)
  else {
    const { url } = await servePlayground(out, Number(process.env.PORT ?? 8350))
    console.log(`playground: ${url}  (Ctrl-C to stop)`)
  }
}
