CREATE TABLE `presence` (
	`ticket_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`mode` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `user_id`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `presence_at_idx` ON `presence` (`at`);