// `npx tsx simulations/mutants.ts` — removes each MUST check of the protocol in turn (in a scratch
// git worktree) and runs the malicious-party table: every mutant must be killed, i.e. make at least
// one test fail. Prints one line per mutant and exits 1 if any survives. A script, not a test (slow).

import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

type Mutant = { name: string; file: string; find: string; replace: string }

const M: Mutant[] = [
  {
    name: 'COTe consistency check',
    file: 'protocol/ot/cote.ts',
    find: '  if (diff !== 0) {',
    replace: '  if (diff !== 0 && false) {',
  },
  {
    name: 'RVOLE μ check',
    file: 'protocol/ot/rvole.ts',
    find: '  if (!ok) throw banError(',
    replace: '  if (!ok && false) throw banError(',
  },
  {
    name: 'Γ^u check',
    file: 'protocol/sign/party.ts',
    find: 'if (!gammaHolds(r.R, bob.b, r.gammaU, d1))',
    replace: 'if (false && !gammaHolds(r.R, bob.b, r.gammaU, d1))',
  },
  {
    name: 'Γ^v check',
    file: 'protocol/sign/party.ts',
    find: 'if (!gammaHolds(r.pk, bob.b, r.gammaV, d2))',
    replace: 'if (false && !gammaHolds(r.pk, bob.b, r.gammaV, d2))',
  },
  {
    name: 'nonce decommitment',
    file: 'protocol/sign/party.ts',
    find: 'if (!ctEqual(com, this.coms.get(j)!))',
    replace: 'if (false && !ctEqual(com, this.coms.get(j)!))',
  },
  {
    name: 'Σ pk = PK',
    file: 'protocol/sign/party.ts',
    find: 'if (!pkSum || !ctEqual(pkSum, this.derivedPk))',
    replace: 'if (!pkSum)',
  },
  {
    name: 'final signature verification',
    file: 'protocol/sign/party.ts',
    find: 'if (s === 0n || !ecdsaVerify(digest, rx, s, publicKey))',
    replace: 'if (s === 0n)',
  },
  {
    name: 'session id in headers',
    file: 'protocol/codec.ts',
    find: '    if (d !== 0) throw invalidMessage(ErrorCodes.SESSION_MISMATCH',
    replace: '    if (d !== 0 && false) throw invalidMessage(ErrorCodes.SESSION_MISMATCH',
  },
  {
    name: 'coefficient count',
    file: 'protocol/dkg/party.ts',
    find: 'if (r.coefficients.length !== this.t)',
    replace: 'if (false)',
  },
  {
    name: 'proof count',
    file: 'protocol/dkg/party.ts',
    find: 'if (r.proofs.length !== this.t)',
    replace: 'if (false)',
  },
  {
    name: 'commitment opening',
    file: 'protocol/dkg/party.ts',
    find: 'if (!ctEqual(com, this.r1.get(j)!.commitment))',
    replace: 'if (false)',
  },
  {
    name: 'coefficient proofs',
    file: 'protocol/dkg/party.ts',
    find: 'if (!schnorr.verify(pokCtx(this.dkgSid, j, k), r.coefficients[k]!, r.proofs[k]!))',
    replace: 'if (false)',
  },
  {
    name: 'Feldman check',
    file: 'protocol/dkg/party.ts',
    find: 'if (r.share === 0n || expected.is0() || !G.multiply(r.share).equals(expected))',
    replace: 'if (false)',
  },
  {
    name: 'DKG echo',
    file: 'protocol/dkg/party.ts',
    find: 'if (!ctEqual(r.echo, echo))',
    replace: 'if (false)',
  },
  {
    name: 'PPRF proof',
    file: 'protocol/ot/pprf.ts',
    find: '  if (!ok) throw abortError(ErrorCodes.PPRF_CHECK',
    replace: '  if (!ok && false) throw abortError(ErrorCodes.PPRF_CHECK',
  },
  {
    name: 'base-OT sender proof',
    file: 'protocol/ot/base-ot.ts',
    find: 'if (!schnorr.verify(hash(POK, [sid]), B, senderMsg.subarray(33)))',
    replace: 'if (false)',
  },
  {
    name: 'DKG public key agreement',
    file: 'protocol/dkg/party.ts',
    find: 'if (!ctEqual(r.publicKey, pk))',
    replace: 'if (false)',
  },
  {
    name: 'DKG final proof',
    file: 'protocol/dkg/party.ts',
    find: 'if (!schnorr.verify(ctx, r.publicShare, r.proof))',
    replace: 'if (false)',
  },
  {
    name: 'banned party in signer set',
    file: 'protocol/sign/session.ts',
    find: '    if (share.banned.has(j))',
    replace: '    if (false)',
  },
  {
    name: 'signer set ≥ t',
    file: 'protocol/sign/session.ts',
    find: '  if (sorted.length < share.t)',
    replace: '  if (false)',
  },
  {
    name: 'duplicate signer',
    file: 'protocol/sign/session.ts',
    find: '    if (sorted[k] === sorted[k - 1])',
    replace: '    if (false)',
  },
]

const root = resolve(import.meta.dirname, '..')
const work = mkdtempSync(join(tmpdir(), 'mutants-'))
execFileSync('git', ['worktree', 'add', '--detach', work, 'HEAD'], { cwd: root, stdio: 'ignore' })
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'))
let survived = 0
try {
  for (const m of M) {
    const path = join(work, m.file)
    const original = readFileSync(path, 'utf8')
    if (!original.includes(m.find)) {
      console.log(`?  ${m.name}: pattern not found in ${m.file} (update this script)`)
      survived++
      continue
    }
    writeFileSync(path, original.replace(m.find, m.replace))
    const r = spawnSync('npx', ['vitest', 'run', 'test/adversarial/protocol-table.test.ts'], {
      cwd: work,
      encoding: 'utf8',
    })
    writeFileSync(path, original)
    const killed = r.status !== 0
    if (!killed) survived++
    console.log(`${killed ? 'killed  ' : 'SURVIVED'}  ${m.name}`)
  }
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', work], { cwd: root, stdio: 'ignore' })
  rmSync(work, { recursive: true, force: true })
}
console.log(`${M.length - survived} of ${M.length} mutants killed`)
process.exit(survived === 0 ? 0 : 1)
