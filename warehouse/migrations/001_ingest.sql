-- Ingest: feeds, the items they carry, fetched pages and the articles made from them.
-- Base tables hold state; the public names (feeds, feed_items, articles) are views over them,
-- so columns can be added to a view without breaking anyone's SQL.

CREATE TABLE feed_state (
    feed_id              VARCHAR PRIMARY KEY,      -- sha256(url)[:16]: stable across renames
    name                 VARCHAR NOT NULL,
    url                  VARCHAR NOT NULL,
    all_relevant         BOOLEAN NOT NULL DEFAULT FALSE,
    in_config            BOOLEAN NOT NULL DEFAULT TRUE,
    etag                 VARCHAR,
    last_modified        VARCHAR,
    last_polled_at       TIMESTAMPTZ,
    last_ok_at           TIMESTAMPTZ,
    last_status          VARCHAR CHECK (last_status IN ('ok', 'not_modified', 'soft_error', 'hard_error')),
    last_http_status     INTEGER,
    last_error           VARCHAR,
    last_defect          VARCHAR,                  -- the feed parsed, but was ill-formed
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll_after      TIMESTAMPTZ,              -- backoff; honours Retry-After
    feed_format          VARCHAR,                  -- rss20, atom10, json11, ...
    encoding             VARCHAR
);

CREATE TABLE item_state (
    feed_id            VARCHAR NOT NULL,
    item_key           VARCHAR NOT NULL,            -- guid/id, else the link, else a title hash
    url                VARCHAR,                     -- tracking parameters stripped
    original_url       VARCHAR,
    title              VARCHAR,
    summary            VARCHAR,
    published_at       TIMESTAMPTZ,
    first_seen_at      TIMESTAMPTZ NOT NULL,
    status             VARCHAR NOT NULL CHECK (status IN ('pending', 'fetched', 'irrelevant', 'skipped', 'failed')),
    reason             VARCHAR,
    relevance_score    DOUBLE,
    relevance_terms    VARCHAR[],
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_attempt_at    TIMESTAMPTZ,
    next_attempt_after TIMESTAMPTZ,
    article_id         VARCHAR,
    PRIMARY KEY (feed_id, item_key)
);

CREATE TABLE raw_pages (
    sha256        VARCHAR PRIMARY KEY,              -- of the decoded HTML bytes as received
    url           VARCHAR NOT NULL,                 -- the URL asked for
    final_url     VARCHAR NOT NULL,                 -- after redirects
    fetched_at    TIMESTAMPTZ NOT NULL,
    http_status   INTEGER NOT NULL,
    content_type  VARCHAR,
    size_bytes    BIGINT NOT NULL,
    html_zlib     BLOB NOT NULL                     -- zlib-compressed raw bytes, for re-extraction
);

CREATE TABLE article_store (
    article_id          VARCHAR PRIMARY KEY,        -- sha256(canonical url)[:16]
    url                 VARCHAR NOT NULL UNIQUE,    -- canonical
    final_url           VARCHAR,
    source              VARCHAR,                    -- publisher: page site name, else host
    host                VARCHAR,
    title               VARCHAR,
    author              VARCHAR,
    published_at        TIMESTAMPTZ,
    published_at_source VARCHAR CHECK (published_at_source IN ('page', 'feed', 'fetched')),
    fetched_at          TIMESTAMPTZ NOT NULL,
    language            VARCHAR,
    text                VARCHAR NOT NULL,
    text_source         VARCHAR NOT NULL CHECK (text_source IN ('page', 'feed_summary')),
    is_relevant         BOOLEAN NOT NULL,
    relevance_score     DOUBLE,
    story_id            VARCHAR NOT NULL,
    minhash             UBIGINT[],                  -- near-duplicate signature (extractors.neardup)
    raw_sha256          VARCHAR,
    feed_id             VARCHAR,                    -- the first feed that brought it
    extracted_with      VARCHAR                     -- trafilatura version
);

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    flow        VARCHAR NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    status      VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'killed')),
    pid         INTEGER,
    counts      JSON,
    errors      VARCHAR[],
    parameters  JSON
);

CREATE VIEW feeds AS
SELECT f.feed_id, f.name, f.url, f.last_polled_at, f.last_status, f.last_error,
       f.consecutive_failures,
       (SELECT count(*) FROM item_state i WHERE i.feed_id = f.feed_id) AS items_total,
       f.last_ok_at, f.last_http_status, f.last_defect, f.next_poll_after, f.all_relevant,
       f.in_config, f.feed_format, f.encoding
FROM feed_state f;

CREATE VIEW feed_items AS
SELECT feed_id, item_key, url, title, summary, published_at, first_seen_at, status, reason,
       relevance_score, relevance_terms, attempts, last_attempt_at, next_attempt_after,
       article_id, original_url
FROM item_state;

CREATE VIEW articles AS
SELECT article_id, url, source, title, author, published_at, fetched_at, language, text,
       text_source, is_relevant, story_id, published_at_source, final_url, host, feed_id,
       raw_sha256, relevance_score
FROM article_store;
