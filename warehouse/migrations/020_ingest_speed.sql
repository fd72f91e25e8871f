-- Ingest: relevance judged on the text, publishers from feeds, and events consolidated by day.
--
-- article_store.relevance_reason: why an article is (not) Korea news, judged on its text after
-- fetching (the item's own reason, from title and summary, stays in feed_items.reason).
-- feed_state.feed_title: the feed's own <title>, a publisher name for pages that declare none.
-- item_state.source_name: an aggregator item's <source> (Google News names the publisher there).
-- event_days_pending: Korea days whose mentions changed and whose events are to be rebuilt; an
-- ingest or a backfill adds to it when it writes mentions and empties it when it consolidates,
-- so a run killed in between is finished by the next.

ALTER TABLE article_store ADD COLUMN relevance_reason VARCHAR;
ALTER TABLE feed_state ADD COLUMN feed_title VARCHAR;
ALTER TABLE item_state ADD COLUMN source_name VARCHAR;

CREATE TABLE event_days_pending (
    first_day DATE NOT NULL,
    last_day  DATE NOT NULL
);

CREATE OR REPLACE VIEW articles AS
SELECT article_id, url, source, title, author, published_at, fetched_at, language, text,
       text_source, is_relevant, story_id, published_at_source, final_url, host, feed_id,
       raw_sha256, relevance_score, relevance_reason
FROM article_store;

CREATE OR REPLACE VIEW feed_items AS
SELECT feed_id, item_key, url, title, summary, published_at, first_seen_at, status, reason,
       relevance_score, relevance_terms, attempts, last_attempt_at, next_attempt_after,
       article_id, original_url, source_name
FROM item_state;
