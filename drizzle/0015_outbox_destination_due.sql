CREATE TABLE "outbox_destinations" (
	"destination" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP INDEX "outbox_due_idx";--> statement-breakpoint
CREATE INDEX "outbox_destination_due_idx" ON "outbox" USING btree ("destination","next_attempt_at","id") WHERE status in ('pending', 'sending');--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): every destination written to outbox is
-- noted in outbox_destinations, in the inserting transaction, so a claim that sees the row
-- sees its destination. A probe of a one-page table per row; an insert only the first time.
CREATE FUNCTION "outbox_note_destination"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM outbox_destinations WHERE destination = NEW.destination;
  IF NOT FOUND THEN
    INSERT INTO outbox_destinations (destination) VALUES (NEW.destination)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "outbox_note_destination" BEFORE INSERT OR UPDATE OF destination ON "outbox"
FOR EACH ROW EXECUTE FUNCTION "outbox_note_destination"();--> statement-breakpoint
INSERT INTO "outbox_destinations" (destination) SELECT DISTINCT destination FROM "outbox"
ON CONFLICT DO NOTHING;
