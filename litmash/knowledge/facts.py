"""The fact check: artists, places, dates and instruments the model's text names, against the base.

A claim is *consistent* when the base backs it for a genre of this blend: an artist or a
recording year of a blended genre, an origin place or decade of one, an instrument of the genre
the sentence talks about. A name the base knows for another genre contradicts it; a date or an
artist the base does not hold at all is absent from it. Both are problems the repair loop fixes.
The check reads sentences, so it can only see what is named plainly: that is its limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from litmash.knowledge.base import KnowledgeBase, fold, knowledge
from litmash.knowledge.resolve import mentioned
from litmash.knowledge.schema import Genre

# Instrument names that are also everyday or classroom words ('gender', 'recorder', 'chorus'), or
# that any lesson may use whatever the genre (a class sings, claps and plays what it has).
GENERIC_INSTRUMENTS = frozenset({
    "voice", "voices", "vocals", "backing vocals", "lead voice", "solo voices", "chorus", "choir", "drums", "drum",
    "hand drums", "percussion", "hand percussion", "snare", "hand claps", "handclaps", "claps", "footwork",
    "keyboard", "keyboards", "piano", "organ", "guitar", "bass", "strings", "brass", "woodwind", "bell", "iron",
    "triangle", "gender", "ban", "tar", "computer", "laptop", "microphone", "diatonic", "recorder", "sequencer",
    "sampler", "synthesizer", "synthesizers", "drum machine", "drum kit",
})
# An instrument more than this many genres list says nothing about any one of them.
DISTINCTIVE = 3
# Capitalised words after a cue that are not names ('such as Monday', 'like This').
_NOT_NAMES = frozenset(fold(w) for w in (
    "The A An This That These Those It They We You I He She His Her Their Our Your Its Each Every "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December English Spanish French Students Teacher Teachers "
    "Class Verse Chorus Bridge Intro Outro Hook Step Lesson Music Song Songs Beat Rhythm Melody"
).split())
_NAME = r"((?:[A-Z][\w'’.&-]*(?:\s+(?:and|the|of|&)\s+|\s+)?){1,5})"
_PEOPLE = r"(?:artists?|musicians?|singers?|rappers?|bands?|composers?|performers?|groups?|pioneers?|stars?|legends?|producers?|DJs?|MCs?)"
# Where a name is offered as a person: 'rapper X', 'artists such as X', 'songs by X'.
_CUE = re.compile(
    rf"\b{_PEOPLE}\s+(?:[^.!?]{{0,40}}?\s)?(?:such as|like|including|:)\s+{_NAME}"
    rf"|\b{_PEOPLE}\s+{_NAME}"
    rf"|\b(?:songs?|tracks?|records?|recordings?|albums?|music|pieces?|works?)\s+by\s+{_NAME}")
_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20[0-2]\d)(s?)(?!\d)(?!\s*(?:bpm|minutes?|min|words?|beats?|bars?)\b)", re.I)
_CENTURY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)[ -]century\b", re.I)
_SHORT_DECADE = re.compile(r"(?<![\w])['’]([2-9]0)s\b")
_FULL_DATE = re.compile(r"\b\d{3,4}-\d{1,2}-\d{1,2}\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Claim:
    """One fact the text names: its kind, the words, and whether the base backs it."""

    kind: str  # artist | date | place | instrument
    text: str
    ok: bool
    why: str = ""


@dataclass(frozen=True)
class _Index:
    artists: dict[str, frozenset[str]]       # folded artist -> genre ids
    places: dict[str, frozenset[str]]        # folded place -> genre ids (origins)
    instruments: dict[str, frozenset[str]]   # folded instrument -> genre ids
    names: frozenset[str]                    # every folded genre name and alias


def _add(index: dict[str, set[str]], key: str, gid: str) -> None:
    key = fold(key)
    if len(key) >= 3:
        index.setdefault(key, set()).add(gid)


@cache
def _index(kb: KnowledgeBase) -> _Index:
    artists: dict[str, set[str]] = {}
    places: dict[str, set[str]] = {}
    instruments: dict[str, set[str]] = {}
    for g in kb.genres.values():
        for a in (*g.artists, *(item.artist for item in g.listening)):
            _add(artists, a, g.id)
            _add(artists, re.sub(r"^the\s+", "", fold(a)), g.id)
            # 'Bob Marley and the Wailers' is named 'Bob Marley' too
            lead = re.split(r"\s+(?:and|&|with)\s+(?:the|his|her|their)\b|\s+(?:feat\.?|featuring|\()\s*", a)[0]
            if " " in lead.strip():
                _add(artists, lead, g.id)
        for p in g.origin.places:
            _add(places, p, g.id)
            _add(places, re.sub(r"^the\s+", "", fold(p)), g.id)
        for i in g.instruments:
            _add(instruments, i.split(" (")[0], g.id)
    freeze = lambda d: {k: frozenset(v) for k, v in d.items()}  # noqa: E731
    return _Index(freeze(artists), freeze(places), freeze(instruments), frozenset(kb.names))


@cache
def entry_text(genre_id: str, kb: KnowledgeBase) -> str:
    """Every string of a genre's entry, folded: what the base says about it anywhere."""
    return " " + " ".join(fold(x) for x in entry_strings(kb.get(genre_id))) + " "


def entry_strings(g: Genre) -> list[str]:
    """Every string of a genre's entry (names, facts, titles, sources), years as text."""
    return _texts(g.model_dump())


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [str(value)] if isinstance(value, int) and value > 1000 else []


def _said(blend: list[str], key: str, kb: KnowledgeBase) -> bool:
    """Whether the entry of a genre in ``blend`` names ``key`` (folded) anywhere."""
    return any(f" {key} " in entry_text(g, kb) for g in blend)


