-- Search compares the stems of words, not the words as written (src/domain/search-words.ts): the
-- full-text tables hold each subject and message text as the stems of its words, made by the
-- desk's own function helpdesk_stems() (registered on every connection the desk opens:
-- src/db/client.ts), so `принтера` finds `принтер` and `ежик` finds `Ёжик`. The tables read their
-- text through views that stem it, so that FTS5's 'rebuild' and 'integrity-check' see what the
-- triggers wrote. (The sqlite3 shell, which lacks the function, can read the desk's database but
-- not change its tickets or messages.)
DROP TRIGGER `tickets_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `tickets_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `tickets_fts_au`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_au`;
--> statement-breakpoint
DROP TABLE `tickets_fts`;
--> statement-breakpoint
DROP TABLE `messages_fts`;
--> statement-breakpoint
CREATE VIEW `tickets_stems` AS SELECT id, helpdesk_stems(subject) AS subject FROM tickets;
--> statement-breakpoint
CREATE VIEW `messages_stems` AS SELECT id, helpdesk_stems(body_text) AS body_text FROM messages;
--> statement-breakpoint
-- the stems are folded already and separated by spaces: the tokenizer only splits them
CREATE VIRTUAL TABLE `tickets_fts` USING fts5(subject, content='tickets_stems', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(body_text, content='messages_stems', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_ai` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO tickets_fts(rowid, subject) VALUES (new.id, helpdesk_stems(new.subject));
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_ad` AFTER DELETE ON `tickets` BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, subject) VALUES ('delete', old.id, helpdesk_stems(old.subject));
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_au` AFTER UPDATE OF subject ON `tickets` BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, subject) VALUES ('delete', old.id, helpdesk_stems(old.subject));
  INSERT INTO tickets_fts(rowid, subject) VALUES (new.id, helpdesk_stems(new.subject));
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` BEGIN
  INSERT INTO messages_fts(rowid, body_text) VALUES (new.id, helpdesk_stems(new.body_text));
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body_text) VALUES ('delete', old.id, helpdesk_stems(old.body_text));
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF body_text ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body_text) VALUES ('delete', old.id, helpdesk_stems(old.body_text));
  INSERT INTO messages_fts(rowid, body_text) VALUES (new.id, helpdesk_stems(new.body_text));
END;
--> statement-breakpoint
INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
