/** Acknowledging escalation rungs (the SLA escalation buttons). */
import { sql } from 'drizzle-orm';
import type { SlaEscalationStore } from '../ports/sla-stores.js';
import type { Executor } from './executor.js';
import { RUNG_COLUMNS, type RungRow, toRung } from './sla-sweep-store.js';

export function createSlaEscalationStore(db: Executor): SlaEscalationStore {
  return {
    async acknowledge({ tenantId, ticketId, ladder, by, how, at }) {
      const which = ladder
        ? sql`AND target = ${ladder.target}::text AND due_at = ${ladder.dueAt}::timestamptz`
        : sql``;
      const result = await db.execute<RungRow>(sql`
        UPDATE sla_escalations
        SET acknowledged_at = ${at}::timestamptz, acknowledged_by = ${by}::uuid,
            acknowledgement = ${how}::text
        WHERE tenant_id = ${tenantId}::uuid AND ticket_id = ${ticketId}::uuid
          AND acknowledged_at IS NULL ${which}
        RETURNING ${RUNG_COLUMNS}`);
      return result.rows.map(toRung).sort((a, b) => a.rung - b.rung);
    },
  };
}
