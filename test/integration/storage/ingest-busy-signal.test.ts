/**
 * "Webhooks are waiting" across processes: a web process past its in-flight threshold says so
 * on INGEST_BUSY_CHANNEL, and a worker's outbox listener hears it (and holds new claims).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announceIngestBusy,
  listenForSignals,
  type SignalListener,
} from '../../../src/storage/outbox-signal.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const logger = { warn: () => undefined, info: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let database: TestDatabase;
let listener: SignalListener;
let busySignals = 0;
let outboxSignals = 0;

beforeAll(async () => {
  database = await createTestDatabase({ max: 2 });
  listener = await listenForSignals(
    database.url,
    { onOutbox: () => (outboxSignals += 1), onIngestBusy: () => (busySignals += 1) },
    logger,
  );
});
afterAll(async () => {
  await listener?.stop();
  await database?.close();
});

describe('ingest busy signal', () => {
  it('is announced while requests in flight reach the threshold, and only then', async () => {
    let inFlight = 3;
    const announcer = announceIngestBusy(database.pool, logger, {
      inFlight: () => inFlight,
      threshold: 8,
      everyMs: 20,
    });
    try {
      await sleep(200);
      expect(busySignals).toBe(0); // below the threshold: quiet
      inFlight = 8;
      await expect.poll(() => busySignals, { timeout: 2_000 }).toBeGreaterThanOrEqual(2);
      inFlight = 0;
      await sleep(100); // a NOTIFY already on its way may still arrive
      const settled = busySignals;
      await sleep(200);
      expect(busySignals).toBe(settled);
    } finally {
      announcer.stop();
    }
  });

  it('does not wake the outbox dispatcher', async () => {
    const wokenBefore = outboxSignals;
    const announcer = announceIngestBusy(database.pool, logger, {
      inFlight: () => 100,
      threshold: 1,
      everyMs: 20,
    });
    try {
      const before = busySignals;
      await expect.poll(() => busySignals, { timeout: 2_000 }).toBeGreaterThan(before);
      expect(outboxSignals).toBe(wokenBefore);
    } finally {
      announcer.stop();
    }
  });
});
