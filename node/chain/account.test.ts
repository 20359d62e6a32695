// The threshold account against viem's own local account: a plain noble key stands in for the
// ceremony here (the real 2-of-3 ceremony runs in submitter.test.ts), so signatures can be compared
// byte for byte (both sides are RFC 6979 deterministic).
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToBigInt, bytesToHex, type Hex, hexToBytes, recoverMessageAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { isNodeError, NodeError } from '../errors.ts'
import {
  addressOfPublicKey,
  type ThresholdSigner,
  type ThresholdSignRequest,
  toThresholdAccount,
  toThresholdSignature,
} from './account.ts'
import { recoverTransactionSigner, SECP256K1_N, type SignableTransaction } from './transaction.ts'

const KEY: Hex = `0x${'22'.repeat(32)}`
const OTHER: Hex = `0x${'33'.repeat(32)}`
const local = privateKeyToAccount(KEY)
const TO = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const tx: SignableTransaction = {
  type: 'eip1559',
  chainId: 31337,
  nonce: 3,
  to: TO,
  value: 5n,
  data: '0x1234',
  gas: 50_000n,
  maxFeePerGas: 3_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
}

function nobleSigner(key: Hex, opts: { highS?: boolean } = {}) {
  const requests: ThresholdSignRequest[] = []
  const signer: ThresholdSigner = async (req) => {
    requests.push(req)
    const sig = secp256k1.sign(hexToBytes(req.digest), hexToBytes(key), {
      prehash: false,
      format: 'recovered',
    })
    const r = bytesToBigInt(sig.subarray(1, 33))
    const s = bytesToBigInt(sig.subarray(33, 65))
    const yParity = sig[0] as 0 | 1
    if (opts.highS) return { r, s: SECP256K1_N - s, yParity: yParity === 0 ? 1 : 0 }
    return { r, s, yParity }
  }
  return { signer, requests }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (isNodeError(e)) return e.code
    throw e
  }
  throw new Error('expected a NodeError')
}

describe('addressOfPublicKey', () => {
  it('derives the Ethereum address from compressed and uncompressed keys', () => {
    const secret = hexToBytes(KEY)
    expect(addressOfPublicKey(secp256k1.getPublicKey(secret, true))).toBe(local.address)
    expect(addressOfPublicKey(secp256k1.getPublicKey(secret, false))).toBe(local.address)
    expect(addressOfPublicKey(bytesToHex(secp256k1.getPublicKey(secret, true)))).toBe(local.address)
  })

  it('rejects bad lengths and points off the curve', () => {
    const bad = new Uint8Array(33)
    bad[0] = 2
    bad[32] = 5 // x = 5 is not on secp256k1
    for (const k of [new Uint8Array(32), bad, new Uint8Array(65)]) {
      expect(() => addressOfPublicKey(k)).toThrow(
        expect.objectContaining({ code: 'CHAIN_INVALID_PUBLIC_KEY' }),
      )
    }
  })
})

describe('toThresholdAccount', () => {
  it('signs the decoded transaction: the same bytes as a local account', async () => {
    const { signer, requests } = nobleSigner(KEY)
    const account = toThresholdAccount({ address: local.address, signDigest: signer })
    // viem hands accounts extra fields (from, account); only the signed fields reach the signer.
    const signed = await account.signTransaction({ ...tx, from: local.address } as never)
    expect(signed).toBe(await local.signTransaction(tx))
    expect(await recoverTransactionSigner(signed)).toBe(local.address)
    expect(requests).toHaveLength(1)
    expect(requests[0]).toEqual({
      kind: 'transaction',
      tx,
      digest: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    })
  })

  it('normalises a high-s ceremony output', async () => {
    const account = toThresholdAccount({
      address: local.address,
      signDigest: nobleSigner(KEY, { highS: true }).signer,
    })
    expect(await account.signTransaction(tx)).toBe(await local.signTransaction(tx))
  })

  it('signs EIP-191 messages like a local account', async () => {
    const { signer, requests } = nobleSigner(KEY)
    const account = toThresholdAccount({ address: local.address, signDigest: signer })
    for (const message of ['hello', { raw: '0xdeadbeef' as Hex }]) {
      const sig = await account.signMessage({ message })
      expect(sig).toBe(await local.signMessage({ message }))
      expect(await recoverMessageAddress({ message, signature: sig })).toBe(local.address)
    }
    expect(requests.map((r) => r.kind)).toEqual(['message', 'message'])
    expect(requests[0]).toMatchObject({ message: 'hello' })
  })

  it('refuses a signature that does not recover to the address (wrong shares, misbehaving party)', async () => {
    const account = toThresholdAccount({ address: local.address, signDigest: nobleSigner(OTHER).signer })
    expect(await codeOf(account.signTransaction(tx))).toBe('CHAIN_SIGNATURE_MISMATCH')
    expect(await codeOf(account.signMessage({ message: 'x' }))).toBe('CHAIN_SIGNATURE_MISMATCH')
  })

  it('types ceremony failures; NodeErrors from the ceremony pass through', async () => {
    const failing = toThresholdAccount({
      address: local.address,
      signDigest: async () => {
        throw new Error('party 3 timed out')
      },
    })
    expect(await codeOf(failing.signTransaction(tx))).toBe('CHAIN_SIGNING_FAILED')
    const refused = toThresholdAccount({
      address: local.address,
      signDigest: async () => {
        throw new NodeError('POLICY_DENIED', 'denied')
      },
    })
    expect(await codeOf(refused.signTransaction(tx))).toBe('POLICY_DENIED')
    const garbage = toThresholdAccount({
      address: local.address,
      signDigest: async () => ({ r: 0n, s: 1n, yParity: 0 }),
    })
    expect(await codeOf(garbage.signTransaction(tx))).toBe('CHAIN_BAD_SIGNATURE')
  })

  it('refuses typed data and non-EIP-1559 transactions without calling the signer', async () => {
    const { signer, requests } = nobleSigner(KEY)
    const account = toThresholdAccount({ address: local.address, signDigest: signer })
    expect(
      await codeOf(
        account.signTypedData({
          domain: { name: 'x' },
          types: { M: [{ name: 'a', type: 'uint256' }] },
          primaryType: 'M',
          message: { a: 1n },
        }),
      ),
    ).toBe('CHAIN_SIGN_UNSUPPORTED')
    expect(
      await codeOf(account.signTransaction({ to: TO, nonce: 0, gas: 21_000n, gasPrice: 1n, chainId: 1 })),
    ).toBe('CHAIN_SIGN_UNSUPPORTED')
    expect(requests).toHaveLength(0)
  })

  it('toThresholdSignature maps the ceremony recovery id', () => {
    expect(toThresholdSignature({ r: 1n, s: 2n, recovery: 1 })).toEqual({ r: 1n, s: 2n, yParity: 1 })
    expect(() => toThresholdSignature({ r: 1n, s: 2n, recovery: 2 })).toThrow(
      expect.objectContaining({ code: 'CHAIN_BAD_SIGNATURE' }),
    )
  })
})
