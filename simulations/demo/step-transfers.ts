// Steps 3 and 4: the investor's own requests. A compliant transfer (KYC credential attached,
// verified recipient, within limits) is allowed by the device and the provider, signed by the
// ceremony and lands. A transfer to the sanctioned party (which the token itself would allow) is
// refused by the nodes' policy before any share is computed, with every node's reasons; one to a
// wallet without a DID is stopped by the node's pre-flight, and, asked as a bare signature without
// pre-flight, refused by the policy too. Another DID asking the wallet is refused by the device
// (it co-signs only its investor's requests); the recovery node refuses routine transfers.
import type { Address } from 'viem'
import { tokenCalls } from '../../node/chain/stv3.ts'
import type { DidSigner } from '../../node/identity/signer.ts'
import { kycCredential } from './actors.ts'
import { signaturesCompleted } from './api.ts'
import { balanceOf, canTransfer } from './chain.ts'
import type { Refusal } from './signing.ts'
import { type Ask, expectRefusal, landOp } from './signing.ts'
import { type NodeName, node, type Story } from './story.ts'

/** The investor asks `deviceName` (and the provider) to transfer `amount` to `to`; it must land. */
export async function investorTransfer(
  s: Story,
  label: string,
  deviceName: NodeName,
  to: Address,
  amount: bigint,
): Promise<void> {
  const device = node(s, deviceName)
  const provider = node(s, 'provider')
  const wallet = s.wallet!
  const landed = await landOp(s, label, {
    via: device,
    signers: [device, provider],
    key: wallet,
    requester: s.actors.investor,
    op: 'transfer',
    call: tokenCalls.transfer(s.chain.stv3!.token, to, amount),
    credentials: [kycCredential(s.actors, Date.now())],
  })
  s.transfers.push({ name: label, ...landed, to, amount: amount.toString() })
}

export async function stepCompliant(s: Story): Promise<void> {
  const to = s.actors.recipient.address
  await investorTransfer(
    s,
    'investor requests 250 DST → verified recipient (device + provider)',
    'device',
    to,
    250n,
  )
  s.narr.note('device: requester is its investor ✓   provider: KYC credential, limits, recipient DID ✓')
  s.narr.note('the recovery node was not asked: it never co-signs routine transfers')
  const [w, r] = await Promise.all([balanceOf(s.chain, s.wallet!.address as Address), balanceOf(s.chain, to)])
  s.narr.note(`balances: wallet ${w} DST, recipient ${r} DST`)
}

function showRefusal(s: Story, r: Refusal): void {
  for (const d of r.denials) {
    s.narr.note(`${d.node ?? d.peerId} refused (${d.code}):`)
    for (const reason of d.reasons) s.narr.note(`    - ${reason}`)
  }
}

function transferAsk(
  s: Story,
  via: NodeName,
  to: Address,
  amount: bigint,
  o: { requester?: DidSigner; with?: NodeName } = {},
): Ask {
  const other = o.with ?? (via === 'provider' ? 'device' : 'provider')
  return {
    via: node(s, via),
    signers: [node(s, via), node(s, other)],
    key: s.wallet!,
    requester: o.requester ?? s.actors.investor,
    op: 'transfer',
    call: tokenCalls.transfer(s.chain.stv3!.token, to, amount),
    credentials: [kycCredential(s.actors, Date.now())],
    evenIfReverting: true,
  }
}

/** A request the nodes' policy must refuse, through `route`; recorded with every node's reasons. */
async function refused(
  s: Story,
  label: string,
  ask: Ask,
  route: 'transactions' | 'signatures',
): Promise<void> {
  const r = await s.narr.op(
    label,
    () => expectRefusal(s, ask, route),
    (r) => ({
      status: 'refused',
      refusal: r,
      detail: `${r.code}: ${[...new Set(r.denials.map((d) => d.code))].join(', ')}`,
    }),
    { ok: (r) => r.denials.length > 0 },
  )
  showRefusal(s, r)
  s.refusals.push({ name: label, code: r.code, denials: r.denials })
}

export async function stepRefused(s: Story): Promise<void> {
  const wallet = s.wallet!.address as Address
  const signing = [node(s, 'device'), node(s, 'provider')]
  const before = await Promise.all(signing.map(signaturesCompleted))
  const { sanctioned, unverified } = s.actors
  const onChain = await canTransfer(s.chain, wallet, sanctioned.address, 100n)
  s.narr.note(`the token alone would allow this one: canTransfer(wallet, sanctioned, 100) = ${onChain}`)
  await refused(
    s,
    'investor requests 100 DST → sanctioned party (POST …/transactions via the device)',
    transferAsk(s, 'device', sanctioned.address, 100n),
    'transactions',
  )
  const toUnverified = await canTransfer(s.chain, wallet, unverified.address, 100n)
  s.narr.note(`the token refuses the next one: canTransfer(wallet, unverified, 100) = ${toUnverified}`)
  await s.narr.op(
    'investor requests 100 DST → wallet without a DID (POST …/transactions via the provider)',
    () =>
      expectRefusal(
        s,
        transferAsk(s, 'provider', unverified.address, 100n),
        'transactions',
        'CHAIN_PREFLIGHT',
      ),
    (r) => ({
      status: 'refused',
      detail: `${r.code}${r.errorName === undefined ? '' : ` (${r.errorName})`}: the node's pre-flight, before any ceremony`,
    }),
  )
  await refused(
    s,
    'the same as a bare signature request (POST …/signatures via the provider, no pre-flight)',
    transferAsk(s, 'provider', unverified.address, 100n),
    'signatures',
  )
  const { recipient, stranger } = { recipient: s.actors.recipient.address, stranger: s.actors.stranger }
  await refused(
    s,
    "another DID asks the investor's wallet for 100 DST → recipient (via the device)",
    transferAsk(s, 'device', recipient, 100n, { requester: stranger }),
    'transactions',
  )
  await refused(
    s,
    'the investor asks the recovery node to co-sign 100 DST → recipient (via the recovery node)',
    transferAsk(s, 'recovery', recipient, 100n, { with: 'provider' }),
    'transactions',
  )
  const after = await Promise.all(signing.map(signaturesCompleted))
  const same = after.every((v, i) => v === before[i])
  await s.narr.op(
    'no share was computed: completed signing ceremonies unchanged on device and provider',
    async () => ({ before, after }),
    () => ({ detail: `device ${before[0]}→${after[0]}, provider ${before[1]}→${after[1]}` }),
    { ok: () => same },
  )
  if (!same) throw new Error('a refused request completed a signing ceremony')
  s.narr.note(`wallet balance still ${await balanceOf(s.chain, wallet)} DST`)
}
