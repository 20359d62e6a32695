// Errors of the simulator's boundary (flags, fault specs, engines), NodeErrors with stable codes.

import { NodeError, type NodeErrorOptions } from '../node/errors.ts'

export const SimErrorCodes = {
  /** A flag or its value is wrong: exit code 2. */
  USAGE: 'SIM_USAGE',
  /** The --faults grammar was not followed: exit code 2. */
  FAULT_SPEC: 'SIM_FAULT_SPEC',
  /** The chosen engine is not part of this build: exit code 2. */
  ENGINE_UNAVAILABLE: 'SIM_ENGINE_UNAVAILABLE',
} as const

export type SimErrorCode = (typeof SimErrorCodes)[keyof typeof SimErrorCodes]

export class SimulationError extends NodeError {
  override name = 'SimulationError'
  declare readonly code: SimErrorCode
  constructor(code: SimErrorCode, message: string, options: NodeErrorOptions = {}) {
    super(code, message, { status: 400, ...options })
  }
}

export const usage = (message: string, hints: string[] = []): SimulationError =>
  new SimulationError(SimErrorCodes.USAGE, message, { hints })
