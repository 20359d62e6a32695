// The node's chain service (issue: STV3 contracts and the chain submitter): a viem public client on
// the configured RPC (or an embedded anvil in local/demo mode), and submission of threshold-signed
// transactions. `sign` runs a signing ceremony on this node.

import type { NodeConfig } from '../config/index.ts'
import { NodeError } from '../errors.ts'
import type { Logger } from '../log/index.ts'
import type { SignatureView, SignInput, SubmitView } from './types.ts'

export type ChainInit = { config: NodeConfig; home: string }
export type ChainComponents = {
  logger: Logger
  /** Run a signing ceremony with this node as coordinator. */
  sign(keyId: string, input: SignInput): Promise<SignatureView>
  /** The key's Ethereum address. */
  addressOf(keyId: string): Promise<string>
}

export type ChainService = {
  submit(keyId: string, input: SignInput): Promise<SubmitView>
  stop(): Promise<void>
}

export async function createChainService(
  _init: ChainInit,
  _components: ChainComponents,
): Promise<ChainService> {
  return {
    submit: async () => {
      throw new NodeError('CHAIN_NOT_CONFIGURED', 'transaction submission is not enabled on this node', {
        status: 501,
      })
    },
    stop: async () => undefined,
  }
}
