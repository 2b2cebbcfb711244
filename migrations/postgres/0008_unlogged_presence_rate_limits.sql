-- Who is on a ticket page (presence) and the rate limiters' counters live for seconds to minutes
-- and are written on every page view and limited request: kept out of the write-ahead log, a write
-- to them commits without waiting for a flush to disk. After a crash of the server PostgreSQL
-- empties them, which loses nothing: a viewer shows up again at the next poll, a counter starts again.
ALTER TABLE "presence" SET UNLOGGED;
--> statement-breakpoint
ALTER TABLE "rate_limits" SET UNLOGGED;
