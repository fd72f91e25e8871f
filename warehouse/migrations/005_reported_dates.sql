-- 'reported' joins date_precision: a report of a launch whose text gives no date is dated by its
-- publication day in Korea (the launch was on or shortly before it). DuckDB cannot alter a CHECK
-- constraint, so both tables are rebuilt with the wider one; the views read them by name and
-- need no change. Column order and every other constraint are exactly those of 002.

CREATE TABLE mention_store_v5 (
    mention_id        VARCHAR PRIMARY KEY,      -- sha256(article, version, kind, offsets, what)[:16]
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('missile_test', 'diplomacy')),
    extractor_version VARCHAR NOT NULL,
    evidence          VARCHAR NOT NULL,         -- the sentence: text[char_start:char_end]
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    reported_by       VARCHAR[] NOT NULL,
    event_date        DATE,                     -- Korea date; NULL when the text gives none
    date_precision    VARCHAR NOT NULL CHECK (date_precision IN ('day', 'reported', 'month', 'unknown')),
    background        BOOLEAN NOT NULL,         -- a past event mentioned in passing
    -- missile tests
    missile_class     VARCHAR,
    designation       VARCHAR,
    names_reported    VARCHAR[],
    num_missiles      INTEGER,
    launch_site       VARCHAR,
    distance_km       DOUBLE,
    apogee_km         DOUBLE,
    landing_area      VARCHAR,
    outcome           VARCHAR CHECK (outcome IN ('success', 'failure', 'unknown')),
    overseen_by       VARCHAR,
    -- diplomacy
    event_type        VARCHAR,
    actors            VARCHAR[],
    persons           VARCHAR[],
    location          VARCHAR,
    summary           VARCHAR,
    -- provenance of each value: [{"field": ..., "char_start": ..., "char_end": ...}]
    field_spans       JSON NOT NULL,
    event_id          VARCHAR,                  -- NULL: not attached to any event
    extracted_at      TIMESTAMPTZ NOT NULL
);

INSERT INTO mention_store_v5 SELECT * FROM mention_store;
DROP TABLE mention_store;
ALTER TABLE mention_store_v5 RENAME TO mention_store;

CREATE TABLE event_store_v5 (
    event_id              VARCHAR PRIMARY KEY,
    kind                  VARCHAR NOT NULL CHECK (kind IN ('missile_test', 'diplomacy')),
    event_date            DATE,
    date_precision        VARCHAR NOT NULL CHECK (date_precision IN ('day', 'reported', 'month', 'unknown')),
    missile_class         VARCHAR CHECK (missile_class IN ('ICBM', 'IRBM', 'MRBM', 'SRBM', 'SLBM', 'cruise', 'hypersonic', 'MLRS', 'SLV', 'unknown')),
    designation           VARCHAR,
    names_reported        VARCHAR[],
    num_missiles          INTEGER,
    launch_site           VARCHAR,
    distance_km           DOUBLE,
    apogee_km             DOUBLE,
    landing_area          VARCHAR,
    outcome               VARCHAR CHECK (outcome IN ('success', 'failure', 'unknown')),
    overseen_by           VARCHAR,
    event_type            VARCHAR CHECK (event_type IN ('summit', 'meeting', 'talks', 'visit', 'statement', 'sanctions', 'un_action', 'military_exercise', 'agreement', 'dialogue_offer', 'dialogue_rejection', 'other')),
    actors                VARCHAR[],
    persons               VARCHAR[],
    location              VARCHAR,
    summary               VARCHAR,
    reported_by           VARCHAR[] NOT NULL,
    num_articles          INTEGER NOT NULL,
    num_sources           INTEGER NOT NULL,
    first_reported_at     TIMESTAMPTZ,
    confidence            DOUBLE NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    disputed_fields       VARCHAR[] NOT NULL,   -- fields the sources gave different values for
    flags                 VARCHAR[] NOT NULL,   -- quality flags shared by every supporting article
    low_confidence        BOOLEAN NOT NULL,
    low_confidence_reason VARCHAR,
    extractor_version     VARCHAR NOT NULL,
    consolidated_at       TIMESTAMPTZ NOT NULL
);

INSERT INTO event_store_v5 SELECT * FROM event_store;
DROP TABLE event_store;
ALTER TABLE event_store_v5 RENAME TO event_store;
