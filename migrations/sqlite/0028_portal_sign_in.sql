CREATE TABLE `portal_sign_ins` (
	`id` integer PRIMARY KEY NOT NULL,
	`contact_id` integer NOT NULL,
	`channel` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `portal_sign_ins_contact_idx` ON `portal_sign_ins` (`contact_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `sees_organization_requests` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `satisfaction_rating` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `satisfaction_comment` text;