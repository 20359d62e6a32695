// Calls to a node's HTTP API that the demo makes besides signing.
import { callApi } from '../../node/cli/http-client.ts'
import type { EpochView, KeyView } from '../../node/service/types.ts'
import type { NodeProcess } from './processes.ts'

export function createKey(via: NodeProcess, committee: NodeProcess[], threshold: number): Promise<KeyView> {
  return callApi<KeyView>(via.api, 'POST', '/v1/keys', {
    committee: committee.map((n) => n.peerId),
    threshold,
  })
}

export function getKey(via: NodeProcess, keyId: string): Promise<KeyView> {
  return callApi<KeyView>(via.api, 'GET', `/v1/keys/${keyId}`)
}

export function reshare(
  via: NodeProcess,
  keyId: string,
  body: { committee: NodeProcess[]; threshold: number; dealers: NodeProcess[] },
): Promise<EpochView> {
  return callApi<EpochView>(via.api, 'POST', `/v1/keys/${keyId}/reshare`, {
    committee: body.committee.map((n) => n.peerId),
    threshold: body.threshold,
    dealers: body.dealers.map((n) => n.peerId),
  })
}

/** Completed signing ceremonies of a node, from its /metrics. */
export async function signaturesCompleted(n: NodeProcess): Promise<number> {
  const res = await fetch(`${n.api}/metrics`, { signal: AbortSignal.timeout(10_000) })
  const text = await res.text()
  const m = /^mpc_ceremonies_total\{[^}]*kind="sign"[^}]*outcome="completed"[^}]*\} (\d+)$/m.exec(text)
  return m === null ? 0 : Number(m[1])
}
