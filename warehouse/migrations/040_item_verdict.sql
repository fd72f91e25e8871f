-- item_state.verdict: the relevance verdict that had an item fetched ("kept: score 9 >= 3 ..."),
-- kept apart from `reason`, which a failed attempt overwrites with what failed. When a later
-- attempt succeeds, `feed_items.reason` is the verdict again, not the old error. Items that had
-- failed before this migration have lost their verdict: theirs stays NULL.

ALTER TABLE item_state ADD COLUMN verdict VARCHAR;
UPDATE item_state SET verdict = reason WHERE status = 'pending';
