-- The worklogs by time carry who logged them and on which ticket, so the time report counts the tickets
-- worked on per person, per span or in all from the index alone (store/report-time.ts).
DROP INDEX "worklogs_worked_idx";--> statement-breakpoint
CREATE INDEX "worklogs_worked_idx" ON "worklogs" USING btree ("worked_at","user_id","ticket_id");
