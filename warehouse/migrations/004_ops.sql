-- Operations: backfill bookkeeping, and backfill sources kept apart from configured feeds.
--
-- A backfill stores the pages it finds (in sitemaps or a file of URLs) as items of a synthetic
-- source per host, `backfill:<host>`, so feed_items and articles stay joined to a feed_state row
-- as every ingested page is. Those rows have kind = 'backfill': they are never polled, and the
-- `feeds` view (one row per configured feed) no longer lists them. No column is renamed or
-- dropped: `feeds` keeps every column it had, and only leaves out the backfill sources.

ALTER TABLE feed_state ADD COLUMN kind VARCHAR DEFAULT 'feed';   -- 'feed' | 'backfill'

CREATE OR REPLACE VIEW feeds AS
SELECT f.feed_id, f.name, f.url, f.last_polled_at, f.last_status, f.last_error,
       f.consecutive_failures,
       (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id) AS items_total,
       f.last_ok_at, f.last_http_status, f.last_defect, f.next_poll_after, f.all_relevant,
       f.in_config, f.feed_format, f.encoding
FROM feed_state f
WHERE coalesce(f.kind, 'feed') = 'feed';

-- One row per finished chunk of a backfill: (mode, chunk, params_hash) is done. A chunk is a
-- day (chunk = 'YYYY-MM-DD') or, for a file of URLs, a slice of it ('urls-0003'). The hash
-- covers what changes the work (the sitemaps, the URL list, the extractor version), so the same
-- backfill again skips what it finished, and a changed one does the days again.
CREATE TABLE backfill_chunk_state (
    mode          VARCHAR NOT NULL CHECK (mode IN ('extract', 'sitemap', 'urls', 'digests')),
    chunk         VARCHAR NOT NULL,
    params_hash   VARCHAR NOT NULL,
    day           DATE,                 -- NULL for slices of a URL list
    params        JSON,
    run_id        VARCHAR,              -- the runs row of the backfill that finished it
    completed_at  TIMESTAMPTZ NOT NULL,
    seconds       DOUBLE,
    counts        JSON,
    PRIMARY KEY (mode, chunk, params_hash)
);

CREATE VIEW backfill_chunks AS
SELECT mode, chunk, day, params_hash, params, run_id, completed_at, seconds, counts
FROM backfill_chunk_state;

CREATE VIEW backfill_sources AS
SELECT f.feed_id, f.name, f.url,
       (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id) AS items_total,
       (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id AND i.status = 'fetched') AS fetched,
       (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id AND i.status = 'failed') AS failed
FROM feed_state f
WHERE f.kind = 'backfill';
