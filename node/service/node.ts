// The composition root: one node = config + encrypted store + libp2p network + ceremony engine,
// exposed through the NodeApi the HTTP server and the CLI use.

import '../runtime/polyfill.ts'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { createBase58check } from '@scure/base'
import { hexToBytes, toHex } from 'viem'
import type { Proposal } from '../../proto/types.ts'
import { derive, formatPath, parsePath } from '../../protocol/bip32.ts'
import type { Signature } from '../../protocol/sign/party.ts'
import { assembleSignedTransaction } from '../chain/transaction.ts'
import { allowlist, homePaths, loadConfig, loadOrCreateIdentity, type NodeConfig } from '../config/index.ts'
import { useFastCurve } from '../crypto/fast-curve.ts'
import { NodeError } from '../errors.ts'
import { didKeyFromPublicKey } from '../identity/did-key.ts'
import { createLogger, type Logger } from '../log/index.ts'
import { createNetwork, type Network } from '../network/index.ts'
import { CeremonyEngine } from '../sessions/engine.ts'
import type { Admission } from '../sessions/types.ts'
import type { KeyRecord } from '../store/records.ts'
import { Store } from '../store/store.ts'
import { admitProposal } from './admission.ts'
import { createChainService } from './chain.ts'
import { createGate } from './gate.ts'
import { addressOf, getKeyRecord, hex, keyView, loadShare } from './keys.ts'
import { Metrics } from './metrics.ts'
import { NewShares } from './new-shares.ts'
import { PresignaturePool } from './presign-pool.ts'
import { decodeSignRequest, encodeSignRequest } from './requests.ts'
import type {
  EpochView,
  HealthView,
  NodeApi,
  SignatureView,
  SignInput,
  SubmitInput,
  SubmitView,
} from './types.ts'

export type StartNodeOptions = {
  home: string
  passphrase: string | Uint8Array
  logger?: Logger
  /** Per-ceremony timeouts (ms). */
  timeouts?: { dkg?: number; sign?: number }
}

export type RunningNode = NodeApi & {
  readonly config: NodeConfig
  readonly network: Network
  readonly store: Store
  multiaddrs(): string[]
  stop(): Promise<void>
}

const DEFAULT_TIMEOUTS = { dkg: 120_000, sign: 30_000 }

export async function startNode(opts: StartNodeOptions): Promise<RunningNode> {
  useFastCurve()
  const paths = homePaths(opts.home)
  const config = await loadConfig(paths.home)
  const logger = (opts.logger ?? createLogger({ name: config.name })).child({ node: config.name })
  const store = await Store.open({ path: paths.db, passphrase: opts.passphrase })
  try {
    return await assemble(opts, config, store, logger)
  } catch (e) {
    await store.close()
    throw e
  }
}

