CREATE TABLE "ticket_queue_counts" (
	"tenant_id" uuid NOT NULL,
	"status" text NOT NULL,
	"unassigned" boolean NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "ticket_queue_counts_tenant_idx" ON "ticket_queue_counts" USING btree ("tenant_id");--> statement-breakpoint
CREATE FUNCTION "ticket_queue_counts_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status IN ('new', 'assigned', 'in_progress', 'awaiting_customer') THEN
    INSERT INTO ticket_queue_counts (tenant_id, status, unassigned, n)
    VALUES (OLD.tenant_id, OLD.status, OLD.assignee_id IS NULL, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN ('new', 'assigned', 'in_progress', 'awaiting_customer') THEN
    INSERT INTO ticket_queue_counts (tenant_id, status, unassigned, n)
    VALUES (NEW.tenant_id, NEW.status, NEW.assignee_id IS NULL, 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "tickets_queue_counts_insert" AFTER INSERT ON "tickets" FOR EACH ROW
  WHEN (NEW.status IN ('new', 'assigned', 'in_progress', 'awaiting_customer'))
  EXECUTE FUNCTION "ticket_queue_counts_delta"();
--> statement-breakpoint
CREATE TRIGGER "tickets_queue_counts_update" AFTER UPDATE OF "status", "assignee_id" ON "tickets" FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR (OLD.assignee_id IS NULL) <> (NEW.assignee_id IS NULL))
  EXECUTE FUNCTION "ticket_queue_counts_delta"();
--> statement-breakpoint
CREATE TRIGGER "tickets_queue_counts_delete" AFTER DELETE ON "tickets" FOR EACH ROW
  WHEN (OLD.status IN ('new', 'assigned', 'in_progress', 'awaiting_customer'))
  EXECUTE FUNCTION "ticket_queue_counts_delta"();
--> statement-breakpoint
INSERT INTO "ticket_queue_counts" ("tenant_id", "status", "unassigned", "n")
SELECT "tenant_id", "status", "assignee_id" IS NULL, count(*)::int FROM "tickets"
WHERE "status" IN ('new', 'assigned', 'in_progress', 'awaiting_customer')
GROUP BY 1, 2, 3;
