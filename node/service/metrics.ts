// A small Prometheus registry: counters and histograms with labels, rendered as text exposition.

type Labels = Record<string, string>
const key = (l: Labels) =>
  Object.entries(l)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',')

export class Metrics {
  readonly #counters = new Map<string, { help: string; values: Map<string, number> }>()
  readonly #histograms = new Map<
    string,
    { help: string; buckets: number[]; series: Map<string, { counts: number[]; sum: number; n: number }> }
  >()
  readonly #gauges = new Map<string, { help: string; read: () => number }>()

  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const c = { help, values: new Map<string, number>() }
    this.#counters.set(name, c)
    return (labels = {}, by = 1) => {
      const k = key(labels)
      c.values.set(k, (c.values.get(k) ?? 0) + by)
    }
  }

  histogram(name: string, help: string, buckets: number[]): (value: number, labels?: Labels) => void {
    const h = { help, buckets, series: new Map<string, { counts: number[]; sum: number; n: number }>() }
    this.#histograms.set(name, h)
    return (value, labels = {}) => {
      const k = key(labels)
      let s = h.series.get(k)
      if (!s) {
        s = { counts: buckets.map(() => 0), sum: 0, n: 0 }
        h.series.set(k, s)
      }
      for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]!) s.counts[i]!++
      s.sum += value
      s.n++
    }
  }

  gauge(name: string, help: string, read: () => number): void {
    this.#gauges.set(name, { help, read })
  }

  render(): string {
    const out: string[] = []
    for (const [name, c] of this.#counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`)
      for (const [k, v] of c.values) out.push(`${name}${k ? `{${k}}` : ''} ${v}`)
    }
    for (const [name, g] of this.#gauges)
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.read()}`)
    for (const [name, h] of this.#histograms) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`)
      for (const [k, s] of h.series) {
        const pre = k ? `${k},` : ''
        for (let i = 0; i < h.buckets.length; i++)
          out.push(`${name}_bucket{${pre}le="${h.buckets[i]}"} ${s.counts[i]}`)
        out.push(
          `${name}_bucket{${pre}le="+Inf"} ${s.n}`,
          `${name}_sum${k ? `{${k}}` : ''} ${s.sum}`,
          `${name}_count${k ? `{${k}}` : ''} ${s.n}`,
        )
      }
    }
    return `${out.join('\n')}\n`
  }
}
