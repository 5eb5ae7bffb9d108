/**
 * The fault bench's schedule: phases in which the fake platforms misbehave in one way each, with
 * the steady load running throughout. `fullPhases` is the bench's run, `ciPhases` the reduced one.
 * Outages are "every request fails"; a short one lasts less than the outbox's retry budget (every
 * row gets through once it is over), a long one more (rows give up and the failure is surfaced).
 */
import type { FaultKind, FaultRates } from '../../test/fakes/fault-plan.js';

export type Platform = 'telegram' | 'whatsapp';

export interface Phase {
  name: string;
  seconds: number;
  /** Fault rates per platform during the phase. */
  rates?: Partial<Record<Platform, FaultRates>>;
  /** These platforms fail every request for the whole phase. */
  down?: { platforms: Platform[]; kind: FaultKind };
  /** An inbound burst starts with the phase (which lasts at least until the burst settled). */
  burst?: boolean;
}

const both = (rates: FaultRates): Phase['rates'] => ({ telegram: rates, whatsapp: rates });

/**
 * About 2.7 minutes of load. With `OUTBOX_MAX_ATTEMPTS=4`, backoff 1, 2, 4 s and a 4-s platform
 * timeout, a row gives up after 7–23 s of failures: the short outage (3 s of 5xx) is inside that
 * budget, the long one (30 s of hanging Telegram) is not.
 */
export function fullPhases(): Phase[] {
  return [
    { name: 'healthy', seconds: 8 },
    { name: 'rate_limited', seconds: 15, rates: both({ rate_limited: 0.3 }) },
    { name: 'server_errors', seconds: 15, rates: both({ server_error: 0.3 }) },
    { name: 'hangs', seconds: 15, rates: both({ hang: 0.1 }) },
    { name: 'dropped_connections', seconds: 15, rates: both({ drop: 0.2 }) },
    {
      name: 'mixed',
      seconds: 15,
      rates: both({ rate_limited: 0.1, server_error: 0.1, hang: 0.05, drop: 0.05 }),
    },
    {
      name: 'outage_short',
      seconds: 3,
      down: { platforms: ['telegram', 'whatsapp'], kind: 'server_error' },
    },
    { name: 'recovery', seconds: 8 },
    // Telegram hangs: every call waits out PLATFORM_TIMEOUT_MS, WhatsApp must not notice.
    { name: 'outage_long', seconds: 30, down: { platforms: ['telegram'], kind: 'hang' } },
    { name: 'recovery_2', seconds: 8 },
    { name: 'burst', seconds: 5, burst: true },
    { name: 'tail', seconds: 5 },
  ];
}

/** The CI version: every kind once, briefly (with `OUTBOX_MAX_ATTEMPTS=3`: budget ~2–3 s). */
export function ciPhases(): Phase[] {
  return [
    { name: 'healthy', seconds: 1 },
    {
      name: 'mixed',
      // Long enough that a slow machine still sends a few dozen requests through it.
      seconds: 5,
      rates: both({ rate_limited: 0.2, server_error: 0.15, hang: 0.05, drop: 0.1 }),
    },
    {
      name: 'outage_short',
      seconds: 1,
      down: { platforms: ['telegram', 'whatsapp'], kind: 'server_error' },
    },
    { name: 'recovery', seconds: 1 },
    { name: 'outage_long', seconds: 5, down: { platforms: ['telegram'], kind: 'server_error' } },
    { name: 'burst', seconds: 1, burst: true },
    { name: 'tail', seconds: 1 },
  ];
}
