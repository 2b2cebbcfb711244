CREATE INDEX "tickets_priority_idx" ON "tickets" USING btree ("priority_order","id");--> statement-breakpoint
CREATE INDEX "tickets_due_idx" ON "tickets" USING btree ("sla_due_key","id");