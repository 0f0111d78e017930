"""`python -m litmash.music.check [FOLDER]`: validate the genre files, including whether litmash and
music21 spell every progression's numerals as chords, and list every problem."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from litmash.knowledge.base import _data_dir, cross_check, read_concepts, read_genre_files
from litmash.knowledge.schema import Genre
from litmash.music.theory import chord


def progression_problems(genres: Iterable[Genre]) -> list[str]:
    """One line per numeral that litmash or music21 cannot spell as a chord (C major or A minor)."""
    problems: list[str] = []
    for g in genres:
        for p in g.progressions:
            key = "C major" if p.mode == "major" else "A minor"
            for r in p.roman:
                try:
                    chord(r, key)
                    _music21_reads(r, key)
                except Exception as exc:  # noqa: BLE001 - reported per numeral
                    problems.append(f"{g.id}: progression {'–'.join(p.roman)}: {r!r}: {exc}")
    return problems


def _music21_reads(numeral: str, key: str) -> None:
    from music21 import roman

    # music21 spells flats with '-' in keys and reads 'b' before a numeral as a flat.
    tonic, mode = key.split()
    rn = roman.RomanNumeral(numeral, tonic if mode == "major" else tonic.lower())
    if not rn.pitches:
        raise ValueError("music21 finds no pitches")


def main(argv: list[str]) -> int:
    """Print one line per problem and a summary; exit 1 when there are problems."""
    base = Path(argv[0]) if argv else _data_dir()
    concepts = {c.id: c for c in read_concepts(base / "concepts.yaml")}
    genres, problems = read_genre_files(base / "genres")
    problems += cross_check(genres, concepts) + progression_problems(genres)
    for p in problems:
        print(p)
    print(f"{len(genres)} genres, {len(concepts)} concepts, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
