// Node homes through the real CLI commands (`mpc-node init`, `mpc-node peers add|remove`), run in
// this process through node/cli/main.ts (the same code as the executable, without a process start
// per command), with the demo's passphrase and the test-only scrypt cost in their environment.
import { randomBytes } from 'node:crypto'
import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Role } from '../../node/config/index.ts'
import { NodeError } from '../../node/errors.ts'
import { compilePolicy, parsePolicyText, policyYaml } from '../../node/policy/index.ts'
import type { PolicyDocument } from '../../node/policy/types.ts'

export type Home = { name: string; role: Role; home: string; peerId: string; did: string; listen: string }

type CliResult = { code: number; out: string; err: string }

/** `mpc-node <args>` in this process; throws with the command's output unless it exits 0. */
export async function mpcNode(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const { main } = await import('../../node/cli/main.ts')
  let out = ''
  let err = ''
  const code = await main(args, {
    out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`),
    env,
  })
  if (code !== 0) {
    throw new NodeError('DEMO_CLI_FAILED', `mpc-node ${args[0]} ${args[1] ?? ''} exited ${code}`, {
      details: { args, stdout: out.trim(), stderr: err.trim() },
    })
  }
  return { code, out, err }
}

export async function initHome(
  root: string,
  spec: { name: string; role: Role; rpcUrl: string; chainId: number },
  env: Record<string, string | undefined>,
): Promise<Home> {
  const home = join(root, spec.name)
  const { out } = await mpcNode(
    [
      'init',
      ...['--home', home, '--name', spec.name, '--role', spec.role],
      ...['--rpc-url', spec.rpcUrl, '--chain-id', String(spec.chainId), '--json'],
    ],
    env,
  )
  const v = JSON.parse(out) as { peerId: string; did: string; listen: string }
  return { name: spec.name, role: spec.role, home, peerId: v.peerId, did: v.did, listen: v.listen }
}

export async function addPeer(
  home: Home,
  peer: Home,
  env: Record<string, string | undefined>,
): Promise<void> {
  await mpcNode(
    [
      'peers',
      'add',
      ...['--home', home.home, '--peer-id', peer.peerId, '--addr', peer.listen],
      ...['--name', peer.name, '--role', peer.role],
    ],
    env,
  )
}

export async function removePeer(
  home: Home,
  peerId: string,
  env: Record<string, string | undefined>,
): Promise<void> {
  await mpcNode(['peers', 'remove', '--home', home.home, '--peer-id', peerId], env)
}

/**
 * Writes the home's policy file (the name `init` gave it) atomically, so that a running node, which
 * hot-reloads it, never reads half a file. Returns the hash the node will announce for it.
 */
export async function writePolicy(home: Home, doc: PolicyDocument): Promise<string> {
  const text = policyYaml(doc)
  const tmp = join(home.home, `.policy.${randomBytes(6).toString('hex')}.tmp`)
  await writeFile(tmp, text, { mode: 0o600 })
  await rename(tmp, join(home.home, 'policy.yaml'))
  return compilePolicy(parsePolicyText(text)).hash
}
