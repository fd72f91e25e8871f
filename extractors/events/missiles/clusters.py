"""Grouping an article's launch claims into launches.

Claims of the anchor sentences join a launch when their designations, classes and dates agree;
the sentences right after an anchor (detail sentences: "The missile flew about 800 km") join
the launch being told, unless they date another day or speak of another missile of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.events.dates import DateRef
from extractors.events.missiles.anchors import Item, anchor_items
from extractors.events.missiles.classes import classes_compatible, stated_class, stronger_class
from extractors.events.missiles.dating import dated_elsewhere, dates_compatible
from extractors.events.missiles.patterns import (
    BACK_REFERENCE,
    BOTH_TESTS,
    COUNT_VERB,
    DETAIL_WORDS,
    FLIGHT_PHASE_AFTER,
    KINDS_JOINED,
    KOREAN_DETAIL_WORDS,
    KOREAN_SINCE,
    OCCASION,
    OF_TOTAL,
    PLAN_SENTENCE,
    PLURAL_MISSILES,
    PLURAL_SUBJECT,
    QUANTITY,
    STATE_OWNS_AFTER,
    THESE_BACK,
)
from extractors.events.missiles.reading import Reading
from extractors.events.text import Sentence

# How far after an anchor a detail sentence may stand and still describe the same launch.
DETAIL_WINDOW = 3


@dataclass
class Cluster:
    """One launch as an article tells it: its anchor claims and detail sentences."""

    designation: str | None
    missile_class: str
    date: DateRef | None
    background: bool
    anchors: list[Item] = field(default_factory=list)
    details: list[Sentence] = field(default_factory=list)
    last_index: int = 0
    # launches named together in one anchor sentence ("the test-firing of a ballistic missile and
    # of a cruise missile"): one occasion, so an undated one takes the date of a dated one
    siblings: list[Cluster] = field(default_factory=list)
    # "About 40 minutes later, two further missiles were launched": the missiles fired after
    # this launch's, told as a launch of their own (another system), or folded into this one
    # (``merged``: the same system, so the counts add up)
    followers: list[Cluster] = field(default_factory=list)
    merged: list[Cluster] = field(default_factory=list)

    def sentences(self) -> list[tuple[Sentence, tuple[int, int]]]:
        """Its sentences in text order, each with the part that speaks of this launch."""
        seen: dict[int, tuple[Sentence, tuple[int, int]]] = {}
        for item in self.anchors:
            if item.sentence.index not in seen:
                seen[item.sentence.index] = (item.sentence, item.region)
        for s in self.details:
            seen.setdefault(s.index, (s, (s.start, s.end)))
        return [seen[k] for k in sorted(seen)]


def _accompanying(cluster: Cluster) -> bool:
    """Whether a launch was told only as another system fired beside the one reported."""
    return all(i.accompanying for i in cluster.anchors)


def _item_fits(cluster: Cluster, item: Item) -> bool:
    # A launch told in passing never lends its date or name to the one reported, nor takes a
    # claim of the news ("North Korea has sent a signal with its recent tests. The launches,
    # including a cruise missile, ...": the cruise missile is news, not the aside's).
    if cluster.background != item.background:
        return False
    if item.designation and cluster.designation and item.designation != cluster.designation:
        return False
    if not classes_compatible(item.missile_class, cluster.missile_class):
        return False
    return dates_compatible(cluster.date, item.date)


def _find_cluster(
    clusters: list[Cluster], current: Cluster | None, item: Item, taken: list[Cluster]
) -> Cluster | None:
    told = _told_before(clusters, current, item)
    if told is not None:
        item.background = True
        return told
    if current is not None and current not in taken and _item_fits(current, item):
        return current
    if item.date is None and item.designation is None and item.missile_class == "unknown":
        # An unspecific claim ("the launch") with no date belongs to the launch being told.
        return (
            current
            if current is not None
            and current not in taken
            and not (item.background and not current.background)
            else None
        )
    for cluster in clusters:
        if cluster is not current and cluster not in taken and _item_fits(cluster, item):
            return cluster
    return None


def _told_before(clusters: list[Cluster], current: Cluster | None, item: Item) -> Cluster | None:
    """ "..., days after a set of MLRS tests. The MLRS tests were of smaller rockets": an undated
    claim of the class of a launch just told in passing, which the launch reported is not of,
    refers back to that one."""
    if item.background or item.date is not None or item.designation is not None:
        return None
    if current is not None and not current.background:
        # "..., North Korea conducted a series of launches [in passing]. South Korea identified
        # these as SAMs and SRBMs": "these" are the launches of the sentence just before
        before = next((c for c in reversed(clusters) if c.background), None)
        if (
            before is not None
            and before.last_index == item.sentence.index - 1
            and THESE_BACK.search(item.sentence.text)
        ):
            return before
    if (
        item.missile_class == "unknown"
        or current is None
        or current.background
        or current.missile_class == item.missile_class
    ):
        return None
    return next(
        (
            c
            for c in reversed(clusters)
            if c.background and c.missile_class == item.missile_class and c.designation is None
        ),
        None,
    )


def _merge_item(r: Reading, cluster: Cluster, item: Item, others: set[str]) -> None:
    """Fold one more claim into a launch: a name, a more specific class, a better date. A later
    sentence that names the system beside another kind ("the launch was a drill of super-large
    multiple rocket launchers and tactical ballistic missiles") does not say which it was."""
    if (
        cluster.designation is None
        and item.designation is not None
        and not _names_another_kind(
            r, item.sentence.text, r.d.designation_class[item.designation], others
        )
    ):
        cluster.designation = item.designation
    if not classes_compatible(cluster.missile_class, item.missile_class):
        cluster.missile_class = item.missile_class  # only a named missile gets here
    else:
        cluster.missile_class = stronger_class(cluster.missile_class, item.missile_class)
    better_date = item.date is not None and (
        cluster.date is None
        or cluster.date.value is None
        or (cluster.date.precision == "month" and item.date.precision == "day")
    )
    if better_date:
        cluster.date = item.date


def _is_detail(r: Reading, text: str) -> bool:
    if r.t.anniversary.search(text) or r.t.years_ago.search(text):
        return False
    if (
        r.has_missile_word(text)
        or QUANTITY.search(text)
        or COUNT_VERB.search(text)
        or OF_TOTAL.search(text)  # "(1 of 2)"
        or DETAIL_WORDS.search(text)
        or KOREAN_DETAIL_WORDS.search(text)
    ):
        # "The next day a South Korean Hyunmoo-2 crashed after launch.": another state's
        return not _other_states_launch(r, text)
    return False


def _other_states_launch(r: Reading, text: str) -> bool:
    """Whether a sentence tells of another state's missile: one of its missiles named ("a
    Hyunmoo-2"), or the state's word right before a launch or missile word ("a South Korean
    missile launch"), and no North Korean missile named."""
    if r.names(text) or not (r.has_missile_word(text) or r.t.nouns.search(text)):
        return False
    if any(m.value for m in r.found(r.d.foreign_missiles, text)):
        return True  # (missile defence, value '', is no state's launch)
    return any(
        "PRK" not in m.value.split("+") and STATE_OWNS_AFTER.match(text, m.end)
        for m in r.found(r.d.countries, text)
    )


def _names_another_kind(r: Reading, text: str, cls: str, told: set[str] | None = None) -> bool:
    """ "a drill of super-large multiple rocket launchers and tactical ballistic missiles": a
    class word joined to the name by "and" or "or" that is not the name's own class names a second
    kind of missile, so the sentence does not say which one the launch was (unless that kind is a
    launch of its own in ``told``: "a new tactical ballistic missile called the
    Hwasongpho-11-Da-4.5 and an upgraded strategic cruise missile"). "KN-25 short-range ballistic
    missiles" calls one kind by two names."""
    names = r.names(text)
    skip = {"unknown", cls, *(told or ())}
    for m in r.classes(text):
        if m.value in skip or any(n.start <= m.start < n.end for n in names):
            continue
        for n in names:
            a, b = (n.end, m.start) if n.end <= m.start else (m.end, n.start)
            if a <= b and KINDS_JOINED.fullmatch(text, a, b):
                return True
    return False


def _own_names(r: Reading, text: str) -> set[str]:
    """Designations a detail sentence gives the launch itself, leaving out those it names for
    comparison ("beating the record set by a Hwasong-18", "unlike the Hwasong-16B")."""
    return {
        m.value
        for m in r.names(text)
        if not r.t.comparison.search(text, max(0, m.start - 45), m.start)
    }


def cluster_launches(r: Reading) -> list[Cluster]:
    """The launches an article tells of, each with its anchor claims and detail sentences."""
    clusters: list[Cluster] = []
    current: Cluster | None = None
    for s in r.sentences:
        items = anchor_items(r, s, first_report=not clusters)
        if items:
            first_cluster: Cluster | None = None
            taken: list[Cluster] = []  # two claims of one sentence are two missiles
            for item in items:
                after = (
                    current
                    if item.further
                    and current is not None
                    and not current.background
                    and not item.background
                    and current not in taken
                    and dates_compatible(current.date, item.date)
                    else None
                )
                target = (
                    None
                    if after is not None or item.accompanying
                    else _find_cluster(clusters, current, item, taken)
                )
                if target is None:
                    target = Cluster(
                        item.designation, item.missile_class, item.date, item.background
                    )
                    clusters.append(target)
                    if after is not None:
                        after.followers.append(target)
                else:
                    others = {i.missile_class for i in items if i is not item}
                    _merge_item(r, target, item, others)
                target.anchors.append(item)
                target.last_index = s.index
                if target not in taken:
                    taken.append(target)
                if first_cluster is None:
                    first_cluster = target
            for cluster in taken:
                cluster.siblings.extend(c for c in taken if c is not cluster)
            every = BOTH_TESTS.search(s.text) is not None
            if len(taken) == 1 and (
                every
                or (
                    all(i.designation is None for i in items)
                    and (PLURAL_SUBJECT.match(s.text) or PLURAL_MISSILES.search(s.text))
                )
            ):
                # "The missiles were launched from ...", "it detected several cruise missiles
                # fired from near Hamhung": every missile of that kind told beside this one
                for sibling in taken[0].siblings:
                    if (
                        not sibling.background
                        and s not in sibling.details
                        and (
                            every
                            or all(
                                classes_compatible(i.missile_class, sibling.missile_class)
                                for i in items
                            )
                        )
                    ):
                        sibling.details.append(s)
                        sibling.last_index = s.index
            if current is None or current.background or any(not c.background for c in taken):
                # the launch reported, before one told in passing ("Days after the Hwasong-15
                # test, North Korea fired ...": what follows is about the news)
                current = next(
                    (c for c in taken if not c.background and not _accompanying(c)), first_cluster
                )
            # else: a launch told in passing; the sentences after it still speak of the one
            # the article reports
        elif (
            current is not None
            and s.index - current.last_index <= DETAIL_WINDOW
            and _is_detail(r, s.text)
        ):
            if dated_elsewhere(r, s, current.date):
                # "On Monday night, a rocket ... blew up": another launch, on another day
                current = None
                continue
            current = _add_detail(r, s, current, clusters)
    for cluster in clusters:
        if cluster.date is None and not cluster.background:
            cluster.date = next(
                (c.date for c in cluster.siblings if c.date is not None and not c.background),
                None,
            )
    clusters = _fold_followers(clusters)
    _details_before(r, clusters)
    return [c for c in clusters if not all(i.aggregate and i.background for i in c.anchors)]


def _details_before(r: Reading, clusters: list[Cluster]) -> None:
    """ "There is conflicting information about this test. Seoul said the launch came from
    Sukchon ... This missile exploded 17 seconds into flight": an analyst may tell the launch
    before the sentence that reports it; the sentences right before the first report that refer
    to "the launch" or "this test" are its details."""
    first = next((c for c in clusters if not c.background), None)
    if first is None or not first.anchors:
        return
    start = min(i.sentence.index for i in first.anchors)
    used = {i.sentence.index for c in clusters for i in c.anchors}
    for s in r.sentences[max(0, start - DETAIL_WINDOW) : start]:
        if (
            s.index not in used
            and BACK_REFERENCE.search(s.text)
            and _is_detail(r, s.text)
            and not dated_elsewhere(r, s, first.date)
            and s not in first.details
        ):
            first.details.append(s)


def _fold_followers(clusters: list[Cluster]) -> list[Cluster]:
    """Missiles fired after a launch and never told apart from it ("North Korea fired a missile
    at 7 a.m. ... Hours later it fired two more") are more of the same launch; those the text
    names as another system ("... were KN-23s") stay a launch of their own, on the same day
    unless the text dates them."""
    for cluster in clusters:
        for follower in cluster.followers:
            if follower.date is None:
                follower.date = cluster.date  # "Some 40 minutes later ...": the same day
    folded: list[Cluster] = []
    # Last launch first, so that a chain ("... later it fired two more. An hour later, two
    # further ...") reaches the first launch whole: each follower brings its own followers.
    for cluster in reversed(clusters):
        for follower in list(cluster.followers):
            if follower.designation in (None, cluster.designation) and classes_compatible(
                follower.missile_class, cluster.missile_class
            ):
                cluster.followers.remove(follower)
                cluster.merged.extend([follower, *follower.merged])
                cluster.anchors.extend(follower.anchors)
                cluster.details.extend(follower.details)
                cluster.last_index = max(cluster.last_index, follower.last_index)
                folded.append(follower)
    return [c for c in clusters if not any(c is f for f in folded)]


def _add_detail(r: Reading, s: Sentence, current: Cluster, clusters: list[Cluster]) -> Cluster:
    """Attach a detail sentence to the launch it speaks of; returns the launch now being told."""
    named = {m.value for m in r.names(s.text)}
    classes = {m.value for m in r.classes(s.text)} - {"unknown"}
    if classes and not any(classes_compatible(c, current.missile_class) for c in classes):
        if PLAN_SENTENCE.search(s.text):
            return current  # "The JCS did not mention a cruise missile"
        # "several short-range ballistic missiles" after a cruise missile's anchor: the detail
        # belongs to the ballistic missile told beside it
        other = next(
            (
                c
                for c in current.siblings
                if not c.background and any(classes_compatible(k, c.missile_class) for k in classes)
            ),
            None,
        )
        if other is not None:
            current = other
    # "The Hwasal-1s flew 1,500 km, while the Hwasal-2s covered 1,800 km"; "It gave few details
    # about the cruise missile": the other missile of the same launch
    # "The missiles were launched from ...", "several cruise missiles fired from near Hamhung":
    # no name, in the plural, a detail of every missile of that kind told beside this one
    together = not named and bool(
        PLURAL_SUBJECT.match(s.text)
        or PLURAL_MISSILES.search(s.text)
        # "Kim Jong Un oversaw the test-fire.": the occasion of every missile told beside it
        or (OCCASION.search(s.text) and not r.has_missile_word(s.text))
    )
    # "... and that both tests achieved their goals": every launch of the occasion
    every = BOTH_TESTS.search(s.text) is not None
    for other in clusters:
        if other is current or other.background:
            continue
        if (
            other.designation in named
            or (every and other in current.siblings)
            or (
                together
                and other in current.siblings
                and all(classes_compatible(c, other.missile_class) for c in classes)
            )
            or (
                other.designation is None
                and other.missile_class in classes
                and other.missile_class != current.missile_class
                and other in current.siblings
                and not PLAN_SENTENCE.search(s.text)  # "did not mention a cruise missile"
            )
        ):
            other.details.append(s)
            other.last_index = s.index
    current.details.append(s)
    current.last_index = s.index
    if (
        current.missile_class == "unknown"
        and not named
        and not PLAN_SENTENCE.search(s.text)
        # "... 10 hours after it fired an SRBM": a sentence that tells a launch may tell another
        and not r.tells_launch(s.text, 0, len(s.text))
        # ("flew 360 km before falling into the sea": the same flight, no aside)
        and not any(
            not FLIGHT_PHASE_AFTER.match(s.text, a.end()) for a in r.t.aside.finditer(s.text)
        )
        and not KOREAN_SINCE.search(s.text)
    ):
        # "North Korea fired projectiles ... The North described the system as a guided
        # multiple rocket launching system": a class said of this launch, and no other
        stated = {
            m.value
            for m in r.classes(s.text)
            if m.value != "unknown"
            and not r.t.comparison.search(s.text, max(0, m.start - 45), m.start)
        }
        if len(stated) == 1:
            current.missile_class = stated.pop()
    own = _own_names(r, s.text)
    if current.designation is None and len(own) == 1:
        designation = own.pop()
        cls = r.d.designation_class[designation]
        if classes_compatible(cls, current.missile_class) and not _names_another_kind(
            r, s.text, cls
        ):
            current.designation = designation
            # "18 short-range ballistic missiles ... the KN-25": the class said first stays
            current.missile_class = stated_class(cls, [current.missile_class, *sorted(classes)])
    return current
