CREATE INDEX `tickets_priority_idx` ON `tickets` (`priority_order`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_due_idx` ON `tickets` (`sla_due_key`,`id`);