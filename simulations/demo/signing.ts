// A requester asks a key to sign: a transaction built from the chain (the key's nonce, gas, fees),
// a request JWS signed by the requester's DID with the credentials it presents, approvals by
// compliance officers where the policy wants them, and `POST /v1/keys/{id}/transactions` on one
// node with the signer set: that node pre-flights it, runs the ceremony (every co-signer judges the
// request by its own policy first), broadcasts and waits for the receipt. The demo then checks the
// result independently: the signed bytes recover to the key's address, the chain has the receipt.
// `POST /v1/keys/{id}/signatures` (a bare signature, no pre-flight) is used to show that the
// policy alone refuses what a client might ask for without the node's pre-flight.
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
import type { KeyView, SignatureView, SubmitView } from '../../node/service/types.ts'
import { checkLanded, type Landed, transactionFor } from './chain.ts'
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

type Route = 'transactions' | 'signatures'

async function ask<T extends SubmitView | SignatureView>(s: Story, a: Ask, route: Route): Promise<T> {
  const tx = await transactionFor(s.chain, a.key.address as Address, a.call, {
    fallbackGas: a.evenIfReverting === true,
  })
  const { request, approvals } = requestJws(a, tx as unknown as JsonObject)
  return callApi<T>(a.via.api, 'POST', `/v1/keys/${a.key.keyId}/${route}`, {
    request,
    ...(approvals.length > 0 ? { approvals } : {}),
    signers: a.signers.map((n) => n.peerId),
  })
}

/** Submits through the node (pre-flight, ceremony, broadcast, receipt) and checks what landed. */
export async function signAndLand(s: Story, a: Ask): Promise<{ view: SubmitView; landed: Landed }> {
  const view = await ask<SubmitView>(s, a, 'transactions')
  if (view.signedTransaction === undefined) throw new Error('the node returned no signed transaction')
  const landed = await checkLanded(s.chain, view.signedTransaction as Hex, a.key.address as Address)
  return { view, landed }
}

export type Refusal = { code: string; denials: Denial[]; errorName?: string }

/**
 * Expects a refusal with `code` (CEREMONY_REFUSED: the nodes' policy; CHAIN_PREFLIGHT_*: the
 * coordinator's pre-flight): returns the code and the denials; throws if anything was signed.
 */
export async function expectRefusal(
  s: Story,
  a: Ask,
  route: Route,
  code = 'CEREMONY_REFUSED',
): Promise<Refusal> {
  try {
    await ask(s, a, route)
  } catch (e) {
    if (!isNodeError(e) || !e.code.startsWith(code)) throw e
    const raw = (e.details.denials ?? []) as { peerId: string; code: string; reasons: string[] }[]
    const denials = raw.map((d) => ({ ...d, node: nameOf(s, d.peerId) }))
    const errorName = typeof e.details.errorName === 'string' ? e.details.errorName : undefined
    return { code: e.code, denials, ...(errorName === undefined ? {} : { errorName }) }
  }
  throw new Error('the nodes signed a request that their policy should refuse')
}

/** One narrated operation: submit, check what landed, and fail the step unless it succeeded. */
export async function landOp(s: Story, label: string, a: Ask): Promise<Landed> {
  const { landed } = await s.narr.op(
    label,
    () => signAndLand(s, a),
    ({ landed }) => ({
      txHash: landed.txHash,
      status: landed.status,
      detail: `${landed.status} ${landed.txHash}`,
    }),
    { slow: true, ok: ({ landed }) => landed.status === 'success' },
  )
  if (landed.status !== 'success') throw new Error(`${label}: the transaction reverted`)
  return landed
}
