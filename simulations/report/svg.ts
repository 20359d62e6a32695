// Inline SVG charts drawn by hand (the report has no external assets and no script): a column chart
// with optional stacking, vertical markers and a line on a second axis.

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export const PALETTE = ['#3b6ea5', '#e08a2c', '#4f9a5b', '#b04a5a', '#7a5ba8', '#6b7b8c']

export type Series = { label: string; values: number[]; color?: string }

export type ColumnChart = {
  title: string
  categories: string[]
  series: Series[]
  stacked?: boolean
  yLabel: string
  xLabel?: string
  fmt: (v: number) => string
  /** Counts: ticks at whole numbers only. */
  integer?: boolean
  /** Vertical markers at a fractional category position (0 = left edge, categories.length = right edge). */
  markers?: { at: number; label: string; color?: string }[]
  /** A line over the columns, on its own axis at the right. */
  line?: Series & { fmt: (v: number) => string }
  width?: number
  height?: number
}

/** 1-2-5 ticks from 0 to at least max (whole numbers only when `integer`). */
export function ticks(max: number, count = 5, integer = false): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = integer ? Math.max(1, max / count) : max / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(v)
  if (out.at(-1)! < max) out.push(out.at(-1)! + step)
  return out
}

const f1 = (x: number) => x.toFixed(1)

export function columnChart(c: ColumnChart): string {
  const W = c.width ?? 600
  const H = c.height ?? 280
  const m = { top: 34, right: c.line ? 58 : 16, bottom: 54, left: 64 }
  const pw = W - m.left - m.right
  const ph = H - m.top - m.bottom
  const n = Math.max(1, c.categories.length)
  const totals = c.categories.map((_, i) =>
    c.stacked
      ? c.series.reduce((a, s) => a + (s.values[i] ?? 0), 0)
      : Math.max(0, ...c.series.map((s) => s.values[i] ?? 0)),
  )
  const yt = ticks(Math.max(0, ...totals), 5, c.integer)
  const ymax = yt.at(-1)!
  const y = (v: number) => m.top + ph - (v / ymax) * ph
  const band = pw / n
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}">`,
  )
  parts.push(`<text x="${m.left}" y="18" class="ct">${esc(c.title)}</text>`)
  for (const v of yt) {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${f1(y(v))}" y2="${f1(y(v))}" class="grid" />`,
      `<text x="${m.left - 6}" y="${f1(y(v) + 4)}" text-anchor="end" class="tick">${esc(c.fmt(v))}</text>`,
    )
  }
  parts.push(
    `<text transform="translate(14 ${f1(m.top + ph / 2)}) rotate(-90)" text-anchor="middle" class="axis">${esc(c.yLabel)}</text>`,
  )
  const k = c.stacked ? 1 : c.series.length
  const bw = Math.max(1, (band * 0.8) / k)
  c.categories.forEach((cat, i) => {
    let base = 0
    c.series.forEach((s, j) => {
      const v = s.values[i] ?? 0
      const color = s.color ?? PALETTE[j % PALETTE.length]
      const x = m.left + i * band + band * 0.1 + (c.stacked ? 0 : j * bw)
      const top = y(base + v)
      const h = y(base) - top
      if (h > 0)
        parts.push(
          `<rect x="${f1(x)}" y="${f1(top)}" width="${f1(bw)}" height="${f1(h)}" fill="${color}"><title>${esc(`${cat} · ${s.label}: ${c.fmt(v)}`)}</title></rect>`,
        )
      if (c.stacked) base += v
    })
    const every = Math.ceil(n / 12)
    if (i % every === 0)
      parts.push(
        `<text x="${f1(m.left + i * band + band / 2)}" y="${m.top + ph + 16}" text-anchor="middle" class="tick">${esc(cat)}</text>`,
      )
  })
  if (c.xLabel)
    parts.push(
      `<text x="${f1(m.left + pw / 2)}" y="${m.top + ph + 32}" text-anchor="middle" class="axis">${esc(c.xLabel)}</text>`,
    )
  if (c.line) {
    const lt = ticks(Math.max(0, ...c.line.values), 5, c.integer)
    const lmax = lt.at(-1)!
    const ly = (v: number) => m.top + ph - (v / lmax) * ph
    const pts = c.line.values.map((v, i) => `${f1(m.left + i * band + band / 2)},${f1(ly(v))}`).join(' ')
    const color = c.line.color ?? PALETTE[1]
    parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2" />`)
    for (const v of lt)
      parts.push(
        `<text x="${m.left + pw + 6}" y="${f1(ly(v) + 4)}" class="tick" fill="${color}">${esc(c.line.fmt(v))}</text>`,
      )
  }
  for (const [k2, mk] of (c.markers ?? []).entries()) {
    const x = m.left + (mk.at / n) * pw
    const ty = m.top + 10 + 12 * k2
    const right = x > m.left + pw * 0.75
    const color = mk.color ?? '#b04a5a'
    parts.push(
      `<line x1="${f1(x)}" x2="${f1(x)}" y1="${m.top}" y2="${m.top + ph}" stroke="${color}" stroke-dasharray="4 3" />`,
      `<text x="${f1(right ? x - 3 : x + 3)}" y="${ty}" text-anchor="${right ? 'end' : 'start'}" class="tick" fill="${color}">${esc(mk.label)}</text>`,
    )
  }
  parts.push(
    `<line x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}" class="axisline" />`,
  )
  // Legend
  const legend = [...c.series, ...(c.line ? [c.line] : [])]
  if (legend.length > 1) {
    let lx = m.left
    legend.forEach((s, j) => {
      const color = s.color ?? PALETTE[j % PALETTE.length]
      parts.push(
        `<rect x="${f1(lx)}" y="${H - 14}" width="10" height="10" fill="${color}" />`,
        `<text x="${f1(lx + 14)}" y="${H - 5}" class="tick">${esc(s.label)}</text>`,
      )
      lx += 24 + s.label.length * 6.5
    })
  }
  parts.push('</svg>')
  return parts.join('\n')
}
