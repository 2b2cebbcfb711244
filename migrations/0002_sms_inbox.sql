CREATE TABLE `sms_inbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_sid` text NOT NULL,
	`from_address` text,
	`raw` text NOT NULL,
	`has_media` integer DEFAULT false NOT NULL,
	`received_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sms_inbox_sid_uq` ON `sms_inbox` (`message_sid`);--> statement-breakpoint
CREATE INDEX `sms_inbox_due_idx` ON `sms_inbox` (`next_attempt_at`,`id`);