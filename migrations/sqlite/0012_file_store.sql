CREATE TABLE `stored_file_chunks` (
	`kind` text NOT NULL,
	`sha256` text NOT NULL,
	`seq` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`kind`, `sha256`, `seq`),
	FOREIGN KEY (`kind`,`sha256`) REFERENCES `stored_files`(`kind`,`sha256`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `stored_files` (
	`kind` text NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`chunks` integer NOT NULL,
	PRIMARY KEY(`kind`, `sha256`)
);
