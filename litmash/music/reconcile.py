"""Key, tempo, meter and feel reconciled from the blended genres' data, with one sentence saying how.

Only the genre base's facts are read (tempo ranges, meters, tonality, rhythm feel); where the
base says nothing, a stated default is used and the sentence says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from litmash.knowledge.schema import Genre

# Meters litmash can compose in: simple and compound ones with a clear strong-beat pattern.
METERS = ("4/4", "3/4", "2/4", "6/8", "12/8")
DEFAULT_TEMPO = 92  # moderate: a class can clap, sing and rap to it
# Keys a class sings and plays in comfortably (few sharps or flats), by level.
TONICS = {
    ("major", "beginner"): ("C", "G", "F"),
    ("major", "other"): ("C", "G", "F", "D", "Bb"),
    ("minor", "beginner"): ("A", "E", "D"),
    ("minor", "other"): ("A", "E", "D", "G", "C"),
}
_MINORISH = ("minor", "aeolian", "dorian", "phrygian")
_MAJORISH = ("major", "ionian", "mixolydian")


@dataclass(frozen=True)
class Frame:
    """Key, tempo, meter and feel, and the sentence that explains them."""

    key: str
    mode: str
    tempo_bpm: int
    meter: str
    feel: str
    reconciliation: str


def _names(genres: list[Genre]) -> str:
    return " and ".join(g.name for g in genres)


def mode_votes(genres: list[Genre]) -> dict[str, int]:
    """How many tonality entries and idiomatic progressions of the blend lean major or minor."""
    votes = {"major": 0, "minor": 0}
    for g in genres:
        for t in g.tonality:
            low = t.lower()
            if "pentatonic" in low or "blues" in low:
                continue  # these scales serve either mode
            if any(w in low for w in _MINORISH):
                votes["minor"] += 1
            elif any(w in low for w in _MAJORISH):
                votes["major"] += 1
        for p in g.progressions:
            votes[p.mode] += 1
    return votes


def choose_mode(genres: list[Genre], rng: random.Random) -> str:
    """Major or minor: the blend's majority; a tie goes to the first genre's leaning, then the seed."""
    votes = mode_votes(genres)
    if votes["major"] != votes["minor"]:
        return max(votes, key=votes.get)
    first = mode_votes(genres[:1])
    if first["major"] != first["minor"]:
        return max(first, key=first.get)
    return rng.choice(["major", "minor"])


def choose_key(mode: str, level: str, rng: random.Random) -> str:
    """A singable key in ``mode`` for the level ('A minor')."""
    tonics = TONICS[(mode, "beginner" if level == "beginner" else "other")]
    return f"{rng.choice(tonics)} {mode}"


def _tempo(genres: list[Genre]) -> tuple[int, str]:
    ranged = [g for g in genres if g.tempo_bpm is not None]
    if not ranged:
        return DEFAULT_TEMPO, (f"The genre base gives no typical tempo for {_names(genres)}, "
                               f"so the song takes a moderate {DEFAULT_TEMPO} BPM")
    ranges = {g.id: (g.tempo_bpm.min, g.tempo_bpm.max) for g in ranged}
    # Half or double time reconciles a fast genre with a slow one (drum and bass over hip hop).
    for scales in _scalings(len(ranged)):
        lo = max(r[0] * s for r, s in zip(ranges.values(), scales, strict=True))
        hi = min(r[1] * s for r, s in zip(ranges.values(), scales, strict=True))
        if lo <= hi:
            bpm = int(round((lo + hi) / 2 / 2) * 2)
            parts = []
            for g, s in zip(ranged, scales, strict=True):
                r = f"{g.name}'s {g.tempo_bpm.min}–{g.tempo_bpm.max} BPM"
                parts.append(r + (" felt in half time" if s == 0.5 else " felt in double time" if s == 2 else ""))
            others = [g.name for g in genres if g.tempo_bpm is None]
            tail = f" ({', '.join(others)} has no typical tempo in the base)" if others else ""
            return bpm, f"{bpm} BPM sits inside {' and '.join(parts)}{tail}"
    mids = [(r[0] + r[1]) / 2 for r in ranges.values()]
    bpm = int(round(sum(mids) / len(mids) / 2) * 2)
    return bpm, f"{bpm} BPM lies between the typical tempos of {_names(ranged)}, whose ranges do not overlap"


def _scalings(n: int) -> list[tuple[float, ...]]:
    """Tempo scalings to try, plain first, then one genre halved or doubled."""
    out = [(1.0,) * n]
    for i in range(n):
        for s in (0.5, 2.0):
            out.append(tuple(s if j == i else 1.0 for j in range(n)))
    return out


def _meter(genres: list[Genre]) -> tuple[str, str]:
    metered = [g for g in genres if any(m in METERS for m in g.meters)]
    if not metered:
        return "4/4", f"the base gives no common meter for {_names(genres)}, so it is in 4/4"
    first = [m for m in metered[0].meters if m in METERS]
    shared = [m for m in first if all(m in g.meters for g in metered)]
    if shared:
        return shared[0], f"{shared[0]} is a meter of {_names(metered)}"
    return first[0], (f"{first[0]} comes from {metered[0].name}, since "
                      f"{_names(metered[1:])} {'is' if len(metered) == 2 else 'are'} usually in "
                      f"{', '.join(dict.fromkeys(m for g in metered[1:] for m in g.meters if m in METERS))}")


def _feel(genres: list[Genre], meter: str) -> tuple[str, str]:
    if meter in ("6/8", "12/8"):
        return "straight", ""
    for feel in ("swing", "shuffle"):
        if src := [g for g in genres if g.rhythm and g.rhythm.feel == feel]:
            word = "swung" if feel == "swing" else "shuffled"
            return feel, f"eighth notes are {word} as in {_names(src)}"
    return "straight", "eighth notes are straight"


def frame(genres: list[Genre], level: str, seed: int) -> Frame:
    """The song's key, tempo, meter and feel from the genres' data (deterministic for a seed)."""
    rng = random.Random(seed)
    mode = choose_mode(genres, rng)
    key = choose_key(mode, level, rng)
    bpm, tempo_why = _tempo(genres)
    meter, meter_why = _meter(genres)
    feel, feel_why = _feel(genres, meter)
    why = f"{tempo_why}; {meter_why}" + (f"; {feel_why}" if feel_why else "") + "."
    return Frame(key=key, mode=mode, tempo_bpm=bpm, meter=meter, feel=feel, reconciliation=why)
