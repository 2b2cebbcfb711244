ALTER TABLE `tickets` ADD `sla_fr_mark` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_fr_internal_mark` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_res_mark` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_res_internal_mark` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_next_mark` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_next_met` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_next_late` integer;--> statement-breakpoint
CREATE INDEX `tickets_unmeasured_idx` ON `tickets` (`id`) WHERE sla_state is not null and sla_next_met is null;