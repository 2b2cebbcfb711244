CREATE TABLE `kb_article_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`article_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`edited_by` integer,
	`edited_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`edited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `kb_article_versions_article_idx` ON `kb_article_versions` (`article_id`,`id`);--> statement-breakpoint
CREATE TABLE `kb_articles` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`category_id` integer,
	`visibility` text DEFAULT 'internal' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`translation_group` integer,
	`author_id` integer,
	`source_ticket_id` integer,
	`views` integer DEFAULT 0 NOT NULL,
	`published_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `kb_categories`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`source_ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `kb_articles_category_idx` ON `kb_articles` (`category_id`);--> statement-breakpoint
CREATE INDEX `kb_articles_translation_idx` ON `kb_articles` (`translation_group`);--> statement-breakpoint
CREATE TABLE `kb_categories` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`component_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_categories_name_uq` ON `kb_categories` (`name`);--> statement-breakpoint
CREATE TABLE `kb_deflections` (
	`id` integer PRIMARY KEY NOT NULL,
	`article_id` integer NOT NULL,
	`contact_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `kb_deflections_article_idx` ON `kb_deflections` (`article_id`);--> statement-breakpoint
CREATE TABLE `kb_votes` (
	`id` integer PRIMARY KEY NOT NULL,
	`article_id` integer NOT NULL,
	`voter` text NOT NULL,
	`helpful` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_votes_voter_uq` ON `kb_votes` (`article_id`,`voter`);--> statement-breakpoint
-- Articles are searched by word forms as tickets and messages are (0024_search_stems.sql): the
-- stems and the folded words of the title and the body, kept by triggers.
CREATE VIEW `kb_articles_search` AS SELECT id, helpdesk_stems(title || ' ' || body) AS stems, helpdesk_words(title || ' ' || body) AS words FROM kb_articles;
--> statement-breakpoint
CREATE VIRTUAL TABLE `kb_articles_fts` USING fts5(stems, words, content='kb_articles_search', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
CREATE TRIGGER `kb_articles_fts_ai` AFTER INSERT ON `kb_articles` BEGIN
  INSERT INTO kb_articles_fts(rowid, stems, words) VALUES (new.id, helpdesk_stems(new.title || ' ' || new.body), helpdesk_words(new.title || ' ' || new.body));
END;
--> statement-breakpoint
CREATE TRIGGER `kb_articles_fts_ad` AFTER DELETE ON `kb_articles` BEGIN
  INSERT INTO kb_articles_fts(kb_articles_fts, rowid, stems, words) VALUES ('delete', old.id, helpdesk_stems(old.title || ' ' || old.body), helpdesk_words(old.title || ' ' || old.body));
END;
--> statement-breakpoint
CREATE TRIGGER `kb_articles_fts_au` AFTER UPDATE OF title, body ON `kb_articles` BEGIN
  INSERT INTO kb_articles_fts(kb_articles_fts, rowid, stems, words) VALUES ('delete', old.id, helpdesk_stems(old.title || ' ' || old.body), helpdesk_words(old.title || ' ' || old.body));
  INSERT INTO kb_articles_fts(rowid, stems, words) VALUES (new.id, helpdesk_stems(new.title || ' ' || new.body), helpdesk_words(new.title || ' ' || new.body));
END;
