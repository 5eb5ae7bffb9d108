/** Latency summaries: nearest-rank percentiles over milliseconds, rounded for the report. */

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export interface ThroughputSummary extends LatencySummary {
  /** Completed requests per second over the measured window. */
  rps: number;
  concurrency: number;
  errors: number;
}

const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.length ? sum / sorted.length : Number.NaN),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

export function throughput(
  latenciesMs: readonly number[],
  elapsedMs: number,
  concurrency: number,
  errors: number,
): ThroughputSummary {
  return {
    ...summarize(latenciesMs),
    rps: round(elapsedMs > 0 ? (latenciesMs.length / elapsedMs) * 1000 : 0, 1),
    concurrency,
    errors,
  };
}

export { round };
