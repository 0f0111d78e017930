"""Standards by code: which catalogue codes a lesson cites, for its grade band and artistic processes."""

from __future__ import annotations

import re
from functools import cache

from litmash.pedagogy.data import Framework, StandardEntry, framework

PROCESS_ORDER = ("create", "perform", "respond", "connect")


@cache
def catalogue(fw: Framework | None = None) -> dict[str, StandardEntry]:
    """Every code the framework's catalogue holds, with its entry."""
    fw = fw or framework()
    codes: dict[str, StandardEntry] = {}
    for entry in fw.standards:
        for strand in entry.strands:
            for grade in entry.grades or fw.grades[strand]:
                codes[f"MU:{entry.id}.{grade}{entry.element}"] = entry
    return codes


def well_formed(code: str) -> bool:
    """Whether ``code`` has the shape of an NCAS music code (it may still be missing from the catalogue)."""
    return re.fullmatch(framework().pattern, code) is not None


def valid(code: str) -> bool:
    """Whether ``code`` is well formed and in the catalogue."""
    return well_formed(code) and code in catalogue()


def grade_of(code: str) -> str:
    """The grade part of a code: '5' in MU:Cr1.1.5a, 'E.II' in MU:Re7.1.E.IIa."""
    m = re.fullmatch(r"MU:[A-Za-z]+\d+\.\d\.(.+)[a-c]", code)
    if not m:
        raise ValueError(f"not an NCAS music code: {code!r}")
    return m.group(1)


def code_for(standard: str, grade: str, element: str = "a") -> str | None:
    """The catalogue code of ``standard`` (e.g. 'Re7.2') at ``grade``, or None when the catalogue has none."""
    code = f"MU:{standard}.{grade}{element}"
    return code if code in catalogue() else None


def select(standards: list[str], grade: str) -> list[str]:
    """The codes for the named performance standards at ``grade``, once each, in process order (Cr, Pr, Re, Cn)."""
    codes = [c for s in dict.fromkeys(standards) if (c := code_for(s, grade))]
    cat = catalogue()
    return sorted(codes, key=lambda c: (PROCESS_ORDER.index(cat[c].process), codes.index(c)))


def describe(code: str) -> tuple[str, str]:
    """(litmash's paraphrase, the official text's address) for a catalogue code."""
    return catalogue()[code].paraphrase, framework().url
