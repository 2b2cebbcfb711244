DROP INDEX "tickets_done_idx";--> statement-breakpoint
CREATE INDEX "tickets_done_idx" ON "tickets" USING btree ("done_at","assignee_id","reopen_count","created_at");