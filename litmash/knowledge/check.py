"""`python -m litmash.knowledge.check [FOLDER]`: validate the genre files and list every problem."""

from __future__ import annotations

import sys
from pathlib import Path

from .base import _data_dir, cross_check, read_concepts, read_genre_files


def main(argv: list[str]) -> int:
    """Print one line per problem and a summary; exit 1 when there are problems."""
    base = Path(argv[0]) if argv else _data_dir()
    concepts = {c.id: c for c in read_concepts(base / "concepts.yaml")}
    genres, problems = read_genre_files(base / "genres")
    problems += cross_check(genres, concepts, music21=True)
    for p in problems:
        print(p)
    print(f"{len(genres)} genres, {len(concepts)} concepts, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
