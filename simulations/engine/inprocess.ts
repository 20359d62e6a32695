// The in-process engine: every node in this process, every message through the real codecs as bytes,
// a seeded event scheduler in simulated time (scheduler.ts, network.ts, cluster.ts).

import type { SimConfig } from '../config.ts'
import { seededRng } from '../seeded-rng.ts'
import { runDkgPhase } from './dkg-phase.ts'
import { runSignPhase } from './sign-phase.ts'
import type { EngineHooks, SimRecord, SimulationEngine } from './types.ts'

export const inprocessEngine: SimulationEngine = {
  name: 'inprocess',
  async run(config: SimConfig, hooks: EngineHooks = {}): Promise<SimRecord> {
    const wall0 = performance.now()
    const root = seededRng(config.seed)
    const dkg = runDkgPhase(config, root, hooks.progress)
    const sign = runSignPhase(config, root, dkg, hooks.progress)
    const { checks } = sign
    return {
      config,
      dkg: dkg.record,
      sign: sign.phase,
      jobs: sign.jobs,
      faults: sign.faults,
      checks: {
        signaturesVerified: checks.signaturesVerified,
        signaturesInvalid: checks.signaturesInvalid,
        maliciousActs: checks.acts,
        actsProcessed: checks.actsProcessed,
        actsDetected: checks.actsDetected,
        violations: checks.violations,
        bans: sign.bans,
        malicious: sign.malicious,
      },
      wallMs: performance.now() - wall0,
    }
  },
}
