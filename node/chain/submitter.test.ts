// The submitter and the threshold account on a real anvil with the solc-compiled STV3 set, signed by
// REAL threshold keys: a 2-of-3 DKG runs in-process and every signature comes from runSign with
// signers [1, 2]. No private key for the MPC addresses exists anywhere.
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  type Hex,
  hexToBytes,
  http,
  isAddressEqual,
  type PrivateKeyAccount,
  type PublicClient,
  parseTransaction,
  recoverTransactionAddress,
  verifyMessage,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StvToken } from '../../contracts/gen/index.ts'
import { runDkg, runSign } from '../../simulations/inprocess/ceremony.ts'
import { seededRng, testSeed } from '../../simulations/seeded-rng.ts'
import { useFastCurve } from '../crypto/fast-curve.ts'
import { isNodeError, type NodeError } from '../errors.ts'
import {
  addressOfPublicKey,
  type ThresholdSigner,
  type ThresholdSignRequest,
  toThresholdAccount,
  toThresholdSignature,
} from './account.ts'
import { type Anvil, startAnvil } from './anvil.ts'
import { toChainError } from './errors.ts'
import {
  decodeStv3Transaction,
  deployStv3,
  didCalls,
  FINANCIAL_OPERATOR,
  RECOVERY_OPERATOR,
  type Stv3Call,
  type Stv3Deployment,
  sendStv3Call,
  tokenCalls,
  WRITER_ROLE,
} from './stv3.ts'
import { createSubmitter, type SubmitEvent, type Submitter } from './submitter.ts'
import { messageDigest, transactionDigest } from './transaction.ts'

const chain = defineChain({ ...foundry, id: 31337 })
const seed = testSeed()

type MpcKey = {
  address: Address
  signer: ThresholdSigner
  requests: ThresholdSignRequest[]
  /** Make the next ceremony abort (before any broadcast). */
  failNext(): void
}

/** A 2-of-3 threshold key from an in-process DKG; signing runs a real 2-party ceremony. */
function thresholdKey(label: string): MpcKey {
  const rng = seededRng(`${seed}/${label}`)
  const { shares } = runDkg(rng.fork('dkg'), 3, 2)
  const address = addressOfPublicKey(shares.get(1)!.publicKey)
  const requests: ThresholdSignRequest[] = []
  let fail = false
  let runs = 0
  const signer: ThresholdSigner = async (req) => {
    requests.push(req)
    await new Promise((r) => setImmediate(r))
    if (fail) {
      fail = false
      throw new Error('ceremony aborted: party 2 did not answer round 2')
    }
    // A co-signer never signs a bare digest: it recomputes it from the decoded request.
    const digest = req.kind === 'transaction' ? transactionDigest(req.tx) : messageDigest(req.message)
    if (digest !== req.digest) throw new Error('digest does not match the request')
    const { signatures } = runSign(rng.fork(`sign/${runs++}`), shares, [1, 2], hexToBytes(digest))
    const [a, b] = [signatures.get(1)!, signatures.get(2)!]
    if (a.r !== b.r || a.s !== b.s) throw new Error('parties disagree on the signature')
    return toThresholdSignature(a)
  }
  return {
    address,
    signer,
    requests,
    failNext: () => {
      fail = true
    },
  }
}

async function rejection(p: Promise<unknown>): Promise<NodeError> {
  try {
    await p
  } catch (e) {
    if (isNodeError(e) && process.env.DEBUG_CHAIN) console.log(e.code, e.details, (e.cause as Error)?.message)
    if (isNodeError(e)) return e
    throw e
  }
  throw new Error('expected a NodeError, the call succeeded')
}

