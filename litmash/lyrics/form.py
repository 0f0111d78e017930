"""The lyric form from the music block: which sections have words, how many lines, how many
syllables a line sings, and which lines rhyme. The chorus is written once and repeated."""

from __future__ import annotations

from dataclasses import dataclass

from litmash.domain.music import MusicBlock
from litmash.music.melody import STRENGTH

TOLERANCE = 2  # syllables a sung line may be off its target (a singer slurs or splits a note)


@dataclass(frozen=True)
class SectionPlan:
    """One lyric section: its label, lines, syllable target per line and rhyme scheme ('H' marks
    the hook, which returns rather than rhymes).

    ``hook_lines`` are sung to the hook (code places it there); ``written`` is False for a section
    that repeats an earlier one (the chorus after its first time, the outro's hook)."""

    label: str
    number: int  # 1 for the first verse, 2 for the second
    lines: int
    syllables: int
    scheme: str
    hook_lines: tuple[int, ...] = ()
    written: bool = True

    @property
    def name(self) -> str:
        """'verse 2', 'chorus', 'bridge'."""
        return f"{self.label} {self.number}" if self.label == "verse" else self.label

    def model_lines(self) -> list[int]:
        """Indexes of the lines the model writes (the rest are the hook)."""
        return [i for i in range(self.lines) if i not in self.hook_lines]


def bars_per_line(meter: str) -> int:
    """Bars one sung line spans: two in short meters, one in 12/8, four in 2/4."""
    steps = len(STRENGTH.get(meter, STRENGTH["4/4"]))
    return {4: 4, 12: 1}.get(steps, 2)


def syllable_target(music: MusicBlock) -> int:
    """Syllables a line sings: about one per eighth-note pair, more at slow tempos, fewer at fast."""
    steps = len(STRENGTH.get(music.meter, STRENGTH["4/4"])) * bars_per_line(music.meter)
    density = 0.6 if music.tempo_bpm < 80 else 0.4 if music.tempo_bpm >= 140 else 0.5
    return max(4, round(steps * density))


def _couplets(n: int) -> str:
    """'AABB…' for n lines (an odd last line rhymes with the one before)."""
    letters = [chr(ord("A") + i // 2) for i in range(n)]
    if n % 2 and n > 1:
        letters[-1] = letters[-2]
    return "".join(letters)


def lyric_form(music: MusicBlock) -> list[SectionPlan]:
    """The sections that carry words, in song order (the intro is instrumental)."""
    per_line = bars_per_line(music.meter)
    target = syllable_target(music)
    plans: list[SectionPlan] = []
    verses = 0
    for section in music.form:
        lines = max(1, min(8, section.bars // per_line))
        if section.label == "intro":
            continue
        if section.label == "chorus":
            # the hook opens and closes the chorus; the lines between rhyme in couplets
            lines = max(lines, 3)
            middle = "".join(chr(ord(c) + 1) for c in _couplets(lines - 2))
            first = not any(p.label == "chorus" for p in plans)
            plans.append(SectionPlan("chorus", 1, lines, target, f"H{middle}H", (0, lines - 1), first))
        elif section.label == "outro":
            plans.append(SectionPlan("outro", 1, 1, target, "H", (0,), False))
        else:
            verses += section.label == "verse"
            lines = max(2, lines)
            plans.append(SectionPlan(section.label, verses if section.label == "verse" else 1, lines, target,
                                     _couplets(lines)))
    return plans
