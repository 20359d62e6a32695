// The people and institutions of the demo, each a fresh DID key for this run (nothing is reused
// between runs): the investor who owns the MPC wallet, a KYC provider that issues credentials, the
// issuer's operator and three compliance officers who approve issuer operations, and the
// counterparties (a verified recipient, a sanctioned one, an unverified one).
import { randomBytes } from 'node:crypto'
import { type Address, getAddress } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { issueCredentialJwt } from '../../node/identity/credential.ts'
import { type DidSigner, randomDidSigner } from '../../node/identity/signer.ts'

export type Party = { label: string; signer: DidSigner; address: Address }

export type Actors = {
  investor: DidSigner
  kycProvider: DidSigner
  issuerOperator: DidSigner
  officers: DidSigner[]
  /** A DID with no business with the wallet. */
  stranger: DidSigner
  recipient: Party
  sanctioned: Party
  unverified: Party
}

/** A counterparty: a DID and a wallet address of its own (a fresh secp256k1 key). */
function party(label: string): Party {
  const key = `0x${randomBytes(32).toString('hex')}` as const
  return { label, signer: randomDidSigner('secp256k1'), address: getAddress(privateKeyToAddress(key)) }
}

export function createActors(): Actors {
  return {
    investor: randomDidSigner('secp256k1'),
    kycProvider: randomDidSigner('ed25519'),
    issuerOperator: randomDidSigner('ed25519'),
    officers: [randomDidSigner('secp256k1'), randomDidSigner('ed25519'), randomDidSigner('secp256k1')],
    stranger: randomDidSigner('secp256k1'),
    recipient: party('recipient'),
    sanctioned: party('sanctioned'),
    unverified: party('unverified'),
  }
}

/** The investor's KYC credential (a VC-JWT from the KYC provider), valid for a year. */
export function kycCredential(a: Actors, nowMs: number): string {
  const now = Math.floor(nowMs / 1000)
  return issueCredentialJwt(a.kycProvider, {
    id: `urn:uuid:${randomBytes(16).toString('hex')}`,
    subject: a.investor.did,
    types: ['KycCredential'],
    nbf: now - 60,
    exp: now + 365 * 86_400,
  })
}

/** Shortens a DID or hex string for the narration: did:key:zQ3s…f8Kq. */
export function short(s: string, head = 12, tail = 4): string {
  return s.length <= head + tail + 1 ? s : `${s.slice(0, head)}…${tail > 0 ? s.slice(-tail) : ''}`
}
