/** Ticket watchers: the set body and the answers. */
import * as z from 'zod';
import { WATCHER_ROLES } from '../../domain/vocabulary.js';
import { listEnvelope } from './common.js';

export const WATCHER_EVENTS = ['status', 'assignment', 'customer_message', 'note', 'sla'] as const;

export const WatcherNotify = z
  .object({
    slack_dm: z.boolean().optional(),
    telegram: z.boolean().optional(),
    email: z.boolean().optional(),
    events: z.array(z.enum(WATCHER_EVENTS)).max(WATCHER_EVENTS.length).optional(),
  })
  .strict()
  .meta({
    description: 'Where and about what this agent hears of the ticket; absent events = all.',
  });

export const SetWatcherBody = z
  .object({
    role: z.enum(['watcher', 'cc']).default('watcher'),
    notify: WatcherNotify.optional(),
  })
  .strict();

export const WatcherJson = z.object({
  agent_id: z.string(),
  role: z.enum(WATCHER_ROLES),
  notify: z.record(z.string(), z.unknown()),
});
export type WatcherBody = z.output<typeof WatcherJson>;

export const WatcherList = listEnvelope(WatcherJson);
