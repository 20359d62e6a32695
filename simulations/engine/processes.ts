// The `processes` engine: one OS process per node (node/service/node.ts `startNode`), real libp2p
// between them, faults injected at the transport. Not part of this build: it needs a fault-injecting
// transport in node/network and a way to drive ceremonies from outside the nodes. An implementation
// returns the same SimRecord as the in-process engine, so reports and invariants apply unchanged.

import type { SimConfig } from '../config.ts'
import { SimErrorCodes, SimulationError } from '../errors.ts'
import type { EngineHooks, SimRecord, SimulationEngine } from './types.ts'

export const processesEngine: SimulationEngine = {
  name: 'processes',
  async run(_config: SimConfig, _hooks?: EngineHooks): Promise<SimRecord> {
    throw new SimulationError(
      SimErrorCodes.ENGINE_UNAVAILABLE,
      'the processes engine is not available in this build',
      {
        hints: ['use --engine inprocess (every node in one process, the same faults and invariants)'],
      },
    )
  },
}
