CREATE INDEX `outbox_ticket_idx` ON `outbox` (`ticket_id`,`status`);--> statement-breakpoint
CREATE INDEX `outbox_status_id_idx` ON `outbox` (`status`,`id`);