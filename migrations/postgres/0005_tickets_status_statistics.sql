-- The queue's views filter on a status and on whether the ticket is open, which the status decides
-- (is_open is computed from it). Taking the two as independent, the planner guessed the "pending"
-- view (open and waiting for the requester) at a twentieth of its tickets, and collected and sorted
-- all of them (2 ms on 100,000 tickets, and growing with the desk) instead of reading the newest
-- 50 from the (status, last_activity_at, id) index (0.2 ms, whatever the size). Statistics of how
-- one follows from the other fix the guess; ANALYZE gathers them now, autovacuum keeps them current.
CREATE STATISTICS IF NOT EXISTS "tickets_status_open_stats" (dependencies) ON "status", "is_open" FROM "tickets";
--> statement-breakpoint
ANALYZE "tickets";
