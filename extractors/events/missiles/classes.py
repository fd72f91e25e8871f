"""Which missiles a clause names, and which classes can be one launch."""

from __future__ import annotations

from collections.abc import Mapping

from extractors.events.domain import PhraseMatch

BALLISTIC = frozenset({"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "hypersonic"})


# A satellite rocket is also called a long-range missile ("the Unha-3, which Washington calls an
# ICBM test"): one launch.
_SATELLITE_ROCKET = frozenset({"SLV", "ICBM", "IRBM"})


def classes_compatible(a: str, b: str) -> bool:
    """Whether two reported classes can be the same launch: equal, one unknown, a range class
    beside a hypersonic warhead ("a hypersonic intermediate-range missile"), the KN-25's SRBM
    beside the MLRS its makers call it, or a satellite rocket called a long-range missile."""
    if a == b or "unknown" in (a, b):
        return True
    pair = {a, b}
    return (
        (pair <= BALLISTIC and "hypersonic" in pair)
        or pair == {"SRBM", "MLRS"}
        or (pair <= _SATELLITE_ROCKET and "SLV" in pair)
    )


def stronger_class(first: str, other: str) -> str:
    """The class to show when a launch is called ``first`` and then ``other`` (compatible): a
    known class over unknown, a satellite rocket over a long-range missile, a hypersonic
    warhead over a range class; otherwise the first said ("short-range ballistic missiles",
    then "the super-large multiple rocket launcher": SRBM)."""
    if first == "unknown":
        return other
    if other == "unknown":
        return first
    for strong in ("SLV", "hypersonic"):
        if strong in (first, other):
            return strong
    return first


def stated_class(designation_class: str, stated: list[str]) -> str:
    """The class of a named missile: its designation's, except where the text calls it the other
    of two names the same system goes by (the KN-25 called a multiple rocket launcher: MLRS)."""
    for cls in stated:
        if {cls, designation_class} == {"SRBM", "MLRS"}:
            return cls
    return designation_class


def event_class(classes: list[str], designation_class: str | None) -> str:
    """The class of an event from its reports' classes (best-ranked first): the strongest of
    those compatible with the first, and never one at odds with the named designation's."""
    known = [c for c in classes if c != "unknown"]
    if designation_class is not None:
        known = [c for c in known if classes_compatible(c, designation_class)] or [
            designation_class
        ]
    if not known:
        return "unknown"
    top = max(set(known), key=lambda c: (known.count(c), -known.index(c)))
    out = top
    for cls in known:
        if classes_compatible(out, cls):
            out = stronger_class(out, cls) if cls in ("SLV", "hypersonic") else out
    return out


def _member_of(member: str, family: str) -> bool:
    """'Scud-ER' of the 'Scud' (not 'Hwasong-15' of a 'Hwasong-1')."""
    return member != family and member.startswith(family) and not member[len(family)].isdigit()


def missile_groups(
    names: list[PhraseMatch],
    classes: list[PhraseMatch],
    designation_class: Mapping[str, str],
    *,
    other_missiles: bool = False,
) -> list[tuple[str | None, str, list[str]]]:
    """Distinct missiles named in one clause: designations first, then classes not yet covered,
    as (designation, class, the names as written).

    A class word beside a designation of a compatible class ("the Hwasong-18 ICBM") adds nothing;
    a hypersonic warhead outranks a range class ("a hypersonic intermediate-range missile").
    ``other_missiles``: missiles of no class are named beside a cruise missile, a satellite
    rocket or rocket artillery ("two missiles and rocket artillery"), and are a launch of their own.
    """
    groups: dict[str, tuple[str | None, str, list[str]]] = {}
    found = list(dict.fromkeys(m.value for m in classes))
    values = {m.value for m in names}
    for m in names:
        if any(_member_of(other, m.value) for other in values):
            continue  # "extended-range Scuds, a new version of the Scud": one missile, the Scud-ER
        cls = stated_class(designation_class.get(m.value, "unknown"), found)
        group = groups.setdefault(m.value, (m.value, cls, []))
        if m.text not in group[2]:
            group[2].append(m.text)
    ballistic = "unknown" in found  # "a ballistic missile" (no range class)
    found = [c for c in found if c != "unknown"]
    if "hypersonic" in found:
        found = [c for c in found if c not in BALLISTIC or c == "hypersonic"]
    covered = {g[1] for g in groups.values()}
    for cls in found:
        if cls in covered:
            continue
        if (
            groups
            and cls not in ("cruise", "SLV")
            and any(classes_compatible(cls, c) for c in covered)
        ):
            continue
        groups[cls] = (None, cls, [])
        covered.add(cls)
    if (ballistic and groups and covered <= {"cruise", "SLV"}) or (
        other_missiles and groups and covered <= {"cruise", "SLV", "MLRS"}
    ):
        # "the test-firing of a ballistic missile and of a cruise missile", "two missiles and
        # rocket artillery": two kinds of missile
        groups["ballistic"] = (None, "unknown", [])
    return list(groups.values())
