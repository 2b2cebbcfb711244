-- Full-text search over ticket subjects and message bodies (src/store/search.ts), the PostgreSQL
-- twin of SQLite's FTS5 tables (unicode61, remove_diacritics 2): GIN indexes on the words of the
-- text, no stemming. Words are cut the way unicode61 cuts them: ASCII punctuation separates words
-- (PostgreSQL's parser would otherwise keep `toner-jam`, `ws-1.example.com` or `a@b.example` whole),
-- letters are lower-cased ('simple' configuration) and diacritics removed (unaccent, which also
-- folds Ё to Е). A text's first 200,000 characters are indexed: a tsvector holds at most 1 MB.
--
-- Search reads the newest matches first and stops when a page is full: for a word in many messages
-- it walks the messages backwards by id and tests each one, for a rarer word it collects the matches
-- from the GIN index and sorts them. Testing a message must be cheap for the walk: working out the
-- words of a body again costs 30–60 µs, reading them stored about 1 µs, so the messages keep their
-- words in a stored column (not in the drizzle schema: nothing but search reads it). Subjects are
-- short (about 7 µs), and the tickets table is the queue's: there an index on the expression does.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
-- The text as words separated by spaces. IMMUTABLE so that indexes and stored columns can use it
-- (unaccent() is STABLE only because its rules file could change); the body is bound at creation,
-- whatever the search_path.
CREATE FUNCTION helpdesk_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(unaccent('unaccent'::regdictionary, t), '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+', ' ', 'g');
--> statement-breakpoint
-- The words of a subject or message body, as indexed (helpdesk_search_text written out: one call less).
-- Its cost tells the planner that testing a subject costs more than fetching it, so that it tests
-- subjects one by one only when few are left to test (with the default cost it walked thousands of
-- subjects, 16 ms, for a word the index finds in 1 ms).
CREATE FUNCTION helpdesk_search_doc(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
RETURN to_tsvector('simple'::regconfig, regexp_replace(unaccent('unaccent'::regdictionary, left(t, 200000)), '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+', ' ', 'g'));
--> statement-breakpoint
-- One term of a search as typed (a word, or several joined by punctuation, which must then follow
-- each other): its words in a row, the last one as a prefix when asked. Never a syntax error: the
-- words are parsed as plain text, and the prefix mark is added only after a quoted lexeme.
CREATE FUNCTION helpdesk_search_term(term text, prefix boolean) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
  CASE WHEN prefix AND phraseto_tsquery('simple'::regconfig, helpdesk_search_text(term))::text ~ '''$'
    THEN (phraseto_tsquery('simple'::regconfig, helpdesk_search_text(term))::text || ':*')::tsquery
    ELSE phraseto_tsquery('simple'::regconfig, helpdesk_search_text(term))
  END
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "body_words" tsvector GENERATED ALWAYS AS (helpdesk_search_doc("body_text")) STORED;
--> statement-breakpoint
CREATE INDEX "messages_words_idx" ON "messages" USING gin ("body_words");
--> statement-breakpoint
CREATE INDEX "tickets_subject_words_idx" ON "tickets" USING gin (helpdesk_search_doc("subject"));
--> statement-breakpoint
-- the statistics of the words, from which the planner chooses between walking and collecting
ANALYZE "messages", "tickets";
