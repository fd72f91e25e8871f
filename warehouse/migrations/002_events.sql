-- Events: what each article claims (mentions) and what happened (events), consolidated.
-- Base tables hold state; the public names (missile_tests, diplomacy_events, event_mentions) are
-- views over them, so columns can be added without breaking anyone's SQL.

CREATE TABLE mention_store (
    mention_id        VARCHAR PRIMARY KEY,      -- sha256(article, version, kind, offsets, what)[:16]
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('missile_test', 'diplomacy')),
    extractor_version VARCHAR NOT NULL,
    evidence          VARCHAR NOT NULL,         -- the sentence: text[char_start:char_end]
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    reported_by       VARCHAR[] NOT NULL,
    event_date        DATE,                     -- Korea date; NULL when the text gives none
    date_precision    VARCHAR NOT NULL CHECK (date_precision IN ('day', 'month', 'unknown')),
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

-- Quality flags of each extracted article (extractors.quality), used to weigh its mentions.
CREATE TABLE article_quality (
    article_id        VARCHAR PRIMARY KEY,
    flags             VARCHAR[] NOT NULL,
    reasons           VARCHAR[] NOT NULL,
    extractor_version VARCHAR NOT NULL,
    assessed_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE event_store (
    event_id              VARCHAR PRIMARY KEY,
    kind                  VARCHAR NOT NULL CHECK (kind IN ('missile_test', 'diplomacy')),
    event_date            DATE,
    date_precision        VARCHAR NOT NULL CHECK (date_precision IN ('day', 'month', 'unknown')),
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

CREATE VIEW missile_tests AS
SELECT event_id, event_date, date_precision, missile_class, designation, names_reported,
       num_missiles, launch_site, distance_km, apogee_km, landing_area, outcome, overseen_by,
       reported_by, num_articles, num_sources, first_reported_at, confidence,
       disputed_fields, flags, low_confidence, low_confidence_reason, extractor_version
FROM event_store
WHERE kind = 'missile_test';

CREATE VIEW diplomacy_events AS
SELECT event_id, event_date, date_precision, event_type, actors, persons, location, summary,
       num_articles, num_sources, first_reported_at, confidence,
       reported_by, disputed_fields, flags, low_confidence, low_confidence_reason, extractor_version
FROM event_store
WHERE kind = 'diplomacy';

CREATE VIEW event_mentions AS
SELECT event_id, article_id, kind, evidence, char_start, char_end, reported_by, extractor_version,
       event_date, date_precision, missile_class, designation, names_reported, num_missiles,
       launch_site, distance_km, apogee_km, landing_area, outcome, overseen_by,
       event_type, actors, persons, location, summary,
       mention_id, background, field_spans, extracted_at
FROM mention_store;
