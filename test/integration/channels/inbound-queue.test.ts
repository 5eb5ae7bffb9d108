/**
 * The inbox's rows are marked done in the event's own transaction: the bot's work and the mark
 * commit together, and an attempt whose claim was taken over (lease expired, claimed again)
 * rolls its work back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundProcessor, recordInbound } from '../../../src/app/inbound/inbound-queue.js';
import type { Tenant } from '../../../src/domain/records.js';
import type { InboundEvent } from '../../../src/ports/channel.js';
import { createOutboxQueue } from '../../../src/storage/outbox-store.js';
import { type TestParley, startTestParley } from '../../support/test-parley.js';

let parley: TestParley;
let tenant: Tenant;
let seq = 0;
/** The bot's answers to earlier tests wait too; these tests claim only the inbox. */
const onlyInbound = { skipDestinations: ['customer:telegram'] };

beforeAll(async () => {
  parley = await startTestParley({ dispatcher: false });
  tenant = (await parley.deps.uow.read.tenants.findBySlug('default'))!;
});
afterAll(async () => {
  await parley?.close();
});

function textEvent(chatId: string): InboundEvent {
  seq += 1;
  return {
    channel: 'telegram',
    kind: 'text',
    externalId: `${chatId}:${seq}`,
    chatId,
    from: { id: chatId, name: 'Kim', languageCode: 'en' },
    sentAt: new Date(),
    text: 'hello',
  };
}

async function inboundRow(chatId: string) {
  const { rows } = await parley.database.pool.query(
    `select id, status, attempts from outbox where ordering_key = $1 order by id`,
    [`chat:telegram:${chatId}`],
  );
  return rows as { id: string; status: string; attempts: number }[];
}

async function customerMessages(chatId: string): Promise<number> {
  const { rows } = await parley.database.pool.query(
    `select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
     where c.chat_id = $1 and m.author_type = 'customer'`,
    [chatId],
  );
  return rows[0].n;
}

describe('the inbound queue', () => {
  it('marks its row sent in the transaction that ran the bot', async () => {
    const queue = createOutboxQueue(parley.database.db);
    await recordInbound(parley.deps, tenant, textEvent('7001'));
    const [row] = await queue.claim(10, new Date(), 30_000, onlyInbound);
    expect(row?.destination).toBe('inbound:telegram');
    const result = await inboundProcessor(parley.deps).send(row!);
    expect(result).toEqual({ ok: true, recorded: true });
    expect(await inboundRow('7001')).toEqual([
      { id: String(row!.id), status: 'sent', attempts: 1 },
    ]);
    expect(await customerMessages('7001')).toBe(1);
    // The bot answered in the same transaction.
    const { rows } = await parley.database.pool.query(
      `select count(*)::int as n from outbox where destination = 'customer:telegram'
       and payload->'outbound'->>'chatId' = '7001'`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('rolls the work back when the claim was taken over, and the new claim does it once', async () => {
    const first = createOutboxQueue(parley.database.db);
    const second = createOutboxQueue(parley.database.db);
    await recordInbound(parley.deps, tenant, textEvent('7002'));
    const [stale] = await first.claim(10, new Date(), 1, onlyInbound);
    expect(stale).toBeDefined();
    // The lease (1 ms) runs out; another dispatcher claims the row again.
    await new Promise((r) => setTimeout(r, 5));
    const [current] = await second.claim(10, new Date(), 30_000, onlyInbound);
    expect(current?.id).toBe(stale!.id);
    expect(current!.attempts).toBe(2);

    const lost = await inboundProcessor(parley.deps).send(stale!);
    expect(lost.ok).toBe(false);
    expect(await customerMessages('7002')).toBe(0);
    expect((await inboundRow('7002'))[0]?.status).toBe('sending');

    const won = await inboundProcessor(parley.deps).send(current!);
    expect(won).toEqual({ ok: true, recorded: true });
    expect(await customerMessages('7002')).toBe(1);
    expect((await inboundRow('7002'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
