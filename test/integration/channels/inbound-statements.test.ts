/**
 * What one inbound event costs the database: the statements the bot's transaction sends for a
 * returning customer's message (the usual case). Counted on the pg client, only for calls made
 * inside the processed event (AsyncLocalStorage), so background jobs do not count.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundProcessor, recordInbound } from '../../../src/app/inbound/inbound-queue.js';
import type { Tenant } from '../../../src/domain/records.js';
import type { InboundEvent } from '../../../src/ports/channel.js';
import type { OutboxRow } from '../../../src/ports/outbox.js';
import { createOutboxQueue } from '../../../src/storage/outbox-store.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

/** Statements for a returning customer's text message, BEGIN and COMMIT included. */
const BUDGET = 12;

const counting = new AsyncLocalStorage<string[]>();
const originalQuery = pg.Client.prototype.query;

let parley: TestParley;
let tenant: Tenant;
let seq = 0;

beforeAll(async () => {
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    counting.getStore()?.push(
      String(text ?? '?')
        .replace(/\s+/g, ' ')
        .slice(0, 60),
    );
    return (originalQuery as any).apply(this, args);
  };
  parley = await startTestParley({ dispatcher: false });
  tenant = (await parley.deps.uow.read.tenants.findBySlug('default'))!;
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await parley?.close();
});

function textEvent(chatId: string, text: string): InboundEvent {
  seq += 1;
  return {
    channel: 'telegram',
    kind: 'text',
    externalId: `${chatId}:${seq}`,
    chatId,
    from: { id: chatId, name: 'Ola', languageCode: 'en' },
    sentAt: new Date(),
    text,
  };
}

/** Records the event as a webhook would, claims its row, and runs the bot on it. */
async function process(event: InboundEvent): Promise<string[]> {
  await recordInbound(parley.deps, tenant, event);
  const queue = createOutboxQueue(parley.database.db);
  const rows = await queue.claim(10, new Date(), 30_000, {
    skipDestinations: ['customer:telegram'],
  });
  const statements: string[] = [];
  for (const row of rows as OutboxRow[]) {
    await counting.run(statements, async () => {
      const result = await inboundProcessor(parley.deps, async () => tenant).send(row);
      expect(result.ok).toBe(true);
      // What the dispatcher does after a send its sender did not record itself.
      if (result.ok && !result.recorded) await queue.markSent(row.id, new Date());
    });
  }
  return statements;
}

describe('one inbound event', () => {
  it(`costs at most ${BUDGET} statements for a returning customer`, async () => {
    await process(textEvent('9100', 'hi')); // a new customer and chat
    const statements = await process(textEvent('9100', 'my order is late'));

    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(BUDGET);
    // One UPDATE of the conversation, however many replies the bot sent.
    expect(statements.filter((s) => /^update "conversations"/i.test(s))).toHaveLength(1);
  });
});
