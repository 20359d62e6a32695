// The submit body: what the API accepts, what it refuses (naming the field), and that a named
// operation encodes to the same calldata as node/chain/stv3.ts.
import { describe, expect, it } from 'vitest'
import { encodeStv3Operation, RECOVERY_OPERATOR, tokenCalls } from '../../chain/stv3.ts'
import { isNodeError } from '../../errors.ts'
import { parseSubmitInput, resolveSubmit } from './input.ts'
import { transferOf } from './stv3-check.ts'

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const REGISTRY = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'

function refusal(body: unknown): { code: string; field: unknown; message: string } {
  try {
    parseSubmitInput(body)
  } catch (e) {
    if (!isNodeError(e)) throw e
    return { code: e.code, field: e.details.field, message: e.message }
  }
  throw new Error('accepted')
}

describe('parseSubmitInput', () => {
  it.each([
    ['no body kind', {}, '(body)'],
    ['both kinds', { transaction: { to: TOKEN }, operation: { op: 'pauseToken' } }, 'operation'],
    ['a message', { message: 'hi' }, 'message'],
    ['a node-filled nonce', { transaction: { to: TOKEN, nonce: 3 } }, 'transaction.nonce'],
    ['node-filled fees', { transaction: { to: TOKEN, maxFeePerGas: '1' } }, 'transaction.maxFeePerGas'],
    ['an unknown field', { transaction: { to: TOKEN, from: ALICE } }, 'transaction.from'],
    ['a bad address', { transaction: { to: '0x1234' } }, 'transaction.to'],
    ['a bad checksum', { transaction: { to: TOKEN.replace('b', 'B') } }, 'transaction.to'],
    ['odd calldata', { transaction: { to: TOKEN, data: '0xabc' } }, 'transaction.data'],
    ['gas below intrinsic', { transaction: { to: TOKEN, gas: '20999' } }, 'transaction.gas'],
    ['a negative value', { transaction: { to: TOKEN, value: '-1' } }, 'transaction.value'],
    ['an unknown operation', { operation: { op: 'mint' }, contracts: { token: TOKEN } }, 'operation.op'],
    [
      'a missing argument',
      { operation: { op: 'transfer', to: ALICE }, contracts: { token: TOKEN } },
      'operation.amount',
    ],
    [
      'a numeric amount',
      { operation: { op: 'transfer', to: ALICE, amount: 5 }, contracts: { token: TOKEN } },
      'operation.amount',
    ],
    ['a token op without the token', { operation: { op: 'pauseToken' }, contracts: {} }, 'contracts.token'],
    [
      'a DID op without the registry',
      { operation: { op: 'blockDID', uDID: 'did:x', reason: 'r' }, contracts: { token: TOKEN } },
      'contracts.didRegistry',
    ],
    [
      'contracts without an operation',
      { transaction: { to: TOKEN }, contracts: { token: TOKEN } },
      'contracts',
    ],
    ['a string skipPreflight', { transaction: { to: TOKEN }, skipPreflight: 'yes' }, 'skipPreflight'],
    [
      'a bad role',
      { operation: { op: 'grantTokenRole', role: 'ADMIN', account: ALICE }, contracts: { token: TOKEN } },
      'operation.role',
    ],
  ])('refuses %s', (_what, body, field) => {
    const r = refusal(body)
    expect(r.code).toBe('API_INVALID_BODY')
    expect(r.field).toBe(field)
    expect(r.message.startsWith(`${field}:`)).toBe(true)
  })

  it('completes a bare call: value and gas optional, chainId checked later', () => {
    const input = parseSubmitInput({
      transaction: { to: TOKEN, data: '0xAB', value: '0x10', chainId: 31337 },
    })
    expect(resolveSubmit(input)).toEqual({ call: { to: TOKEN, data: '0xab', value: 16n }, chainId: 31337 })
  })

  it('encodes named operations exactly as encodeStv3Operation', () => {
    const contracts = { token: TOKEN, didRegistry: REGISTRY } as const
    const cases = [
      [
        { op: 'transfer', to: ALICE, amount: '5' },
        { op: 'transfer', to: ALICE, amount: 5n },
      ],
      [
        { op: 'issue', amount: '1000' },
        { op: 'issue', amount: 1000n },
      ],
      [
        { op: 'transferFromTreasury', to: BOB, amount: '7' },
        { op: 'transferFromTreasury', to: BOB, amount: 7n },
      ],
      [
        { op: 'forcedTransfer', from: ALICE, to: BOB, amount: '9' },
        { op: 'forcedTransfer', from: ALICE, to: BOB, amount: 9n },
      ],
      [{ op: 'pauseToken' }, { op: 'pauseToken' }],
      [{ op: 'unpauseToken' }, { op: 'unpauseToken' }],
      [
        { op: 'grantTokenRole', role: 'RECOVERY_OPERATOR', account: BOB },
        { op: 'grantTokenRole', role: RECOVERY_OPERATOR, account: BOB },
      ],
      [
        { op: 'createDID', uDID: 'did:example:a', wallet: ALICE, validTo: '0' },
        { op: 'createDID', uDID: 'did:example:a', wallet: ALICE, validTo: 0n },
      ],
      [
        { op: 'blockDID', uDID: 'did:example:a', reason: 'sanctions' },
        { op: 'blockDID', uDID: 'did:example:a', reason: 'sanctions' },
      ],
    ] as const
    for (const [json, domain] of cases) {
      const input = parseSubmitInput({ operation: json, contracts })
      const expected = encodeStv3Operation(contracts, domain)
      expect(resolveSubmit(input)).toMatchObject({ call: expected, operation: domain })
    }
  })
})

describe('transferOf', () => {
  it('finds transfer and transferFrom, and nothing else', () => {
    const from = ALICE
    const t = tokenCalls.transfer(TOKEN, BOB, 3n)
    expect(transferOf(from, t)).toEqual({ token: TOKEN, from, to: BOB, amount: 3n })
    const tf = tokenCalls.transferFrom(TOKEN, BOB, ALICE, 4n)
    expect(transferOf(from, tf)).toEqual({ token: TOKEN, from: BOB, to: ALICE, amount: 4n })
    expect(transferOf(from, tokenCalls.forcedTransfer(TOKEN, BOB, ALICE, 1n))).toBeUndefined()
    expect(transferOf(from, { to: TOKEN, data: '0x' })).toBeUndefined()
    expect(transferOf(from, { to: TOKEN, data: '0xdeadbeef' })).toBeUndefined()
  })
})
