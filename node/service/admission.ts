// What a participant checks about a proposal before it computes anything (issue: every participant
// checks independently): known key and epoch, its own share present, peers allowlisted, a valid
// signer set without banned parties, and a request it can decode and hash itself.

import type { Proposal } from '../../proto/types.ts'
import { parsePath } from '../../protocol/bip32.ts'
import { isProtocolError } from '../../protocol/errors.ts'
import type { Presignature } from '../../protocol/sign/party.ts'
import { NodeError } from '../errors.ts'
import { rosterOf } from '../sessions/roster.ts'
import type { Admission } from '../sessions/types.ts'
import type { Store } from '../store/store.ts'
import { getKeyRecord, hex, loadShare } from './keys.ts'
import { decodeSignRequest } from './requests.ts'

export type AdmissionDeps = {
  store: Store
  selfPeerId: string
  isAllowed(peerId: string): boolean
  /** Policy and audit hook, run last: may refuse with reasons. */
  judge?(
    proposal: Proposal,
    fromPeer: string,
    decoded?: Awaited<ReturnType<typeof decodeSignRequest>>,
  ): Promise<Admission | null>
  /** Decode a signed request (JWS) into its transaction or message. */
  contentOf?(jws: string): { transaction?: unknown; message?: unknown }
  /** Take this node's presignature `id` out of the store (atomically; single use), or undefined. */
  consumePresignature?(keyId: string, id: string): Promise<Presignature | undefined>
}

const deny = (code: string, ...reasons: string[]): Admission => ({ accept: false, code, reasons })

export async function admitProposal(deps: AdmissionDeps, p: Proposal, fromPeer: string): Promise<Admission> {
  if (new Set(p.committee).size !== p.committee.length)
    return deny('PROPOSAL_DUPLICATE_PEER', 'the committee lists a peer twice')
  // Resharing talks only to its dealers and the new committee (a lost device need not be reachable).
  if (p.kind === 'refresh' || p.kind === 'reshare') return admitReshare(deps, p, fromPeer)
  const others = p.committee.filter((x) => x !== deps.selfPeerId)
  for (const peer of others)
    if (!deps.isAllowed(peer))
      return deny('PROPOSAL_PEER_NOT_ALLOWED', `peer ${peer} is not on this node's allowlist`)
  if (fromPeer !== deps.selfPeerId && !deps.isAllowed(fromPeer))
    return deny('PROPOSAL_PEER_NOT_ALLOWED', 'the proposer is not allowlisted')

  if (p.kind === 'dkg') {
    const n = p.committee.length
    if (p.threshold < 2 || p.threshold > n)
      return deny('PROPOSAL_INVALID', `threshold ${p.threshold} out of range for ${n} parties`)
    const verdict = await deps.judge?.(p, fromPeer)
    if (verdict && !verdict.accept) return verdict
    return { accept: true, prepared: { kind: 'dkg', n, t: p.threshold } }
  }

  if (p.kind !== 'sign')
    return deny('PROPOSAL_UNSUPPORTED', `${p.kind} ceremonies are not supported by this node version`)
  let rec: Awaited<ReturnType<typeof getKeyRecord>>
  try {
    rec = await getKeyRecord(deps.store, hex(p.keyId))
  } catch {
    return deny('KEY_NOT_FOUND', 'this node does not know the key')
  }
  if (rec.status !== 'active') return deny('KEY_NOT_ACTIVE', `the key is ${rec.status} on this node`)
  if (p.epoch !== rec.epoch)
    return deny('EPOCH_RETIRED', `the proposal names epoch ${p.epoch}, this node is at epoch ${rec.epoch}`)
  if (p.committee.join() !== rec.committee.join())
    return deny('PROPOSAL_COMMITTEE_MISMATCH', 'the committee differs from the key’s')
  const mySlot = rec.committee.indexOf(deps.selfPeerId) + 1
  if (!p.signers.includes(mySlot)) return deny('PROPOSAL_NOT_SIGNER', 'this node is not in the signer set')
  if (p.signers.length < rec.threshold)
    return deny('SIGNER_SET_TOO_SMALL', `${p.signers.length} signers, threshold ${rec.threshold}`)
  const banned = await deps.store.bans.bannedPeers(rec.keyId)
  for (const slot of p.signers) {
    const peer = rec.committee[slot - 1]
    if (!peer) return deny('UNKNOWN_PARTY', `slot ${slot} is not in the committee`)
    if (banned.has(peer)) return deny('BANNED_PARTY', `peer ${peer} is banned on this key`)
  }
  const wire = peekRequest(p.request)
  if (wire.presign === true) {
    // Presigning is message-independent and yields no signature by itself; the policy judges the
    // decoded request when a presignature is used (the finish path below).
    try {
      return {
        accept: true,
        prepared: { kind: 'presign', share: await loadShare(deps.store, rec), path: [...p.derivationPath] },
      }
    } catch (e) {
      return deny((e as NodeError).code ?? 'SHARE_MISSING', (e as Error).message)
    }
  }
  let decoded: Awaited<ReturnType<typeof decodeSignRequest>>
  try {
    decoded = decodeSignRequest(p.request, deps.contentOf)
    if (decoded.derivationPath !== undefined) {
      const path = parsePath(decoded.derivationPath)
      if (path.join('/') !== p.derivationPath.join('/'))
        return deny('PROPOSAL_PATH_MISMATCH', 'the request and the proposal name different paths')
    } else if (p.derivationPath.length > 0)
      return deny('PROPOSAL_PATH_MISMATCH', 'the proposal names a path the request does not')
  } catch (e) {
    const code = e instanceof NodeError || isProtocolError(e) ? e.code : 'REQUEST_INVALID'
    return deny(code, (e as Error).message)
  }
  const verdict = await deps.judge?.(p, fromPeer, decoded)
  if (verdict && !verdict.accept) return verdict
  if (typeof wire.presignature === 'string') {
    // Signing on a presignature: take it out of the store before anything leaves this node.
    const pre = await deps.consumePresignature?.(rec.keyId, wire.presignature)
    if (!pre) return deny('PRESIGNATURE_UNAVAILABLE', 'this node holds no such unused presignature')
    if (
      pre.epoch !== rec.epoch ||
      pre.signers.join() !== p.signers.join() ||
      pre.path.join('/') !== p.derivationPath.join('/')
    )
      return deny('PRESIGNATURE_MISMATCH', 'the presignature is bound to another epoch, signer set or path')
    return {
      accept: true,
      prepared: { kind: 'finish', presignature: pre, digest: decoded.digest, summary: decoded.summary },
    }
  }
  let share: Awaited<ReturnType<typeof loadShare>>
  try {
    share = await loadShare(deps.store, rec)
  } catch (e) {
    return deny((e as NodeError).code ?? 'SHARE_MISSING', (e as Error).message)
  }
  return {
    accept: true,
    prepared: {
      kind: 'sign',
      share,
      digest: decoded.digest,
      path: [...p.derivationPath],
      summary: decoded.summary,
    },
  }
}