async function assemble(
  opts: StartNodeOptions,
  config: NodeConfig,
  store: Store,
  logger: Logger,
): Promise<RunningNode> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...envTimeouts(), ...opts.timeouts }
  const identity = await loadOrCreateIdentity(store)
  const self = identity.peerId
  const did = didKeyFromPublicKey('ed25519', identity.privateKey.publicKey.raw).did
  const network = createNetwork(
    { privateKey: identity.privateKey, listen: [config.listen], peers: allowlist(config, self) },
    { logger },
  )
  const metrics = new Metrics()
  const ceremonies = metrics.counter('mpc_ceremonies_total', 'Ceremonies by kind and outcome')
  const durations = metrics.histogram(
    'mpc_ceremony_duration_seconds',
    'Ceremony durations',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  )
  const incidents = metrics.counter('mpc_incidents_total', 'Aborts with culprits, bans and refusals')
  const gate = await createGate(
    { config, home: opts.home, selfPeerId: self, did },
    { store, logger, onIncident: (i) => incidents({ kind: i.kind, code: i.code }) },
  )
  const startedAt = Date.now()

  const engine: CeremonyEngine = new CeremonyEngine(
    { selfPeerId: self },
    {
      transport: network,
      logger,
      hooks: {
        admit: async (p, from) => {
          await newShares.catchUp(p)
          return admitProposal(
            {
              store,
              selfPeerId: self,
              isAllowed: (peer) => network.allowlist.has(peer),
              judge: (proposal, fromPeer, decoded) => gate.judge(proposal, fromPeer, decoded),
              contentOf: (jws) => gate.contentOf(jws),
              consumePresignature: (keyId, id) => presignatures.consume(keyId, id),
            },
            p,
            from,
          )
        },
        keyGenerated: (p, share) => newShares.keyGenerated(p, share),
        keyCommitted: (p) => newShares.activateKey(hex(p.sessionNonce)),
        reshared: (p, out) => newShares.reshared(p, out),
        reshareCommitted: (p) => newShares.applyEpoch(hex(p.sessionNonce)),
        presigned: async (_p, pre) => presignatures.save(pre),
        banned: async (keyId, peerId, slot, code, sessionId) => {
          incidents({ kind: 'ban', code })
          logger.error(
            { incident: 'ban', severity: 'critical', keyId: hex(keyId), peerId, slot, code },
            'peer banned on key',
          )
          await store.bans.add(hex(keyId), { peerId, slot, code, sessionId: hex(sessionId), at: Date.now() })
        },
        finished: (info) => {
          gate.finished(info)
          ceremonies({ kind: info.proposal.kind, outcome: info.outcome })
          durations(info.ms / 1000, { kind: info.proposal.kind })
          if (info.outcome !== 'completed' && info.culprits?.length) {
            incidents({ kind: 'abort', code: info.code ?? 'UNKNOWN' })
            logger.warn(
              { incident: 'abort', severity: 'high', code: info.code, culprits: info.culprits },
              'ceremony aborted with culprits',
            )
          }
        },
      },
    },
  )
  const newShares = new NewShares({ store, logger, selfPeerId: self, presignatures: () => presignatures })
  const presignatures = new PresignaturePool({
    store,
    logger,
    presign: (rec, signers) => presignCeremony(rec, signers),
  })
  metrics.gauge('mpc_ceremonies_running', 'Ceremonies in progress', () => engine.running)
  metrics.gauge(
    'mpc_peers_connected',
    'Committee peers with an open connection',
    () => connectedPeers().length,
  )

  const connectedPeers = (): string[] => {
    if (!network.isStarted) return []
    return network.libp2p.getConnections().map((c) => c.remotePeer.toString())
  }

  const chain = await createChainService(
    { config, home: opts.home },
    {
      logger,
      sign: (keyId, input) => signWith(keyId, input),
      addressOf: async (keyId) => (await getKeyRecord(store, keyId)).address,
      recordTx: (info) => gate.recordTx(info),
    },
  )
  await network.start()
  engine.start()
  // Commits that had not reached this node before a restart come back from their markers.
  await newShares.reload()
  // Presignatures left from before a restart go back into their pools (their records are the truth).
  await presignatures.reload()
  logger.info({ peerId: self, addrs: network.addresses() }, 'node started')

  const api: RunningNode = {
    config,
    network,
    store,
    peerId: self,
    did,
    multiaddrs: () => network.addresses(),

    async createKey(input) {
      const committee = input.committee
      if (!Array.isArray(committee) || !committee.every((p) => typeof p === 'string'))
        throw new NodeError('API_INVALID_BODY', 'committee must be a list of peer ids', { status: 400 })
      if (!committee.includes(self))
        throw new NodeError('CEREMONY_NOT_MEMBER', 'the committee must include this node', { status: 400 })
      const n = committee.length
      if (!Number.isInteger(input.threshold) || input.threshold < 2 || input.threshold > n)
        throw new NodeError('API_INVALID_BODY', `threshold must be between 2 and ${n}`, { status: 400 })
      for (const p of committee)
        if (p !== self && !network.allowlist.has(p))
          throw new NodeError('PEER_UNKNOWN', `peer ${p} is not configured on this node`, { status: 400 })
      const res = await engine.run({
        kind: 'dkg',
        committee,
        threshold: input.threshold,
        keyId: new Uint8Array(32),
        signers: [],
        request: new Uint8Array(0),
        derivationPath: [],
        epoch: 0,
        newCommittee: [],
        newThreshold: 0,
        timeoutMs: timeouts.dkg,
      })
      return keyView(await getKeyRecord(store, hex(res.keyId!)))
    },

    async listKeys() {
      return (await store.keys.list()).map(keyView)
    },

    async getKey(keyId) {
      return keyView(await getKeyRecord(store, keyId))
    },

    async sign(keyId, input) {
      return signWith(keyId, input)
    },

    async submit(keyId: string, input: SubmitInput): Promise<SubmitView> {
      return chain.submit(keyId, input)
    },

    async refresh(keyId) {
      const rec = await getKeyRecord(store, keyId)
      await engine.run({
        kind: 'refresh',
        committee: rec.committee,
        threshold: rec.threshold,
        keyId: hexToBytes(`0x${rec.keyId}`),
        signers: [],
        request: reshareRequest(rec),
        derivationPath: [],
        epoch: rec.epoch,
        newCommittee: [],
        newThreshold: 0,
        timeoutMs: timeouts.dkg,
      })
      return epochView(await getKeyRecord(store, keyId))
    },

    async reshare(keyId, input) {
      const rec = await getKeyRecord(store, keyId)
      if (rec.status !== 'active')
        throw new NodeError('KEY_NOT_ACTIVE', `the key is ${rec.status}`, { status: 409 })
      for (const p of input.committee)
        if (p !== self && !network.allowlist.has(p))
          throw new NodeError('PEER_UNKNOWN', `peer ${p} is not configured on this node`, { status: 400 })
      const banned = await store.bans.bannedPeers(rec.keyId)
      const dealerPeers =
        input.dealers ??
        [self, ...rec.committee.filter((p) => p !== self && !banned.has(p))]
          .filter((p) => rec.committee.includes(p))
          .slice(0, rec.threshold)
      for (const p of dealerPeers)
        if (!rec.committee.includes(p))
          throw new NodeError('DEALER_UNKNOWN', `dealer ${p} is not in the key's committee`, { status: 400 })
      const signers = dealerPeers.map((p) => rec.committee.indexOf(p) + 1).sort((a, b) => a - b)
      await engine.run({
        kind: 'reshare',
        committee: rec.committee,
        threshold: rec.threshold,
        keyId: hexToBytes(`0x${rec.keyId}`),
        signers,
        request: reshareRequest(rec),
        derivationPath: [],
        epoch: rec.epoch,
        newCommittee: input.committee,
        newThreshold: input.threshold,
        timeoutMs: timeouts.dkg,
      })
      return epochView(await getKeyRecord(store, keyId))
    },

    async presign(keyId, input) {
      const rec = await getKeyRecord(store, keyId)
      if (rec.status !== 'active')
        throw new NodeError('KEY_NOT_ACTIVE', `the key is ${rec.status}`, { status: 409 })
      const signers = chooseSigners(rec, input.signers, await store.bans.bannedPeers(rec.keyId))
      if (!signers.includes(rec.committee.indexOf(self) + 1))
        throw new NodeError('PRESIGN_NOT_SIGNER', 'presignatures are made by a node that signs', {
          status: 400,
        })
      const created = await presignatures.fill(rec, signers, input.count)
      return {
        keyId: rec.keyId,
        signers: signers.map((s) => rec.committee[s - 1]!),
        created,
        available: presignatures.available(rec.keyId, signers),
      }
    },

    async xpub(keyId) {
      const rec = await getKeyRecord(store, keyId)
      const share = await loadShare(store, rec)
      try {
        return {
          keyId: rec.keyId,
          xpub: encodeXpub(share.publicKey, share.chainCode),
          publicKey: toHex(share.publicKey),
          chainCode: toHex(share.chainCode),
        }
      } finally {
        share.secretShare.fill(0)
      }
    },

    async address(keyId, pathText) {
      const rec = await getKeyRecord(store, keyId)
      const path = parsePath(pathText)
      const pk = path.length ? await derivedKey(rec, path) : hexToBytes(`0x${rec.publicKey}`)
      return { keyId: rec.keyId, path: formatPath(path), publicKey: toHex(pk), address: addressOf(pk) }
    },

    async health(): Promise<HealthView> {
      const connected = new Set(connectedPeers())
      const peers = config.peers.map((p) => ({
        peerId: p.peerId,
        name: p.name,
        connected: connected.has(p.peerId),
      }))
      return {
        status: 'ok',
        peerId: self,
        did,
        name: config.name,
        role: config.role,
        peers,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        ceremoniesRunning: engine.running,
      }
    },

    metrics: () => metrics.render(),

    async stop() {
      presignatures.stop()
      engine.stop()
      await chain.stop()
      await gate.stop()
      await network.stop()
      await store.close()
      logger.info('node stopped')
    },
  }

  /** One presigning ceremony (message-independent rounds); resolves to the presignature id. */
  async function presignCeremony(rec: KeyRecord, signers: number[]): Promise<Uint8Array> {
    const res = await engine.run({
      kind: 'sign',
      committee: rec.committee,
      threshold: rec.threshold,
      keyId: hexToBytes(`0x${rec.keyId}`),
      signers,
      request: new TextEncoder().encode(JSON.stringify({ presign: true })),
      derivationPath: [],
      epoch: rec.epoch,
      newCommittee: [],
      newThreshold: 0,
      timeoutMs: timeouts.sign,
    })
    return res.presignatureId!
  }

  async function signWith(keyId: string, input: SignInput): Promise<SignatureView> {
    const rec = await getKeyRecord(store, keyId)
    if (rec.status !== 'active')
      throw new NodeError('KEY_NOT_ACTIVE', `the key is ${rec.status}`, { status: 409 })
    const path = input.derivationPath ? parsePath(input.derivationPath) : []
    const signers = chooseSigners(rec, input.signers, await store.bans.bannedPeers(rec.keyId))
    // A presignature of this signer set (root key only) turns signing into one round.
    const presignature = path.length === 0 ? presignatures.take(rec, signers) : undefined
    const requestBytes = encodeSignRequest(input, presignature ? { presignature } : {})
    const decoded = decodeSignRequest(requestBytes, (jws) => gate.contentOf(jws))
    const proposal: Omit<Proposal, 'sessionNonce'> = {
      kind: 'sign',
      committee: rec.committee,
      threshold: rec.threshold,
      keyId: hexToBytes(`0x${rec.keyId}`),
      signers,
      request: requestBytes,
      derivationPath: path,
      epoch: rec.epoch,
      newCommittee: [],
      newThreshold: 0,
      timeoutMs: timeouts.sign,
    }
    let res: Awaited<ReturnType<typeof engine.run>>
    try {
      res = await engine.run(proposal)
    } catch (e) {
      if (presignature === undefined || (e as NodeError).code !== 'CEREMONY_REFUSED') throw e
      // A co-signer no longer holds that presignature: sign with all rounds.
      res = await engine.run({ ...proposal, request: encodeSignRequest(input) })
    }
    const sig = res.signature ?? fromRemote(res.remoteSignature)
    // Verify independently of the ceremony before releasing (threats.md #9).
    const pk = path.length ? await derivedKey(rec, path) : hexToBytes(`0x${rec.publicKey}`)
    const compact = new secp256k1.Signature(sig.r, sig.s).toBytes('compact')
    if (!secp256k1.verify(compact, decoded.digest, pk, { prehash: false }))
      throw new NodeError('SIGNATURE_INVALID', 'the ceremony returned a signature that does not verify', {
        status: 502,
      })
    const yParity = sig.recovery as 0 | 1
    const view: SignatureView = {
      keyId: rec.keyId,
      digest: toHex(decoded.digest),
      r: toHex(sig.r, { size: 32 }),
      s: toHex(sig.s, { size: 32 }),
      yParity,
      signers: signers.map((s) => rec.committee[s - 1]!),
      publicKey: toHex(pk),
    }
    if (path.length) view.derivationPath = formatPath(path)
    if (decoded.signing.kind === 'transaction')
      view.signedTransaction = assembleSignedTransaction(decoded.signing.tx, { r: sig.r, s: sig.s, yParity })
    return view
  }

  async function derivedKey(rec: KeyRecord, path: number[]): Promise<Uint8Array> {
    const share = await loadShare(store, rec)
    try {
      return derive(share.publicKey, share.chainCode, path).publicKey
    } finally {
      share.secretShare.fill(0)
    }
  }

  function chooseSigners(rec: KeyRecord, requested: string[] | undefined, banned: Set<string>): number[] {
    let peers: string[]
    if (requested && requested.length > 0) {
      peers = requested
      for (const p of peers)
        if (!rec.committee.includes(p))
          throw new NodeError('SIGNER_UNKNOWN', `signer ${p} is not in the key's committee`, { status: 400 })
      if (new Set(peers).size !== peers.length)
        throw new NodeError('SIGNER_DUPLICATE', 'a signer is listed twice', { status: 400 })
      if (peers.length < rec.threshold)
        throw new NodeError('SIGNER_SET_TOO_SMALL', `need at least ${rec.threshold} signers`, { status: 400 })
      for (const p of peers)
        if (banned.has(p))
          throw new NodeError('BANNED_PARTY', `signer ${p} is banned on this key`, { status: 409 })
    } else {
      const candidates = [self, ...rec.committee.filter((p) => p !== self && !banned.has(p))]
      peers = candidates.filter((p) => rec.committee.includes(p)).slice(0, rec.threshold)
      if (peers.length < rec.threshold)
        throw new NodeError('SIGNER_SET_TOO_SMALL', 'not enough unbanned signers', { status: 409 })
    }
    return peers.map((p) => rec.committee.indexOf(p) + 1).sort((a, b) => a - b)
  }

  return api
}

