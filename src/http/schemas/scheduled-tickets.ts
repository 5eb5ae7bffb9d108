/** Scheduled tickets (purchase journeys): the schedule body, the list query and the answers. */
import * as z from 'zod';
import {
  commaList,
  id,
  isoDateTime,
  listEnvelope,
  queryCursor,
  queryLimit,
  text,
} from './common.js';
import { CreateTicketBody } from './tickets.js';

export const SCHEDULED_TICKET_STATUSES = ['scheduled', 'opened', 'cancelled', 'failed'] as const;
export const ScheduledTicketStatusEnum = z.enum(SCHEDULED_TICKET_STATUSES);

export const ScheduleTicketBody = z
  .object({
    external_key: text(200).meta({
      description:
        'Your key for this schedule (e.g. `purchase-1234:service-6m`): the same key with the same ' +
        'body answers the existing schedule (200); with a different body, 409 `external_key_reused`.',
    }),
    run_at: isoDateTime().meta({ description: 'When to open the ticket (future, ISO 8601).' }),
    ticket: CreateTicketBody.meta({
      description: 'The `POST /tickets` body, validated now (schema, categories, photo rule).',
    }),
  })
  .strict();

export const ListScheduledTicketsQuery = z.object({
  status: commaList(ScheduledTicketStatusEnum, 4).optional(),
  limit: queryLimit(),
  cursor: queryCursor().optional(),
});

export const ScheduledTicketJson = z.object({
  id: id(),
  external_key: z.string(),
  run_at: isoDateTime(),
  status: ScheduledTicketStatusEnum,
  ticket_id: id().nullable().meta({ description: 'The opened ticket, once opened.' }),
  attempts: z.number().int(),
  error: z.string().nullable().meta({ description: 'The last failure, if any.' }),
  ticket: z.record(z.string(), z.unknown()).meta({
    description: 'The ticket body to open (attachment data left out).',
  }),
  created_at: isoDateTime(),
  updated_at: isoDateTime(),
});
export type ScheduledTicketBody = z.output<typeof ScheduledTicketJson>;

export const ScheduledTicketList = listEnvelope(ScheduledTicketJson);
