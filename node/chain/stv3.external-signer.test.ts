// deployStv3 and sendStv3Call with a viem custom account whose signer only sees a digest, the
// shape the threshold (MPC) account will have (STACK.md trap 9). A plain noble key stands in here.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  bytesToHex,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  hexToBytes,
  http,
  keccak256,
  serializeTransaction,
} from 'viem'
import { privateKeyToAccount, toAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StvToken } from '../../contracts/gen/index.ts'
import { type Anvil, startAnvil } from './anvil.ts'
import { deployStv3, FINANCIAL_OPERATOR, sendStv3Call, tokenCalls } from './stv3.ts'

const chain = defineChain({ ...foundry, id: 31337 })

describe('STV3 helpers with an external (digest-only) signer', () => {
  let anvil: Anvil
  beforeAll(async () => {
    anvil = await startAnvil({ accounts: 1 })
  })
  afterAll(async () => {
    await anvil?.stop()
  })

  it('deploys, configures and issues with transactions signed from their digests', async () => {
    const publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl) })
    const secret = secp256k1.utils.randomSecretKey()
    const address = privateKeyToAccount(bytesToHex(secret)).address
    const digests: Hex[] = []
    const signer = toAccount({
      address,
      async signTransaction(tx) {
        const digest = keccak256(serializeTransaction(tx))
        digests.push(digest)
        const sig = secp256k1.sign(hexToBytes(digest), secret, { prehash: false, format: 'recovered' })
        return serializeTransaction(tx, {
          r: bytesToHex(sig.subarray(1, 33)),
          s: bytesToHex(sig.subarray(33, 65)),
          yParity: sig[0],
        })
      },
      async signMessage() {
        throw new Error('not used')
      },
      async signTypedData() {
        throw new Error('not used')
      },
    })
    // Fund the signer from anvil's first dev account.
    const funder = createWalletClient({
      chain,
      account: privateKeyToAccount(anvil.accounts[0].privateKey),
      transport: http(anvil.rpcUrl),
    })
    await publicClient.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: address, value: 10n ** 19n }),
    })

    const walletClient = createWalletClient({ chain, account: signer, transport: http(anvil.rpcUrl) })
    const d = await deployStv3({ walletClient, publicClient, name: 'MPC Token', symbol: 'MPCT' })
    expect(d.pendingSetup).toEqual([])
    await sendStv3Call(
      { walletClient, publicClient },
      tokenCalls.grantRole(d.token, FINANCIAL_OPERATOR, address),
    )
    await sendStv3Call({ walletClient, publicClient }, tokenCalls.issue(d.token, 42n))
    expect(
      await publicClient.readContract({
        address: d.token,
        abi: StvToken.abi,
        functionName: 'balanceOf',
        args: [d.treasury],
      }),
    ).toBe(42n)
    // 4 deployments + 3 setup calls + grant + issue, each signed from its digest.
    expect(digests).toHaveLength(9)
  })
})
