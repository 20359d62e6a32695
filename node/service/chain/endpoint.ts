// Where the node's chain is. One chain per cluster: every node of a committee must see the same
// chain, so the chain is named in config (`chain.rpcUrl`) and whoever runs a local cluster (the demo,
// a test harness) starts ONE anvil and writes its URL into every node's config.
//
// Embedded mode (local/demo only): a node started with MPC_NODE_EMBEDDED_CHAIN=1 and no
// `chain.rpcUrl` hosts that chain itself: it starts anvil from the npm package on 127.0.0.1 (chain id
// from config), writes `<home>/chain.json` `{ rpcUrl, chainId, pid }` so the other nodes' configs can
// point at it, and stops anvil and removes the file when it stops. Only the node designated by the
// flag may start it; the others keep `chain.rpcUrl`. Neither set: submission is not configured.
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Anvil, startAnvil } from '../../chain/anvil.ts'
import type { NodeConfig } from '../../config/index.ts'
import type { Logger } from '../../log/index.ts'

export const EMBEDDED_CHAIN_ENV = 'MPC_NODE_EMBEDDED_CHAIN'
export const EMBEDDED_CHAIN_FILE = 'chain.json'

export type ChainEndpoint = {
  rpcUrl: string
  chainId: number
  /** Set when this node started the chain. */
  embedded?: { pid: number; file: string }
  stop(): Promise<void>
}

export async function openEndpoint(
  config: NodeConfig,
  home: string,
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<ChainEndpoint | undefined> {
  const { chainId, rpcUrl } = config.chain
  if (rpcUrl !== undefined) return { rpcUrl, chainId, stop: async () => undefined }
  if (env[EMBEDDED_CHAIN_ENV] !== '1') return undefined

  const anvil: Anvil = await startAnvil({ chainId })
  const file = join(home, EMBEDDED_CHAIN_FILE)
  try {
    await writeFile(file, `${JSON.stringify({ rpcUrl: anvil.rpcUrl, chainId, pid: anvil.pid })}\n`, {
      mode: 0o600,
    })
  } catch (e) {
    await anvil.stop()
    throw e
  }
  logger.warn(
    { rpcUrl: anvil.rpcUrl, chainId, pid: anvil.pid, file },
    'embedded anvil chain started (local/demo only): point the other nodes’ chain.rpcUrl at it',
  )
  return {
    rpcUrl: anvil.rpcUrl,
    chainId,
    embedded: { pid: anvil.pid, file },
    async stop() {
      await anvil.stop()
      await rm(file, { force: true })
      logger.info({ pid: anvil.pid }, 'embedded anvil chain stopped')
    },
  }
}
