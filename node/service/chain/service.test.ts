// The chain service on its own: not configured, the embedded anvil (started, announced in
// <home>/chain.json, stopped), a submission through a stand-in signer that checks it receives the
// fully completed transaction, and the refusals that happen before any signing.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Hex, recoverTransactionAddress } from 'viem'
import { generatePrivateKey, privateKeyToAccount, sign } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assembleSignedTransaction,
  parseTransactionRequest,
  type SignableTransaction,
  transactionDigest,
} from '../../chain/transaction.ts'
import type { NodeConfig } from '../../config/index.ts'
import { isNodeError } from '../../errors.ts'
import { silentLogger } from '../../log/index.ts'
import { signRequest } from '../../policy/index.ts'
import { labelSigner } from '../../policy/testkit.ts'
import { type ChainService, createChainService, EMBEDDED_CHAIN_FILE } from '../chain.ts'
import { contentOfRequest } from '../gate/content.ts'
import type { SignatureView, SignInput, SubmitInput } from '../types.ts'

// anvil's first dev account (public test key): funded on every fresh anvil.
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'

const config = (): NodeConfig => ({
  name: 'n1',
  role: 'provider',
  listen: '/ip4/127.0.0.1/tcp/0',
  api: { host: '127.0.0.1', port: 0 },
  chain: { chainId: 31337 },
  peers: [],
  policy: 'policy.yaml',
})

/** A stand-in for the ceremony: signs with a local key what the node would hand the committee. */
function localSigner(keys: Record<string, Hex>) {
  const seen: SignInput[] = []
  /** `substitute`: sign this instead of what was asked (a misbehaving committee). */
  const state: { substitute?: SignableTransaction } = {}
  return {
    seen,
    state,
    addressOf: async (keyId: string) => privateKeyToAccount(keys[keyId]!).address,
    async sign(keyId: string, input: SignInput): Promise<SignatureView> {
      seen.push(input)
      const asked =
        input.request === undefined ? input.transaction : contentOfRequest(input.request).transaction
      const tx = state.substitute ?? parseTransactionRequest(asked)
      const digest = transactionDigest(tx)
      const sig = await sign({ hash: digest, privateKey: keys[keyId]! })
      const yParity = sig.yParity === 1 ? 1 : 0
      return {
        keyId,
        digest,
        r: sig.r,
        s: sig.s,
        yParity,
        signers: [],
        publicKey: '0x',
        signedTransaction: assembleSignedTransaction(tx, { r: BigInt(sig.r), s: BigInt(sig.s), yParity }),
      }
    },
  }
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await p
  } catch (e) {
    if (!isNodeError(e)) throw e
    return { code: e.code, status: e.status }
  }
  throw new Error('accepted')
}

