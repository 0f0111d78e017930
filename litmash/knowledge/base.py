"""Load the genre knowledge base from its YAML files, validate it as a whole, and cache it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from litmash.errors import ConfigError
from litmash.knowledge.numerals import parse_numeral
from litmash.knowledge.schema import Concept, Genre

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fold(text: str) -> str:
    """A name as the resolver compares it: lower case, no accents, '-', '_', '/' as spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


# eq=False: a base hashes by identity, so indexes built from it can be cached per base.
@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Every genre and concept, with a name index (folded name or alias -> genre id)."""

    genres: dict[str, Genre]
    concepts: dict[str, Concept]
    names: dict[str, str] = field(repr=False)

    def get(self, genre_id: str) -> Genre:
        """The genre with this id; KeyError names the closest ids when it is unknown."""
        try:
            return self.genres[genre_id]
        except KeyError:
            raise KeyError(f"unknown genre id {genre_id!r}") from None

    def find(self, name: str) -> Genre | None:
        """The genre whose id, name or alias is ``name`` (any case, accents, hyphens), or None."""
        gid = self.names.get(fold(name)) or (name if name in self.genres else None)
        return self.genres.get(gid) if gid else None


def _data_dir() -> Path:
    return Path(str(resources.files("litmash.knowledge")))


def read_genre_files(folder: Path) -> tuple[list[Genre], list[str]]:
    """Every ``*.yaml`` in ``folder`` as a Genre, plus one problem line per file that fails."""
    genres, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
            g = Genre.model_validate(raw)
        except (yaml.YAMLError, ValidationError) as exc:
            problems.append(f"{path.name}: {_one_line(exc)}")
            continue
        if g.id != path.stem:
            problems.append(f"{path.name}: id {g.id!r} differs from the file name")
        genres.append(g)
    return genres, problems


def read_concepts(path: Path) -> list[Concept]:
    """The concept vocabulary."""
    return [Concept.model_validate(c) for c in yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)]


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"{'.'.join(map(str, e['loc']))}: {e['msg']} ({exc.error_count()} problem(s))"
    return " ".join(str(exc).split())[:300]


def cross_check(genres: Iterable[Genre], concepts: dict[str, Concept]) -> list[str]:
    """Problems that span entries: duplicate ids and aliases, unknown parents and concepts, progressions
    litmash cannot read (whether music21 spells them is ``litmash.music.check``'s: loading music21 takes
    half a second)."""

    genres = list(genres)
    ids = {g.id for g in genres}
    problems: list[str] = []
    owner: dict[str, str] = {}
    for g in genres:
        for n in {fold(x) for x in (g.id.replace("_", " "), g.name, *g.aliases)}:
            if n in owner and owner[n] != g.id:
                problems.append(f"{g.id}: name or alias {n!r} is also {owner[n]}'s")
            owner.setdefault(n, g.id)
        problems += [f"{g.id}: unknown parent {p!r}" for p in g.parents if p not in ids or p == g.id]
        problems += [f"{g.id}: unknown concept {c!r}" for c in g.teaches if c not in concepts]
        for p in g.progressions:
            for r in p.roman:
                try:
                    parse_numeral(r)
                except ValueError as exc:
                    problems.append(f"{g.id}: progression {'–'.join(p.roman)}: {r!r}: {exc}")
    seen: set[str] = set()
    for g in genres:
        if g.id in seen:
            problems.append(f"{g.id}: id used twice")
        seen.add(g.id)
    return problems


@cache
def knowledge(folder: str | None = None) -> KnowledgeBase:
    """The shipped knowledge base (or one in ``folder``), validated once per process.

    Raises ConfigError listing the problems when any file or cross-reference is wrong.
    """
    base = Path(folder) if folder else _data_dir()
    concepts = {c.id: c for c in read_concepts(base / "concepts.yaml")}
    genres, problems = read_genre_files(base / "genres")
    problems += cross_check(genres, concepts)
    if problems:
        raise ConfigError("genre knowledge base is invalid: " + "; ".join(problems[:5])
                          + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))
    names: dict[str, str] = {}
    for g in genres:
        for n in (g.id.replace("_", " "), g.name, *g.aliases):
            names[fold(n)] = g.id
    return KnowledgeBase(genres={g.id: g for g in genres}, concepts=concepts, names=names)
