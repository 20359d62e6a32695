import { expect, it } from 'vitest'
import { randomDidSigner } from '../identity/signer.ts'
import { MemoryReplayStore } from './replay.ts'
import { signRequest } from './request-client.ts'
import { callData, RECIPIENT, TOKEN } from './testkit.ts'
import { verifyRequest } from './verify-request.ts'

it('signRequest produces requests that verify, with fresh jtis', async () => {
  const signer = randomDidSigner('ed25519')
  const nowMs = 1_800_000_000_000
  const content = {
    transaction: {
      chainId: 31337,
      nonce: 0,
      to: TOKEN,
      value: '0',
      data: callData('transfer', [RECIPIENT, 1n]),
      gas: '60000',
      maxFeePerGas: '2',
      maxPriorityFeePerGas: '1',
    },
  }
  const a = signRequest(signer, content, { aud: 'k1', op: 'transfer', nowMs })
  const b = signRequest(
    signer,
    { message: { encoding: 'utf8', value: 'hello' } },
    { aud: 'k1', op: 'sign-message', nowMs },
  )
  const replay = new MemoryReplayStore()
  const ra = await verifyRequest({ request: a }, { nowMs, audience: 'k1', replay })
  const rb = await verifyRequest({ request: b }, { nowMs, audience: 'k1', replay })
  expect(ra.ok && ra.request.call?.functionName).toBe('transfer')
  expect(rb.ok && rb.request.claims.message).toEqual({ encoding: 'utf8', value: 'hello' })
  expect(ra.ok && rb.ok && ra.request.claims.jti !== rb.request.claims.jti).toBe(true)
})
