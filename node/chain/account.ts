// A viem LocalAccount whose key is a threshold (MPC) key: signing runs a ceremony. The signer is
// handed the DECODED request (the transaction fields or the message) with its digest, never an
// opaque digest alone, so policy and co-signers can judge what they sign and recompute the digest.
// Every signature is checked to recover to the account's address before it leaves this module.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hexToBytes,
  isAddressEqual,
  type LocalAccount,
  type NonceManager,
  numberToHex,
  recoverAddress,
  type SignableMessage,
} from 'viem'
import { publicKeyToAddress, toAccount } from 'viem/accounts'
import { NodeError } from '../errors.ts'
import { CHAIN_ERROR_CODES } from './errors.ts'
import {
  assembleMessageSignature,
  assembleSignedTransaction,
  type EcdsaSignature,
  messageDigest,
  normalizeSignature,
  type SignableTransaction,
  toSignableTransaction,
  transactionDigest,
} from './transaction.ts'

export type ThresholdSignRequest =
  | { kind: 'transaction'; tx: SignableTransaction; digest: Hex }
  | { kind: 'message'; message: SignableMessage; digest: Hex }

export type ThresholdSignature = EcdsaSignature

/** Runs a signing ceremony for the request; may be called concurrently. */
export type ThresholdSigner = (req: ThresholdSignRequest) => Promise<ThresholdSignature>

export type ThresholdAccountOptions = {
  /** The threshold key's address (see addressOfPublicKey). */
  address: Address
  signDigest: ThresholdSigner
  /** Draw viem's nonces from the node's manager (see toViemNonceManager in nonces.ts). */
  nonceManager?: NonceManager
}

/** A ceremony's output ({ r, s, recovery }) as a ThresholdSignature. */
export function toThresholdSignature(sig: { r: bigint; s: bigint; recovery: number }): ThresholdSignature {
  if (sig.recovery !== 0 && sig.recovery !== 1) {
    throw new NodeError(CHAIN_ERROR_CODES.badSignature, 'the recovery id must be 0 or 1', {
      details: { reason: 'recovery out of range' },
    })
  }
  return { r: sig.r, s: sig.s, yParity: sig.recovery }
}

/** The Ethereum address of a secp256k1 public key (33-byte compressed or 65-byte uncompressed). */
export function addressOfPublicKey(publicKey: Uint8Array | Hex): Address {
  const bytes = typeof publicKey === 'string' ? hexToBytes(publicKey) : publicKey
  try {
    if (bytes.length !== 33 && bytes.length !== 65) throw new Error('length')
    const point = secp256k1.Point.fromBytes(bytes)
    return getAddress(publicKeyToAddress(bytesToHex(point.toBytes(false))))
  } catch (cause) {
    throw new NodeError('CHAIN_INVALID_PUBLIC_KEY', 'not a secp256k1 public key', {
      details: { length: bytes.length },
      cause,
    })
  }
}

async function signChecked(
  address: Address,
  signDigest: ThresholdSigner,
  req: ThresholdSignRequest,
): Promise<EcdsaSignature> {
  let raw: ThresholdSignature
  try {
    raw = await signDigest(req)
  } catch (cause) {
    if (cause instanceof NodeError) throw cause
    throw new NodeError(CHAIN_ERROR_CODES.signingFailed, 'the threshold signing ceremony failed', {
      details: { kind: req.kind, digest: req.digest },
      cause,
    })
  }
  const sig = normalizeSignature(raw)
  const recovered = await recoverAddress({
    hash: req.digest,
    signature: {
      r: numberToHex(sig.r, { size: 32 }),
      s: numberToHex(sig.s, { size: 32 }),
      yParity: sig.yParity,
    },
  })
  if (!isAddressEqual(recovered, address)) {
    throw new NodeError(
      CHAIN_ERROR_CODES.signatureMismatch,
      'the ceremony signature does not recover to the account address',
      {
        hints: ['the key shares do not belong to this address, or a party misbehaved: do not broadcast'],
        details: { kind: req.kind, digest: req.digest, expected: address, recovered },
      },
    )
  }
  return sig
}

/**
 * A viem account backed by a threshold key: use it with walletClient.sendTransaction, writeContract,
 * signMessage like a local account. EIP-1559 transactions and EIP-191 messages only; typed data
 * and other transaction types throw CHAIN_SIGN_UNSUPPORTED. A chain's custom serializer is not
 * used: the digest is always that of the standard EIP-1559 serialization (what co-signers recompute).
 */
export function toThresholdAccount(opts: ThresholdAccountOptions): LocalAccount {
  const address = getAddress(opts.address)
  const { signDigest } = opts
  return toAccount({
    address,
    nonceManager: opts.nonceManager,
    async signTransaction(transaction) {
      const tx = toSignableTransaction(transaction)
      const digest = transactionDigest(tx)
      const sig = await signChecked(address, signDigest, { kind: 'transaction', tx, digest })
      // viem types the return by the transaction's serializer; ours is always EIP-1559.
      return assembleSignedTransaction(tx, sig) as never
    },
    async signMessage({ message }) {
      const digest = messageDigest(message)
      const sig = await signChecked(address, signDigest, { kind: 'message', message, digest })
      return assembleMessageSignature(sig)
    },
    async signTypedData() {
      throw new NodeError(
        CHAIN_ERROR_CODES.signUnsupported,
        'the threshold account does not sign typed data',
        {
          details: { kind: 'typedData' },
          status: 400,
        },
      )
    },
  })
}
