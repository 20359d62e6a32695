// Threshold-signed transactions on a real chain: one anvil, three `mpc-node start` processes with
// its URL in their config, driven only over their HTTP APIs. Issue 4, "what it must show", 1–5:
//   1. the STV3 set deployed by anvil dev accounts (deployer/owner/operators), DIDs registered,
//      tokens issued and distributed to the MPC wallet (a 2-of-3 key from POST /v1/keys), which
//      makes a compliant transfer through POST /v1/keys/{id}/transactions: mined, status success;
//   2. a transfer to a wallet without a DID is stopped by the pre-flight with NotValidDIDOf and no
//      sign ceremony runs on any node; forced past the pre-flight (test-only switch) it is signed,
//      mined and reverts with the same decoded error;
//   3. pause: a transfer is refused; unpause; forcedTransfer by the recovery operator, its own
//      2-of-3 MPC key, succeeds;
//   4. twenty concurrent transfers from one key all land, with consecutive nonces;
//   5. every submitted transaction recovers (viem, independently of the node) to the key's
//      address, from the signed bytes the node returned and from the chain's copy.
// The tests run in order and share the cluster and the chain.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  keccak256,
  type PrivateKeyAccount,
  type PublicClient,
  parseEther,
  recoverTransactionAddress,
  serializeTransaction,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StvToken } from '../../contracts/gen/index.ts'
import { type Anvil, startAnvil } from '../../node/chain/anvil.ts'
import {
  deployStv3,
  didCalls,
  FINANCIAL_OPERATOR,
  RECOVERY_OPERATOR,
  type Stv3Call,
  type Stv3Deployment,
  sendStv3Call,
  tokenCalls,
  WRITER_ROLE,
} from '../../node/chain/stv3.ts'
import { signRequest } from '../../node/policy/index.ts'
import { labelSigner } from '../../node/policy/testkit.ts'
import type { KeyView, SubmitInput, SubmitView } from '../../node/service/types.ts'
import { createHomes, type TestHome } from '../support/cluster.ts'
import { type ApiReply, call, NodeProcess } from '../support/node-process.ts'

const chain = defineChain({ ...foundry, id: 31337 })
type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } }

let root: string
let anvil: Anvil
let publicClient: PublicClient
let homes: TestHome[] = []
let nodes: NodeProcess[] = []
let d: Stv3Deployment
let wallet: KeyView
let recoveryKey: KeyView
let deployer: PrivateKeyAccount
let owner: PrivateKeyAccount
let finOps: PrivateKeyAccount
let writer: PrivateKeyAccount
let investorB: PrivateKeyAccount
let noDid: PrivateKeyAccount
/** Every transaction the nodes submitted, for the recovery check. */
const submitted: { view: SubmitView; key: KeyView }[] = []

const A = () => nodes[0]!
const B = () => nodes[1]!

/** Run a call from an anvil dev account: pre-flight, send, wait (throws on a revert). */
const as = (who: PrivateKeyAccount, c: Stv3Call) =>
  sendStv3Call(
    {
      walletClient: createWalletClient({ chain, account: who, transport: http(anvil.rpcUrl) }),
      publicClient,
    },
    c,
  )

const balanceOf = (a: Address) =>
  publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'balanceOf', args: [a] })

async function submit(
  via: NodeProcess,
  key: KeyView,
  body: SubmitInput,
): Promise<ApiReply<SubmitView & ErrorBody>> {
  const r = await call<SubmitView & ErrorBody>(via.api, 'POST', `/v1/keys/${key.keyId}/transactions`, body)
  if (r.status === 200) submitted.push({ view: r.body, key })
  return r
}

const transferOp = (to: Address, amount: bigint): SubmitInput => ({
  operation: { op: 'transfer', to, amount: amount.toString() },
  contracts: { token: d.token },
})

