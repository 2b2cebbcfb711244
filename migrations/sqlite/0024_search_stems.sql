-- Search compares the stems of words, not the words as written (src/domain/search-words.ts): the
-- full-text tables hold each subject and message text twice, as the stems of its words (`stems`:
-- `принтера` and `принтеры` are both `принтер`, `Ёжик` is `ежик`) and as its words folded but
-- whole (`words`: where a word typed as a prefix, `printi*`, is looked up, since it may reach past
-- a stem). Both are made by the desk's own functions helpdesk_stems() and helpdesk_words(),
-- registered on every connection the desk opens (src/db/client.ts). The tables read their text
-- through views that make them, so that FTS5's 'rebuild' and 'integrity-check' see what the
-- triggers wrote. (The sqlite3 shell, which lacks the functions, can read the desk's database but
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
CREATE VIEW `tickets_search` AS SELECT id, helpdesk_stems(subject) AS stems, helpdesk_words(subject) AS words FROM tickets;
--> statement-breakpoint
CREATE VIEW `messages_search` AS SELECT id, helpdesk_stems(body_text) AS stems, helpdesk_words(body_text) AS words FROM messages;
--> statement-breakpoint
-- the words are folded already and separated by spaces: the tokenizer only splits them
CREATE VIRTUAL TABLE `tickets_fts` USING fts5(stems, words, content='tickets_search', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(stems, words, content='messages_search', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_ai` AFTER INSERT ON `tickets` BEGIN
  INSERT INTO tickets_fts(rowid, stems, words) VALUES (new.id, helpdesk_stems(new.subject), helpdesk_words(new.subject));
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_ad` AFTER DELETE ON `tickets` BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, stems, words) VALUES ('delete', old.id, helpdesk_stems(old.subject), helpdesk_words(old.subject));
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_au` AFTER UPDATE OF subject ON `tickets` BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, stems, words) VALUES ('delete', old.id, helpdesk_stems(old.subject), helpdesk_words(old.subject));
  INSERT INTO tickets_fts(rowid, stems, words) VALUES (new.id, helpdesk_stems(new.subject), helpdesk_words(new.subject));
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` BEGIN
  INSERT INTO messages_fts(rowid, stems, words) VALUES (new.id, helpdesk_stems(new.body_text), helpdesk_words(new.body_text));
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, stems, words) VALUES ('delete', old.id, helpdesk_stems(old.body_text), helpdesk_words(old.body_text));
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF body_text ON `messages` BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, stems, words) VALUES ('delete', old.id, helpdesk_stems(old.body_text), helpdesk_words(old.body_text));
  INSERT INTO messages_fts(rowid, stems, words) VALUES (new.id, helpdesk_stems(new.body_text), helpdesk_words(new.body_text));
END;
--> statement-breakpoint
INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
