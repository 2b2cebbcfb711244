CREATE TABLE `sign_in_failures` (
	`id` integer PRIMARY KEY NOT NULL,
	`email` text,
	`ip` text NOT NULL,
	`at` integer NOT NULL,
	`email_lifted` integer DEFAULT false NOT NULL,
	`ip_lifted` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_email_idx` ON `sign_in_failures` (`email`,`at`);--> statement-breakpoint
CREATE INDEX `sign_in_failures_ip_idx` ON `sign_in_failures` (`ip`,`at`);--> statement-breakpoint
CREATE INDEX `sign_in_failures_at_idx` ON `sign_in_failures` (`at`);