-- Digest delivery ledger: one row per (digest day, recipient), written right after that
-- recipient's SMTP transaction ends, so a re-run after a crash sends only to those who did not
-- get the digest. The base table holds state; `digest_deliveries` is the public view (as in 001).

CREATE TABLE digest_delivery_state (
    digest_date  DATE NOT NULL,                   -- the digest's calendar day (digest.timezone)
    recipient    VARCHAR NOT NULL,                -- lower-cased address
    status       VARCHAR NOT NULL CHECK (status IN ('sent', 'failed_transient', 'failed_permanent')),
    message_id   VARCHAR,                         -- the Message-ID header of the last attempt
    attempts     INTEGER NOT NULL DEFAULT 0,      -- SMTP attempts over all runs
    last_error   VARCHAR,                         -- the server's reply or the socket error
    sent_at      TIMESTAMPTZ,                     -- when the server accepted the message
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (digest_date, recipient)
);

CREATE VIEW digest_deliveries AS
SELECT digest_date, recipient, status, message_id, attempts, last_error, sent_at, updated_at
FROM digest_delivery_state;
