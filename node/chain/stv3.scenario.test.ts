// The "Minimum node script" of stv3.md §7 against a real anvil and the solc-compiled contracts,
// with its negative cases. Before every transaction the operation is eth_call'ed (preflight) and
// the prediction is compared with the mined receipt, as the node will do before signing.
import { base58 } from '@scure/base'
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  http,
  keccak256,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  toFunctionSelector,
  toHex,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StvDID, StvToken, StvTreasury } from '../../contracts/gen/index.ts'
import { type Anvil, startAnvil } from './anvil.ts'
import {
  DEFAULT_ADMIN_ROLE,
  deployStv3,
  didCalls,
  FINANCIAL_OPERATOR,
  INTERFACE_IDS,
  parseStv3Logs,
  preflightStv3Call,
  RECOVERY_OPERATOR,
  type Stv3Call,
  type Stv3Deployment,
  type Stv3Preflight,
  sendStv3Call,
  tokenCalls,
  WRITER_ROLE,
} from './stv3.ts'

const chain = defineChain({ ...foundry, id: 31337 })

/** W3C did:key for a secp256k1 account (multicodec 0xe7 0x01 + compressed key, base58btc). */
function didKeyOf(account: PrivateKeyAccount): string {
  const pub = hexToBytes(account.publicKey) // 0x04 || x || y
  const compressed = new Uint8Array(33)
  compressed[0] = (pub[64] & 1) === 0 ? 0x02 : 0x03
  compressed.set(pub.subarray(1, 33), 1)
  return `did:key:z${base58.encode(new Uint8Array([0xe7, 0x01, ...compressed]))}`
}

