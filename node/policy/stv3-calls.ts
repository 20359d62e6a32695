// Decoding STV3 calls from transaction data, and the value movements a request causes.
// The node never trusts the requester's description of a call: it decodes `transaction.data`
// against the STV3 function set below (selectors depend on types only, so these match
// contracts/src/StvToken.sol and StvDID.sol; names follow the STV3 docs, see specs/stv3.md §4).
import { type Abi, decodeFunctionData, parseAbi } from 'viem'
import type { Address, CallArg, DecodedCall, RequestClaims } from './request.ts'

export const STV3_ABI: Abi = parseAbi([
  'function transfer(address to, uint256 amount) returns (bool)',
  'function transferFrom(address from, address to, uint256 amount) returns (bool)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function issue(uint256 amount)',
  'function redeem(uint256 amount)',
  'function transferFromTreasury(address to, uint256 amount)',
  'function forcedTransfer(address from, address to, uint256 amount)',
  'function forcedMint(address to, uint256 amount)',
  'function forcedBurn(address from, uint256 amount)',
  'function setFrozenTokens(address account, uint256 amount)',
  'function pauseToken()',
  'function unpauseToken()',
  'function pauseProtocolSTV3()',
  'function unpauseProtocolSTV3()',
  'function grantRole(bytes32 role, address account)',
  'function revokeRole(bytes32 role, address account)',
  'function trust(address account)',
  'function distrust(address account)',
  'function createDID(string uDID, address userWallet, uint256 validToDate, bool blocked)',
  'function prolongateDID(string uDID, uint256 newValidTo)',
  'function blockDID(string uDID, string reasonToBlock)',
  'function unBlockDID(string uDID, string reasonToUnblock)',
  'function linkAddressToDID(address existingDIDAddress, address addressToLink)',
])

export type CallDecoder = (contract: Address, data: `0x${string}`) => DecodedCall | undefined

/** Decodes STV3 call data into named, JSON-safe arguments; undefined when the selector is unknown. */
export const decodeStv3Call: CallDecoder = (contract, data) => {
  let decoded: { functionName: string; args?: readonly unknown[] }
  try {
    decoded = decodeFunctionData({ abi: STV3_ABI, data })
  } catch {
    return undefined
  }
  const fn = STV3_ABI.find((i) => i.type === 'function' && i.name === decoded.functionName)
  if (fn === undefined || fn.type !== 'function') return undefined
  const args: Record<string, CallArg> = {}
  fn.inputs.forEach((input, i) => {
    args[input.name ?? `arg${i}`] = toArg(decoded.args?.[i])
  })
  return { contract: contract.toLowerCase() as Address, functionName: decoded.functionName, args }
}

function toArg(v: unknown): CallArg {
  if (typeof v === 'bigint') return v.toString(10)
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') return /^0x[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v
  if (Array.isArray(v)) return v.map(toArg)
  return String(v)
}

/** A value movement: native value (`token: 'native'`) or STV3 tokens of `token`. */
export type Movement = {
  token: Address | 'native'
  amount: bigint
  /** Who receives, when a third party does (recipient checks apply to it). */
  to?: Address
  from?: Address
  functionName?: string
}

// functionName -> [recipient arg, sender arg, amount arg]
const MOVES: Record<string, [string | null, string | null, string]> = {
  transfer: ['to', null, 'amount'],
  transferFrom: ['to', 'from', 'amount'],
  transferFromTreasury: ['to', null, 'amount'],
  forcedTransfer: ['to', 'from', 'amount'],
  forcedMint: ['to', null, 'amount'],
  forcedBurn: [null, 'from', 'amount'],
  issue: [null, null, 'amount'],
  redeem: [null, null, 'amount'],
}

/** The movements of a request, from the node's own decoding of the call. */
export function movementsOf(claims: RequestClaims, call: DecodedCall | undefined): Movement[] {
  const out: Movement[] = []
  const tx = claims.transaction
  if (tx === undefined) return out
  const value = BigInt(tx.value)
  if (value > 0n) {
    // A plain value transfer pays a third party; value sent along a call pays the contract.
    const m: Movement = { token: 'native', amount: value }
    if (tx.data === '0x') m.to = tx.to
    out.push(m)
  }
  const move = call === undefined ? undefined : MOVES[call.functionName]
  if (call !== undefined && move !== undefined) {
    const [toArg, fromArg, amountArg] = move
    const amount = call.args[amountArg]
    const m: Movement = { token: call.contract, amount: typeof amount === 'string' ? BigInt(amount) : 0n }
    m.functionName = call.functionName
    const to = toArg === null ? undefined : call.args[toArg]
    const from = fromArg === null ? undefined : call.args[fromArg]
    if (typeof to === 'string') m.to = to as Address
    if (typeof from === 'string') m.from = from as Address
    out.push(m)
  }
  return out
}
