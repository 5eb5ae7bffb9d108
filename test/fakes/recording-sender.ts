/**
 * A test `Sender` that records every call and every successful send, and can be scripted:
 * fail N times, answer with a retry-after, fail permanently, throw, or take its time.
 * It also watches concurrency: `maxInFlightPerKey` > 1 means two rows of one ordering key were
 * being sent at the same moment.
 */
import type { OutboxRow, SendResult, Sender } from '../../src/ports/outbox.js';

export type ScriptedOutcome =
  | { kind: 'fail'; error?: string; retryAfterMs?: number; permanent?: boolean }
  | { kind: 'throw'; error?: string };

export interface ScriptOptions {
  /** How many matching calls get this outcome (default 1). */
  times?: number;
  /** Which rows it applies to (default: any). */
  match?: (row: OutboxRow) => boolean;
}

interface Rule {
  outcome: ScriptedOutcome;
  remaining: number;
  match: (row: OutboxRow) => boolean;
}

export interface RecordingSenderOptions {
  /** Milliseconds each send takes (real time), fixed or per row. */
  delayMs?: number | ((row: OutboxRow) => number);
}

export class RecordingSender implements Sender {
  /** Every `send` call, in call order (including failures). */
  readonly calls: OutboxRow[] = [];
  /** Successful sends, in completion order. */
  readonly sent: OutboxRow[] = [];
  inFlight = 0;
  maxInFlight = 0;
  maxInFlightPerKey = 0;

  private readonly rules: Rule[] = [];
  private readonly inFlightByKey = new Map<string, number>();
  private delayMs: number | ((row: OutboxRow) => number);

  constructor(opts: RecordingSenderOptions = {}) {
    this.delayMs = opts.delayMs ?? 0;
  }

  /** Queue an outcome for the next matching calls (rules are tried in the order added). */
  script(outcome: ScriptedOutcome, opts: ScriptOptions = {}): this {
    this.rules.push({ outcome, remaining: opts.times ?? 1, match: opts.match ?? (() => true) });
    return this;
  }

  failTimes(times: number, error = 'scripted failure', match?: ScriptOptions['match']): this {
    return this.script({ kind: 'fail', error }, { times, match });
  }

  retryAfter(retryAfterMs: number, opts: ScriptOptions = {}): this {
    return this.script({ kind: 'fail', error: 'rate limited', retryAfterMs }, opts);
  }

  failPermanently(error = 'permanent failure', opts: ScriptOptions = {}): this {
    return this.script({ kind: 'fail', error, permanent: true }, opts);
  }

  throwTimes(times: number, error = 'sender threw', match?: ScriptOptions['match']): this {
    return this.script({ kind: 'throw', error }, { times, match });
  }

  /** Fail every matching call from now on. */
  failAlways(error = 'always failing', match?: ScriptOptions['match']): this {
    return this.script({ kind: 'fail', error }, { times: Number.POSITIVE_INFINITY, match });
  }

  delay(ms: number | ((row: OutboxRow) => number)): this {
    this.delayMs = ms;
    return this;
  }

  async send(row: OutboxRow): Promise<SendResult> {
    this.calls.push(row);
    const key = row.orderingKey;
    const keyInFlight = (this.inFlightByKey.get(key) ?? 0) + 1;
    this.inFlightByKey.set(key, keyInFlight);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.maxInFlightPerKey = Math.max(this.maxInFlightPerKey, keyInFlight);
    try {
      const ms = typeof this.delayMs === 'function' ? this.delayMs(row) : this.delayMs;
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      const rule = this.rules.find((r) => r.remaining > 0 && r.match(row));
      if (rule) {
        rule.remaining -= 1;
        const { outcome } = rule;
        if (outcome.kind === 'throw') throw new Error(outcome.error ?? 'sender threw');
        const { error = 'scripted failure', retryAfterMs, permanent } = outcome;
        return {
          ok: false,
          error,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          ...(permanent ? { permanent } : {}),
        };
      }
      this.sent.push(row);
      return { ok: true, externalId: `ext-${row.id}` };
    } finally {
      this.inFlight -= 1;
      this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 1) - 1);
    }
  }

  /** Ids sent successfully for one ordering key, in the order they were sent. */
  sentIds(orderingKey: string): number[] {
    return this.sent.filter((r) => r.orderingKey === orderingKey).map((r) => r.id);
  }

  /** Ids sent successfully, grouped by ordering key. */
  sentByKey(): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    for (const row of this.sent) {
      const ids = byKey.get(row.orderingKey) ?? [];
      ids.push(row.id);
      byKey.set(row.orderingKey, ids);
    }
    return byKey;
  }

  callsFor(id: number): OutboxRow[] {
    return this.calls.filter((r) => r.id === id);
  }
}
