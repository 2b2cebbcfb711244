CREATE TABLE `sign_in_known_clients` (
	`email` text NOT NULL,
	`ip` text NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`email`, `ip`)
);
--> statement-breakpoint
CREATE INDEX `sign_in_known_clients_last_at_idx` ON `sign_in_known_clients` (`last_at`);