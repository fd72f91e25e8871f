"""Which missiles a clause names, and which classes can be one launch."""

from __future__ import annotations

from collections.abc import Mapping

from extractors.events.domain import PhraseMatch

BALLISTIC = frozenset({"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "hypersonic"})


def classes_compatible(a: str, b: str) -> bool:
    """Whether two reported classes can be the same launch: equal, one unknown, a range class
    beside a hypersonic warhead ("a hypersonic intermediate-range missile"), or the KN-25's
    SRBM beside the MLRS its makers call it."""
    if a == b or "unknown" in (a, b):
        return True
    return ({a, b} <= BALLISTIC and "hypersonic" in (a, b)) or {a, b} == {"SRBM", "MLRS"}


def missile_groups(
    names: list[PhraseMatch], classes: list[PhraseMatch], designation_class: Mapping[str, str]
) -> list[tuple[str | None, str, list[str]]]:
    """Distinct missiles named in one clause: designations first, then classes not yet covered,
    as (designation, class, the names as written).

    A class word beside a designation of a compatible class ("the Hwasong-18 ICBM") adds nothing;
    a hypersonic warhead outranks a range class ("a hypersonic intermediate-range missile").
    """
    groups: dict[str, tuple[str | None, str, list[str]]] = {}
    for m in names:
        group = groups.setdefault(m.value, (m.value, designation_class.get(m.value, "unknown"), []))
        if m.text not in group[2]:
            group[2].append(m.text)
    found = list(dict.fromkeys(m.value for m in classes))
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
    if ballistic and groups and covered <= {"cruise", "SLV"}:
        # "the test-firing of a ballistic missile and of a cruise missile": two missiles
        groups["ballistic"] = (None, "unknown", [])
    return list(groups.values())
