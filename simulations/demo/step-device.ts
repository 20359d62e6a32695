// Step 5: the device is lost. Its process stops and its home (share included) is deleted. A new
// device node is made with `mpc-node init`; the provider and the recovery node add it to their peers
// (`mpc-node peers add`) and restart, since a running node reads its peers only at start. The
// provider and the recovery node then reshare the wallet to {new device, provider, recovery}: same
// key, same address, and the new device co-signs a transfer.
//
// The lost device stays in their peers until the reshare is done: a participant admits a reshare
// only when every member of the key's current committee is allowlisted (node/service/admission.ts),
// lost ones included, so removing it first gets PROPOSAL_PEER_NOT_ALLOWED; for the same reason the
// new device allowlists the lost one too (by the peer id the key's committee names).
import { rm } from 'node:fs/promises'
import type { Address } from 'viem'
import { short } from './actors.ts'
import { getKey, reshare } from './api.ts'
import { balanceOf, CHAIN_ID } from './chain.ts'
import { addPeer, initHome, removePeer } from './homes.ts'
import { applyPolicies, startNode } from './step-setup.ts'
import { investorTransfer } from './step-transfers.ts'
import { home, node, type Story } from './story.ts'

export async function stepDevice(s: Story): Promise<void> {
  const { narr } = s
  const lost = home(s, 'device')
  await narr.op('the device is lost: stop its process and delete its home (and its share)', async () => {
    await s.nodes.device?.stop()
    await rm(lost.home, { recursive: true, force: true })
  })
  await narr.op(
    'mpc-node init a new device; peers add provider, recovery (and the lost device); its policy',
    async () => {
      s.homes['device-2'] = await initHome(
        s.root,
        { name: 'device-2', role: 'device', rpcUrl: s.chain.anvil.rpcUrl, chainId: CHAIN_ID },
        s.env,
      )
      for (const p of ['provider', 'recovery'] as const) await addPeer(home(s, 'device-2'), home(s, p), s.env)
      // Admission wants the key's whole current committee allowlisted, the lost device included.
      await addPeer(home(s, 'device-2'), lost, s.env)
      await applyPolicies(s, ['device-2'])
    },
    () => ({ detail: `peer ${short(home(s, 'device-2').peerId, 12)}` }),
  )
  await narr.op(
    'provider and recovery: peers add the new device, restart; start the new device',
    async () => {
      for (const name of ['provider', 'recovery'] as const)
        await addPeer(home(s, name), home(s, 'device-2'), s.env)
      await Promise.all([node(s, 'provider').stop(), node(s, 'recovery').stop()])
      await Promise.all([startNode(s, 'provider'), startNode(s, 'recovery'), startNode(s, 'device-2')])
    },
    () => ({
      detail: (['provider', 'recovery', 'device-2'] as const)
        .map((n) => `${n} pid ${s.nodes[n]?.pid}`)
        .join(', '),
    }),
    { slow: true },
  )
  const wallet = s.wallet!
  const [provider, recovery, device2] = (['provider', 'recovery', 'device-2'] as const).map((n) => node(s, n))
  const epoch = await narr.op(
    'reshare 2-of-3 to {provider, new device, recovery}; dealers provider + recovery',
    () =>
      reshare(provider, wallet.keyId, {
        // The new device takes the lost one's position and the coordinator keeps its own: the engine
        // numbers a reshare's coordinator by its old slot and participants by the new committee
        // (node/sessions/engine.ts run vs roster.ts), so a moved coordinator's proposal is dropped.
        committee: [device2, provider, recovery],
        threshold: 2,
        dealers: [provider, recovery],
      }),
    (e) => ({ detail: `epoch ${e.epoch}, address ${e.address}` }),
    { slow: true, ok: (e) => e.address === wallet.address },
  )
  const seen = await narr.op(
    "the new device holds a share of the same key: the wallet's address is unchanged",
    () => getKey(device2, wallet.keyId),
    (k) => ({ detail: `${k.address} ${k.address === wallet.address ? '=' : '≠'} ${wallet.address}` }),
    { ok: (k) => k.address === wallet.address },
  )
  s.walletAfter = seen.address
  if (epoch.address !== wallet.address || seen.address !== wallet.address)
    throw new Error('the device replacement changed the address')
  await narr.op(
    'peers remove the lost device on provider, recovery and the new device (in force at their next start)',
    async () => {
      for (const name of ['provider', 'recovery'] as const)
        await removePeer(home(s, name), lost.peerId, s.env)
    },
  )
  await investorTransfer(
    s,
    'investor requests 100 DST → verified recipient, co-signed by the new device',
    'device-2',
    s.actors.recipient.address,
    100n,
  )
  const [w, r] = await Promise.all([
    balanceOf(s.chain, wallet.address as Address),
    balanceOf(s.chain, s.actors.recipient.address),
  ])
  narr.note(`balances: wallet ${w} DST, recipient ${r} DST`)
}
