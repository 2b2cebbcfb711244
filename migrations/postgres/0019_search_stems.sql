-- Search compares the stems of words, not the words as written, as on SQLite
-- (migrations/sqlite/0024_search_stems.sql, src/domain/search-words.ts): a text's words are cut and
-- folded as before (helpdesk_search_text: ASCII punctuation separates, unaccent folds case marks and
-- Ё to Е), then stemmed by PostgreSQL's Snowball dictionaries, the Russian one for a word with a
-- letter outside ASCII and the English one for a word of ASCII letters; a word with a digit stays as
-- it is. Without stop words: `не` and `it` are searched as SQLite searches them. The stored words of
-- messages and subjects are worked out again (the columns are dropped and added back: every row is
-- rewritten once).
CREATE TEXT SEARCH DICTIONARY helpdesk_russian (TEMPLATE = snowball, Language = russian);
--> statement-breakpoint
CREATE TEXT SEARCH DICTIONARY helpdesk_english (TEMPLATE = snowball, Language = english);
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION helpdesk (COPY = simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION helpdesk ALTER MAPPING FOR asciiword WITH helpdesk_english;
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION helpdesk ALTER MAPPING FOR word WITH helpdesk_russian;
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "body_words";
--> statement-breakpoint
ALTER TABLE "tickets" DROP COLUMN "subject_words";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION helpdesk_search_doc(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
RETURN to_tsvector('helpdesk'::regconfig, regexp_replace(unaccent('unaccent'::regdictionary, left(t, 200000)), '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+', ' ', 'g'));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION helpdesk_search_term(term text, prefix boolean) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
  CASE WHEN prefix AND phraseto_tsquery('helpdesk'::regconfig, helpdesk_search_text(term))::text ~ '''$'
    THEN (phraseto_tsquery('helpdesk'::regconfig, helpdesk_search_text(term))::text || ':*')::tsquery
    ELSE phraseto_tsquery('helpdesk'::regconfig, helpdesk_search_text(term))
  END
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "body_words" tsvector GENERATED ALWAYS AS (helpdesk_search_doc("body_text")) STORED;
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "subject_words" tsvector GENERATED ALWAYS AS (helpdesk_search_doc("subject")) STORED;
--> statement-breakpoint
CREATE INDEX "messages_words_idx" ON "messages" USING gin ("body_words");
--> statement-breakpoint
CREATE INDEX "tickets_subject_stored_words_idx" ON "tickets" USING gin ("subject_words");
--> statement-breakpoint
ANALYZE "messages", "tickets";
