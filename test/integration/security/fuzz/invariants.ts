/**
 * What must hold after any amount of hostile traffic: the process is up, `Object.prototype` is
 * untouched, and the database has nothing half-written (checked with SQL on the test database).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { TestParley } from '../../../support/test-parley.js';

/** Each locale's `error.generic` reply: the bot's "something broke" answer. */
export function genericErrorReplies(): string[] {
  const dir = fileURLToPath(new URL('../../../../locales/', import.meta.url));
  return readdirSync(dir).map((lang) => {
    const bot = JSON.parse(readFileSync(`${dir}${lang}/bot.json`, 'utf8')) as {
      error: { generic: string };
    };
    return bot.error.generic;
  });
}

export function expectPrototypesClean(): void {
  for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
    const own = Object.getOwnPropertyNames(proto).filter((k) =>
      ['polluted', 'isAdmin', 'prototype'].includes(k),
    );
    // Function.prototype has no own `prototype`; Object and Array have none of these names.
    expect(own, 'a prototype was polluted').toEqual([]);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}

export async function expectAlive(parley: TestParley): Promise<void> {
  const res = await fetch(`${parley.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
}

/** SQL that must return no rows: each names one kind of half-written record. */
export const HALF_WRITTEN: Record<string, string> = {
  'ticket without its created audit event': `
    select t.id from tickets t
    where not exists (select 1 from audit_events a
                      where a.ticket_id = t.id and a.entity_id = t.id and a.action = 'created')`,
  'API ticket with a description but no first message': `
    select t.id from tickets t
    where t.channel = 'api' and coalesce(t.description, '') <> ''
      and not exists (select 1 from messages m where m.ticket_id = t.id)`,
  'attachment without its message, or on another ticket than its message': `
    select a.id from attachments a left join messages m on m.id = a.message_id
    where m.id is null or m.ticket_id is distinct from a.ticket_id`,
  'message with neither ticket nor conversation': `
    select id from messages where ticket_id is null and conversation_id is null`,
  'outbox row naming a ticket that does not exist': `
    select o.id from outbox o
    where o.ticket_id is not null and not exists (select 1 from tickets t where t.id = o.ticket_id)`,
  'outbox row naming a message that does not exist': `
    select o.id from outbox o
    where o.message_id is not null and not exists (select 1 from messages m where m.id = o.message_id)`,
  'idempotency key left without its answer': `
    select key from idempotency_keys where response_status is null`,
  'inbound event that failed in the bot': `
    select id, destination, last_error from outbox
    where destination like 'inbound:%' and (status = 'failed' or last_error is not null)`,
};

export async function expectNothingHalfWritten(parley: TestParley): Promise<void> {
  const problems: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(HALF_WRITTEN)) {
    const { rows } = await parley.database.pool.query(query);
    if (rows.length > 0) problems[name] = rows.slice(0, 5);
  }
  expect(problems).toEqual({});
}

/** Every attachment row's bytes are on disk (a row for a file that was never written is half-written). */
export async function expectAttachmentFilesPresent(parley: TestParley): Promise<void> {
  const { rows } = await parley.database.pool.query<{ sha256: string }>(
    'select distinct sha256 from attachments',
  );
  for (const { sha256 } of rows) {
    await expect(parley.deps.files.read(sha256), sha256).resolves.toBeInstanceOf(Buffer);
  }
}

/** Counts of what a refused request must not have written. */
export async function writeCounts(parley: TestParley): Promise<Record<string, number>> {
  const { rows } = await parley.database.pool.query<Record<string, number>>(`
    select (select count(*)::int from tickets) as tickets,
           (select count(*)::int from messages) as messages,
           (select count(*)::int from attachments) as attachments,
           (select count(*)::int from audit_events) as audit_events,
           (select count(*)::int from customers) as customers,
           (select count(*)::int from agents) as agents,
           (select count(*)::int from agent_groups) as groups,
           (select count(*)::int from idempotency_keys) as idempotency_keys,
           (select count(*)::int from scheduled_tickets) as scheduled_tickets,
           (select count(*)::int from outbox) as outbox`);
  return rows[0]!;
}