/** Sign ceremonies finished on every node, whatever their outcome (Prometheus counter). */
async function signCeremonies(): Promise<number> {
  let total = 0
  for (const n of nodes) {
    const r = await call(n.api, 'GET', '/metrics')
    for (const m of r.text.matchAll(/^mpc_ceremonies_total\{([^}]*)\} (\d+)$/gm))
      if (m[1]!.includes('kind="sign"')) total += Number(m[2])
  }
  return total
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mpc-chain-e2e-'))
  anvil = await startAnvil({ accounts: 10 })
  publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 100 })
  const accts = anvil.accounts.map((a) => privateKeyToAccount(a.privateKey))
  ;[deployer, owner, finOps, writer, investorB, noDid] = accts as [
    PrivateKeyAccount,
    PrivateKeyAccount,
    PrivateKeyAccount,
    PrivateKeyAccount,
    PrivateKeyAccount,
    PrivateKeyAccount,
  ]
  // One chain for the cluster: its URL in every node's config. Three provider nodes under the
  // development policy (the helper's default): it lets providers co-sign unsigned requests (device
  // and recovery roles refuse them; the policy suites cover roles and signed requests).
  homes = await createHomes(
    ['provider-a', 'provider-b', 'provider-c'].map((name) => ({
      name,
      role: 'provider',
      rpcUrl: anvil.rpcUrl,
    })),
    root,
  )
  nodes = homes.map(
    (h) =>
      new NodeProcess({
        home: h.home,
        signTimeoutMs: 20_000,
        dkgTimeoutMs: 60_000,
        env: { MPC_NODE_ALLOW_SKIP_PREFLIGHT: '1' },
      }),
  )
  await Promise.all(nodes.map((n) => n.start()))
})

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop(5_000).catch(() => n.kill())))
  await anvil?.stop()
  if (root) await rm(root, { recursive: true, force: true })
})

