// `mpc-node demo` and `mpc-node simulate`: thin launchers for simulations/demo.ts and
// simulations/simulate.ts. Their flags are theirs: everything after the command is parsed
// loosely (no schema) and handed to the module's default export.
import { parseArgs } from 'node:util'
import { NodeError } from '../errors.ts'
import { type Command, EXIT, type Io, reportError } from './io.ts'

export type ScenarioArgs = {
  /** Flags as parsed without a schema: `--x 1` -> { x: '1' }, `--flag` -> { flag: true }. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
  /** The raw arguments after the command name. */
  argv: string[]
  io: Io
}

type ScenarioMain = (args: ScenarioArgs) => unknown

function scenario(name: 'demo' | 'simulate', summary: string): Command {
  const modulePath = `../../simulations/${name}.ts`
  const help = `Usage: mpc-node ${name} [flags...]

Runs simulations/${name}.ts (${summary}); its flags are passed through to it.
`
  return {
    name,
    summary,
    help,
    async run(args, io) {
      // The scenario may print its own flags too, after this.
      const wantsHelp = args.includes('--help') || args.includes('-h')
      if (wantsHelp) io.out(help)
      let main: ScenarioMain
      try {
        const mod = (await import(new URL(modulePath, import.meta.url).href)) as { default?: unknown }
        if (typeof mod.default !== 'function') throw new Error(`simulations/${name}.ts has no default export`)
        main = mod.default as ScenarioMain
      } catch (cause) {
        if (wantsHelp) return EXIT.ok
        return reportError(
          new NodeError('CLI_SCENARIO_UNAVAILABLE', `cannot load simulations/${name}.ts`, {
            cause,
            details: { reason: cause instanceof Error ? cause.message.split('\n')[0] : String(cause) },
            hints: ['this scenario is not part of this build yet'],
          }),
          io,
          false,
        )
      }
      const { values, positionals } = parseArgs({ args, strict: false, allowPositionals: true })
      try {
        const result = await main({ values, positionals, argv: args, io })
        return typeof result === 'number' && Number.isInteger(result) ? result : EXIT.ok
      } catch (e) {
        return reportError(e, io, values.json === true)
      }
    },
  }
}

export const demoCommand = scenario('demo', 'a guided multi-node demo')
export const simulateCommand = scenario('simulate', 'multi-node runs with fault injection')
