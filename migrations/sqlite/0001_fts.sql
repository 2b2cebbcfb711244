-- Full-text search over ticket subjects and message bodies (external-content FTS5 tables kept
-- current by triggers). unicode61 folds case for Cyrillic as well as Latin.
CREATE VIRTUAL TABLE `tickets_fts` USING fts5(subject, content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(body_text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_ai` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO tickets_fts(rowid, subject) VALUES (new.id, new.subject);
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_ad` AFTER DELETE ON `tickets` BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, subject) VALUES ('delete', old.id, old.subject);
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_au` AFTER UPDATE OF subject ON `tickets` BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, subject) VALUES ('delete', old.id, old.subject);
  INSERT INTO tickets_fts(rowid, subject) VALUES (new.id, new.subject);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` BEGIN
  INSERT INTO messages_fts(rowid, body_text) VALUES (new.id, new.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body_text) VALUES ('delete', old.id, old.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF body_text ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body_text) VALUES ('delete', old.id, old.body_text);
  INSERT INTO messages_fts(rowid, body_text) VALUES (new.id, new.body_text);
END;
