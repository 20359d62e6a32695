// The chain service on its own: not configured, the embedded anvil (started, announced in
// <home>/chain.json, stopped), a submission through a stand-in signer that checks it receives the
// fully completed transaction, and the refusals that happen before any signing.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Hex, recoverTransactionAddress } from 'viem'
import { generatePrivateKey, privateKeyToAccount, sign } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseTransactionRequest, transactionDigest } from '../../chain/transaction.ts'
import type { NodeConfig } from '../../config/index.ts'
import { isNodeError } from '../../errors.ts'
import { silentLogger } from '../../log/index.ts'
import { type ChainService, createChainService, EMBEDDED_CHAIN_FILE } from '../chain.ts'
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
  return {
    seen,
    addressOf: async (keyId: string) => privateKeyToAccount(keys[keyId]!).address,
    sign: async (keyId: string, input: SignInput): Promise<SignatureView> => {
      seen.push(input)
      const tx = parseTransactionRequest(input.transaction)
      const digest = transactionDigest(tx)
      const sig = await sign({ hash: digest, privateKey: keys[keyId]! })
      return {
        keyId,
        digest,
        r: sig.r,
        s: sig.s,
        yParity: sig.yParity ?? 0,
        signers: [],
        publicKey: '0x',
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
