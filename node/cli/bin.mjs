#!/usr/bin/env node
// The `mpc-node` executable (package.json "bin"): registers tsx's ESM loader in this process,
// then runs the TypeScript CLI. Same behaviour as `npx tsx node/cli/main.ts ...`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exit(await main(process.argv.slice(2)))
