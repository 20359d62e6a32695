// Which submissions get the STV3 `canTransfer` pre-flight: an ERC-20 `transfer(to, amount)` or
// `transferFrom(from, to, amount)` sent to a contract that claims ERC-7943 through ERC-165 (every
// STV3 token does; `supportsInterface` never reverts on one). Anything else gets the eth_call only.
import { type Address, getAddress, type PublicClient } from 'viem'
import { StvToken } from '../../../contracts/gen/index.ts'
import { decodeStv3Call, INTERFACE_IDS } from '../../chain/stv3.ts'
import type { Stv3TransferCheck, SubmitCall } from '../../chain/submitter.ts'

/** The transfer a call makes, if its calldata is an ERC-20 transfer or transferFrom. Pure. */
export function transferOf(from: Address, call: SubmitCall): Stv3TransferCheck | undefined {
  let decoded: ReturnType<typeof decodeStv3Call>
  try {
    decoded = decodeStv3Call(call.data)
  } catch {
    return undefined
  }
  if (decoded.functionName === 'transfer') {
    const [to, amount] = decoded.args
    return { token: getAddress(call.to), from, to: getAddress(to), amount }
  }
  if (decoded.functionName === 'transferFrom') {
    const [owner, to, amount] = decoded.args
    return { token: getAddress(call.to), from: getAddress(owner), to: getAddress(to), amount }
  }
  return undefined
}

/** Whether `token` answers ERC-165 for ERC-7943 (false for EOAs, plain ERC-20s and reverts). */
export async function isStv3Token(publicClient: PublicClient, token: Address): Promise<boolean> {
  try {
    return await publicClient.readContract({
      address: token,
      abi: StvToken.abi,
      functionName: 'supportsInterface',
      args: [INTERFACE_IDS.erc7943],
    })
  } catch {
    return false
  }
}

/** The canTransfer check for this call, when it is a transfer on an STV3 token. */
export async function stv3CheckFor(
  publicClient: PublicClient,
  from: Address,
  call: SubmitCall,
): Promise<Stv3TransferCheck | undefined> {
  const transfer = transferOf(from, call)
  if (transfer === undefined) return undefined
  return (await isStv3Token(publicClient, transfer.token)) ? transfer : undefined
}