describe(`submitter with a threshold key on anvil (seed ${seed})`, () => {
  let anvil: Anvil
  let publicClient: PublicClient
  let d: Stv3Deployment
  let deployer: PrivateKeyAccount
  let finOps: PrivateKeyAccount
  let writer: PrivateKeyAccount
  let investor: PrivateKeyAccount
  let noDid: PrivateKeyAccount
  let funder: PrivateKeyAccount
  let mpc: MpcKey
  let recoveryKey: MpcKey
  let submitter: Submitter

  const transport = () => http(anvil.rpcUrl)
  const testClient = () => createTestClient({ chain, mode: 'anvil', transport: transport() })
  const asOperator = (who: PrivateKeyAccount, call: Stv3Call) =>
    sendStv3Call(
      { walletClient: createWalletClient({ chain, account: who, transport: transport() }), publicClient },
      call,
    )
  const balanceOf = (a: Address) =>
    publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'balanceOf', args: [a] })
  const transfer = (to: Address, amount: bigint) => ({
    call: tokenCalls.transfer(d.token, to, amount),
    stv3: { token: d.token, from: mpc.address, to, amount },
  })
  const pendingNonce = (address: Address) =>
    publicClient.getTransactionCount({ address, blockTag: 'pending' })

  beforeAll(async () => {
    useFastCurve()
    anvil = await startAnvil({ accounts: 6 })
    publicClient = createPublicClient({ chain, transport: transport(), pollingInterval: 100 })
    ;[deployer, finOps, writer, investor, noDid, funder] = anvil.accounts.map((a) =>
      privateKeyToAccount(a.privateKey),
    )
    mpc = thresholdKey('wallet')
    recoveryKey = thresholdKey('recovery')

    d = await deployStv3({
      walletClient: createWalletClient({ chain, account: deployer, transport: transport() }),
      publicClient,
      name: 'MPC Security Token',
      symbol: 'MPST',
    })
    await asOperator(deployer, tokenCalls.grantRole(d.token, FINANCIAL_OPERATOR, finOps.address))
    await asOperator(deployer, tokenCalls.grantRole(d.token, RECOVERY_OPERATOR, recoveryKey.address))
    await asOperator(deployer, didCalls.grantRole(d.didRegistry, WRITER_ROLE, writer.address))
    await asOperator(writer, didCalls.createDID(d.didRegistry, 'did:example:mpc-wallet', mpc.address))
    await asOperator(writer, didCalls.createDID(d.didRegistry, 'did:example:investor', investor.address))
    await asOperator(finOps, tokenCalls.issue(d.token, 1_000_000n))
    await asOperator(finOps, tokenCalls.transferFromTreasury(d.token, mpc.address, 10_000n))
    const funding = createWalletClient({ chain, account: funder, transport: transport() })
    for (const to of [mpc.address, recoveryKey.address]) {
      await publicClient.waitForTransactionReceipt({
        hash: await funding.sendTransaction({ to, value: 10n ** 20n }),
      })
    }
    submitter = createSubmitter({
      publicClient,
      signer: mpc.signer,
      address: mpc.address,
      chainId: chain.id,
      pollingIntervalMs: 100,
    })
  })

  afterAll(async () => {
    await anvil?.stop()
  })

  it('the MPC wallet makes a compliant STV3 transfer; the raw tx recovers to the MPC address', async () => {
    const before = await balanceOf(investor.address)
    const nonce = await pendingNonce(mpc.address)
    const { call, stv3 } = transfer(investor.address, 100n)
    const events: SubmitEvent['type'][] = []
    const s = createSubmitter({
      publicClient,
      signer: mpc.signer,
      address: mpc.address,
      chainId: chain.id,
      nonces: submitter.nonces,
      onEvent: (e) => events.push(e.type),
    })
    const r = await s.submit(call, { stv3 })
    expect(r).toMatchObject({ status: 'success', from: mpc.address, nonce })
    expect(events).toEqual(['preflight', 'signing', 'broadcast', 'mined'])
    expect(await balanceOf(investor.address)).toBe(before + 100n)
    // Independent checks with viem: the broadcast bytes recover to the threshold address.
    expect(await recoverTransactionAddress({ serializedTransaction: r.serializedTransaction as never })).toBe(
      mpc.address,
    )
    const parsed = parseTransaction(r.serializedTransaction)
    expect(parsed).toMatchObject({ type: 'eip1559', chainId: chain.id, nonce, data: call.data })
    const mined = await publicClient.getTransaction({ hash: r.txHash })
    expect(isAddressEqual(mined.from, mpc.address)).toBe(true)
    // The ceremony was given the decoded transaction, which policy can read.
    const req = mpc.requests.at(-1)!
    if (req.kind !== 'transaction') throw new Error('expected a transaction request')
    expect(decodeStv3Transaction(d, { to: req.tx.to!, data: req.tx.data })).toMatchObject({
      contract: 'StvToken',
      functionName: 'transfer',
      args: [investor.address, 100n],
    })
  })

  it('a transfer to a wallet without a DID stops at preflight, before any ceremony', async () => {
    const calls = mpc.requests.length
    const { call, stv3 } = transfer(noDid.address, 5n)
    const e = await rejection(submitter.submit(call, { stv3 }))
    expect(e.code).toBe('CHAIN_PREFLIGHT_REVERT')
    expect(e.details).toMatchObject({ errorName: 'NotValidDIDOf', args: [noDid.address] })
    expect(mpc.requests.length).toBe(calls)
  })

  it('with skipPreflight the same transfer is signed, broadcast and reverts on chain: CHAIN_REVERTED', async () => {
    const calls = mpc.requests.length
    const { call } = transfer(noDid.address, 5n)
    const e = await rejection(submitter.submit({ ...call, gas: 200_000n }, { skipPreflight: true }))
    expect(e.code).toBe('CHAIN_REVERTED')
    expect(e.details).toMatchObject({ errorName: 'NotValidDIDOf', args: [noDid.address], from: mpc.address })
    expect(mpc.requests.length).toBe(calls + 1)
    const receipt = await publicClient.getTransactionReceipt({ hash: e.details.txHash as Hex })
    expect(receipt.status).toBe('reverted')
    // allowRevert returns the same outcome as a result.
    const r = await submitter.submit({ ...call, gas: 200_000n }, { skipPreflight: true, allowRevert: true })
    expect(r).toMatchObject({ status: 'reverted', revert: { errorName: 'NotValidDIDOf' } })
  })

  it('paused: transfers are refused at preflight; a second MPC key with RECOVERY_OPERATOR forces a transfer', async () => {
    const recovery = createSubmitter({
      publicClient,
      signer: recoveryKey.signer,
      address: recoveryKey.address,
      chainId: chain.id,
      pollingIntervalMs: 100,
    })
    await asOperator(deployer, tokenCalls.pauseToken(d.token))
    const calls = mpc.requests.length
    const { call, stv3 } = transfer(investor.address, 1n)
    const e = await rejection(submitter.submit(call, { stv3 }))
    expect(e.code).toBe('CHAIN_PREFLIGHT_REVERT')
    expect(e.details.errorName).toBe('FundsTransferProhibited')
    expect(mpc.requests.length).toBe(calls)
    // forcedTransfer ignores the pause, so its eth_call passes; canTransfer still says no.
    const forced = tokenCalls.forcedTransfer(d.token, investor.address, mpc.address, 10n)
    const refused = await rejection(
      recovery.submit(forced, {
        stv3: { token: d.token, from: investor.address, to: mpc.address, amount: 10n },
      }),
    )
    expect(refused.code).toBe('CHAIN_PREFLIGHT_REFUSED')
    expect(recoveryKey.requests).toHaveLength(0)
    await asOperator(deployer, tokenCalls.unpauseToken(d.token))

    const [fromBefore, toBefore] = [await balanceOf(investor.address), await balanceOf(mpc.address)]
    const r = await recovery.submit(forced)
    expect(r).toMatchObject({ status: 'success', from: recoveryKey.address })
    expect(await balanceOf(investor.address)).toBe(fromBefore - 10n)
    expect(await balanceOf(mpc.address)).toBe(toBefore + 10n)
    expect(recoveryKey.requests).toHaveLength(1)
    // Only the recovery key holds the power: the wallet key is refused with the AccessControl error.
    const denied = await rejection(submitter.submit(forced))
    expect(denied.details).toMatchObject({ errorName: 'AccessControlUnauthorizedAccount' })
  })

  it('twenty concurrent transfers from one MPC key land with consecutive nonces', async () => {
    const first = await pendingNonce(mpc.address)
    const before = await balanceOf(investor.address)
    const results = await Promise.all(
      Array.from({ length: 20 }, () => {
        const { call, stv3 } = transfer(investor.address, 1n)
        return submitter.submit(call, { stv3 })
      }),
    )
    expect(results.every((r) => r.status === 'success')).toBe(true)
    const nonces = results.map((r) => r.nonce).sort((a, b) => a - b)
    expect(nonces).toEqual(Array.from({ length: 20 }, (_, i) => first + i))
    const onChain = await Promise.all(results.map((r) => publicClient.getTransaction({ hash: r.txHash })))
    expect(onChain.map((t) => t.nonce).sort((a, b) => a - b)).toEqual(nonces)
    expect(new Set(results.map((r) => r.txHash)).size).toBe(20)
    expect(await balanceOf(investor.address)).toBe(before + 20n)
    expect(await pendingNonce(mpc.address)).toBe(first + 20)
  })

  it('a ceremony that fails before broadcast releases its nonce: the next transaction reuses it', async () => {
    const nonce = await pendingNonce(mpc.address)
    mpc.failNext()
    const e = await rejection(submitter.submit(transfer(investor.address, 1n).call))
    expect(e.code).toBe('CHAIN_SIGNING_FAILED')
    expect(submitter.nonces.inspect({ chainId: chain.id, address: mpc.address })?.free).toEqual([nonce])
    const r = await submitter.submit(transfer(investor.address, 1n).call)
    expect(r.nonce).toBe(nonce)
    expect(await pendingNonce(mpc.address)).toBe(nonce + 1)
  })

  it('viem walletClient.sendTransaction / writeContract / signMessage work with the threshold account', async () => {
    const strict = createSubmitter({
      publicClient,
      signer: mpc.signer,
      address: mpc.address,
      chainId: chain.id,
      pollingIntervalMs: 100,
      nonceRetries: 0,
    })
    await strict.submit(transfer(investor.address, 1n).call) // its nonce manager now tracks the key

    const account = toThresholdAccount({ address: mpc.address, signDigest: mpc.signer })
    const wallet = createWalletClient({ chain, account, transport: transport() })
    const ethBefore = await publicClient.getBalance({ address: investor.address })
    const h1 = await wallet.sendTransaction({ to: investor.address, value: 12345n })
    expect((await publicClient.waitForTransactionReceipt({ hash: h1 })).status).toBe('success')
    expect(await publicClient.getBalance({ address: investor.address })).toBe(ethBefore + 12345n)
    const tokBefore = await balanceOf(investor.address)
    const h2 = await wallet.writeContract({
      address: d.token,
      abi: StvToken.abi,
      functionName: 'transfer',
      args: [investor.address, 7n],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash: h2 })).status).toBe('success')
    expect(await balanceOf(investor.address)).toBe(tokBefore + 7n)

    const signature = await wallet.signMessage({ message: 'STV3 MPC node' })
    expect(await verifyMessage({ address: mpc.address, message: 'STV3 MPC node', signature })).toBe(true)
    expect(mpc.requests.at(-1)).toMatchObject({ kind: 'message', message: 'STV3 MPC node' })
    const typed = await rejection(
      wallet.signTypedData({
        domain: { name: 'x' },
        types: { M: [{ name: 'a', type: 'uint256' }] },
        primaryType: 'M',
        message: { a: 1n },
      }),
    )
    expect(typed.code).toBe('CHAIN_SIGN_UNSUPPORTED')

    // Those transactions bypassed both submitters' nonce managers. Without retries: a typed
    // conflict, then a resync; with the default single retry: one extra ceremony, then success.
    const conflict = await rejection(strict.submit(transfer(investor.address, 1n).call))
    expect(conflict.code).toBe('CHAIN_NONCE_CONFLICT')
    expect((await strict.submit(transfer(investor.address, 1n).call)).status).toBe('success')
    const calls = mpc.requests.length
    const r = await submitter.submit(transfer(investor.address, 1n).call)
    expect(r.status).toBe('success')
    expect(mpc.requests.length).toBe(calls + 2)
  })

  it('a walletClient on submitter.account shares the submitter nonce sequence (no conflicts)', async () => {
    const wallet = createWalletClient({ chain, account: submitter.account, transport: transport() })
    const first = await pendingNonce(mpc.address)
    const calls = mpc.requests.length
    const mined = async (hash: Promise<Hex>) =>
      (await publicClient.waitForTransactionReceipt({ hash: await hash })).transactionHash
    const hashes = await Promise.all([
      submitter.submit(transfer(investor.address, 1n).call).then((r) => r.txHash),
      mined(wallet.sendTransaction({ to: investor.address, value: 1n })),
      submitter.submit(transfer(investor.address, 1n).call).then((r) => r.txHash),
      mined(
        wallet.writeContract({
          address: d.token,
          abi: StvToken.abi,
          functionName: 'transfer',
          args: [investor.address, 1n],
        }),
      ),
    ])
    const txs = await Promise.all(hashes.map((hash) => publicClient.getTransaction({ hash })))
    expect(txs.map((t) => t.nonce).sort((a, b) => a - b)).toEqual([first, first + 1, first + 2, first + 3])
    expect(mpc.requests.length).toBe(calls + 4)
  })

  it('insufficient funds map to CHAIN_INSUFFICIENT_FUNDS, before a ceremony when detectable', async () => {
    const calls = mpc.requests.length
    const balance = await publicClient.getBalance({ address: mpc.address })
    const tooMuch = { to: investor.address, data: '0x' as Hex, value: balance + 1n }
    expect((await rejection(submitter.submit(tooMuch))).code).toBe('CHAIN_INSUFFICIENT_FUNDS')
    const skipped = await rejection(submitter.submit({ ...tooMuch, gas: 21_000n }, { skipPreflight: true }))
    expect(skipped.code).toBe('CHAIN_INSUFFICIENT_FUNDS')
    expect(mpc.requests.length).toBe(calls)

    // At broadcast (the node's own check): a signed transaction the balance cannot cover.
    const account = toThresholdAccount({ address: mpc.address, signDigest: mpc.signer })
    const fees = await publicClient.estimateFeesPerGas()
    const signed = await account.signTransaction({
      type: 'eip1559',
      chainId: chain.id,
      nonce: await pendingNonce(mpc.address),
      to: investor.address,
      value: balance,
      gas: 21_000n,
      ...fees,
    })
    const raw = await publicClient.sendRawTransaction({ serializedTransaction: signed }).catch((err) => err)
    expect(toChainError(raw).code).toBe('CHAIN_INSUFFICIENT_FUNDS')
  })

  it('no receipt in time is CHAIN_TIMEOUT; a dropped nonce is reused after the resync', async () => {
    const test = testClient()
    await test.setAutomine(false)
    try {
      const impatient = createSubmitter({
        publicClient,
        signer: mpc.signer,
        address: mpc.address,
        chainId: chain.id,
        nonces: submitter.nonces,
        pollingIntervalMs: 100,
        receiptTimeoutMs: 1_000,
      })
      const nonce = await pendingNonce(mpc.address)
      const e = await rejection(impatient.submit(transfer(investor.address, 1n).call))
      expect(e.code).toBe('CHAIN_TIMEOUT')
      expect(e.details.nonce).toBe(nonce)
      await test.dropTransaction({ hash: e.details.txHash as Hex })
      await test.setAutomine(true)
      const r = await submitter.submit(transfer(investor.address, 1n).call)
      expect(r.nonce).toBe(nonce)
    } finally {
      await test.setAutomine(true)
    }
  })

  /** Submit with automine off; once broadcast, `then` sends a competing transaction; then mine. */
  async function raceWithSameNonce<T>(
    submit: (s: Submitter) => Promise<T>,
    then: (original: {
      nonce: number
      txHash: Hex
      maxFeePerGas: bigint
      maxPriorityFeePerGas: bigint
    }) => Promise<Hex>,
  ): Promise<{ outcome: T; originalHash: Hex; nonce: number; competitor: Hex; events: SubmitEvent[] }> {
    const test = testClient()
    await test.setAutomine(false)
    try {
      const events: SubmitEvent[] = []
      let onBroadcast: ((e: { nonce: number; txHash: Hex }) => void) | undefined
      const sent = new Promise<{ nonce: number; txHash: Hex }>((resolve) => {
        onBroadcast = resolve
      })
      const watched = createSubmitter({
        publicClient,
        signer: mpc.signer,
        address: mpc.address,
        chainId: chain.id,
        nonces: submitter.nonces,
        pollingIntervalMs: 100,
        receiptTimeoutMs: 20_000,
        onEvent: (e) => {
          events.push(e)
          if (e.type === 'broadcast') onBroadcast?.(e)
        },
      })
      const outcome = submit(watched)
      const { nonce, txHash } = await sent
      const original = await publicClient.getTransaction({ hash: txHash })
      const competitor = await then({
        nonce,
        txHash,
        maxFeePerGas: original.maxFeePerGas!,
        maxPriorityFeePerGas: original.maxPriorityFeePerGas!,
      })
      await test.mine({ blocks: 1 })
      return { outcome: await outcome, originalHash: txHash, nonce, competitor, events }
    } finally {
      await test.setAutomine(true)
    }
  }

  it('a transaction cancelled by another with the same nonce is CHAIN_REPLACED', async () => {
    const wallet = createWalletClient({
      chain,
      account: toThresholdAccount({ address: mpc.address, signDigest: mpc.signer }),
      transport: transport(),
    })
    const { outcome, originalHash, nonce, competitor, events } = await raceWithSameNonce(
      (s) => rejection(s.submit(transfer(investor.address, 1n).call)),
      (o) =>
        wallet.sendTransaction({
          to: mpc.address,
          value: 0n,
          nonce: o.nonce,
          gas: 21_000n,
          maxFeePerGas: o.maxFeePerGas * 3n,
          maxPriorityFeePerGas: o.maxPriorityFeePerGas * 3n,
        }),
    )
    expect(outcome.code).toBe('CHAIN_REPLACED')
    expect(outcome.details).toMatchObject({
      txHash: originalHash,
      nonce,
      reason: 'cancelled',
      replacementHash: competitor,
    })
    expect(events.at(-1)).toEqual({ type: 'failed', code: 'CHAIN_REPLACED', nonce, txHash: originalHash })
    // The manager is consistent afterwards.
    const next = await pendingNonce(mpc.address)
    expect((await submitter.submit(transfer(investor.address, 1n).call)).nonce).toBe(next)
  })

  it('a repriced rebroadcast of the same call (same nonce, higher fees) is followed to its receipt', async () => {
    const account = toThresholdAccount({ address: mpc.address, signDigest: mpc.signer })
    const { call } = transfer(investor.address, 1n)
    const { outcome, originalHash, nonce, competitor } = await raceWithSameNonce(
      (s) => s.submit(call),
      async (o) => {
        const original = await publicClient.getTransaction({ hash: o.txHash })
        const bumped = await account.signTransaction({
          type: 'eip1559',
          chainId: chain.id,
          nonce: o.nonce,
          to: call.to,
          data: call.data,
          value: 0n,
          gas: original.gas,
          maxFeePerGas: o.maxFeePerGas * 3n,
          maxPriorityFeePerGas: o.maxPriorityFeePerGas * 3n,
        })
        return publicClient.sendRawTransaction({ serializedTransaction: bumped })
      },
    )
    expect(outcome).toMatchObject({
      status: 'success',
      txHash: competitor,
      repricedFrom: originalHash,
      nonce,
    })
  })

  it('refuses an RPC endpoint that serves another chain id', async () => {
    const wrong = createSubmitter({ publicClient, signer: mpc.signer, address: mpc.address, chainId: 1 })
    const calls = mpc.requests.length
    expect((await rejection(wrong.submit(transfer(investor.address, 1n).call))).code).toBe(
      'CHAIN_WRONG_NETWORK',
    )
    expect(mpc.requests.length).toBe(calls)
  })
})
