/** Drives a customer conversation through a running Parley and a fake platform, for tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function sharedFixture<T = any>(relativePath: string): T {
  const file = fileURLToPath(new URL(`../../../shared/fixtures/${relativePath}`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
/** The documented Telegram text-message Update (fixtures), from `chatId`, sent now. */
export function telegramTextUpdate(chatId: number, updateId: number, text: string) {
  const base = sharedFixture('telegram/message_text.json');
  return {
    update_id: updateId,
    message: {
      ...base.message,
      message_id: updateId,
      from: { ...base.message.from, id: chatId },
      chat: { ...base.message.chat, id: chatId },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  };
}

export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until every queued inbound event and outbound message has been handled. */
export async function outboxDrained(pool: {
  query: (sql: string) => Promise<{ rows: any[] }>;
}): Promise<void> {
  await waitFor(async () => {
    const { rows } = await pool.query(
      "select count(*)::int as n from outbox where status in ('pending','sending')",
    );
    return rows[0].n === 0 ? true : undefined;
  });
}
