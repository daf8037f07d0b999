// Latency summaries for the bench: nearest-rank percentiles over a sorted copy.

/** The p-th percentile (0–100) of ascending `sorted`, nearest rank; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface LatencySummary {
  samples: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

/** p50, p99 and max of `ms` (not modified), rounded to `digits`. */
export function summarize(ms: number[], digits = 1): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50_ms: round(percentile(sorted, 50), digits),
    p99_ms: round(percentile(sorted, 99), digits),
    max_ms: round(sorted.at(-1) ?? Number.NaN, digits),
  };
}

/** `n` per second over `ms` milliseconds, whole. */
export const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
