/**
 * Keeps the outbox from growing for ever: every inbound event, reply, card update and notice is a
 * row, and a sent row is only history after a while. Finished rows (sent or failed) older than
 * the retention are deleted in bounded runs; pending ones stay whatever their age. The retention
 * must outlast the platforms' redeliveries (WhatsApp retries a webhook for up to 7 days): the
 * inbound rows' dedupe keys are what makes a late redelivery land once (messages are unique on
 * their channel id too).
 */
import type { AppDeps } from './context.js';

/** Most rows one run deletes: a run stays short, the next one goes on. */
const MAX_ROWS_PER_RUN = 200_000;

export async function runOutboxRetention(
  deps: AppDeps,
  retentionDays: number,
): Promise<{ deleted: number; done: boolean }> {
  if (retentionDays <= 0) return { deleted: 0, done: true };
  const before = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
  const result = await deps.uow.read.outboxRetention.pruneFinished(before, MAX_ROWS_PER_RUN);
  if (result.deleted > 0) {
    deps.logger.info({ deleted: result.deleted, before }, 'outbox: finished rows pruned');
  }
  return result;
}
