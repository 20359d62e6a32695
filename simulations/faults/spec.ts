// The --faults grammar (simulations/README.md "Faults"): comma-separated items, each `kind:args`.
//
//   drop:P                       each delivery is lost with probability P
//   delay:DUR[@P]                a delivery (all, or a fraction P) is held up to DUR longer (uniform)
//   reorder:P                    a delivery leaves its link's FIFO order (held up to 2× the base latency)
//   duplicate:P                  a delivery arrives twice
//   partition:N[+N…]@signA-B     the nodes are cut off from the others while signatures A..B run
//   crash:N@roundR[/signK][~DUR] node N crashes on reaching signing round R (in signature K's session,
//                                default its first), restarts after DUR (default 1s) from its stored share
//   malicious:N=CLASS            node N rewrites its signing messages (classes in malicious.ts)
//
// DUR is a number with ms or s (bare numbers are milliseconds); P is in [0, 1].

import { SimErrorCodes, SimulationError } from '../errors.ts'
import { CLASS_ALIASES, MALICIOUS_CLASSES, type MaliciousClass } from './malicious.ts'

export type Partition = { spec: string; nodes: number[]; from: number; to: number }
export type Crash = { spec: string; node: number; round: number; sign?: number; downMs: number }
export type Malicious = { spec: string; node: number; cls: MaliciousClass }

export type FaultPlan = {
  /** The items as written, normalized, in order. */
  items: { kind: FaultKind; spec: string }[]
  drop: number
  delay: { maxMs: number; p: number } | null
  reorder: number
  duplicate: number
  partitions: Partition[]
  crashes: Crash[]
  malicious: Malicious[]
}

export const FAULT_KINDS = [
  'drop',
  'delay',
  'reorder',
  'duplicate',
  'partition',
  'crash',
  'malicious',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export const NO_FAULTS: FaultPlan = {
  items: [],
  drop: 0,
  delay: null,
  reorder: 0,
  duplicate: 0,
  partitions: [],
  crashes: [],
  malicious: [],
}

const bad = (item: string, why: string) =>
  new SimulationError(SimErrorCodes.FAULT_SPEC, `--faults: "${item}": ${why}`, {
    hints: [
      'grammar: drop:P, delay:DUR[@P], reorder:P, duplicate:P, partition:N[+N]@signA-B,',
      '         crash:N@roundR[/signK][~DUR], malicious:N=CLASS (see simulations/README.md)',
    ],
  })

export function parseDuration(text: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim())
  if (!m)
    throw new SimulationError(SimErrorCodes.USAGE, `${what}: "${text}" is not a duration like 50ms or 2s`)
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1)
}

function probability(item: string, text: string): number {
  const p = Number(text)
  if (text.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1)
    throw bad(item, `"${text}" is not in [0, 1]`)
  return p
}

function nodeIndex(item: string, text: string, n: number): number {
  const i = Number(text)
  if (!Number.isInteger(i) || i < 1 || i > n) throw bad(item, `node "${text}" is not in 1..${n}`)
  return i
}

/** Parse a fault spec for a cluster of n nodes running k signatures. */
export function parseFaults(spec: string, n: number, k: number): FaultPlan {
  const plan: FaultPlan = { ...NO_FAULTS, items: [], partitions: [], crashes: [], malicious: [] }
  const seen = new Set<string>()
  for (const raw of spec.split(',')) {
    const item = raw.trim()
    if (item === '') continue
    const colon = item.indexOf(':')
    if (colon < 0) throw bad(item, 'expected kind:args')
    const kind = item.slice(0, colon) as FaultKind
    const args = item.slice(colon + 1)
    if (!FAULT_KINDS.includes(kind))
      throw bad(item, `unknown fault kind "${kind}" (${FAULT_KINDS.join(', ')})`)
    const once = (k2: string) => {
      if (seen.has(k2)) throw bad(item, `${k2} given twice`)
      seen.add(k2)
    }
    switch (kind) {
      case 'drop':
      case 'reorder':
      case 'duplicate':
        once(kind)
        plan[kind] = probability(item, args)
        break
      case 'delay': {
        once(kind)
        const [dur, p] = args.split('@')
        plan.delay = { maxMs: duration(item, dur!), p: p === undefined ? 1 : probability(item, p) }
        break
      }
      case 'partition': {
        const m = /^(\d+(?:\+\d+)*)@sign(\d+)-(\d+)$/.exec(args)
        if (!m) throw bad(item, 'expected partition:N[+N…]@signA-B')
        const nodes = [...new Set(m[1]!.split('+').map((x) => nodeIndex(item, x, n)))].sort((a, b) => a - b)
        const from = Number(m[2])
        const to = Number(m[3])
        if (from < 1 || to < from || to > k)
          throw bad(item, `signature span ${from}-${to} is not within 1..${k}`)
        if (nodes.length >= n) throw bad(item, 'a partition must leave some node on the other side')
        plan.partitions.push({ spec: item, nodes, from, to })
        break
      }
      case 'crash': {
        const m = /^(\d+)@round(\d+)(?:\/sign(\d+))?(?:~([\d.]+(?:ms|s)?))?$/.exec(args)
        if (!m) throw bad(item, 'expected crash:N@roundR[/signK][~DUR]')
        const round = Number(m[2])
        if (round < 1 || round > 4) throw bad(item, 'signing has rounds 1..4')
        const sign = m[3] === undefined ? undefined : Number(m[3])
        if (sign !== undefined && (sign < 1 || sign > k))
          throw bad(item, `signature ${sign} is not in 1..${k}`)
        plan.crashes.push({
          spec: item,
          node: nodeIndex(item, m[1]!, n),
          round,
          sign,
          downMs: m[4] === undefined ? 1000 : duration(item, m[4]),
        })
        break
      }
      case 'malicious': {
        const m = /^(\d+)=([a-z-]+)$/.exec(args)
        if (!m) throw bad(item, 'expected malicious:N=CLASS')
        const name = m[2]!
        const cls = CLASS_ALIASES[name] ?? (MALICIOUS_CLASSES as readonly string[]).find((c) => c === name)
        if (!cls) throw bad(item, `unknown class "${name}" (${MALICIOUS_CLASSES.join(', ')})`)
        const node = nodeIndex(item, m[1]!, n)
        if (plan.malicious.some((x) => x.node === node)) throw bad(item, `node ${node} is already malicious`)
        plan.malicious.push({ spec: item, node, cls: cls as MaliciousClass })
        break
      }
    }
    plan.items.push({ kind, spec: item })
  }
  return plan
}

function duration(item: string, text: string): number {
  try {
    return parseDuration(text)
  } catch {
    throw bad(item, `"${text}" is not a duration like 50ms or 2s`)
  }
}
