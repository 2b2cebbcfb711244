DROP INDEX `sms_inbox_sid_uq`;--> statement-breakpoint
DROP INDEX `sms_inbox_due_idx`;--> statement-breakpoint
ALTER TABLE `sms_inbox` ADD `channel` text DEFAULT 'sms' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `sms_inbox_channel_sid_uq` ON `sms_inbox` (`channel`,`message_sid`);--> statement-breakpoint
CREATE INDEX `sms_inbox_channel_due_idx` ON `sms_inbox` (`channel`,`next_attempt_at`,`id`);