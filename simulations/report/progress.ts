// A one-line progress bar on stderr (only when stderr is a terminal), redrawn at most every 100 ms.

import type { Progress } from '../engine/types.ts'

export function progressBar(write: (text: string) => void) {
  let last = 0
  let shown = false
  return {
    update: (p: Progress): void => {
      const now = performance.now()
      if (now - last < 100 && p.done < p.total) return
      last = now
      const width = 30
      const filled = p.total > 0 ? Math.round((p.done / p.total) * width) : 0
      const label = p.phase === 'dkg' ? 'dkg steps ' : p.phase === 'sign' ? 'signatures' : 'replay    '
      write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}`)
      shown = true
    },
    done: (): void => {
      if (shown) write('\r\x1b[K')
      shown = false
    },
  }
}
