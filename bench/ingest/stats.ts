/** Latency summaries (exact: every sample is kept and sorted) and rounding for the report. */
import type { LatencySummary } from './protocol.js';

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Samples are milliseconds. Nearest-rank percentiles. */
export function summarize(samples: ArrayLike<number>, count = samples.length): LatencySummary {
  if (count === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from({ length: count }, (_, i) => samples[i]!).sort();
  const at = (q: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count,
    p50: round(at(0.5), 2),
    p95: round(at(0.95), 2),
    p99: round(at(0.99), 2),
    max: round(sorted[count - 1]!, 2),
    mean: round(sum / count, 2),
  };
}

/** A growable Float64 sample buffer (no per-sample allocation). */
export class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  summary(): LatencySummary {
    return summarize(this.data, this.length);
  }
}