/** Operator overrides: MPC_NODE_DKG_TIMEOUT_MS, MPC_NODE_SIGN_TIMEOUT_MS. */
function envTimeouts(): { dkg?: number; sign?: number } {
  const read = (name: string) => {
    const v = process.env[name]
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isInteger(n) || n < 100 || n > 3_600_000)
      throw new NodeError('CONFIG_INVALID', `${name} must be 100..3600000 ms`, { status: 400 })
    return n
  }
  const out: { dkg?: number; sign?: number } = {}
  const dkg = read('MPC_NODE_DKG_TIMEOUT_MS')
  const sign = read('MPC_NODE_SIGN_TIMEOUT_MS')
  if (dkg !== undefined) out.dkg = dkg
  if (sign !== undefined) out.sign = sign
  return out
}

function reshareRequest(rec: KeyRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ publicKey: rec.publicKey }))
}

function epochView(rec: KeyRecord): EpochView {
  return {
    keyId: rec.keyId,
    epoch: rec.epoch,
    committee: rec.committee,
    threshold: rec.threshold,
    address: rec.address,
  }
}

/** BIP32 extended public key of the root (depth 0). */
function encodeXpub(publicKey: Uint8Array, chainCode: Uint8Array): string {
  const b = new Uint8Array(78)
  b.set([0x04, 0x88, 0xb2, 0x1e], 0)
  b.set(chainCode, 13)
  b.set(publicKey, 45)
  return createBase58check(sha256).encode(b)
}

function fromRemote(bytes: Uint8Array | undefined): Pick<Signature, 'r' | 's' | 'recovery'> {
  if (bytes?.length !== 65)
    throw new NodeError('SIGNATURE_MISSING', 'no signature came back', { status: 502 })
  return {
    r: BigInt(toHex(bytes.subarray(0, 32))),
    s: BigInt(toHex(bytes.subarray(32, 64))),
    recovery: bytes[64]!,
  }
}

export type { Admission }
