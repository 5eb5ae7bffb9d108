CREATE TABLE "sla_checks" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"next_check_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "tickets_sla_next_check_idx";--> statement-breakpoint
ALTER TABLE "sla_checks" ADD CONSTRAINT "sla_checks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_checks_next_check_idx" ON "sla_checks" USING btree ("next_check_at");--> statement-breakpoint
-- Hand-written: the checks already scheduled move over before the column goes.
INSERT INTO "sla_checks" ("ticket_id", "next_check_at")
SELECT "id", "sla_next_check_at" FROM "tickets" WHERE "sla_next_check_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" DROP COLUMN "sla_next_check_at";