-- Search compares the stems of words, not the words as written, as on SQLite
-- (migrations/sqlite/0024_search_stems.sql, src/domain/search-words.ts): besides their words
-- (body_words, subject_words: folded, whole, where a word typed as a prefix is looked up), messages
-- and subjects keep their stems (body_stems, subject_stems), each with a GIN index. A text's words
-- are cut and folded as before (helpdesk_search_text: ASCII punctuation separates, unaccent folds
-- marks and Ё to Е), then stemmed by PostgreSQL's Snowball dictionaries, the Russian one for a word
-- with a letter outside ASCII and the English one for a word of ASCII letters; a word with a digit
-- stays as it is. Without stop words: `не` and `it` are searched as SQLite searches them.
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
-- the stems of a subject or message body, as indexed (as helpdesk_search_doc, stemmed)
CREATE FUNCTION helpdesk_search_stems(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
RETURN to_tsvector('helpdesk'::regconfig, regexp_replace(unaccent('unaccent'::regdictionary, left(t, 200000)), '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+', ' ', 'g'));
--> statement-breakpoint
-- one term of a search as typed, as stems in a row (as helpdesk_search_term, stemmed; never a prefix)
CREATE FUNCTION helpdesk_stem_term(term text) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN phraseto_tsquery('helpdesk'::regconfig, helpdesk_search_text(term));
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "body_stems" tsvector GENERATED ALWAYS AS (helpdesk_search_stems("body_text")) STORED;
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "subject_stems" tsvector GENERATED ALWAYS AS (helpdesk_search_stems("subject")) STORED;
--> statement-breakpoint
CREATE INDEX "messages_stems_idx" ON "messages" USING gin ("body_stems");
--> statement-breakpoint
CREATE INDEX "tickets_subject_stems_idx" ON "tickets" USING gin ("subject_stems");
--> statement-breakpoint
ANALYZE "messages", "tickets";