describe('STV3 minimum node script (stv3.md §7)', () => {
  let anvil: Anvil
  let publicClient: PublicClient
  let d: Stv3Deployment
  let deployer: PrivateKeyAccount
  let owner: PrivateKeyAccount
  let finOps: PrivateKeyAccount
  let recovery: PrivateKeyAccount
  let writer: PrivateKeyAccount
  let investorA: PrivateKeyAccount
  let investorB: PrivateKeyAccount
  let noDid: PrivateKeyAccount
  let walletA2: PrivateKeyAccount
  let outsider: PrivateKeyAccount
  let investorD: PrivateKeyAccount
  let didA: string
  let didB: string
  let didD: string

  const wallet = () => createWalletClient({ chain, transport: http(anvil.rpcUrl) })
  const testClient = () => createTestClient({ chain, mode: 'anvil', transport: http(anvil.rpcUrl) })

  /** Preflight, then send with a fixed gas limit so a reverting call is mined too; they must agree. */
  async function exec(
    who: PrivateKeyAccount,
    call: Stv3Call,
  ): Promise<{ pre: Stv3Preflight; receipt: TransactionReceipt }> {
    const pre = await preflightStv3Call(publicClient, who.address, call)
    const hash = await wallet().sendTransaction({
      account: who,
      to: call.to,
      data: call.data,
      gas: 3_000_000n,
    })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status === 'success', 'preflight and receipt disagree').toBe(pre.ok)
    return { pre, receipt }
  }
  async function ok(who: PrivateKeyAccount, call: Stv3Call): Promise<TransactionReceipt> {
    const { pre, receipt } = await exec(who, call)
    expect(pre).toEqual({ ok: true })
    return receipt
  }
  async function fails(who: PrivateKeyAccount, call: Stv3Call, errorName: string, args?: readonly unknown[]) {
    const { pre } = await exec(who, call)
    if (pre.ok) throw new Error(`expected ${errorName}, the call succeeded`)
    expect(pre.error.errorName).toBe(errorName)
    if (args !== undefined) expect(pre.error.args).toEqual(args)
  }

  const balanceOf = (account: Address) =>
    publicClient.readContract({
      address: d.token,
      abi: StvToken.abi,
      functionName: 'balanceOf',
      args: [account],
    })
  const canTransfer = (from: Address, to: Address, amount: bigint) =>
    publicClient.readContract({
      address: d.token,
      abi: StvToken.abi,
      functionName: 'canTransfer',
      args: [from, to, amount],
    })
  const canSend = (a: Address) =>
    publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'canSend', args: [a] })
  const canReceive = (a: Address) =>
    publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'canReceive', args: [a] })
  const now = async () => (await publicClient.getBlock()).timestamp
  async function warp(seconds: number) {
    await testClient().increaseTime({ seconds })
    await testClient().mine({ blocks: 1 })
  }

  beforeAll(async () => {
    anvil = await startAnvil({ accounts: 11 })
    publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl) })
    const accts = anvil.accounts.map((a) => privateKeyToAccount(a.privateKey))
    ;[deployer, owner, finOps, recovery, writer, investorA, investorB, noDid, walletA2, outsider, investorD] =
      accts
    didA = didKeyOf(investorA)
    didB = didKeyOf(investorB)
    didD = didKeyOf(investorD)
  })

  afterAll(async () => {
    await anvil?.stop()
  })

  it('deploys registry, HasDIDRule, HasAttributeRule(KYC), token and treasury, and configures them', async () => {
    d = await deployStv3({
      walletClient: createWalletClient({ chain, account: deployer, transport: http(anvil.rpcUrl) }),
      publicClient,
      name: 'Stobox Test Security',
      symbol: 'STST',
      decimals: 6,
      maxSupply: 1_000_000n,
      owner: owner.address,
      requiredAttributes: ['KYC'],
    })
    expect(d.pendingSetup).toEqual([])
    for (const addr of [d.token, d.treasury, d.didRegistry, d.hasDIDRule, d.attributeRules.KYC]) {
      expect(await publicClient.getCode({ address: addr })).toMatch(/^0x[0-9a-f]{20,}/)
    }
    const read = { address: d.token, abi: StvToken.abi } as const
    expect(await publicClient.readContract({ ...read, functionName: 'deployer' })).toBe(deployer.address)
    expect(await publicClient.readContract({ ...read, functionName: 'owner' })).toBe(owner.address)
    expect(await publicClient.readContract({ ...read, functionName: 'decimals' })).toBe(6)
    expect(await publicClient.readContract({ ...read, functionName: 'treasury' })).toBe(d.treasury)
    expect(await publicClient.readContract({ ...read, functionName: 'isTrusted', args: [d.treasury] })).toBe(
      true,
    )
    expect(await publicClient.readContract({ ...read, functionName: 'validationRulesList' })).toEqual([
      d.hasDIDRule,
      d.attributeRules.KYC,
    ])
    expect(
      await publicClient.readContract({ ...read, functionName: 'ruleDescription', args: [d.hasDIDRule] }),
    ).toMatch(/StoboxDID/)
    expect(await publicClient.readContract({ ...read, functionName: 'FINANCIAL_OPERATOR' })).toBe(
      FINANCIAL_OPERATOR,
    )
    expect(await publicClient.readContract({ ...read, functionName: 'RECOVERY_OPERATOR' })).toBe(
      RECOVERY_OPERATOR,
    )
    expect(
      await publicClient.readContract({
        address: d.didRegistry,
        abi: StvDID.abi,
        functionName: 'WRITER_ROLE',
      }),
    ).toBe(WRITER_ROLE)
  })

  it('grants roles: the Owner names the operators, the registry admin names the KYC writer', async () => {
    await ok(owner, tokenCalls.grantRole(d.token, FINANCIAL_OPERATOR, finOps.address))
    await ok(owner, tokenCalls.grantRole(d.token, RECOVERY_OPERATOR, recovery.address))
    await ok(deployer, didCalls.grantRole(d.didRegistry, WRITER_ROLE, writer.address))
    const hasRole = (role: Hex, a: Address) =>
      publicClient.readContract({
        address: d.token,
        abi: StvToken.abi,
        functionName: 'hasRole',
        args: [role, a],
      })
    expect(await hasRole(FINANCIAL_OPERATOR, finOps.address)).toBe(true)
    expect(await hasRole(RECOVERY_OPERATOR, recovery.address)).toBe(true)
    // The Owner cannot touch the admin role (owner/deployer slots), an outsider cannot grant at all.
    await fails(
      owner,
      tokenCalls.grantRole(d.token, DEFAULT_ADMIN_ROLE, outsider.address),
      'DefaultAdminRoleManagedBySlots',
    )
    await fails(
      outsider,
      tokenCalls.grantRole(d.token, FINANCIAL_OPERATOR, outsider.address),
      'AccessControlUnauthorizedAccount',
      [outsider.address, DEFAULT_ADMIN_ROLE],
    )
    // Deployer-only configuration refuses the Owner.
    await fails(owner, tokenCalls.trust(d.token, outsider.address), 'NotDeployer', [owner.address])
  })

  it('creates DIDs (W3C did:key uDIDs) with attributes for investors A and B', async () => {
    const country = (w: Address, iso: string) => keccak256(toHex(`${w.toLowerCase()}${iso}`))
    const receipt = await ok(writer, didCalls.createDID(d.didRegistry, didA, investorA.address))
    await ok(writer, didCalls.createDID(d.didRegistry, didB, investorB.address))
    await ok(
      writer,
      didCalls.setAttributes(d.didRegistry, [
        { wallet: investorA.address, name: 'KYC', value: keccak256(toHex('vc-a')), valueType: 'bytes32' },
        {
          wallet: investorA.address,
          name: 'COUNTRY',
          value: country(investorA.address, 'DE'),
          valueType: 'bytes32',
        },
        { wallet: investorA.address, name: 'ACCREDITED', value: '0x01', valueType: 'bool' },
        { wallet: investorB.address, name: 'KYC', value: keccak256(toHex('vc-b')), valueType: 'bytes32' },
      ]),
    )
    // The indexed uDID topic is keccak256(bytes(uDID)) (stv3.md §5).
    const created = parseStv3Logs(receipt.logs).find((l) => l.eventName === 'DIDCreated')
    expect(created?.topics[1]).toBe(keccak256(toHex(didA)))
    const [uDID, validTo, , blocked] = await publicClient.readContract({
      address: d.didRegistry,
      abi: StvDID.abi,
      functionName: 'getUserDID',
      args: [investorA.address],
    })
    expect(uDID).toBe(didA)
    expect(uDID).toMatch(/^did:key:zQ3s/)
    expect(validTo).toBe(2n ** 256n - 1n)
    expect(blocked).toBe(false)
    const [value, valueType] = await publicClient.readContract({
      address: d.didRegistry,
      abi: StvDID.abi,
      functionName: 'getAttribute',
      args: [investorA.address, 'ACCREDITED'],
    })
    expect([value, valueType]).toEqual(['0x01', 'bool'])
    // Negatives: a second DID for the same uDID or wallet, and a non-writer.
    await fails(writer, didCalls.createDID(d.didRegistry, didA, noDid.address), 'DIDAlreadyExists', [didA])
    await fails(
      writer,
      didCalls.createDID(d.didRegistry, 'did:key:zOther', investorA.address),
      'AddressAlreadyLinkedToDID',
    )
    await fails(
      outsider,
      didCalls.createDID(d.didRegistry, 'did:key:zX', outsider.address),
      'AccessControlUnauthorizedAccount',
    )
  })

  it('issues to the treasury (FINANCIAL_OPERATOR only, within maxSupply)', async () => {
    const receipt = await ok(finOps, tokenCalls.issue(d.token, 1000n))
    expect(await balanceOf(d.treasury)).toBe(1000n)
    expect(parseStv3Logs(receipt.logs).map((l) => l.eventName)).toEqual(['Transfer', 'Issued'])
    await fails(outsider, tokenCalls.issue(d.token, 1n), 'AccessControlUnauthorizedAccount', [
      outsider.address,
      FINANCIAL_OPERATOR,
    ])
    await fails(finOps, tokenCalls.issue(d.token, 1_000_000n), 'MaxSupplyExceeded', [1_000_000n])
  })

  it('transfers from the treasury to A', async () => {
    expect(await canTransfer(d.treasury, investorA.address, 100n)).toBe(true)
    await ok(finOps, tokenCalls.transferFromTreasury(d.token, investorA.address, 100n))
    expect(await balanceOf(investorA.address)).toBe(100n)
    expect(await balanceOf(d.treasury)).toBe(900n)
  })

  it('A transfers 10 to B', async () => {
    expect(await canTransfer(investorA.address, investorB.address, 10n)).toBe(true)
    await ok(investorA, tokenCalls.transfer(d.token, investorB.address, 10n))
    expect(await balanceOf(investorB.address)).toBe(10n)
  })

  it('A cannot transfer to a wallet without a DID: NotValidDIDOf, and the views say so without reverting', async () => {
    expect(await canTransfer(investorA.address, noDid.address, 1n)).toBe(false)
    expect(await canReceive(noDid.address)).toBe(false)
    expect(await canSend(noDid.address)).toBe(false)
    expect(await canSend(investorA.address)).toBe(true)
    await fails(investorA, tokenCalls.transfer(d.token, noDid.address, 1n), 'NotValidDIDOf', [noDid.address])
    expect(await balanceOf(noDid.address)).toBe(0n)
    // Trusting the wallet bypasses its side of the rules (stv3.md §4.4).
    await ok(deployer, tokenCalls.trust(d.token, noDid.address))
    expect(await canTransfer(investorA.address, noDid.address, 1n)).toBe(true)
    await ok(deployer, tokenCalls.distrust(d.token, noDid.address))
    expect(await canTransfer(investorA.address, noDid.address, 1n)).toBe(false)
  })

  it('a paused token refuses transfers with FundsTransferProhibited until unpaused', async () => {
    await fails(owner, tokenCalls.pauseToken(d.token), 'NotDeployer')
    await ok(deployer, tokenCalls.pauseToken(d.token))
    expect(
      await publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'tokenPaused' }),
    ).toBe(true)
    expect(await canTransfer(investorA.address, investorB.address, 1n)).toBe(false)
    await fails(investorA, tokenCalls.transfer(d.token, investorB.address, 1n), 'FundsTransferProhibited')
    await fails(
      finOps,
      tokenCalls.transferFromTreasury(d.token, investorA.address, 1n),
      'FundsTransferProhibited',
    )
    await ok(deployer, tokenCalls.unpauseToken(d.token))
    expect(await canTransfer(investorA.address, investorB.address, 1n)).toBe(true)
    await ok(investorA, tokenCalls.transfer(d.token, investorB.address, 1n))
    // The Recovery Operator's emergency pause sets the same flag.
    await ok(recovery, tokenCalls.pauseProtocolSTV3(d.token))
    await fails(investorA, tokenCalls.transfer(d.token, investorB.address, 1n), 'FundsTransferProhibited')
    await ok(recovery, tokenCalls.unpauseProtocolSTV3(d.token))
    expect(await balanceOf(investorB.address)).toBe(11n)
  })

  it('an expired DID fails HasDIDRule', async () => {
    await ok(writer, didCalls.createDID(d.didRegistry, didD, investorD.address, (await now()) + 3600n))
    await ok(
      writer,
      didCalls.setAttribute(d.didRegistry, {
        wallet: investorD.address,
        name: 'KYC',
        value: '0x01',
        valueType: 'bool',
      }),
    )
    expect(await canReceive(investorD.address)).toBe(true)
    await ok(investorA, tokenCalls.transfer(d.token, investorD.address, 1n))
    await warp(7200)
    expect(await canReceive(investorD.address)).toBe(false)
    expect(await canSend(investorD.address)).toBe(false)
    await fails(investorA, tokenCalls.transfer(d.token, investorD.address, 1n), 'NotValidDIDOf', [
      investorD.address,
    ])
    await fails(investorD, tokenCalls.transfer(d.token, investorA.address, 1n), 'NotValidDIDOf', [
      investorD.address,
    ])
    // Prolonging the DID restores it.
    await ok(writer, didCalls.prolongateDID(d.didRegistry, didD, 0n))
    expect(await canReceive(investorD.address)).toBe(true)
  })

  it('an expired KYC attribute fails HasAttributeRule(KYC) with NotValidAttributeOf', async () => {
    const kycB = (validTo: bigint) =>
      didCalls.setAttribute(d.didRegistry, {
        wallet: investorB.address,
        name: 'KYC',
        value: '0x02',
        valueType: 'bool',
        validTo,
      })
    await ok(writer, kycB((await now()) + 600n))
    expect(await canTransfer(investorA.address, investorB.address, 1n)).toBe(true)
    await warp(1200)
    expect(await canTransfer(investorA.address, investorB.address, 1n)).toBe(false)
    expect(await canReceive(investorB.address)).toBe(false)
    await fails(investorA, tokenCalls.transfer(d.token, investorB.address, 1n), 'NotValidAttributeOf', [
      investorB.address,
      'KYC',
    ])
    await ok(writer, kycB(0n))
    expect(await canTransfer(investorA.address, investorB.address, 1n)).toBe(true)
  })

  it('recovers A to a new wallet: link A2 (by A itself), forcedTransfer by RECOVERY_OPERATOR, unlink A', async () => {
    // The DID owner may link a wallet to its own DID (stv3.md §5); an outsider may not.
    await fails(
      outsider,
      didCalls.linkWallet(d.didRegistry, investorA.address, outsider.address),
      'NotAuthorizedForThisTransaction',
    )
    await ok(investorA, didCalls.linkWallet(d.didRegistry, investorA.address, walletA2.address))
    expect(await canReceive(walletA2.address)).toBe(true)
    const balance = await balanceOf(investorA.address)
    expect(balance).toBeGreaterThan(0n)
    // Only the Recovery Operator can force; the Financial Operator and outsiders cannot.
    for (const who of [finOps, outsider]) {
      await fails(
        who,
        tokenCalls.forcedTransfer(d.token, investorA.address, walletA2.address, balance),
        'AccessControlUnauthorizedAccount',
        [who.address, RECOVERY_OPERATOR],
      )
    }
    // Forced transfers still respect the recipient's rules.
    await fails(
      recovery,
      tokenCalls.forcedTransfer(d.token, investorA.address, noDid.address, 1n),
      'NotValidDIDOf',
      [noDid.address],
    )
    const receipt = await ok(
      recovery,
      tokenCalls.forcedTransfer(d.token, investorA.address, walletA2.address, balance),
    )
    expect(await balanceOf(investorA.address)).toBe(0n)
    expect(await balanceOf(walletA2.address)).toBe(balance)
    expect(parseStv3Logs(receipt.logs).map((l) => l.eventName)).toEqual([
      'Transfer',
      'ForcedTransfer',
      'Forced',
    ])
    await ok(writer, didCalls.removeLinkedAddress(d.didRegistry, investorA.address))
    expect(await canSend(investorA.address)).toBe(false)
    await fails(
      writer,
      didCalls.removeLinkedAddress(d.didRegistry, walletA2.address),
      'CantRemoveLastLinkedAddress',
    )
  })

  it('forcedTransfer works while paused and eats into frozen tokens, emitting Frozen before Transfer', async () => {
    const balance = await balanceOf(walletA2.address)
    await ok(recovery, tokenCalls.setFrozenTokens(d.token, walletA2.address, balance - 5n))
    expect(await canTransfer(walletA2.address, investorB.address, 6n)).toBe(false)
    await fails(
      walletA2,
      tokenCalls.transfer(d.token, investorB.address, 6n),
      'ERC7943InsufficientUnfrozenBalance',
      [walletA2.address, 6n, 5n],
    )
    await ok(walletA2, tokenCalls.transfer(d.token, investorB.address, 5n))
    await ok(deployer, tokenCalls.pauseToken(d.token))
    const receipt = await ok(
      recovery,
      tokenCalls.forcedTransfer(d.token, walletA2.address, investorB.address, 10n),
    )
    await ok(deployer, tokenCalls.unpauseToken(d.token))
    const events = parseStv3Logs(receipt.logs)
    expect(events.map((l) => l.eventName)).toEqual(['Frozen', 'Transfer', 'ForcedTransfer', 'Forced'])
    const remaining = await balanceOf(walletA2.address)
    expect(
      await publicClient.readContract({
        address: d.token,
        abi: StvToken.abi,
        functionName: 'getFrozenTokens',
        args: [walletA2.address],
      }),
    ).toBe(remaining)
  })

  it('forced moves into the trusted treasury skip the recipient rules; forcedBurn and forcedMint', async () => {
    // Forced burn the STV3 way: pull into the treasury (trusted, no DID), then redeem (stv3.md §4.2).
    const before = await balanceOf(d.treasury)
    await ok(recovery, tokenCalls.forcedTransfer(d.token, investorB.address, d.treasury, 1n))
    expect(await balanceOf(d.treasury)).toBe(before + 1n)
    const b = await balanceOf(investorB.address)
    const burn = await ok(recovery, tokenCalls.forcedBurn(d.token, investorB.address, 1n))
    expect(await balanceOf(investorB.address)).toBe(b - 1n)
    expect(parseStv3Logs(burn.logs).map((l) => l.eventName)).toEqual(['Transfer', 'Forced'])
    await fails(
      finOps,
      tokenCalls.forcedBurn(d.token, investorB.address, 1n),
      'AccessControlUnauthorizedAccount',
    )
    await ok(recovery, tokenCalls.forcedMint(d.token, investorB.address, 1n))
    expect(await balanceOf(investorB.address)).toBe(b)
    await fails(recovery, tokenCalls.forcedMint(d.token, noDid.address, 1n), 'NotValidDIDOf', [noDid.address])
  })

  it('a blocked DID cannot receive until unblocked', async () => {
    const receipt = await ok(writer, didCalls.blockDID(d.didRegistry, didB, 'sanctions screening hit'))
    expect(parseStv3Logs(receipt.logs).map((l) => l.eventName)).toContain('DIDBlockStatusUpdated')
    expect(await canReceive(investorB.address)).toBe(false)
    expect(await canTransfer(d.treasury, investorB.address, 1n)).toBe(false)
    await fails(finOps, tokenCalls.transferFromTreasury(d.token, investorB.address, 1n), 'NotValidDIDOf', [
      investorB.address,
    ])
    await fails(investorB, tokenCalls.transfer(d.token, investorD.address, 1n), 'NotValidDIDOf', [
      investorB.address,
    ])
    await fails(writer, didCalls.blockDID(d.didRegistry, didB, 'again'), 'DIDIsBlocked', [didB])
    await ok(writer, didCalls.unblockDID(d.didRegistry, didB, 'cleared'))
    expect(await canReceive(investorB.address)).toBe(true)
    await ok(finOps, tokenCalls.transferFromTreasury(d.token, investorB.address, 1n))
  })

  it('redeems from the treasury', async () => {
    const supply = await publicClient.readContract({
      address: d.token,
      abi: StvToken.abi,
      functionName: 'totalSupply',
    })
    const inTreasury = await balanceOf(d.treasury)
    await ok(finOps, tokenCalls.redeem(d.token, 50n))
    expect(await balanceOf(d.treasury)).toBe(inTreasury - 50n)
    expect(
      await publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'totalSupply' }),
    ).toBe(supply - 50n)
    await fails(finOps, tokenCalls.redeem(d.token, inTreasury), 'ERC20InsufficientBalance')
  })

  it('caps issuance with maxIssuance and withdraws ERC-20s held by the treasury only through the token', async () => {
    const issued = await publicClient.readContract({
      address: d.token,
      abi: StvToken.abi,
      functionName: 'totalIssued',
    })
    await fails(finOps, tokenCalls.setMaxIssuance(d.token, issued + 5n), 'NotDeployer', [finOps.address])
    await ok(deployer, tokenCalls.setMaxIssuance(d.token, issued + 5n))
    await fails(finOps, tokenCalls.issue(d.token, 6n), 'MaxIssuanceExceeded', [issued + 5n])
    await ok(finOps, tokenCalls.issue(d.token, 5n))
    // The treasury's own balance of this token, moved out through the treasury contract.
    const b = await balanceOf(investorB.address)
    await ok(finOps, tokenCalls.withdrawERC20FromTreasury(d.token, d.token, investorB.address, 3n))
    expect(await balanceOf(investorB.address)).toBe(b + 3n)
    const direct = encodeFunctionData({
      abi: StvTreasury.abi,
      functionName: 'withdrawERC20',
      args: [d.token, outsider.address, 1n],
    })
    await fails(outsider, { to: d.treasury, data: direct }, 'OnlyToken', [outsider.address])
  })

  it('the Deployer moves the owner and deployer slots together with the admin role', async () => {
    const hasAdmin = (a: Address) =>
      publicClient.readContract({
        address: d.token,
        abi: StvToken.abi,
        functionName: 'hasRole',
        args: [DEFAULT_ADMIN_ROLE, a],
      })
    await fails(owner, tokenCalls.transferOwnership(d.token, outsider.address), 'NotDeployer', [
      owner.address,
    ])
    await ok(deployer, tokenCalls.transferOwnership(d.token, outsider.address))
    expect(
      await publicClient.readContract({ address: d.token, abi: StvToken.abi, functionName: 'owner' }),
    ).toBe(outsider.address)
    expect(await hasAdmin(owner.address)).toBe(false)
    expect(await hasAdmin(outsider.address)).toBe(true)
    await ok(outsider, tokenCalls.revokeRole(d.token, FINANCIAL_OPERATOR, noDid.address))
    await ok(deployer, tokenCalls.setDeployer(d.token, owner.address))
    await fails(deployer, tokenCalls.pauseToken(d.token), 'NotDeployer', [deployer.address])
    expect(await hasAdmin(deployer.address)).toBe(false)
    expect(await hasAdmin(owner.address)).toBe(true)
  })

  it('ERC-7943 views never revert, whatever the input', async () => {
    const huge = 2n ** 256n - 1n
    const odd: [Address, Address, bigint][] = [
      [zeroAddress, zeroAddress, 0n],
      [zeroAddress, investorB.address, 1n],
      [investorB.address, zeroAddress, 1n],
      [d.didRegistry, d.token, huge],
      [investorB.address, investorD.address, huge],
      [outsider.address, outsider.address, 0n],
    ]
    for (const [from, to, amount] of odd) expect(await canTransfer(from, to, amount)).toBe(false)
    for (const a of [zeroAddress, d.token, d.didRegistry, outsider.address]) {
      expect(await canSend(a)).toBe(false)
      expect(await canReceive(a)).toBe(false)
      expect(
        await publicClient.readContract({
          address: d.token,
          abi: StvToken.abi,
          functionName: 'canTransact',
          args: [a],
        }),
      ).toBe(false)
    }
    expect(
      await publicClient.readContract({
        address: d.token,
        abi: StvToken.abi,
        functionName: 'canTransact',
        args: [investorB.address],
      }),
    ).toBe(true)
  })

  it('supportsInterface claims ERC-165, ERC-20, ERC-173, AccessControl and ERC-7943 (both drafts)', async () => {
    const xor = (sigs: string[]) =>
      `0x${sigs
        .map((s) => Number.parseInt(toFunctionSelector(s).slice(2), 16) >>> 0)
        .reduce((a, b) => (a ^ b) >>> 0, 0)
        .toString(16)
        .padStart(8, '0')}`
    const erc7943 = [
      'getFrozenTokens(address)',
      'setFrozenTokens(address,uint256)',
      'forcedTransfer(address,address,uint256)',
    ]
    const canTransferSig = 'canTransfer(address,address,uint256)'
    expect(xor(['canSend(address)', 'canReceive(address)', canTransferSig, ...erc7943])).toBe(
      INTERFACE_IDS.erc7943,
    )
    expect(xor(['canTransact(address)', canTransferSig, ...erc7943])).toBe(INTERFACE_IDS.erc7943CanTransact)
    const supports = (id: Hex) =>
      publicClient.readContract({
        address: d.token,
        abi: StvToken.abi,
        functionName: 'supportsInterface',
        args: [id],
      })
    for (const id of Object.values(INTERFACE_IDS)) expect(await supports(id), id).toBe(true)
    expect(await supports('0xffffffff')).toBe(false)
    expect(await supports('0x12345678')).toBe(false)
  })

  it('sendStv3Call refuses a call that would revert, naming the error', async () => {
    // A's wallet was unlinked during recovery, so its sender side now fails HasDIDRule.
    const client = createWalletClient({ chain, account: investorA, transport: http(anvil.rpcUrl) })
    const err = await sendStv3Call(
      { walletClient: client, publicClient },
      tokenCalls.transfer(d.token, noDid.address, 1n),
    ).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'STV3_CALL_REVERTED',
      details: { errorName: 'NotValidDIDOf', args: [investorA.address] },
    })
    // approve does not move balances, so it passes and is sent.
    const receipt = await sendStv3Call(
      { walletClient: client, publicClient },
      tokenCalls.approve(d.token, outsider.address, 1n),
    )
    expect(receipt.status).toBe('success')
  })
})
