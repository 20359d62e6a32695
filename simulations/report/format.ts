// Number formatting shared by the summary and the HTML report.

export const ms = (x: number): string =>
  x === 0
    ? '0 ms'
    : x >= 10_000
      ? `${(x / 1000).toFixed(1)} s`
      : x >= 1000
        ? `${(x / 1000).toFixed(2)} s`
        : `${x.toFixed(x < 10 ? 2 : 0)} ms`

export const bytes = (x: number): string =>
  x >= 1e9
    ? `${(x / 1e9).toFixed(2)} GB`
    : x >= 1e6
      ? `${(x / 1e6).toFixed(2)} MB`
      : x >= 1e3
        ? `${(x / 1e3).toFixed(1)} kB`
        : `${x} B`

export const rate = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)}/s`