/** What a resharing proposal carries besides the roster: the key as the proposer states it. */
export type ReshareRequest = { publicKey: string }

async function admitReshare(deps: AdmissionDeps, p: Proposal, fromPeer: string): Promise<Admission> {
  const roster = rosterOf(p)
  const me = roster.members!.find((m) => m.id === roster.idOf.get(deps.selfPeerId))
  if (!me) return deny('PROPOSAL_NOT_MEMBER', 'this node neither deals nor joins')
  for (const peer of roster.peerOf.values())
    if (peer !== deps.selfPeerId && !deps.isAllowed(peer))
      return deny('PROPOSAL_PEER_NOT_ALLOWED', `peer ${peer} is not on this node's allowlist`)
  let req: ReshareRequest
  try {
    req = JSON.parse(new TextDecoder().decode(p.request)) as ReshareRequest
    if (typeof req.publicKey !== 'string' || !/^(0x)?[0-9a-f]{66}$/.test(req.publicKey))
      throw new Error('publicKey')
  } catch {
    return deny('REQUEST_INVALID', 'a resharing proposal names the public key as hex')
  }
  const stated = req.publicKey.replace(/^0x/, '')
  const rec = await deps.store.keys.get(hex(p.keyId))
  if (rec && rec.publicKey !== stated)
    return deny('PROPOSAL_KEY_MISMATCH', 'the proposal names another public key for this key id')
  if (rec && rec.status === 'active' && rec.epoch > p.epoch)
    return deny('EPOCH_RETIRED', `this node is at epoch ${rec.epoch}`)
  let oldShare: Awaited<ReturnType<typeof loadShare>> | undefined
  if (me.oldIndex !== undefined) {
    if (rec?.status !== 'active') return deny('KEY_NOT_ACTIVE', 'a dealer needs the active key')
    if (p.epoch !== rec.epoch)
      return deny('EPOCH_RETIRED', `the proposal names epoch ${p.epoch}, this node is at epoch ${rec.epoch}`)
    if (p.committee.join() !== rec.committee.join() || p.threshold !== rec.threshold)
      return deny('PROPOSAL_COMMITTEE_MISMATCH', 'the committee or threshold differs from the key’s')
    const dealers = roster.members!.filter((m) => m.oldIndex !== undefined)
    if (dealers.length < rec.threshold)
      return deny('SIGNER_SET_TOO_SMALL', `${dealers.length} dealers, threshold ${rec.threshold}`)
    const banned = await deps.store.bans.bannedPeers(rec.keyId)
    for (const d of dealers)
      if (banned.has(rec.committee[d.oldIndex! - 1]!))
        return deny('BANNED_PARTY', 'a dealer is banned on this key')
    try {
      oldShare = await loadShare(deps.store, rec)
    } catch (e) {
      return deny((e as NodeError).code ?? 'SHARE_MISSING', (e as Error).message)
    }
  }
  const verdict = await deps.judge?.(p, fromPeer)
  if (verdict && !verdict.accept) return verdict
  return {
    accept: true,
    prepared: {
      kind: 'reshare',
      oldShare,
      publicKey: Uint8Array.from(Buffer.from(stated, 'hex')),
      keyId: p.keyId,
      epoch: p.epoch + 1,
    },
  }
}

/** The plain fields of a request, read before full decoding (presigning carries no content). */
function peekRequest(bytes: Uint8Array): { presign?: unknown; presignature?: unknown } {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as unknown
    return typeof v === 'object' && v !== null ? (v as { presign?: unknown; presignature?: unknown }) : {}
  } catch {
    return {}
  }
}