def _allowed_decades(blend: list[str], kb: KnowledgeBase) -> tuple[set[str], set[int]]:
    """The decades and years the blend's entries give: origins, recordings and any date in their text."""
    decades: set[str] = set()
    years: set[int] = set()
    for gid in blend:
        g = kb.get(gid)
        decades |= {d for d in g.origin.decades if d[0].isdigit()}
        for item in g.listening:
            if item.year:
                years.add(item.year)
                decades.add(f"{item.year // 10 * 10}s")
        for m in _YEAR.finditer(entry_text(gid, kb)):
            (decades if m.group(2) else years).add(m.group(0) if m.group(2) else int(m.group(1)))
    return decades, years


def _grams(folded: str, longest: int = 6) -> list[str]:
    """Every run of 1..``longest`` words of a folded text, longest first at each position."""
    words = folded.split()
    return [" ".join(words[i:i + n]) for i in range(len(words)) for n in range(min(longest, len(words) - i), 0, -1)]


def _named(grams: list[str], index: dict[str, frozenset[str]]) -> list[str]:
    """The index keys the text names, each once, without those inside a longer one already found."""
    found: list[str] = []
    for g in grams:
        if g in index and not any(f" {g} " in f" {longer} " for longer in found):
            found.append(g)
    return found


def claims(text: str, blend: list[str], kb: KnowledgeBase | None = None) -> list[Claim]:
    """Every artist, date, place and instrument ``text`` names, each judged against the base."""
    kb = kb or knowledge()
    idx = _index(kb)
    names = " or ".join(kb.get(g).name for g in blend)
    decades, years = _allowed_decades(blend, kb)
    out: list[Claim] = []
    for sentence in _SENTENCE.split(text):
        if not sentence.strip():
            continue
        grams = _grams(fold(sentence))
        here = [g for g in mentioned(sentence, kb) if g in blend]
        artists = _named(grams, idx.artists)
        for artist in artists:
            owners = idx.artists[artist]
            ok = bool(owners & set(blend)) or _said(blend, artist, kb)
            who = ", ".join(sorted(kb.get(o).name for o in owners))
            out.append(Claim("artist", artist, ok, "" if ok else f"the genre base lists them under {who}, not {names}"))
        for m in _CUE.finditer(sentence):
            phrase = next(g for g in m.groups() if g).strip(" ,.;:")
            key = fold(phrase)
            if len(key) < 3 or key.split()[0] in _NOT_NAMES or any(f" {a} " in f" {key} " for a in artists):
                continue
            if any(g in idx.names or g in idx.places or g in idx.instruments or g in idx.artists for g in _grams(key)):
                continue
            out.append(Claim("artist", phrase, False, f"the genre base has no artist of that name for {names}"))
        for m in _FULL_DATE.finditer(sentence):
            out.append(Claim("date", m.group(0), False, "not a date the genre base gives"))
        for m in _YEAR.finditer(_FULL_DATE.sub(" ", sentence)):
            year = int(m.group(1))
            decade = f"{year // 10 * 10}s"
            ok = (year in years or decade in decades) if not m.group(2) else decade in decades
            out.append(Claim("date", m.group(0), ok, "" if ok else f"the genre base dates {_dates(blend, kb)}"))
        for m in _CENTURY.finditer(sentence):
            ok = int(m.group(1)) in _centuries(decades, years)
            out.append(Claim("date", m.group(0), ok, "" if ok else f"the genre base dates {_dates(blend, kb)}"))
        for m in _SHORT_DECADE.finditer(sentence):
            ok = any(d.endswith(f"{m.group(1)}s") for d in decades)
            out.append(Claim("date", m.group(0), ok, "" if ok else f"the genre base dates {_dates(blend, kb)}"))
        for place in _named(grams, idx.places):
            ok = bool(idx.places[place] & set(blend)) or _said(blend, place, kb)
            out.append(Claim("place", place, ok, "" if ok else f"the genre base gives {_places(blend, kb)} as origins"))
        if not here:
            continue  # only an instrument a sentence gives to a genre of the blend can contradict the base
        for inst in _named(grams, idx.instruments):
            owners = idx.instruments[inst]
            if len(owners) > DISTINCTIVE or inst in GENERIC_INSTRUMENTS:
                continue
            ok = bool(owners & set(here)) or _said(here, inst, kb)
            out.append(Claim("instrument", inst, ok, "" if ok else
                             f"the genre base lists it for {', '.join(sorted(kb.get(o).name for o in owners)[:3])}, "
                             f"not {' or '.join(kb.get(g).name for g in here)}"))
    return out


def _centuries(decades: set[str], years: set[int]) -> set[int]:
    """The centuries (19 for the 1890s) of the allowed decades and years, and any century they name."""
    out = {y // 100 + 1 for y in years}
    for d in decades:
        if d[:4].isdigit():
            out.add(int(d[:4]) // 100 + 1)
        elif (m := re.match(r"(\d{1,2})", d)) and "BCE" not in d:
            out.add(int(m.group(1)))
    return out


def _dates(blend: list[str], kb: KnowledgeBase) -> str:
    return "; ".join(f"{kb.get(g).name} to the {', '.join(kb.get(g).origin.decades)}" for g in blend)


def _places(blend: list[str], kb: KnowledgeBase) -> str:
    return "; ".join(f"{', '.join(kb.get(g).origin.places)} for {kb.get(g).name}" for g in blend)


def fact_problems(text: str, blend: list[str], kb: KnowledgeBase | None = None) -> list[str]:
    """One repair message per claim the base does not back."""
    return [f"names the {c.kind} {c.text!r}, but {c.why}; use only facts from the genre base"
            for c in claims(text, blend, kb) if not c.ok]
