ALTER TABLE `tickets` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `planned_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_open_due_at_idx` ON `tickets` (`due_at`,`id`) WHERE status not in ('resolved', 'closed') and due_at is not null;--> statement-breakpoint
CREATE INDEX `tickets_open_assignee_due_at_idx` ON `tickets` (`assignee_id`,`due_at`,`id`) WHERE status not in ('resolved', 'closed') and due_at is not null;--> statement-breakpoint
CREATE INDEX `tickets_open_component_due_at_idx` ON `tickets` (`component_id`,`due_at`,`id`) WHERE status not in ('resolved', 'closed') and due_at is not null;--> statement-breakpoint
CREATE INDEX `tickets_open_planned_at_idx` ON `tickets` (`planned_at`,`id`) WHERE status not in ('resolved', 'closed') and planned_at is not null;--> statement-breakpoint
CREATE INDEX `tickets_open_assignee_planned_at_idx` ON `tickets` (`assignee_id`,`planned_at`,`id`) WHERE status not in ('resolved', 'closed') and planned_at is not null;--> statement-breakpoint
CREATE INDEX `tickets_open_component_planned_at_idx` ON `tickets` (`component_id`,`planned_at`,`id`) WHERE status not in ('resolved', 'closed') and planned_at is not null;