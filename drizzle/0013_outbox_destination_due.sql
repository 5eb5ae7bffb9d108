DROP INDEX "outbox_due_idx";--> statement-breakpoint
CREATE INDEX "outbox_destination_due_idx" ON "outbox" USING btree ("destination","next_attempt_at","id") WHERE status in ('pending', 'sending');