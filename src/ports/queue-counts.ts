/**
 * Upkeep of the queue view's open-ticket counts. The counts are kept as signed deltas appended in
 * the transaction of each ticket change (see `ticket_queue_counts`); these fold them back.
 */
export interface QueueCountsStore {
  /**
   * Folds the deltas of tenants that have gathered more than `minRows` into one row per
   * (status, unassigned), at most `maxTenants` tenants a call. Safe beside concurrent ticket
   * writes and beside another fold (each delta is summed by the one that deletes it).
   */
  fold(minRows: number, maxTenants: number): Promise<{ tenants: number; rows: number }>;
  /**
   * Recounts a tenant's open tickets from `tickets` and replaces its deltas (bulk loads that
   * bypass triggers, or a repair). Holds every ticket write (all tenants') for the few milliseconds it takes.
   */
  rebuild(tenantId: string): Promise<void>;
}
