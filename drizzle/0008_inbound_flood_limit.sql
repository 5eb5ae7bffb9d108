ALTER TABLE "conversations" ADD COLUMN "flood_hold_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "flood_held_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "conversations_flood_summary_idx" ON "conversations" USING btree ("flood_hold_until") WHERE flood_held_count > 0;