import { type AbiFunction, toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import * as gen from '../../contracts/gen/index.ts'
import { parseRequestClaims } from './request.ts'
import { decodeStv3Call, movementsOf, STV3_ABI } from './stv3-calls.ts'
import { callData, RECIPIENT, TOKEN } from './testkit.ts'

describe('STV3 call decoding', () => {
  it('knows only selectors that the project contracts implement', () => {
    const implemented = new Set<string>()
    for (const mod of Object.values(gen)) {
      for (const item of (mod as { abi: readonly { type: string }[] }).abi) {
        if (item.type === 'function') implemented.add(toFunctionSelector(item as AbiFunction))
      }
    }
    const missing = STV3_ABI.filter(
      (f) => f.type === 'function' && !implemented.has(toFunctionSelector(f)),
    ).map((f) => (f as AbiFunction).name)
    expect(missing).toEqual([])
  })

  it('decodes named, JSON-safe arguments and derives the token movement', () => {
    const data = callData('forcedTransfer', [RECIPIENT, TOKEN, 123n])
    const call = decodeStv3Call(TOKEN, data)
    expect(call).toEqual({
      contract: TOKEN,
      functionName: 'forcedTransfer',
      args: { from: RECIPIENT, to: TOKEN, amount: '123' },
    })
    const claims = parseRequestClaims({
      iss: 'did:key:z6Mkx',
      aud: 'k',
      iat: 1,
      exp: 2,
      jti: 'jti-12345',
      op: 'forced-transfer',
      transaction: {
        chainId: 1,
        nonce: 0,
        to: TOKEN,
        value: '7',
        data,
        gas: '1',
        maxFeePerGas: '1',
        maxPriorityFeePerGas: '1',
      },
    })
    if (!claims.ok) throw new Error(claims.message)
    expect(movementsOf(claims.claims, call)).toEqual([
      { token: 'native', amount: 7n },
      { token: TOKEN, amount: 123n, to: TOKEN, from: RECIPIENT, functionName: 'forcedTransfer' },
    ])
    expect(decodeStv3Call(TOKEN, '0x12345678')).toBeUndefined()
  })
})
