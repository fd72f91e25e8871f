"""Domain knowledge from ``extractors/data/*.toml``, loaded and validated once.

Every list of names becomes a :class:`PhraseMatcher`: one compiled regular expression that finds
any alias and tells which canonical value it stands for.

    domain = load_domain()
    [(m.value, m.text) for m in domain.designations.find("fired a KN-23")]
    # [('Hwasong-11A', 'KN-23')]
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from extractors.vocabulary import DIPLOMACY_TYPES, MISSILE_CLASSES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_LATIN = "A-Za-z0-9\u00c0-\u024f"
_HANGUL_OR_CJK = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u4e00-\u9fff]")
_SEP_CHARS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013'\u2019.]")


class DomainDataError(ValueError):
    """A data file in extractors/data is malformed; the message names the file and entry."""


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    value: str
    text: str
    start: int
    end: int


def _normalise(text: str) -> str:
    return _SEP_CHARS.sub("", text).casefold()


def _alias_atoms(alias: str, *, ignore_case: bool, strict_end: bool) -> tuple[list[str], str]:
    """One alias as regex atoms (one per character, separators made flexible) and its tail.

    Word edges apply to Latin letters and digits only: Korean particles attach to the word
    (북한은), so a Hangul alias has no edge. With ``ignore_case`` every letter matches both cases;
    otherwise an all-lowercase alias also matches with its first letter capitalised
    ("state media", "State media").
    """
    atoms: list[str] = []
    prev = ""
    for ch in alias:
        if ch == " ":
            atom = r"\s+"
        elif ch in "-\u2010\u2011\u2013":
            atom = r"[-\u2010\u2011\u2013\s]?"
        elif ch in "'\u2019":
            atom = "['\u2019]"
        else:
            # "Hwasong15", "Hwasong-11 Da", "KN 23": an optional separator where digits meet letters
            if prev and (prev.isdigit() != ch.isdigit()) and prev.isalnum() and ch.isalnum():
                atoms.append(r"[-\s]?")
            if ignore_case and ch.lower() != ch.upper():
                atom = f"[{ch.lower()}{ch.upper()}]"
            elif not atoms and ch.isalpha() and ch.islower() and alias == alias.lower():
                atom = f"[{ch}{ch.upper()}]"
            else:
                atom = re.escape(ch)
        atoms.append(atom)
        prev = ch
    if re.match(f"[{_LATIN}]", alias[0]):
        # The edge test comes after the first character, so the compiled pattern still starts
        # with plain characters and the regex engine can skip quickly to candidate positions.
        atoms[0] = f"{atoms[0]}(?<![{_LATIN}]{atoms[0]})"
    tail = ""
    if re.match(f"[{_LATIN}]", alias[-1]):
        tail = (
            # "Hwasong-11" is not the start of "Hwasong-11A" or "Hwasong-11-Da"; "Hwasal-1s" is
            # plural; "two KN-23-type SRBMs" names the KN-23
            f"(?:(?![{_LATIN}]|-[{_LATIN}])|(?=s(?![{_LATIN}]))"
            f"|(?=-(?:type|class|like|variant)s?(?![{_LATIN}])))"
            if strict_end
            else f"(?![{_LATIN}])"
        )
    return atoms, tail


class _Trie:
    __slots__ = ("children", "tails")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.tails: list[str] = []

    def add(self, atoms: list[str], tail: str) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie())
        if tail not in node.tails:
            node.tails.append(tail)

    def pattern(self) -> str:
        # Children first: the longest alias wins, with backtracking to a shorter one.
        branches = [atom + child.pattern() for atom, child in self.children.items()]
        branches += self.tails
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"


def _compile(aliases: Sequence[str], *, ignore_case: bool, strict_end: bool) -> re.Pattern[str]:
    """One regex for many aliases, their common prefixes shared (fast on long texts).

    Names (case kept: "Hwasong-15", "Sunan") become branches that each start with a plain
    character, so the regex engine looks the character under the cursor up in one table and skips
    most positions of a long text at C speed. Word lists that ignore case ("fired", "launch") start
    with a look at the word's first letter instead: split by case, their common lowercase letters
    would stop the engine inside every word.
    """
    trie = _Trie()
    latin: set[str] = set()
    other: set[str] = set()
    for alias in aliases:
        atoms, tail = _alias_atoms(alias, ignore_case=ignore_case, strict_end=strict_end)
        first = alias[0]
        if ignore_case or first.lower() == first.upper() or not atoms[0].startswith("["):
            trie.add(atoms, tail)
            starts = {first, first.lower(), first.upper()} if ignore_case else {first}
            (latin if re.match(f"[{_LATIN}]", first) else other).update(starts)
            continue
        # "[sS]tate media": one branch per case of the first letter
        for ch in (first.lower(), first.upper()):
            trie.add([atoms[0].replace(f"[{first.lower()}{first.upper()}]", ch), *atoms[1:]], tail)
    if not ignore_case:
        return re.compile(trie.pattern())
    # (case is folded in the atoms, "[hH]", not with re.IGNORECASE: faster)
    gate = []
    if latin:
        gate.append(f"(?<![{_LATIN}])[{_char_class(latin)}]")
    if other:
        gate.append(f"[{_char_class(other)}]")
    return re.compile(f"(?={'|'.join(gate)}){trie.pattern()}")


def _char_class(chars: set[str]) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


class PhraseMatcher:
    """Finds any of many aliases in a text and maps each hit to its canonical value.

    English aliases that contain a capital letter match case-sensitively ("US" is not "us");
    all-lowercase aliases ignore the case of their first letter; ``ignore_case=True`` ignores case
    entirely. Longer aliases win over shorter ones at the same position.
    """

    def __init__(
        self,
        name: str,
        pairs: Sequence[tuple[str, str]],
        *,
        ignore_case: bool = False,
        strict_end: bool = False,
        exclude_after: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.name = name
        self._lookup: dict[str, str] = {}
        seen: dict[str, str] = {}
        for alias, value in pairs:
            alias = alias.strip()
            if not alias:
                raise DomainDataError(f"{name}: empty alias for {value!r}")
            key = _normalise(alias)
            if key in seen and seen[key] != value:
                raise DomainDataError(
                    f"{name}: alias {alias!r} stands for both {seen[key]!r} and {value!r}"
                )
            seen[key] = value
        self._lookup = seen
        self._surfaces: dict[str, str | None] = {}  # surface text -> value, filled as met
        aliases = sorted({a.strip() for a, _ in pairs})
        self.regex = _compile(aliases, ignore_case=ignore_case, strict_end=strict_end)
        self._exclude: dict[str, re.Pattern[str]] = {
            value: re.compile(r"\s*(?:" + "|".join(re.escape(w) for w in words) + ")", re.I)
            for value, words in (exclude_after or {}).items()
        }

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[PhraseMatch]:
        stop = len(text) if end is None else end
        surfaces = self._surfaces
        for m in self.regex.finditer(text, start, stop):
            surface = m.group(0)
            if surface in surfaces:
                value = surfaces[surface]
            else:  # the same few surface forms come back again and again
                value = surfaces[surface] = self._lookup.get(_normalise(surface))
            if value is None:
                continue
            excluded = self._exclude.get(value)
            if excluded is not None and excluded.match(text, m.end()):
                continue
            yield PhraseMatch(value, surface, m.start(), m.end())

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[PhraseMatch]:
        stop = len(text) if end is None else end
        surfaces = self._surfaces
        out = []
        for m in self.regex.finditer(text, start, stop):  # finditer() without a generator
            surface = m.group(0)
            if surface in surfaces:
                value = surfaces[surface]
            else:
                value = surfaces[surface] = self._lookup.get(_normalise(surface))
            if value is None:
                continue
            excluded = self._exclude.get(value)
            if excluded is not None and excluded.match(text, m.end()):
                continue
            out.append(PhraseMatch(value, surface, m.start(), m.end()))
        return out

    def search(self, text: str, start: int = 0, end: int | None = None) -> PhraseMatch | None:
        return next(self.finditer(text, start, end), None)


def phrase_regex(phrases: Sequence[str]) -> re.Pattern[str]:
    """One case-insensitive regex for a list of keywords (no canonical values needed)."""
    return _compile(
        sorted({p.strip() for p in phrases if p.strip()}), ignore_case=True, strict_end=False
    )


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    lat: float
    lon: float
    broad: bool  # a city, province or coast: a nearer place named beside it wins
    coast: bool = False  # a coast: any other place wins

    @property
    def rank(self) -> int:
        return 0 if self.coast else (1 if self.broad else 2)


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    kind: str  # military | official | state_media | media


@dataclass(frozen=True, slots=True)
class DiplomacyType:
    name: str
    triggers: re.Pattern[str]
    min_actors: int
    requires_actor: tuple[str, ...]
    verbs: re.Pattern[str] | None


@dataclass(frozen=True)
class Domain:
    """Everything the rule-based extractor knows, compiled."""

    designation_class: Mapping[str, str]
    designations: PhraseMatcher
    foreign_missiles: PhraseMatcher  # value: country code ('' for missile defence)
    class_terms: PhraseMatcher
    sites: Mapping[str, Site]
    site_names: PhraseMatcher
    landing_areas: PhraseMatcher
    agencies: Mapping[str, Agency]
    agency_names: PhraseMatcher
    countries: PhraseMatcher  # value: alpha-3, UN/EU/NATO, or "A+B" for compounds
    persons: PhraseMatcher  # value: canonical name
    person_country: Mapping[str, str]
    leaders: frozenset[str]  # heads of state or government
    # person -> the forms used alone once the full name has appeared ("Kim", "김 위원장"), each
    # with its pattern
    short_names: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]]
    person_died: Mapping[str, date]  # persons no longer alive: no part in later events
    locations: PhraseMatcher
    location_country: Mapping[str, str]  # place -> the state it lies in (the host of a visit)
    terms: Mapping[str, re.Pattern[str]]  # "missile.launch_verbs", "dates.today", ...
    diplomacy_order: tuple[str, ...]
    diplomacy_types: Mapping[str, DiplomacyType]
    diplomacy_any: re.Pattern[str]  # every trigger of every type: a quick first test


def _read(name: str) -> dict[str, Any]:
    path = DATA_DIR / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DomainDataError(f"{path}: {exc}") from exc


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DomainDataError(f"{where}: expected a list of non-empty strings")
    return list(value)


def _expand_romanisations(alias: str, variants: Mapping[str, list[str]]) -> list[str]:
    """'Hwasong-15' -> ['Hwasong-15', 'Hwaseong-15', 'Hwasongpho-15', ...]."""
    slots = [(base, vs) for base, vs in variants.items() if base in alias]
    if not slots:
        return [alias]
    out = []
    for combo in itertools.product(*(vs for _, vs in slots)):
        text = alias
        for (base, _), variant in zip(slots, combo, strict=True):
            text = text.replace(base, variant)
        out.append(text)
    return out


def _load_missiles(
    data: dict[str, Any],
) -> tuple[dict[str, str], PhraseMatcher, PhraseMatcher, PhraseMatcher]:
    where = "missiles.toml"
    variants = {
        k: _strings(v, f"{where} [romanisations].{k}")
        for k, v in data.get("romanisations", {}).items()
    }
    classes: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    exclude: dict[str, list[str]] = {}
    for entry in data.get("missile", []):
        designation = entry.get("designation")
        cls = entry.get("class")
        if not isinstance(designation, str) or not designation:
            raise DomainDataError(f"{where}: a [[missile]] has no designation")
        if cls not in MISSILE_CLASSES:
            raise DomainDataError(f"{where}: {designation}: unknown class {cls!r}")
        if designation in classes:
            raise DomainDataError(f"{where}: {designation} is listed twice")
        classes[designation] = cls
        for alias in [designation, *_strings(entry.get("aliases", []), f"{where}: {designation}")]:
            pairs.extend(
                (variant, designation) for variant in _expand_romanisations(alias, variants)
            )
        if "exclude_after" in entry:
            exclude[designation] = _strings(entry["exclude_after"], f"{where}: {designation}")
    foreign: list[tuple[str, str]] = []
    for entry in data.get("foreign", []):
        country = entry.get("country", "")
        foreign.extend((a, country) for a in _strings(entry.get("aliases"), f"{where}: foreign"))
    class_pairs: list[tuple[str, str]] = []
    for cls, phrases in data.get("class_terms", {}).items():
        if cls not in MISSILE_CLASSES:
            raise DomainDataError(f"{where}: [class_terms] has unknown class {cls!r}")
        class_pairs.extend((p, cls) for p in _strings(phrases, f"{where}: class_terms.{cls}"))
    return (
        classes,
        PhraseMatcher(
            "designations", pairs, ignore_case=True, strict_end=True, exclude_after=exclude
        ),
        PhraseMatcher("foreign missiles", foreign, ignore_case=False),
        PhraseMatcher("class terms", class_pairs, ignore_case=True),
    )


def _load_sites(data: dict[str, Any]) -> tuple[dict[str, Site], PhraseMatcher, PhraseMatcher]:
    where = "sites.toml"
    sites: dict[str, Site] = {}
    pairs: list[tuple[str, str]] = []
    for entry in data.get("site", []):
        name = entry.get("name")
        lat, lon = entry.get("lat"), entry.get("lon")
        if not isinstance(name, str) or not isinstance(lat, float) or not isinstance(lon, float):
            raise DomainDataError(f"{where}: site {name!r} needs a name, lat and lon")
        if not (37.0 <= lat <= 43.5 and 124.0 <= lon <= 131.0):
            raise DomainDataError(f"{where}: {name} lies outside North Korea ({lat}, {lon})")
        coast = bool(entry.get("coast", False))
        sites[name] = Site(name, lat, lon, bool(entry.get("broad", False)) or coast, coast)
        pairs.extend((a, name) for a in [name, *_strings(entry.get("aliases"), f"{where}: {name}")])
    landing: list[tuple[str, str]] = []
    for entry in data.get("landing", []):
        name = entry.get("name")
        if not isinstance(name, str):
            raise DomainDataError(f"{where}: a [[landing]] has no name")
        landing.extend((a, name) for a in _strings(entry.get("aliases"), f"{where}: {name}"))
    return (
        sites,
        PhraseMatcher("sites", pairs),
        PhraseMatcher("landing areas", landing, ignore_case=True),
    )


def _load_agencies(data: dict[str, Any]) -> tuple[dict[str, Agency], PhraseMatcher]:
    where = "agencies.toml"
    agencies: dict[str, Agency] = {}
    pairs: list[tuple[str, str]] = []
    for entry in data.get("agency", []):
        name, kind = entry.get("name"), entry.get("kind")
        if not isinstance(name, str) or kind not in (
            "military",
            "official",
            "state_media",
            "media",
        ):
            raise DomainDataError(f"{where}: agency {name!r} needs a name and a known kind")
        agencies[name] = Agency(name, kind)
        pairs.extend((a, name) for a in _strings(entry.get("aliases"), f"{where}: {name}"))
    return agencies, PhraseMatcher("agencies", pairs)


@dataclass(frozen=True, slots=True)
class _People:
    persons: PhraseMatcher
    country: dict[str, str]
    leaders: frozenset[str]
    short: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]
    died: dict[str, date]
    location_country: dict[str, str]


def _short_pattern(form: str) -> re.Pattern[str]:
    """A surname or title used alone ("Kim", "김 위원장"): word edges for Latin forms only
    (Korean particles attach: 김 위원장은)."""
    if _HANGUL_OR_CJK.search(form):
        return re.compile(re.escape(form).replace("\\ ", r"\s*"))
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")


def _load_actors(data: dict[str, Any]) -> tuple[PhraseMatcher, _People, PhraseMatcher]:
    where = "actors.toml"
    pairs: list[tuple[str, str]] = []
    codes: set[str] = set()
    for table in ("country", "organisation"):
        for entry in data.get(table, []):
            code = entry.get("code")
            if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2,4}", code):
                raise DomainDataError(f"{where}: bad {table} code {code!r}")
            codes.add(code)
            pairs.extend((a, code) for a in _strings(entry.get("aliases"), f"{where}: {code}"))
    for entry in data.get("compound", []):
        members = _strings(entry.get("codes"), f"{where}: compound")
        if not set(members) <= codes:
            raise DomainDataError(f"{where}: compound names unknown codes {members}")
        pairs.extend(
            (a, "+".join(members)) for a in _strings(entry.get("aliases"), f"{where}: compound")
        )
    persons: list[tuple[str, str]] = []
    person_country: dict[str, str] = {}
    leaders: set[str] = set()
    short: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}
    died: dict[str, date] = {}
    for entry in data.get("person", []):
        name, country = entry.get("name"), entry.get("country")
        if not isinstance(name, str) or country not in codes:
            raise DomainDataError(f"{where}: person {name!r} needs a name and a known country")
        person_country[name] = country
        if entry.get("leader", False):
            leaders.add(name)
        forms = entry.get("short")
        if isinstance(forms, str):
            forms = [forms]
        if forms is not None:
            short[name] = tuple(
                (form, _short_pattern(form)) for form in _strings(forms, f"{where}: {name}.short")
            )
        if "died" in entry:
            if not isinstance(entry["died"], date):
                raise DomainDataError(f"{where}: {name}.died must be a date (1994-07-08)")
            died[name] = entry["died"]
        persons.extend(
            (a, name) for a in [name, *_strings(entry.get("aliases"), f"{where}: {name}")]
        )
    locations: list[tuple[str, str]] = []
    location_country: dict[str, str] = {}
    for entry in data.get("location", []):
        name = entry.get("name")
        if not isinstance(name, str):
            raise DomainDataError(f"{where}: a [[location]] has no name")
        locations.extend((a, name) for a in _strings(entry.get("aliases"), f"{where}: {name}"))
        if "country" in entry:
            if entry["country"] not in codes:
                raise DomainDataError(f"{where}: location {name} has an unknown country")
            location_country[name] = entry["country"]
    not_person = _strings(
        data.get("person_exclude_after", {}).get("words", []), f"{where}: person_exclude_after"
    )
    matcher = PhraseMatcher(
        "persons", persons, exclude_after={name: not_person for name in person_country}
    )
    people = _People(matcher, person_country, frozenset(leaders), short, died, location_country)
    return PhraseMatcher("actors", pairs), people, PhraseMatcher("locations", locations)


def _load_terms(
    data: dict[str, Any],
) -> tuple[dict[str, re.Pattern[str]], tuple[str, ...], dict[str, DiplomacyType]]:
    where = "event_terms.toml"
    terms: dict[str, re.Pattern[str]] = {}
    for section in ("missile", "dates"):
        for key, phrases in data.get(section, {}).items():
            terms[f"{section}.{key}"] = phrase_regex(_strings(phrases, f"{where}: {section}.{key}"))
    diplomacy = data.get("diplomacy", {})
    order = tuple(_strings(diplomacy.get("order"), f"{where}: diplomacy.order"))
    terms["diplomacy.hypothetical"] = phrase_regex(
        _strings(diplomacy.get("hypothetical"), f"{where}: diplomacy.hypothetical")
    )
    types: dict[str, DiplomacyType] = {}
    every: list[str] = []
    patterns: list[str] = []
    for name in order:
        if name not in DIPLOMACY_TYPES:
            raise DomainDataError(f"{where}: unknown diplomacy type {name!r}")
        entry = diplomacy.get(name)
        if not isinstance(entry, dict):
            raise DomainDataError(f"{where}: [diplomacy.{name}] is missing")
        verbs = entry.get("verbs")
        every.extend(_strings(entry.get("triggers"), f"{where}: {name}.triggers"))
        triggers = phrase_regex(_strings(entry.get("triggers"), f"{where}: {name}.triggers"))
        if "patterns" in entry:
            # free-form triggers ("a combined naval exercise"): regular expressions, any case
            extra = _strings(entry["patterns"], f"{where}: {name}.patterns")
            try:
                triggers = re.compile(
                    "|".join([f"(?:{triggers.pattern})", *(f"(?i:{p})" for p in extra)])
                )
            except re.error as exc:
                raise DomainDataError(f"{where}: {name}.patterns: {exc}") from exc
            patterns.extend(extra)
            every.extend(_strings(entry.get("pattern_words"), f"{where}: {name}.pattern_words"))
        types[name] = DiplomacyType(
            name=name,
            triggers=triggers,
            min_actors=int(entry.get("min_actors", 1)),
            requires_actor=tuple(entry.get("requires_actor", ())),
            verbs=phrase_regex(_strings(verbs, f"{where}: {name}.verbs")) if verbs else None,
        )
    for required in (
        "missile.launch_verbs", "missile.launch_nouns", "missile.missile_objects",
        "missile.hypothetical", "missile.anniversary", "missile.years_ago", "missile.failure",
        "missile.success",
        "missile.oversight", "missile.distance", "missile.apogee", "missile.not_distance",
        "missile.aggregate", "missile.past", "missile.comparison", "missile.clause_split",
        "dates.today", "dates.yesterday",
        "dates.day_before_yesterday", "dates.this_month", "dates.last_month",
    ):  # fmt: skip
        if required not in terms:
            raise DomainDataError(f"{where}: the list {required} is missing")
    # A quick first test: every phrase trigger, and the words that every pattern trigger holds
    terms["diplomacy.any"] = phrase_regex(every)
    return terms, order, types


@functools.cache
def load_domain() -> Domain:
    """Load and validate every data file once per process."""
    classes, designations, foreign, class_terms = _load_missiles(_read("missiles.toml"))
    sites, site_names, landing = _load_sites(_read("sites.toml"))
    agencies, agency_names = _load_agencies(_read("agencies.toml"))
    countries, people, locations = _load_actors(_read("actors.toml"))
    terms, order, types = _load_terms(_read("event_terms.toml"))
    return Domain(
        designation_class=classes,
        designations=designations,
        foreign_missiles=foreign,
        class_terms=class_terms,
        sites=sites,
        site_names=site_names,
        landing_areas=landing,
        agencies=agencies,
        agency_names=agency_names,
        countries=countries,
        persons=people.persons,
        person_country=people.country,
        leaders=people.leaders,
        short_names=people.short,
        person_died=people.died,
        locations=locations,
        location_country=people.location_country,
        terms=terms,
        diplomacy_order=order,
        diplomacy_types=types,
        diplomacy_any=terms["diplomacy.any"],
    )
