// Starting points written by `mpc-node init`: a starter policy that denies everything until the
// operator edits it, and a development policy that allows any well-formed request.
import { stringify } from 'yaml'
import { compilePolicy } from './load.ts'
import type { Policy, PolicyDocument } from './types.ts'

/** Denies every request and ceremony: no rules, no ceremonies. */
export function starterPolicyDocument(): PolicyDocument {
  return {
    version: 1,
    node: { role: 'provider' },
    trustedIssuers: [],
    sanctions: { addresses: [], dids: [] },
    operators: [],
    rules: [],
    ceremonies: {},
  }
}

/** DEVELOPMENT ONLY: allows any request that verifies and every ceremony. */
export function devPolicyDocument(): PolicyDocument {
  return { version: 1, dev: true }
}

export function starterPolicy(): Policy {
  return compilePolicy(starterPolicyDocument())
}

/** `policy.dev === true`: the node must log a loud warning at every start. */
export function devPolicy(): Policy {
  return compilePolicy(devPolicyDocument())
}

const STARTER_HEADER = `# mpc-node policy (starter): denies every request and ceremony until you add rules.
# Reference: node/policy/types.ts. The node reloads this file when it changes and keeps
# the previous version if the new one is invalid.
`
const DEV_HEADER = `# mpc-node policy (DEVELOPMENT): allows ANY well-formed request. Never use in production.
`

/** YAML text for a policy file, with a header comment. */
export function policyYaml(document: PolicyDocument): string {
  return (document.dev === true ? DEV_HEADER : STARTER_HEADER) + stringify(document)
}
