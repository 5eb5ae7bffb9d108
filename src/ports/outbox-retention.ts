/** Finished outbox rows (sent or failed) are kept for a while, then deleted. */
export interface OutboxRetentionStore {
  /**
   * Deletes finished rows created before `before`, oldest first, at most about `maxRows`.
   * `done`: nothing older is left to look at (the next run may start over).
   */
  pruneFinished(before: Date, maxRows: number): Promise<{ deleted: number; done: boolean }>;
}
