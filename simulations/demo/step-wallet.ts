// Step 2: the investor's wallet, a 2-of-3 key of the device, the provider and the recovery node
// (which holds a backup share: it joins key generation and resharing, never routine signing). The
// DIDs of the investor (linked to the MPC wallet) and of the counterparties are registered on the
// STV3 DID registry, and the issuer's MPC key issues tokens and distributes some to the wallet,
// each operation asked by the issuer's operator and approved by two compliance officers.
import type { Address } from 'viem'
import { tokenCalls } from '../../node/chain/stv3.ts'
import { short } from './actors.ts'
import { createKey } from './api.ts'
import { balanceOf, createDid, fund } from './chain.ts'
import { landOp } from './signing.ts'
import { applyPolicies } from './step-setup.ts'
import { node, type Story } from './story.ts'

export const ISSUED = 10_000n
export const DISTRIBUTED = 1_000n

export async function stepWallet(s: Story): Promise<void> {
  const { narr, actors } = s
  const [provider, device, recovery, issuerNode] = (
    ['provider', 'device', 'recovery', 'issuer'] as const
  ).map((n) => node(s, n))
  const token = s.chain.stv3!.token
  const wallet = await narr.op(
    "DKG: the investor's wallet, 2-of-3 (device + provider + recovery)",
    () => createKey(device, [device, provider, recovery], 2),
    (k) => ({ detail: `key ${short(k.keyId, 8, 0)} address ${k.address}` }),
    { slow: true },
  )
  s.wallet = wallet
  await narr.op("bind the investor rules to the wallet's key id (provider, device)", () =>
    applyPolicies(s, ['provider', 'device']),
  )
  const address = wallet.address as Address
  await narr.op(
    'register DIDs on the STV3 registry: investor → MPC wallet, recipient, sanctioned party',
    async () => {
      await createDid(s.chain, actors.investor.did, address)
      await createDid(s.chain, actors.recipient.signer.did, actors.recipient.address)
      await createDid(s.chain, actors.sanctioned.signer.did, actors.sanctioned.address)
      await fund(s.chain, address, '1')
    },
    () => ({ detail: `investor ${short(actors.investor.did, 16)}; wallet funded with 1 ETH for gas` }),
  )
  narr.note(`investor DID  ${actors.investor.did}`)
  narr.note(`recipient     ${actors.recipient.address}  ${short(actors.recipient.signer.did, 16)}`)
  narr.note(
    `sanctioned    ${actors.sanctioned.address}  (has a valid DID on chain; on the nodes' sanctions list)`,
  )
  narr.note(`unverified    ${actors.unverified.address}  (no DID)`)
  const issuerKey = s.issuerKey!
  const officers = actors.officers.slice(0, 2)
  const asIssuer = { via: issuerNode, signers: [issuerNode, provider], key: issuerKey, approvers: officers }
  await landOp(
    s,
    `issue ${ISSUED} DST: operator request + 2 officer approvals, signed by issuer node + provider`,
    {
      ...asIssuer,
      requester: actors.issuerOperator,
      op: 'issue',
      call: tokenCalls.issue(token, ISSUED),
    },
  )
  await landOp(
    s,
    `distribute ${DISTRIBUTED} DST from the treasury to the investor wallet (same approvals flow)`,
    {
      ...asIssuer,
      requester: actors.issuerOperator,
      op: 'distribute',
      call: tokenCalls.transferFromTreasury(token, address, DISTRIBUTED),
    },
  )
  narr.note(`wallet balance: ${await balanceOf(s.chain, address)} DST`)
}
