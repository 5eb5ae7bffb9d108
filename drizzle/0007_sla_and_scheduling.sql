CREATE TABLE "daily_reports" (
	"tenant_id" uuid NOT NULL,
	"report_date" date NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"report" jsonb NOT NULL,
	CONSTRAINT "daily_reports_tenant_id_report_date_pk" PRIMARY KEY("tenant_id","report_date")
);
--> statement-breakpoint
CREATE TABLE "scheduled_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"external_key" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"ticket" jsonb NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"ticket_id" uuid,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"target" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"rung" integer NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledgement" text
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"scope_value" text DEFAULT '' NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "window_warn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_next_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "first_response_breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolution_breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "first_response_seconds" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "first_response_business_seconds" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolution_seconds" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolution_business_seconds" integer;--> statement-breakpoint
ALTER TABLE "daily_reports" ADD CONSTRAINT "daily_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_tickets" ADD CONSTRAINT "scheduled_tickets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_tickets" ADD CONSTRAINT "scheduled_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_acknowledged_by_agents_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scheduled_tickets_key_unique" ON "scheduled_tickets" USING btree ("tenant_id","external_key");--> statement-breakpoint
CREATE INDEX "scheduled_tickets_due_idx" ON "scheduled_tickets" USING btree ("run_at") WHERE status = 'scheduled';--> statement-breakpoint
CREATE UNIQUE INDEX "sla_escalations_rung_unique" ON "sla_escalations" USING btree ("ticket_id","target","due_at","rung");--> statement-breakpoint
CREATE INDEX "sla_escalations_tenant_fired_idx" ON "sla_escalations" USING btree ("tenant_id","fired_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_scope_unique" ON "sla_policies" USING btree ("tenant_id","scope","scope_value");--> statement-breakpoint
CREATE INDEX "conversations_window_warn_idx" ON "conversations" USING btree ("window_warn_at") WHERE window_warn_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_sla_next_check_idx" ON "tickets" USING btree ("sla_next_check_at") WHERE sla_next_check_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_resolved_at_idx" ON "tickets" USING btree ("resolved_at") WHERE status = 'resolved';