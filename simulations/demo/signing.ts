// A requester asks a key to sign: a transaction built from the chain (the key's nonce, gas, fees),
// a request JWS signed by the requester's DID with the credentials it presents, approvals by
// compliance officers where the policy wants them, and `POST /v1/keys/{id}/signatures` on one
// node with the signer set. What the ceremony signs is broadcast here, after recovering the sender.
//
// The request carries its credentials in a `credentials` claim (node/service/gate/content.ts), so
// it is signed with signJwt: node/policy/request-client.ts signRequest has no field for them.
import { randomUUID } from 'node:crypto'
import type { Address, Hex } from 'viem'
import type { Stv3Call } from '../../node/chain/stv3.ts'
import { callApi } from '../../node/cli/http-client.ts'
import { isNodeError } from '../../node/errors.ts'
import type { JsonObject } from '../../node/identity/canonical.ts'
import { type DidSigner, signJwt } from '../../node/identity/signer.ts'
import { signApproval } from '../../node/policy/index.ts'
import type { KeyView, SignatureView } from '../../node/service/types.ts'
import { broadcast, type Landed, transactionFor } from './chain.ts'
import type { Denial } from './narrate.ts'
import type { NodeProcess } from './processes.ts'
import { nameOf, type Story } from './story.ts'

export type Ask = {
  /** The node whose API is called (it coordinates the ceremony). */
  via: NodeProcess
  signers: NodeProcess[]
  key: KeyView
  requester: DidSigner
  op: string
  call: Stv3Call
  credentials?: string[]
  approvers?: DidSigner[]
  /** Send the request even when the chain says the call would revert (fixed gas). */
  evenIfReverting?: boolean
}

const REQUEST_TTL_S = 120

function requestJws(a: Ask, transaction: JsonObject): { request: string; approvals: string[] } {
  const iat = Math.floor(Date.now() / 1000)
  const request = signJwt(
    {
      aud: a.key.keyId,
      iat,
      exp: iat + REQUEST_TTL_S,
      jti: randomUUID(),
      op: a.op,
      transaction,
      ...(a.credentials === undefined ? {} : { credentials: a.credentials }),
    },
    a.requester,
  )
  const approvals = (a.approvers ?? []).map((o) => signApproval(o, request, { iat, exp: iat + 300 }))
  return { request, approvals }
}

async function ask(s: Story, a: Ask): Promise<SignatureView> {
  const tx = await transactionFor(s.chain, a.key.address as Address, a.call, {
    fallbackGas: a.evenIfReverting === true,
  })
  const { request, approvals } = requestJws(a, tx as unknown as JsonObject)
  return callApi<SignatureView>(a.via.api, 'POST', `/v1/keys/${a.key.keyId}/signatures`, {
    request,
    ...(approvals.length > 0 ? { approvals } : {}),
    signers: a.signers.map((n) => n.peerId),
  })
}

/** Signs through the ceremony and lands the transaction. */
export async function signAndLand(s: Story, a: Ask): Promise<{ sig: SignatureView; landed: Landed }> {
  const sig = await ask(s, a)
  if (sig.signedTransaction === undefined) throw new Error('the node returned no signed transaction')
  const landed = await broadcast(s.chain, sig.signedTransaction as Hex, a.key.address as Address)
  return { sig, landed }
}

export type Refusal = { code: string; denials: Denial[] }

/** Expects the nodes to refuse: returns the API error's code and denials; throws if it was signed. */
export async function expectRefusal(s: Story, a: Ask): Promise<Refusal> {
  try {
    await ask(s, a)
  } catch (e) {
    if (!isNodeError(e, 'CEREMONY_REFUSED')) throw e
    const raw = (e.details.denials ?? []) as { peerId: string; code: string; reasons: string[] }[]
    const denials = raw.map((d) => ({ ...d, node: nameOf(s, d.peerId) }))
    return { code: e.code, denials }
  }
  throw new Error('the nodes signed a request that their policy should refuse')
}
