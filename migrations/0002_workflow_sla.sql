ALTER TABLE `sla_policies` ADD `pause_on_third_party` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sla_policies` ADD `escalation_minutes` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_next_event_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_sla_next_event_idx` ON `tickets` (`sla_next_event_at`);