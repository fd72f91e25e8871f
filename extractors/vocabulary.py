"""The vocabularies (event fields and the pipeline's statuses), labels and colours, in one place.

The extractor emits only these values, the warehouse's ``CHECK`` constraints accept only these
values (a test compares the migrations with this module), and the digest shows the labels given
here, so a summary written by the extractor ("Offer of dialogue: ...") starts with exactly the label
the digest strips.

    >>> MISSILE_CLASS_LABELS["SLV"]
    'satellite launch vehicle'
"""

from __future__ import annotations

from typing import Literal, get_args

MissileClass = Literal[
    "ICBM", "IRBM", "MRBM", "SRBM", "SLBM", "cruise", "hypersonic", "MLRS", "SLV", "unknown"
]  # fmt: skip
DiplomacyType = Literal[
    "summit", "meeting", "talks", "visit", "statement", "sanctions", "un_action",
    "military_exercise", "agreement", "dialogue_offer", "dialogue_rejection", "other",
]  # fmt: skip
Outcome = Literal["success", "failure", "unknown"]
# 'reported': the text gives no date and the launch was reported on event_date, so it happened on
# or shortly before that day. Never shown as a day.
DatePrecision = Literal["day", "reported", "month", "unknown"]
MentionKind = Literal["missile_test", "diplomacy"]

# -- the pipeline's statuses ------------------------------------------------------------------
# A feed poll: 'soft_error' may recover by itself (timeouts, 429, 5xx, 404), 'hard_error' needs
# a person (not a feed, refused address, 410).
FeedStatus = Literal["ok", "not_modified", "soft_error", "hard_error"]
# A feed item: 'pending' until its page is stored ('fetched'); 'failed' is retried on later runs
# until fetch.max_attempts; 'skipped' is final (robots.txt, not HTML, too large).
ItemStatus = Literal["pending", "fetched", "irrelevant", "skipped", "failed"]
# What one page fetch ended as (an item status the fetch can set).
PageStatus = Literal["fetched", "skipped", "failed"]
TextSource = Literal["page", "feed_summary"]
PublishedAtSource = Literal["page", "feed", "fetched"]
# A row of ``runs``. A 'running' row whose process is gone is shown as 'stale' by
# ``koreawatch status`` and closed as 'killed' by the next run.
RunStatus = Literal["running", "ok", "failed", "killed"]
DeliveryStatus = Literal["sent", "failed_transient", "failed_permanent"]
BackfillMode = Literal["extract", "sitemap", "urls", "digests"]

FEED_STATUSES: tuple[FeedStatus, ...] = get_args(FeedStatus)
ITEM_STATUSES: tuple[ItemStatus, ...] = get_args(ItemStatus)
PAGE_STATUSES: tuple[PageStatus, ...] = get_args(PageStatus)
TEXT_SOURCES: tuple[TextSource, ...] = get_args(TextSource)
PUBLISHED_AT_SOURCES: tuple[PublishedAtSource, ...] = get_args(PublishedAtSource)
RUN_STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)
DELIVERY_STATUSES: tuple[DeliveryStatus, ...] = get_args(DeliveryStatus)
BACKFILL_MODES: tuple[BackfillMode, ...] = get_args(BackfillMode)

MISSILE_CLASSES: tuple[MissileClass, ...] = get_args(MissileClass)
DIPLOMACY_TYPES: tuple[DiplomacyType, ...] = get_args(DiplomacyType)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
DATE_PRECISIONS: tuple[DatePrecision, ...] = get_args(DatePrecision)
MENTION_KINDS: tuple[MentionKind, ...] = get_args(MentionKind)

MISSILE_CLASS_LABELS: dict[str, str] = {
    "ICBM": "ICBM",
    "IRBM": "IRBM",
    "MRBM": "MRBM",
    "SRBM": "SRBM",
    "SLBM": "SLBM",
    "cruise": "cruise missile",
    "hypersonic": "hypersonic missile",
    "MLRS": "rocket artillery (MLRS)",
    "SLV": "satellite launch vehicle",
    "unknown": "missile, class not reported",
}
# Fixed colours per class so a month's bar means the same thing in every digest.
MISSILE_CLASS_COLOURS: dict[str, str] = {
    "ICBM": "#c0392b",
    "IRBM": "#e67e22",
    "MRBM": "#d4ac0d",
    "SRBM": "#2e6da4",
    "SLBM": "#17a2b8",
    "cruise": "#27ae60",
    "hypersonic": "#8e44ad",
    "MLRS": "#8d6e63",
    "SLV": "#d81b60",
    "unknown": "#95a5a6",
}
DIPLOMACY_TYPE_LABELS: dict[str, str] = {
    "summit": "Summit",
    "meeting": "Meeting",
    "talks": "Talks",
    "visit": "Visit",
    "statement": "Statement",
    "sanctions": "Sanctions",
    "un_action": "UN action",
    "military_exercise": "Military exercise",
    "agreement": "Agreement",
    "dialogue_offer": "Offer of dialogue",
    "dialogue_rejection": "Dialogue rejected",
    "other": "Other",
}
# Colours of the terminal's status columns (``koreawatch feeds`` and ``status``).
FEED_STATUS_COLOURS: dict[str, str] = {
    "ok": "green",
    "not_modified": "green",
    "soft_error": "yellow",
    "hard_error": "red",
}
RUN_STATUS_COLOURS: dict[str, str] = {
    "ok": "green",
    "running": "cyan",
    "failed": "red",
    "killed": "yellow",
    "stale": "yellow",
}
OUTCOME_LABELS: dict[str, str] = {
    "success": "Success",
    "failure": "Failure",
    "unknown": "Not reported",
}
