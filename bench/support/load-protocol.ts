/** Messages between the benchmark and its load-generating worker thread. */

export interface BenchRequest {
  method: 'GET' | 'POST';
  /** Path and query, appended to the phase's base URL. */
  path: string;
  headers: Record<string, string>;
  /** Every `{{i}}` is replaced by a number unique within the run (e.g. for new customers). */
  body?: string;
}

export interface PhaseSpec {
  name: string;
  baseUrl: string;
  /** Requests in flight at once (each loop waits for its answer before sending the next). */
  concurrency: number;
  /** Requests sent before measuring (same concurrency, not recorded). */
  warmup: number;
  /** Requests measured. */
  count: number;
  /** The measured part stops early after this long (bounded run time). */
  maxMs: number;
  /** Cycled through in order. */
  requests: BenchRequest[];
  expectStatus: number;
}

export interface PhaseResult {
  name: string;
  /** Client-side latency of each measured request: from sending to the last byte of the body. */
  latenciesMs: number[];
  /** Wall time of the measured part. */
  elapsedMs: number;
  errors: number;
  firstError?: string;
  /** Bodies of the first few measured answers (for sanity checks), at most 3. */
  sampleBodies: string[];
}

export type ToWorker = { id: number; spec: PhaseSpec };
export type FromWorker = { id: number; result?: PhaseResult; error?: string };
