// The chain facts the policy asks about, read over RPC from the STV3 contracts with viem:
// `canReceive` on the token, and the recipient's record in the DID registry. The registry is found
// through the token itself (the HasDIDRule linked in its validation rules names it), so a node needs
// no address configuration beyond the RPC URL. Every lookup that fails leaves the fact out of the
// context, and the policy then denies with CHAIN_VIEW_UNAVAILABLE (fail closed).
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  http,
  type PublicClient,
} from 'viem'
import { HasDIDRule, StvDID, StvToken } from '../../../contracts/gen/index.ts'
import type { ChainView, DidStatus } from '../../policy/context.ts'

export type ChainFactsInit = {
  rpcUrl: string
  /** The chain the RPC serves: requests for another chain get no facts. */
  chainId: number
  /** Per-call timeout, ms (default 3000). */
  timeoutMs?: number
  /** How long a token's registry address is cached, ms (default 60 s). */
  registryTtlMs?: number
  clock?: () => number
}

export type ChainFacts = {
  /** A view for one request: `tokens` are the STV3 tokens it moves (their registry answers didOf). */
  viewFor(chainId: number | undefined, tokens: readonly string[]): ChainView
}

export function createChainFacts(init: ChainFactsInit): ChainFacts {
  const client: PublicClient = createPublicClient({
    transport: http(init.rpcUrl, { timeout: init.timeoutMs ?? 3000, retryCount: 1 }),
  })
  const clock = init.clock ?? Date.now
  const ttl = init.registryTtlMs ?? 60_000
  const registries = new Map<string, { at: number; registry: Promise<Address> }>()

  const registryOf = (token: string): Promise<Address> => {
    const hit = registries.get(token)
    if (hit !== undefined && clock() - hit.at < ttl) return hit.registry
    const registry = findRegistry(client, token as Address)
    registries.set(token, { at: clock(), registry })
    registry.catch(() => registries.delete(token))
    return registry
  }

  return {
    viewFor(chainId, tokens) {
      const wrongChain = chainId !== init.chainId
      const refuse = () => Promise.reject(new Error(`no chain facts for chain ${chainId}`))
      return {
        canReceive: (token, address) =>
          wrongChain
            ? refuse()
            : client.readContract({
                address: token as Address,
                abi: StvToken.abi,
                functionName: 'canReceive',
                args: [address as Address],
              }),
        didOf: async (address) => {
          if (wrongChain || tokens.length === 0) return refuse()
          const registry = await registryOf(tokens[0]!)
          return didStatus(client, registry, address as Address, Math.floor(clock() / 1000))
        },
      }
    },
  }
}

async function findRegistry(client: PublicClient, token: Address): Promise<Address> {
  const rules = await client.readContract({
    address: token,
    abi: StvToken.abi,
    functionName: 'validationRulesList',
  })
  for (const rule of rules) {
    try {
      return await client.readContract({ address: rule, abi: HasDIDRule.abi, functionName: 'didRegistry' })
    } catch {
      // Not a HasDIDRule: try the next rule.
    }
  }
  throw new Error(`token ${token} links no DID registry`)
}

async function didStatus(
  client: PublicClient,
  registry: Address,
  address: Address,
  nowSeconds: number,
): Promise<DidStatus> {
  let result: readonly [string, bigint, bigint, boolean, Address]
  try {
    result = await client.readContract({
      address: registry,
      abi: StvDID.abi,
      functionName: 'getUserDID',
      args: [address],
    })
  } catch (e) {
    // The registry reverts for an address linked to no DID: that is an answer, not a failure.
    const revert =
      e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : undefined
    if (
      revert instanceof ContractFunctionRevertedError &&
      revert.data?.errorName === 'AddressDoesNotLinkedToDID'
    )
      return { exists: false, expired: false, blocked: false }
    throw e
  }
  const [uDID, validTo, , blocked] = result
  if (uDID === '') return { exists: false, expired: false, blocked: false }
  // validTo 0 marks a deactivated record; "never expires" is stored as uint256 max.
  return { exists: true, expired: validTo <= BigInt(nowSeconds), blocked, did: uDID }
}
