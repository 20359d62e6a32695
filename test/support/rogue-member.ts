// A committee member under the test's control: the real identity, share and allowlist of one node
// home, opened inside the test process, with a real ceremony engine (so it can take part in a
// signing honestly) behind a tapped transport (so the test can record and replay its frames), and
// raw access to the libp2p network to send whatever bytes an attacker would.

import { allowlist, homePaths, loadConfig, loadOrCreateIdentity } from '../../node/config/index.ts'
import { useFastCurve } from '../../node/crypto/fast-curve.ts'
import { type Logger, silentLogger } from '../../node/log/index.ts'
import { createNetwork, type Network } from '../../node/network/index.ts'
import { admitProposal } from '../../node/service/admission.ts'
import { CeremonyEngine, type Transport } from '../../node/sessions/engine.ts'
import { Store } from '../../node/store/store.ts'
import { TEST_PASSPHRASE } from './cluster.ts'

export type Frame = { peer: string; bytes: Uint8Array }

export type RogueMember = {
  peerId: string
  net: Network
  /** Every frame its engine sent, in order. */
  sent: Frame[]
  /**
   * What actually goes out for each frame of its engine (default: the frame itself). Return tampered
   * bytes, extra copies, or nothing to withhold it.
   */
  rewrite: ((frame: Frame) => Uint8Array[]) | undefined
  stop(): Promise<void>
}

/**
 * Opens `home` (its node process must be stopped: one process per store) and joins the committee
 * as that node, listening on the node's configured address. `maxMessageBytes` lifts the sender's
 * own frame cap so it can send oversized frames.
 */
export async function startRogueMember(
  home: string,
  maxMessageBytes = 4 << 20,
  logger: Logger = silentLogger(),
): Promise<RogueMember> {
  useFastCurve()
  const config = await loadConfig(home)
  const store = await Store.open({ path: homePaths(home).db, passphrase: TEST_PASSPHRASE })
  const identity = await loadOrCreateIdentity(store)
  const self = identity.peerId
  const net = createNetwork(
    {
      privateKey: identity.privateKey,
      listen: [config.listen],
      peers: allowlist(config, self),
      maxMessageBytes,
    },
    { logger: silentLogger() },
  )
  const sent: Frame[] = []
  const member: RogueMember = {
    peerId: self,
    net,
    sent,
    rewrite: undefined,
    async stop() {
      engine.stop()
      await net.stop()
      await store.close()
    },
  }
  const tap: Transport = {
    send: async (peer, bytes) => {
      const frame = { peer, bytes: Uint8Array.from(bytes) }
      sent.push(frame)
      const out = member.rewrite?.(frame) ?? [bytes]
      for (const b of out) await net.send(peer, b)
    },
    onMessage: (h) => net.onMessage(h),
  }
  const engine = new CeremonyEngine(
    { selfPeerId: self },
    {
      transport: tap,
      logger,
      hooks: {
        admit: (p, from) =>
          admitProposal({ store, selfPeerId: self, isAllowed: (peer) => net.allowlist.has(peer) }, p, from),
        keyGenerated: async () => {
          throw new Error('the rogue member takes no part in key generation')
        },
        keyCommitted: async () => undefined,
        reshared: async () => {
          throw new Error('the rogue member takes no part in resharing')
        },
        reshareCommitted: async () => undefined,
        presigned: async () => {
          throw new Error('the rogue member keeps no presignatures')
        },
        banned: async () => undefined,
        finished: () => undefined,
      },
    },
  )
  await net.start()
  engine.start()
  return member
}
