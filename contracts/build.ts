// `npm run contracts:build`: compile contracts/src and (re)write contracts/gen.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileContracts, GEN_DIR, renderGenFiles } from './compile.ts'

const started = Date.now()
const { contracts, warnings } = compileContracts()
for (const w of warnings) process.stderr.write(w)
const files = renderGenFiles(contracts)
mkdirSync(GEN_DIR, { recursive: true })
for (const stale of readdirSync(GEN_DIR)) if (!files.has(stale)) rmSync(join(GEN_DIR, stale))
for (const [name, content] of files) writeFileSync(join(GEN_DIR, name), content)
process.stdout.write(
  `contracts/gen: ${[...files.keys()].join(', ')} (${contracts.length} contracts, ${Date.now() - started} ms)\n`,
)
