// PolicyStore: the node's current policy, reloaded when the file (or a list it names) changes.
// A new version replaces the old one atomically, and only when it is valid; an invalid edit keeps
// the previous policy and is reported. Without any valid policy, `current()` is undefined and
// evaluation denies everything (fail closed).
import { type FSWatcher, watch } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { NodeError } from '../errors.ts'
import { sha256Hex } from '../identity/canonical.ts'
import { loadPolicyFile } from './load.ts'
import type { Policy } from './types.ts'

export type PolicyStoreInit = {
  path: string
  /** Polling period in ms, a fallback for file systems where fs.watch misses events (default 2000). */
  pollMs?: number
  /** Called after a new valid version is in force. */
  onReload?: (policy: Policy, previous: Policy | undefined) => void
  /** Called when a changed file could not be loaded; the previous policy stays in force. */
  onError?: (error: NodeError) => void
}

export type ReloadOutcome = 'unchanged' | 'reloaded' | 'rejected'

export class PolicyStore {
  readonly #init: PolicyStoreInit
  #policy: Policy | undefined
  #lastError: NodeError | undefined
  #fingerprint = ''
  #watcher: FSWatcher | undefined
  #timer: NodeJS.Timeout | undefined
  #reloading: Promise<ReloadOutcome> | undefined
  #again = false

  constructor(init: PolicyStoreInit) {
    this.#init = init
  }

  /** The policy in force, or undefined (deny all). */
  current(): Policy | undefined {
    return this.#policy
  }

  lastError(): NodeError | undefined {
    return this.#lastError
  }

  /** Loads the file now; later changes are picked up by the watcher and the poller. */
  async start(): Promise<void> {
    await this.reload()
    try {
      this.#watcher = watch(dirname(this.#init.path), { persistent: false }, () => void this.reload())
      this.#watcher.on('error', () => this.#watcher?.close())
    } catch {
      // Polling alone.
    }
    this.#timer = setInterval(() => void this.reload(), this.#init.pollMs ?? 2000)
    this.#timer.unref()
  }

  stop(): void {
    this.#watcher?.close()
    this.#watcher = undefined
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** Re-reads the policy if its files changed. Concurrent calls coalesce. */
  reload(): Promise<ReloadOutcome> {
    if (this.#reloading !== undefined) {
      this.#again = true
      return this.#reloading
    }
    this.#reloading = this.#reloadOnce().finally(() => {
      this.#reloading = undefined
      if (this.#again) {
        this.#again = false
        void this.reload()
      }
    })
    return this.#reloading
  }

  async #reloadOnce(): Promise<ReloadOutcome> {
    const fingerprint = await this.#fingerprintFiles()
    if (fingerprint === this.#fingerprint) return 'unchanged'
    try {
      const next = await loadPolicyFile(this.#init.path)
      const previous = this.#policy
      this.#fingerprint = fingerprint
      this.#lastError = undefined
      if (previous?.hash === next.hash) return 'unchanged'
      this.#policy = next
      this.#init.onReload?.(next, previous)
      return 'reloaded'
    } catch (e) {
      this.#fingerprint = fingerprint
      const err =
        e instanceof NodeError
          ? e
          : new NodeError('POLICY_UNREADABLE', 'Policy could not be loaded', { cause: e })
      this.#lastError = err
      this.#init.onError?.(err)
      return 'rejected'
    }
  }

  // Hash of the policy file and of the list files it named last time: cheap change detection.
  async #fingerprintFiles(): Promise<string> {
    const paths = [this.#init.path, ...this.#listFiles()]
    const parts = await Promise.all(
      paths.map((p) =>
        readFile(p).then(
          (b) => sha256Hex(b),
          () => `missing:${basename(p)}`,
        ),
      ),
    )
    return parts.join(',')
  }

  #listFiles(): string[] {
    const d = this.#policy?.document
    if (d === undefined) return []
    const dir = dirname(this.#init.path)
    const rel = [
      ...(d.sanctions?.addressFiles ?? []),
      ...(d.sanctions?.didFiles ?? []),
      ...(d.revocationFiles ?? []),
    ]
    return rel.map((f) => (f.startsWith('/') ? f : `${dir}/${f}`))
  }
}
