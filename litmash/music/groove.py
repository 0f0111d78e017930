"""The drum groove and the bass line, chosen from the genres' rhythm traits in the base.

A groove is two layers, each from the first blended genre whose traits name it: kick and snare
(boom-bap, backbeat, four-on-the-floor, one drop, …) and cymbals (swing ride, off-beat hats, …),
so jazz + hip hop gets boom-bap kick and snare under a swing ride. Patterns are in eighth-note
steps of one bar; ``steps`` lists (step, sound, velocity).
"""

from __future__ import annotations

from dataclasses import dataclass

from litmash.domain.music import BarChord, BassNote, DrumHit, Groove
from litmash.knowledge.schema import Genre


@dataclass(frozen=True)
class Layer:
    name: str
    meters: tuple[str, ...]
    matches: tuple[str, ...]  # trait substrings that call for it
    steps: tuple[tuple[float, str, int], ...]


# Kick/snare layers for 4/4, in priority order (a more specific trait wins).
_K4 = ("4/4",)
KICK_SNARE = (
    Layer("boom-bap kick and snare", _K4, ("boom-bap",),
          ((0, "kick", 110), (2, "snare", 105), (3, "kick", 90), (5, "kick", 100), (6, "snare", 105))),
    Layer("four-on-the-floor kick with claps", _K4, ("four-on-the-floor", "kick drum on every beat", "four even beats"),
          ((0, "kick", 110), (2, "kick", 105), (2, "clap", 95), (4, "kick", 110), (6, "kick", 105), (6, "clap", 95))),
    Layer("one-drop kick and rim", _K4, ("one drop", "one-drop"),
          ((4, "kick", 110), (4, "side_stick", 100))),
    Layer("dembow kick and snare", _K4, ("dembow",),
          ((0, "kick", 110), (1.5, "snare", 95), (2, "kick", 105), (3, "snare", 95), (4, "kick", 110),
           (5.5, "snare", 95), (6, "kick", 105), (7, "snare", 95))),
    Layer("half-time kick and snare", _K4, ("half-time", "snare on beat 3", "half-speed"),
          ((0, "kick", 110), (3, "kick", 85), (4, "snare", 110))),
    Layer("backbeat kick and snare", _K4, ("backbeat", "2 and 4", "snare on 2 and 4"),
          ((0, "kick", 110), (2, "snare", 105), (4, "kick", 105), (6, "snare", 105))),
)
CYMBALS = (
    Layer("swing ride", _K4, ("ride-cymbal", "swung", "swing", "time kept on the ride"),
          ((0, "ride", 90), (2, "ride", 95), (3, "ride", 70), (4, "ride", 90), (6, "ride", 95), (7, "ride", 70))),
    Layer("off-beat open hi-hat", _K4, ("open hi-hat on the off-beats", "off-beat hi-hats"),
          ((1, "open_hat", 85), (3, "open_hat", 85), (5, "open_hat", 85), (7, "open_hat", 85))),
    Layer("sixteenth-note hi-hats", _K4, ("rolling double- and triple-time hi-hats", "syncopated hi-hats"),
          tuple((i / 2, "closed_hat", 80 if i % 2 else 95) for i in range(16))),
    Layer("shaker", _K4, ("shaker",), tuple((i, "shaker", 70 if i % 2 else 85) for i in range(8))),
)
# Defaults per meter when no trait names a layer: kick/snare, then cymbals.
DEFAULTS = {
    "4/4": (KICK_SNARE[-1], Layer("eighth-note hi-hats", _K4, (), tuple((i, "closed_hat", 75 if i % 2 else 90) for i in range(8)))),
    "2/4": (Layer("oom-pah kick and snare", ("2/4",), (), ((0, "kick", 105), (2, "snare", 95))),
            Layer("eighth-note hi-hats", ("2/4",), (), tuple((i, "closed_hat", 80) for i in range(4)))),
    "3/4": (Layer("waltz kick and snare", ("3/4",), (), ((0, "kick", 105), (2, "snare", 80), (4, "snare", 80))),
            Layer("quarter-note hi-hats", ("3/4",), (), ((0, "closed_hat", 85), (2, "closed_hat", 75), (4, "closed_hat", 75)))),
    "6/8": (Layer("compound-duple kick and snare", ("6/8",), (), ((0, "kick", 105), (3, "snare", 100))),
            Layer("eighth-note hi-hats", ("6/8",), (), tuple((i, "closed_hat", 90 if i % 3 == 0 else 70) for i in range(6)))),
    "12/8": (Layer("slow twelve-eight kick and snare", ("12/8",), (), ((0, "kick", 105), (3, "snare", 100), (6, "kick", 100), (9, "snare", 100))),
             Layer("triplet ride", ("12/8",), (), tuple((i, "ride", 90 if i % 3 == 0 else 70) for i in range(12)))),
}


