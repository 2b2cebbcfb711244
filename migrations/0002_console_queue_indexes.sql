ALTER TABLE `tickets` ADD `is_open` integer GENERATED ALWAYS AS (status not in ('resolved', 'closed')) VIRTUAL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `priority_order` integer GENERATED ALWAYS AS (case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end) VIRTUAL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_due_key` integer GENERATED ALWAYS AS (case when sla_paused_at is not null then 9007199254740991 else min(
    case when first_responded_at is null then coalesce(first_response_due_at, 9007199254740991) else 9007199254740991 end,
    coalesce(next_response_due_at, 9007199254740991), coalesce(resolution_due_at, 9007199254740991)) end) VIRTUAL;--> statement-breakpoint
CREATE INDEX `tickets_open_activity_idx` ON `tickets` (`is_open`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_id_idx` ON `tickets` (`is_open`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_assignee_activity_idx` ON `tickets` (`is_open`,`assignee_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_component_activity_idx` ON `tickets` (`is_open`,`component_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_due_idx` ON `tickets` (`is_open`,`sla_due_key`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_priority_idx` ON `tickets` (`is_open`,`priority_order`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_open_org_activity_idx` ON `tickets` (`is_open`,`organization_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_activity_idx` ON `tickets` (`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_status_activity_idx` ON `tickets` (`status`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_activity_idx` ON `tickets` (`assignee_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_id_idx` ON `tickets` (`assignee_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_component_activity_idx` ON `tickets` (`component_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_component_id_idx` ON `tickets` (`component_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_org_activity_idx` ON `tickets` (`organization_id`,`last_activity_at`,`id`);