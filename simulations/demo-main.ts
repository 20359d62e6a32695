// Plain entry for `npm start`: runs simulations/demo.ts with this process's arguments and streams.
//   npx tsx simulations/demo-main.ts [--json] [--keep]
import { parseArgs } from 'node:util'
import { processIo } from '../node/cli/io.ts'
import demo from './demo.ts'

const argv = process.argv.slice(2)
const { values, positionals } = parseArgs({ args: argv, strict: false, allowPositionals: true })
demo({ values, positionals, argv, io: processIo() }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  },
)