let home: string

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'chain-service-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('createChainService', () => {
  it('without chain.rpcUrl or the embedded flag, submission is not configured (501)', async () => {
    const s = localSigner({ k: DEV_KEY })
    const chain = await createChainService(
      { config: config(), home, env: {} },
      { logger: silentLogger(), ...s },
    )
    expect(chain.endpoint).toBeUndefined()
    expect(await refusal(chain.submit('k', { transaction: { to: BOB } }))).toEqual({
      code: 'CHAIN_NOT_CONFIGURED',
      status: 501,
    })
    await chain.stop()
  })

  describe('with the embedded chain (MPC_NODE_EMBEDDED_CHAIN=1)', () => {
    const poor = generatePrivateKey()
    const s = localSigner({ rich: DEV_KEY, poor })
    const recorded: { keyId: string; txHash: string; status: string }[] = []
    let chain: ChainService

    beforeAll(async () => {
      chain = await createChainService(
        { config: config(), home, env: { MPC_NODE_EMBEDDED_CHAIN: '1' } },
        { logger: silentLogger(), ...s, recordTx: async (info) => void recorded.push(info) },
      )
    })
    afterAll(async () => {
      await chain?.stop()
    })

    it('starts anvil on loopback and announces it in <home>/chain.json', async () => {
      expect(chain.endpoint).toMatchObject({ chainId: 31337, embedded: true })
      expect(chain.endpoint?.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const file = JSON.parse(await readFile(join(home, EMBEDDED_CHAIN_FILE), 'utf8'))
      expect(file).toMatchObject({ rpcUrl: chain.endpoint?.rpcUrl, chainId: 31337 })
    })

    it('completes, signs and submits a call; the signer saw the whole transaction', async () => {
      const before = s.seen.length
      const view = await chain.submit('rich', { transaction: { to: BOB, value: '1000' } })
      expect(view).toMatchObject({ status: 'success', nonce: 0, from: privateKeyToAccount(DEV_KEY).address })
      expect(s.seen.length).toBe(before + 1)
      expect(s.seen.at(-1)?.transaction).toMatchObject({
        chainId: 31337,
        nonce: 0,
        to: BOB,
        value: '1000',
        data: '0x',
      })
      expect(BigInt(s.seen.at(-1)!.transaction!.gas)).toBeGreaterThanOrEqual(21_000n)
      expect(
        await recoverTransactionAddress({ serializedTransaction: view.signedTransaction as `0x02${string}` }),
      ).toBe(view.from)
      const again = await chain.submit('rich', { transaction: { to: BOB, value: '1' } })
      expect(again.nonce).toBe(1)
      expect(recorded).toEqual([
        { keyId: 'rich', txHash: view.txHash, status: 'success' },
        { keyId: 'rich', txHash: again.txHash, status: 'success' },
      ])
    })

    it.each<[string, string, SubmitInput, string, number]>([
      [
        'skipPreflight without the test switch',
        'rich',
        { transaction: { to: BOB }, skipPreflight: true },
        'CHAIN_SKIP_PREFLIGHT_FORBIDDEN',
        403,
      ],
      ['another chain id', 'rich', { transaction: { to: BOB, chainId: 1 } }, 'CHAIN_WRONG_NETWORK', 400],
      [
        'a nonce from the caller',
        'rich',
        { transaction: { to: BOB, nonce: 5 } as never },
        'API_INVALID_BODY',
        400,
      ],
      [
        'a key with no ether',
        'poor',
        { transaction: { to: BOB, value: '1' } },
        'CHAIN_INSUFFICIENT_FUNDS',
        422,
      ],
      [
        'a derived key',
        'rich',
        { transaction: { to: BOB }, derivationPath: 'm/0' },
        'CHAIN_DERIVATION_UNSUPPORTED',
        400,
      ],
    ])('refuses %s before any signing', async (_what, keyId, input, code, status) => {
      const before = s.seen.length
      expect(await refusal(chain.submit(keyId, input))).toEqual({ code, status })
      expect(s.seen.length).toBe(before)
    })

    describe('a request signed by a DID', () => {
      const requester = labelSigner('chain-service-requester')
      const jws = (tx: Partial<Record<string, string | number>>, keyId = 'rich') =>
        signRequest(
          requester,
          {
            transaction: {
              chainId: 31337,
              nonce: 0,
              to: BOB,
              value: '5',
              data: '0x',
              gas: '21000',
              maxFeePerGas: '3000000000',
              maxPriorityFeePerGas: '1000000',
              ...tx,
            } as never,
          },
          { aud: keyId, op: 'transfer', nowMs: Date.now() },
        )
      const nextNonce = async () =>
        (await chain.submit('rich', { transaction: { to: BOB, value: '0', chainId: 31337 } })).nonce + 1

      it('is broadcast exactly as signed, and the node’s own nonces carry on after it', async () => {
        const nonce = await nextNonce()
        const view = await chain.submit('rich', { request: jws({ nonce }) })
        expect(view).toMatchObject({ status: 'success', nonce, to: BOB })
        expect(s.seen.at(-1)).toEqual({ request: expect.any(String) })
        const after = await chain.submit('rich', { transaction: { to: BOB } })
        expect(after.nonce).toBe(nonce + 1)
      })

      it.each<[string, Partial<Record<string, string | number>>, string]>([
        ['a spent nonce', { nonce: 0 }, 'CHAIN_NONCE_CONFLICT'],
        ['another chain', { chainId: 1 }, 'CHAIN_WRONG_NETWORK'],
        ['more than the key holds', { value: '100000000000000000000000' }, 'CHAIN_INSUFFICIENT_FUNDS'],
      ])('refuses %s before any signing', async (_what, tx, code) => {
        const nonce = await nextNonce()
        const before = s.seen.length
        expect((await refusal(chain.submit('rich', { request: jws({ nonce, ...tx }) }))).code).toBe(code)
        expect(s.seen.length).toBe(before)
      })

      it('refuses a message request, and never broadcasts what the committee did not sign', async () => {
        const msg = signRequest(
          requester,
          { message: { encoding: 'utf8', value: 'hi' } },
          {
            aud: 'rich',
            op: 'login',
            nowMs: Date.now(),
          },
        )
        expect((await refusal(chain.submit('rich', { request: msg }))).code).toBe(
          'CHAIN_REQUEST_NOT_TRANSACTION',
        )
        const nonce = await nextNonce()
        s.state.substitute = parseTransactionRequest({
          chainId: 31337,
          nonce,
          to: BOB,
          value: '999',
          data: '0x',
          gas: '21000',
          maxFeePerGas: '3000000000',
          maxPriorityFeePerGas: '1000000',
        })
        try {
          expect((await refusal(chain.submit('rich', { request: jws({ nonce }) }))).code).toBe(
            'CHAIN_SIGNATURE_MISMATCH',
          )
        } finally {
          s.state.substitute = undefined
        }
      })
    })

    it('stops anvil and removes chain.json', async () => {
      const url = chain.endpoint!.rpcUrl
      await chain.stop()
      await expect(stat(join(home, EMBEDDED_CHAIN_FILE))).rejects.toThrow()
      await expect(
        fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2000) }),
      ).rejects.toThrow()
    })
  })
})