def _traits(g: Genre) -> list[str]:
    return [t.lower() for t in g.rhythm.traits] if g.rhythm else []


def _pick(layers: tuple[Layer, ...], genres: list[Genre], meter: str) -> tuple[Layer, Genre] | None:
    for g in genres:
        traits = _traits(g)
        for layer in layers:
            if meter in layer.meters and any(m in t for m in layer.matches for t in traits):
                return layer, g
    return None


def groove(genres: list[Genre], meter: str, feel: str) -> Groove:
    """The drum groove of the blend in ``meter`` (swing feel calls for the swing ride)."""
    base_ks, base_cy = DEFAULTS.get(meter, DEFAULTS["4/4"])
    ks = _pick(KICK_SNARE, genres, meter)
    cy = _pick(CYMBALS, genres, meter)
    if cy is None and feel == "swing" and meter == "4/4":
        cy = (CYMBALS[0], next(g for g in genres if g.rhythm and g.rhythm.feel == "swing"))
    layers, names, hits = [], [], []
    for picked, default in ((ks, base_ks), (cy, base_cy)):
        layer = picked[0] if picked else default
        layers.append(f"{layer.name} ({picked[1].name})" if picked else f"{layer.name} (litmash default for {meter})")
        names.append(layer.name)
        hits += [DrumHit(sound=s, offset=step / 2, velocity=v) for step, s, v in layer.steps]
    return Groove(name=" with ".join(names), layers=layers, hits=sorted(hits, key=lambda h: h.offset))


def bass_style(genres: list[Genre], meter: str) -> str:
    """'walking' when a blended genre walks its bass (jazz, swing), else 'root-fifth'."""
    if meter == "4/4" and any("walking bass" in t for g in genres for t in _traits(g)):
        return "walking"
    return "root-fifth"


def _octave2(name: str) -> str:
    """A bass pitch between E2 and D#3."""
    from music21 import pitch

    p = pitch.Pitch(name.replace("b", "-") + "2")
    if p.midi < 40:
        p.octave = 3
    return p.nameWithOctave.replace("-", "b")


def bass_line(chords: list[BarChord], style: str, bar_len: float, meter: str) -> list[BassNote]:
    """The bass for one section's chords (offsets from the section's start)."""
    from music21 import pitch

    notes: list[BassNote] = []
    for i, c in enumerate(chords):
        start = (c.bar - 1) * bar_len + c.beat
        root, fifth = _octave2(c.pitches[0]), _octave2(c.pitches[2])
        if style == "walking" and c.length == 4.0:
            nxt = chords[(i + 1) % len(chords)].pitches[0]
            approach = pitch.Pitch(_octave2(nxt).replace("b", "-")).transpose(-1)
            walk = [root, _octave2(c.pitches[1]), fifth, approach.nameWithOctave.replace("-", "b")]
            notes += [BassNote(pitch=p, offset=start + k, length=1.0) for k, p in enumerate(walk)]
        elif meter in ("6/8", "12/8"):
            notes += [BassNote(pitch=root if k % 2 == 0 else fifth, offset=start + k * 1.5, length=1.5)
                      for k in range(int(c.length / 1.5))]
        elif meter == "3/4":
            notes.append(BassNote(pitch=root, offset=start, length=c.length))
        else:
            half = c.length / 2
            notes += [BassNote(pitch=root, offset=start, length=half),
                      BassNote(pitch=fifth, offset=start + half, length=half)]
    return notes
