import { type Address, encodeErrorResult, getAddress, type Hex, toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import { HasAttributeRule, HasDIDRule, StvToken } from '../../contracts/gen/index.ts'
import { isNodeError } from '../errors.ts'
import {
  decodeStv3Call,
  decodeStv3Error,
  decodeStv3Transaction,
  didCalls,
  encodeStv3Operation,
  FINANCIAL_OPERATOR,
  INTERFACE_IDS,
  RECOVERY_OPERATOR,
  type Stv3Call,
  type Stv3Operation,
  stv3SetupCalls,
  tokenCalls,
  WRITER_ROLE,
} from './stv3.ts'

const token: Address = '0x1000000000000000000000000000000000000001'
const registry: Address = '0x2000000000000000000000000000000000000002'
const alice = getAddress('0x00000000000000000000000000000000000000a1')
const bob = getAddress('0x00000000000000000000000000000000000000b0')
const uDID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

const cases: [string, Stv3Call, string, readonly unknown[], string[]][] = [
  ['issue', tokenCalls.issue(token, 1000n), 'issue', [1000n], ['StvToken']],
  ['redeem', tokenCalls.redeem(token, 5n), 'redeem', [5n], ['StvToken']],
  [
    'transferFromTreasury',
    tokenCalls.transferFromTreasury(token, alice, 100n),
    'transferFromTreasury',
    [alice, 100n],
    ['StvToken'],
  ],
  ['transfer', tokenCalls.transfer(token, bob, 10n), 'transfer', [bob, 10n], ['StvToken']],
  [
    'forcedTransfer',
    tokenCalls.forcedTransfer(token, alice, bob, 7n),
    'forcedTransfer',
    [alice, bob, 7n],
    ['StvToken'],
  ],
  ['pauseToken', tokenCalls.pauseToken(token), 'pauseToken', [], ['StvToken']],
  ['unpauseToken', tokenCalls.unpauseToken(token), 'unpauseToken', [], ['StvToken']],
  [
    'grantRole on token',
    tokenCalls.grantRole(token, FINANCIAL_OPERATOR, alice),
    'grantRole',
    [FINANCIAL_OPERATOR, alice],
    ['StvToken', 'StvDID'],
  ],
  [
    'createDID',
    didCalls.createDID(registry, uDID, alice, 0n, false),
    'createDID',
    [uDID, alice, 0n, false],
    ['StvDID'],
  ],
  ['linkWallet', didCalls.linkWallet(registry, alice, bob), 'linkAddressToDID', [alice, bob], ['StvDID']],
  [
    'setAttribute',
    didCalls.setAttribute(registry, {
      wallet: alice,
      name: 'KYC',
      value: '0xabcd',
      valueType: 'bytes32',
      validTo: 9n,
    }),
    'addOrUpdateAttributes',
    [
      [
        {
          walletAddress: alice,
          attributeName: 'KYC',
          value: '0xabcd',
          valueType: 'bytes32',
          validToData: 9n,
        },
      ],
    ],
    ['StvDID'],
  ],
  ['blockDID', didCalls.blockDID(registry, uDID, 'sanctions'), 'blockDID', [uDID, 'sanctions'], ['StvDID']],
  ['unblockDID', didCalls.unblockDID(registry, uDID, 'cleared'), 'unBlockDID', [uDID, 'cleared'], ['StvDID']],
]

describe('STV3 calldata builders and decodeStv3Call', () => {
  it.each(cases)('%s round-trips', (_label, call, functionName, args, contracts) => {
    expect(call.to).toBe(contracts[0] === 'StvDID' ? registry : token)
    const decoded = decodeStv3Call(call.data)
    expect(decoded.functionName).toBe(functionName)
    expect(decoded.args ?? []).toEqual(args)
    expect(decoded.contracts).toEqual(contracts)
    expect(decoded.selector).toBe(call.data.slice(0, 10))
  })

  it('uses the STV3 role ids (keccak256 of the role name)', () => {
    expect(FINANCIAL_OPERATOR).toBe('0x380052dcacbf98670561fab5167ccbb0a3c20800cbad98cd12445db77d0ca52c')
    expect(RECOVERY_OPERATOR).toBe('0xaf0b6a8b12e89a78422bc5cc5e9a0296640bc2e298eee039966077331aec863f')
    expect(WRITER_ROLE).toBe('0x2b8f168f361ac1393a163ed4adfa899a87be7b7c71645167bdaddd822ae453c8')
  })

  it('lists the Deployer setup in STV3 order', () => {
    const calls = stv3SetupCalls({
      token,
      treasury: bob,
      didRegistry: registry,
      hasDIDRule: alice,
      attributeRules: { KYC: registry },
    })
    expect(calls.map((c) => decodeStv3Call(c.data).functionName)).toEqual([
      'setTreasury',
      'trust',
      'linkRule',
      'linkRule',
    ])
  })

  it('rejects calldata that is not an STV3 call', () => {
    for (const data of ['0x', '0x1234', '0xdeadbeef00'] as Hex[]) {
      expect(() => decodeStv3Call(data)).toThrow(expect.objectContaining({ code: 'STV3_UNKNOWN_CALL' }))
    }
  })

  it('rejects a known selector with garbled arguments', () => {
    const selector = toFunctionSelector('transfer(address,uint256)')
    expect(() => decodeStv3Call(`${selector}00`)).toThrow(
      expect.objectContaining({ code: 'STV3_UNKNOWN_CALL' }),
    )
  })
})

describe('decodeStv3Transaction', () => {
  const deployment = { token, didRegistry: registry }
  it('tells which contract a shared selector (grantRole) is aimed at', () => {
    const onToken = decodeStv3Transaction(deployment, tokenCalls.grantRole(token, FINANCIAL_OPERATOR, alice))
    const onRegistry = decodeStv3Transaction(deployment, didCalls.grantRole(registry, WRITER_ROLE, alice))
    expect([onToken.contract, onToken.functionName]).toEqual(['StvToken', 'grantRole'])
    expect([onRegistry.contract, onRegistry.functionName]).toEqual(['StvDID', 'grantRole'])
  })

  it('rejects a call sent to the wrong contract or to an unknown address', () => {
    const issue = tokenCalls.issue(token, 1n)
    expect(() => decodeStv3Transaction(deployment, { to: registry, data: issue.data })).toThrow(
      expect.objectContaining({ code: 'STV3_UNKNOWN_CALL' }),
    )
    expect(() => decodeStv3Transaction(deployment, { to: bob, data: issue.data })).toThrow(
      expect.objectContaining({ code: 'STV3_UNKNOWN_TARGET' }),
    )
    expect(decodeStv3Transaction(deployment, issue)).toMatchObject({ contract: 'StvToken', args: [1n] })
  })
})

describe('encodeStv3Operation', () => {
  const ops: [Stv3Operation, string, Hex][] = [
    [{ op: 'issue', amount: 1n }, 'issue', token],
    [{ op: 'redeem', amount: 1n }, 'redeem', token],
    [{ op: 'transferFromTreasury', to: alice, amount: 1n }, 'transferFromTreasury', token],
    [{ op: 'transfer', to: alice, amount: 1n }, 'transfer', token],
    [{ op: 'forcedTransfer', from: alice, to: bob, amount: 1n }, 'forcedTransfer', token],
    [{ op: 'setFrozenTokens', account: alice, amount: 1n }, 'setFrozenTokens', token],
    [{ op: 'pauseToken' }, 'pauseToken', token],
    [{ op: 'unpauseToken' }, 'unpauseToken', token],
    [{ op: 'grantTokenRole', role: FINANCIAL_OPERATOR, account: alice }, 'grantRole', token],
    [{ op: 'revokeTokenRole', role: FINANCIAL_OPERATOR, account: alice }, 'revokeRole', token],
    [{ op: 'createDID', uDID, wallet: alice }, 'createDID', registry],
    [{ op: 'linkWallet', existingWallet: alice, newWallet: bob }, 'linkAddressToDID', registry],
    [{ op: 'removeLinkedAddress', wallet: alice }, 'removeLinkedAddress', registry],
    [
      { op: 'setAttribute', attribute: { wallet: alice, name: 'KYC', value: '0x01', valueType: 'bool' } },
      'addOrUpdateAttributes',
      registry,
    ],
    [{ op: 'prolongateDID', uDID, validTo: 5n }, 'prolongateDID', registry],
    [{ op: 'blockDID', uDID, reason: 'r' }, 'blockDID', registry],
    [{ op: 'unblockDID', uDID, reason: 'r' }, 'unBlockDID', registry],
  ]
  it.each(ops)('%o targets the right contract and function', (operation, functionName, to) => {
    const call = encodeStv3Operation({ token, didRegistry: registry }, operation)
    expect(call.to).toBe(to)
    expect(decodeStv3Call(call.data).functionName).toBe(functionName)
  })
})

describe('decodeStv3Error', () => {
  it('names HasDIDRule.NotValidDIDOf with its account', () => {
    const data = encodeErrorResult({ abi: HasDIDRule.abi, errorName: 'NotValidDIDOf', args: [bob] })
    expect(decodeStv3Error(data)).toMatchObject({ errorName: 'NotValidDIDOf', args: [bob] })
  })

  it('names token, attribute-rule, ERC-7943 and OpenZeppelin errors', () => {
    const cases: [Hex, string][] = [
      [
        encodeErrorResult({ abi: StvToken.abi, errorName: 'FundsTransferProhibited' }),
        'FundsTransferProhibited',
      ],
      [encodeErrorResult({ abi: StvToken.abi, errorName: 'NotDeployer', args: [alice] }), 'NotDeployer'],
      [
        encodeErrorResult({
          abi: HasAttributeRule.abi,
          errorName: 'NotValidAttributeOf',
          args: [alice, 'KYC'],
        }),
        'NotValidAttributeOf',
      ],
      [
        encodeErrorResult({
          abi: StvToken.abi,
          errorName: 'ERC7943InsufficientUnfrozenBalance',
          args: [alice, 5n, 1n],
        }),
        'ERC7943InsufficientUnfrozenBalance',
      ],
      [
        encodeErrorResult({
          abi: StvToken.abi,
          errorName: 'AccessControlUnauthorizedAccount',
          args: [alice, RECOVERY_OPERATOR],
        }),
        'AccessControlUnauthorizedAccount',
      ],
    ]
    for (const [data, name] of cases) expect(decodeStv3Error(data).errorName).toBe(name)
  })

  it('decodes Error(string) and distinguishes empty and unknown reverts', () => {
    const reason = encodeErrorResult({
      abi: [{ type: 'error', name: 'Error', inputs: [{ type: 'string', name: 'message' }] }],
      errorName: 'Error',
      args: ['boom'],
    })
    expect(decodeStv3Error(reason)).toMatchObject({ errorName: 'Error', args: ['boom'] })
    const empty = (() => {
      try {
        decodeStv3Error('0x')
      } catch (e) {
        return e
      }
    })()
    expect(isNodeError(empty, 'STV3_EMPTY_REVERT')).toBe(true)
    expect(() => decodeStv3Error('0xdeadbeef')).toThrow(
      expect.objectContaining({ code: 'STV3_UNKNOWN_ERROR' }),
    )
  })

  it('exposes the ERC-165 ids', () => {
    expect(INTERFACE_IDS.erc7943).toBe('0x3edbb4c4')
  })
})
