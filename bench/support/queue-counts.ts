/**
 * The seeds load tickets with set-based SQL and, where they can, with triggers off
 * (`session_replication_role = replica`): the queue counts' deltas are then recounted once per
 * tenant, with the production store, instead of by a million trigger calls.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from '../../src/storage/schema.js';
import { createQueueCountsStore } from '../../src/storage/queue-counts-store.js';

export async function rebuildQueueCounts(client: pg.ClientBase, tenantId: string): Promise<void> {
  // A pool's client or a lone one: both are what drizzle's node-postgres driver takes.
  await createQueueCountsStore(drizzle(client as pg.Client, { schema })).rebuild(tenantId);
}
