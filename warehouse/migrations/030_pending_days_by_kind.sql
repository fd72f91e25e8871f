-- event_days_pending.kind: which kind of event ('missile_test' or 'diplomacy') the queued days
-- are to be rebuilt for. Launches and diplomacy never share an event, so each kind's days are
-- widened and rebuilt from its own mentions: a visit's week-long reach no longer drags a week of
-- launch reports into the rebuild. NULL (days queued before this migration): both kinds.

ALTER TABLE event_days_pending ADD COLUMN kind VARCHAR;
