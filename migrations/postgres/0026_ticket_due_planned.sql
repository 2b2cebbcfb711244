ALTER TABLE "tickets" ADD COLUMN "due_at" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "planned_at" bigint;--> statement-breakpoint
CREATE INDEX "tickets_open_due_at_idx" ON "tickets" USING btree ("due_at","id") WHERE status not in ('resolved', 'closed') and due_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_open_assignee_due_at_idx" ON "tickets" USING btree ("assignee_id","due_at","id") WHERE status not in ('resolved', 'closed') and due_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_open_component_due_at_idx" ON "tickets" USING btree ("component_id","due_at","id") WHERE status not in ('resolved', 'closed') and due_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_open_planned_at_idx" ON "tickets" USING btree ("planned_at","id") WHERE status not in ('resolved', 'closed') and planned_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_open_assignee_planned_at_idx" ON "tickets" USING btree ("assignee_id","planned_at","id") WHERE status not in ('resolved', 'closed') and planned_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_open_component_planned_at_idx" ON "tickets" USING btree ("component_id","planned_at","id") WHERE status not in ('resolved', 'closed') and planned_at is not null;