ALTER TABLE "agent_group_members" ADD COLUMN "last_assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_groups" ADD COLUMN "assignment" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_groups" ADD COLUMN "last_assigned_agent_id" uuid;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "available" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_groups" ADD CONSTRAINT "agent_groups_last_assigned_agent_id_agents_id_fk" FOREIGN KEY ("last_assigned_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_group_queue_idx" ON "tickets" USING btree ("tenant_id","group_id","created_at","id") WHERE assignee_id is null;