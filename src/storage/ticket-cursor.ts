/** Keyset pagination for ticket lists: the cursor is the sort key of the last row returned. */
import { type SQL, and, asc, desc, isNull, or, sql } from 'drizzle-orm';
import { invalid } from '../domain/errors.js';
import type { Ticket } from '../domain/records.js';
import type { TicketSort } from '../ports/stores.js';
import { tickets } from './schema.js';

interface CursorKey {
  /** The sort value: ISO date, priority rank, or null (tickets with no SLA due). */
  v: string | number | null;
  c?: string;
  id: string;
}

export function encodeCursor(sort: TicketSort, ticket: Ticket, rank: number): string {
  let key: CursorKey;
  switch (sort) {
    case 'created_at':
    case '-created_at':
      key = { v: ticket.createdAt.toISOString(), id: ticket.id };
      break;
    case '-priority':
      key = { v: rank, c: ticket.createdAt.toISOString(), id: ticket.id };
      break;
    case 'sla_due_at':
      key = { v: ticket.slaDueAt ? ticket.slaDueAt.toISOString() : null, id: ticket.id };
      break;
  }
  return Buffer.from(JSON.stringify([sort, key])).toString('base64url');
}

function decodeCursor(sort: TicketSort, cursor: string): CursorKey {
  try {
    const [cursorSort, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      CursorKey,
    ];
    const uuidLike = /^[0-9a-f-]{36}$/i;
    if (cursorSort !== sort || typeof key?.id !== 'string' || !uuidLike.test(key.id))
      throw new Error();
    return key;
  } catch {
    throw invalid('cursor is not valid for this query', [
      { path: ['cursor'], message: 'invalid cursor' },
    ]);
  }
}

const ts = (iso: unknown): Date => {
  const d = new Date(String(iso));
  if (Number.isNaN(d.getTime())) throw invalid('cursor is not valid for this query');
  return d;
};

/** The WHERE condition that continues after `cursor`, and the ORDER BY of `sort`. */
export function keyset(
  sort: TicketSort,
  cursor: string | undefined,
): { after?: SQL; orderBy: SQL[] } {
  const key = cursor ? decodeCursor(sort, cursor) : undefined;
  switch (sort) {
    case 'created_at':
      return {
        after: key && sql`(${tickets.createdAt}, ${tickets.id}) > (${ts(key.v)}, ${key.id})`,
        orderBy: [asc(tickets.createdAt), asc(tickets.id)],
      };
    case '-created_at':
      return {
        after: key && sql`(${tickets.createdAt}, ${tickets.id}) < (${ts(key.v)}, ${key.id})`,
        orderBy: [desc(tickets.createdAt), desc(tickets.id)],
      };
    case '-priority':
      return {
        after:
          key &&
          or(
            sql`${tickets.priorityRank} < ${Number(key.v)}`,
            sql`${tickets.priorityRank} = ${Number(key.v)} and (${tickets.createdAt}, ${tickets.id}) > (${ts(key.c)}, ${key.id})`,
          ),
        orderBy: [
          sql`${tickets.priorityRank} desc nulls last`,
          asc(tickets.createdAt),
          asc(tickets.id),
        ],
      };
    case 'sla_due_at':
      return {
        after:
          key &&
          (key.v === null
            ? and(isNull(tickets.slaDueAt), sql`${tickets.id} > ${key.id}`)
            : or(
                sql`(${tickets.slaDueAt}, ${tickets.id}) > (${ts(key.v)}, ${key.id})`,
                isNull(tickets.slaDueAt),
              )),
        orderBy: [sql`${tickets.slaDueAt} asc nulls last`, asc(tickets.id)],
      };
  }
}