describe('threshold-signed STV3 transactions on anvil, three node processes', () => {
  it('1. deploys STV3, registers DIDs, issues and distributes to the MPC wallet, which transfers', async () => {
    const committee = nodes.map((n) => n.peerId)
    const created = await call<KeyView>(A().api, 'POST', '/v1/keys', { committee, threshold: 2 })
    expect(created.status, created.text).toBe(201)
    wallet = created.body
    const mpc = wallet.address as Address

    d = await deployStv3({
      walletClient: createWalletClient({ chain, account: deployer, transport: http(anvil.rpcUrl) }),
      publicClient,
      name: 'MPC Test Security',
      symbol: 'MPCS',
      decimals: 6,
      owner: owner.address,
    })
    await as(owner, tokenCalls.grantRole(d.token, FINANCIAL_OPERATOR, finOps.address))
    await as(deployer, didCalls.grantRole(d.didRegistry, WRITER_ROLE, writer.address))
    await as(writer, didCalls.createDID(d.didRegistry, 'did:example:mpc-wallet', mpc))
    await as(writer, didCalls.createDID(d.didRegistry, 'did:example:investor-b', investorB.address))
    await as(finOps, tokenCalls.issue(d.token, 1_000_000n))
    await as(finOps, tokenCalls.transferFromTreasury(d.token, mpc, 500_000n))
    const fund = createWalletClient({ chain, account: deployer, transport: http(anvil.rpcUrl) })
    await publicClient.waitForTransactionReceipt({
      hash: await fund.sendTransaction({ to: mpc, value: parseEther('10') }),
    })
    expect(await balanceOf(mpc)).toBe(500_000n)

    // A raw ERC-20 transfer call: the node fills nonce, fees, gas, checks canTransfer, runs the ceremony.
    const data = tokenCalls.transfer(d.token, investorB.address, 1_000n).data
    const r = await submit(A(), wallet, { transaction: { to: d.token, data } })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({ status: 'success', from: mpc, nonce: 0, to: d.token })
    const receipt = await publicClient.getTransactionReceipt({ hash: r.body.txHash as Hex })
    expect(receipt.status).toBe('success')
    expect(receipt.from.toLowerCase()).toBe(mpc.toLowerCase())
    expect(await balanceOf(investorB.address)).toBe(1_000n)
  })

  it('2. the pre-flight stops a transfer to a wallet without a DID (NotValidDIDOf) before any ceremony; forced, it reverts on chain the same way', async () => {
    const mpc = wallet.address as Address
    const ceremoniesBefore = await signCeremonies()
    const nonceBefore = await publicClient.getTransactionCount({ address: mpc })
    const stopped = await submit(A(), wallet, transferOp(noDid.address, 10n))
    expect(stopped.status, stopped.text).toBe(422)
    expect(stopped.body.error.code).toBe('CHAIN_PREFLIGHT_REVERT')
    expect(stopped.body.error.message).toContain('NotValidDIDOf')
    expect(stopped.body.error.details).toMatchObject({ errorName: 'NotValidDIDOf', args: [noDid.address] })
    expect(await signCeremonies()).toBe(ceremoniesBefore)
    expect(await publicClient.getTransactionCount({ address: mpc })).toBe(nonceBefore)

    const forced = await submit(A(), wallet, { ...transferOp(noDid.address, 10n), skipPreflight: true })
    expect(forced.status, forced.text).toBe(422)
    expect(forced.body.error.code).toBe('CHAIN_REVERTED')
    expect(forced.body.error.details).toMatchObject({ errorName: 'NotValidDIDOf', args: [noDid.address] })
    const txHash = forced.body.error.details?.txHash as Hex
    const receipt = await publicClient.getTransactionReceipt({ hash: txHash })
    expect(receipt.status).toBe('reverted')
    expect(receipt.from.toLowerCase()).toBe(mpc.toLowerCase())
    expect(await signCeremonies()).toBeGreaterThan(ceremoniesBefore)
    expect(await publicClient.getTransactionCount({ address: mpc })).toBe(nonceBefore + 1)
    expect(await balanceOf(noDid.address)).toBe(0n)
    // The reverted transaction was signed by the key too.
    const tx = await publicClient.getTransaction({ hash: txHash })
    expect(await recoverTransactionAddress({ serializedTransaction: serializedOf(tx) })).toBe(mpc)
  })

  it('3. a paused token refuses the transfer; after unpause the recovery operator (its own MPC key) forces one', async () => {
    const mpc = wallet.address as Address
    const committee = nodes.map((n) => n.peerId)
    const created = await call<KeyView>(B().api, 'POST', '/v1/keys', { committee, threshold: 2 })
    expect(created.status, created.text).toBe(201)
    recoveryKey = created.body
    const recovery = recoveryKey.address as Address
    expect(recovery).not.toBe(mpc)
    await as(owner, tokenCalls.grantRole(d.token, RECOVERY_OPERATOR, recovery))
    const fund = createWalletClient({ chain, account: deployer, transport: http(anvil.rpcUrl) })
    await publicClient.waitForTransactionReceipt({
      hash: await fund.sendTransaction({ to: recovery, value: parseEther('1') }),
    })

    await as(deployer, tokenCalls.pauseToken(d.token))
    const ceremoniesBefore = await signCeremonies()
    const refused = await submit(A(), wallet, transferOp(investorB.address, 10n))
    expect(refused.status, refused.text).toBe(422)
    expect(refused.body.error.code).toBe('CHAIN_PREFLIGHT_REVERT')
    expect(refused.body.error.details).toMatchObject({ errorName: 'FundsTransferProhibited' })
    expect(await signCeremonies()).toBe(ceremoniesBefore)
    await as(deployer, tokenCalls.unpauseToken(d.token))

    const before = await balanceOf(investorB.address)
    const forced = await submit(B(), recoveryKey, {
      operation: { op: 'forcedTransfer', from: mpc, to: investorB.address, amount: '2500' },
      contracts: { token: d.token },
    })
    expect(forced.status, forced.text).toBe(200)
    expect(forced.body).toMatchObject({ status: 'success', from: recovery, nonce: 0 })
    expect(await balanceOf(investorB.address)).toBe(before + 2_500n)
  })

  it('4. twenty concurrent transfers from one key all land, with consecutive nonces', async () => {
    const mpc = wallet.address as Address
    const first = await publicClient.getTransactionCount({ address: mpc })
    const before = await balanceOf(investorB.address)
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit(A(), wallet, transferOp(investorB.address, BigInt(i + 1)))),
    )
    for (const r of replies) {
      expect(r.status, r.text).toBe(200)
      expect(r.body.status).toBe('success')
    }
    const nonces = replies.map((r) => r.body.nonce).sort((x, y) => x - y)
    expect(nonces).toEqual(Array.from({ length: 20 }, (_, i) => first + i))
    expect(new Set(replies.map((r) => r.body.txHash)).size).toBe(20)
    expect(await publicClient.getTransactionCount({ address: mpc })).toBe(first + 20)
    expect(await balanceOf(investorB.address)).toBe(before + 210n)
  })

  it('a request signed by a DID (the policy path) is pre-flighted, then broadcast exactly as signed', async () => {
    const mpc = wallet.address as Address
    const requester = labelSigner('chain-e2e-requester')
    const fees = await publicClient.estimateFeesPerGas()
    const request = async (to: Address, amount: bigint, nonce: number) =>
      signRequest(
        requester,
        {
          transaction: {
            chainId: anvil.chainId,
            nonce,
            to: d.token,
            value: '0',
            data: tokenCalls.transfer(d.token, to, amount).data,
            gas: '200000',
            maxFeePerGas: fees.maxFeePerGas.toString(),
            maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
          },
        },
        { aud: wallet.keyId, op: 'transfer', nowMs: Date.now() },
      )
    const nonce = await publicClient.getTransactionCount({ address: mpc })
    const ceremoniesBefore = await signCeremonies()
    const refused = await submit(A(), wallet, { request: await request(noDid.address, 1n, nonce) })
    expect(refused.status, refused.text).toBe(422)
    expect(refused.body.error.details).toMatchObject({ errorName: 'NotValidDIDOf' })
    expect(await signCeremonies()).toBe(ceremoniesBefore)

    const before = await balanceOf(investorB.address)
    const jws = await request(investorB.address, 11n, nonce)
    const ok = await submit(A(), wallet, { request: jws })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body).toMatchObject({ status: 'success', from: mpc, nonce })
    expect(await balanceOf(investorB.address)).toBe(before + 11n)
    // Its nonce is spent: the same request again is refused before any ceremony.
    const again = await submit(A(), wallet, { request: await request(investorB.address, 11n, nonce) })
    expect(again.status, again.text).toBe(409)
    expect(again.body.error.code).toBe('CHAIN_NONCE_CONFLICT')
    // The node's own nonce sequence carries on after it.
    const next = await submit(A(), wallet, transferOp(investorB.address, 1n))
    expect(next.status, next.text).toBe(200)
    expect(next.body.nonce).toBe(nonce + 1)
  })

  it('5. every submitted transaction recovers to its key, from the returned bytes and from the chain', async () => {
    expect(submitted.length).toBe(24)
    for (const { view, key } of submitted) {
      const signed = view.signedTransaction as `0x02${string}`
      expect(keccak256(signed)).toBe(view.txHash)
      expect(await recoverTransactionAddress({ serializedTransaction: signed })).toBe(key.address)
      const onChain = await publicClient.getTransaction({ hash: view.txHash as Hex })
      const fromChain = serializedOf(onChain)
      expect(fromChain).toBe(signed)
      expect(await recoverTransactionAddress({ serializedTransaction: fromChain })).toBe(key.address)
    }
  })
})

/** Re-serialize a mined EIP-1559 transaction from the chain's fields and signature. */
function serializedOf(tx: Awaited<ReturnType<PublicClient['getTransaction']>>): `0x02${string}` {
  if (tx.type !== 'eip1559') throw new Error(`unexpected type ${tx.type}`)
  return serializeTransaction(
    {
      type: 'eip1559',
      chainId: tx.chainId,
      nonce: tx.nonce,
      to: tx.to,
      value: tx.value,
      data: tx.input,
      gas: tx.gas,
      maxFeePerGas: tx.maxFeePerGas,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      accessList: tx.accessList,
    },
    { r: tx.r, s: tx.s, yParity: tx.yParity },
  ) as `0x02${string}`
}
