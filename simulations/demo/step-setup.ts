// Step 1: the chain and the nodes. Anvil from npm on loopback; the STV3 set deployed by an anvil
// dev account; four node homes made with `mpc-node init` / `mpc-node peers add` (the issuer's own
// co-signer, and the investor wallet's provider, device and recovery nodes), their policies, and
// the node processes; then the issuer's operator key, a 2-of-3 MPC key of the issuer node, the
// provider and the recovery node (a backup share), named FINANCIAL_OPERATOR of the token by its
// Owner. Its routine operations are co-signed by the issuer node and the provider: a device signs
// only its investor's requests and a recovery node no routine operation, hence the fourth process.
import { join } from 'node:path'
import type { Address } from 'viem'
import { short } from './actors.ts'
import { createKey } from './api.ts'
import { CHAIN_ID, deploy, fund, grantFinancialOperator } from './chain.ts'
import { addPeer, type Home, initHome, writePolicy } from './homes.ts'
import { policyFor } from './policies.ts'
import { NodeProcess } from './processes.ts'
import { home, KIND, type NodeName, node, type Story } from './story.ts'

/** Who each node allowlists: the committees it will be part of. */
const PEERS: Record<'issuer' | 'provider' | 'device' | 'recovery', NodeName[]> = {
  issuer: ['provider', 'recovery'],
  provider: ['issuer', 'device', 'recovery'],
  device: ['provider', 'recovery'],
  recovery: ['issuer', 'provider', 'device'],
}

export function policyFacts(s: Story) {
  return {
    actors: s.actors,
    token: s.chain.stv3?.token ?? '0x0000000000000000000000000000000000000000',
    chainId: CHAIN_ID,
    ...(s.issuerKey === undefined ? {} : { issuerKeyId: s.issuerKey.keyId }),
    ...(s.wallet === undefined ? {} : { walletKeyId: s.wallet.keyId }),
  }
}

/** Rewrites the policies of `names` from what exists now and waits until running nodes reload them. */
export async function applyPolicies(s: Story, names: NodeName[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const n = s.nodes[name]
      const hash = await writePolicy(home(s, name), policyFor(KIND[name], policyFacts(s)))
      if (n?.running) await n.policyInForce(hash)
    }),
  )
}

export function startNode(s: Story, name: NodeName): Promise<NodeProcess> {
  const n = new NodeProcess(
    name,
    home(s, name).home,
    s.env,
    (pid) => s.pids.push(pid),
    join(s.root, 'logs', `${name}.log`),
  )
  s.nodes[name] = n
  return n.start().then(() => n)
}

export async function stepSetup(s: Story): Promise<void> {
  const { narr } = s
  const names = Object.keys(PEERS) as (keyof typeof PEERS)[]
  await Promise.all([
    narr.op(
      'deploy the STV3 set (DID registry, HasDIDRule, token, treasury) from an anvil dev account',
      () => deploy(s.chain),
      (d) => ({ detail: `token ${d.token}, registry ${d.didRegistry}` }),
    ),
    narr.op(
      `mpc-node init ×${names.length} and peers add (issuer, provider, device, recovery)`,
      async () => {
        for (const name of names) {
          const role = KIND[name] === 'issuer' ? 'provider' : (KIND[name] as Home['role'])
          s.homes[name] = await initHome(
            s.root,
            { name, role, rpcUrl: s.chain.anvil.rpcUrl, chainId: CHAIN_ID },
            s.env,
          )
        }
        for (const name of names) for (const p of PEERS[name]) await addPeer(home(s, name), home(s, p), s.env)
      },
      () => ({ detail: `homes in ${s.root}` }),
    ),
  ])
  await narr.op('write each node policy (roles, KYC issuer, sanctions list, compliance officers)', () =>
    applyPolicies(s, names),
  )
  await narr.op(
    `start ${names.length} node processes (mpc-node start)`,
    () => Promise.all(names.map((name) => startNode(s, name))),
    (nodes) => ({ detail: nodes.map((n) => `${n.name} pid ${n.pid}`).join(', ') }),
    { slow: true },
  )
  const roles: Record<(typeof names)[number], string> = {
    issuer: "the issuer's own co-signer (role provider)",
    provider: 'the custody provider: co-signs issuer operations and investor transfers',
    device: "the investor's device: co-signs only its investor's requests",
    recovery: 'the recovery node: holds a backup share, joins key ceremonies, never routine signing',
  }
  for (const name of names) narr.note(`${name.padEnd(9)} ${short(node(s, name).peerId, 16)}  ${roles[name]}`)
  s.issuerKey = await narr.op(
    "DKG: the issuer's operator key, 2-of-3 (issuer node + provider + recovery as backup)",
    () => createKey(node(s, 'issuer'), [node(s, 'issuer'), node(s, 'provider'), node(s, 'recovery')], 2),
    (k) => ({ detail: `key ${short(k.keyId, 8, 0)} address ${k.address}` }),
    { slow: true },
  )
  await narr.op('bind the issuer rules to the new key id (policies hot-reloaded)', () =>
    applyPolicies(s, ['issuer', 'provider']),
  )
  const issuer = s.issuerKey.address as Address
  await narr.op(
    'the Owner grants FINANCIAL_OPERATOR to the MPC key; gas money for it',
    async () => {
      const r = await grantFinancialOperator(s.chain, issuer)
      await fund(s.chain, issuer, '1')
      return r
    },
    (r) => ({ detail: `grantRole ${r.transactionHash}` }),
  )
}
