"""One section's lines: what fails per line (its own checks plus the rhyme scheme), the fallback
when a line stays invalid, and the metrics stored with the section."""

from __future__ import annotations

from litmash.language.rhyme import last_word, rhyme_kind, rhymes_for, scheme_pairs
from litmash.language.syllables import line_syllables, stress_pattern
from litmash.lyrics.form import SectionPlan


def rhyme_problem(lines: list[str], i: int, scheme: str) -> str | None:
    """The instruction for line ``i`` when it does not rhyme with its partner earlier in the scheme."""
    partner = next((a for a, b in scheme_pairs(scheme) if b == i), None)
    if partner is None or rhyme_kind(lines[partner], lines[i]):
        return None
    word = last_word(lines[partner])
    hints = rhymes_for(word)
    such = f", such as {', '.join(hints)}" if hints else ""
    return f"end with a word that rhymes with '{word}'{such}"


def hard(problems: list[str]) -> bool:
    """Whether a line's problems are more than a missed rhyme (a line that only misses its rhyme is
    kept, and the miss is reported)."""
    return any(not p.startswith("end with a word that rhymes") for p in problems)


def fill(lines: list[str], failing: dict[int, list[str]], plan: SectionPlan, hook: str) -> tuple[list[str], list[str]]:
    """Lines with every hard-failing line replaced by a passing one code can guarantee: its rhyme
    partner in the section (a repeated line, as songs do), else another passing line, else the hook.
    Returns the lines and a note per replacement."""
    out = list(lines)
    notes = []
    bad = {i for i, p in failing.items() if hard(p)}
    good = [i for i in range(len(lines)) if i not in bad]
    pairs = scheme_pairs(plan.scheme)
    for i in sorted(bad):
        partner = next((a if b == i else b for a, b in pairs if i in (a, b) and (a if b == i else b) in good), None)
        source = partner if partner is not None else (good[0] if good else None)
        out[i] = lines[source] if source is not None else hook
        notes.append(f"{plan.name} line {i + 1}: the model's line stayed invalid ({failing[i][0]}); "
                     f"{'line ' + str(source + 1) + ' is sung again' if source is not None else 'the hook is sung'}")
    return out, notes


def metrics(lines: list[str], scheme: str) -> dict:
    """Syllables and stresses per line, and how each rhyme pair of the scheme rhymes."""
    return {
        "syllables": [line_syllables(x) for x in lines],
        "stresses": [stress_pattern(x) for x in lines],
        "rhymes": [rhyme_kind(lines[a], lines[b]) or "none" for a, b in scheme_pairs(scheme) if b < len(lines)],
    }
