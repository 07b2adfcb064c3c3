#!/usr/bin/env node
// The `chainrule` command: src/cli/main.ts, compiled to dist/ by `npm run build` (run on install).
import('../dist/cli/main.js').then(
  (cli) => cli.main(),
  (e) => {
    process.stderr.write(`chainrule: internal error: cannot load dist/cli/main.js (run npm run build): ${e?.message ?? e}\n`)
    process.exitCode = 1
  },
)
