ALTER TABLE `tickets` ADD `done_at` integer GENERATED ALWAYS AS (coalesce(resolved_at, closed_at)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `tickets_created_idx` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_done_idx` ON `tickets` (`done_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `hourly_cost_cents` integer;--> statement-breakpoint
CREATE INDEX `worklogs_worked_idx` ON `worklogs` (`worked_at`);