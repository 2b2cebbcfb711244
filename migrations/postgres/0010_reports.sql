ALTER TABLE "tickets" ADD COLUMN "done_at" bigint GENERATED ALWAYS AS (coalesce(resolved_at, closed_at)) STORED;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "hourly_cost_cents" bigint;--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tickets_done_idx" ON "tickets" USING btree ("done_at");--> statement-breakpoint
CREATE INDEX "worklogs_worked_idx" ON "worklogs" USING btree ("worked_at");