"""The music block by code: reconciled frame, form and chords, groove, hook melody, and the music21
checks on known-good and known-bad input."""

from __future__ import annotations

import pytest

from litmash.domain.music import BarChord, MusicBlock, SectionMusic
from litmash.language.syllables import syllables
from litmash.music.compose import compose, set_hook
from litmash.music.harmony import fit
from litmash.music.melody import estimated_key, sung_text
from litmash.music.mentions import mention_problems
from litmash.music.theory import chord
from litmash.music.validate import chord_role, melody_report, theory_report

HOOK = "Swing the beat and feel the rhythm flow"


def block(romans: list[str], key: str, meter: str = "4/4") -> MusicBlock:
    """A one-section block (a chorus) on the given numerals, one chord per bar."""
    music = compose(["jazz", "hip_hop"], "intermediate", 1)
    bar = music.model_copy(update={"meter": meter}).bar_length()
    chords = [BarChord(bar=i, length=bar, roman=r, symbol=chord(r, key).symbol, pitches=chord(r, key).pitches)
              for i, r in enumerate(romans, 1)]
    section = SectionMusic(label="chorus", bars=len(romans), progression="test", chords=chords)
    return music.model_copy(update={"key": key, "meter": meter, "form": [section], "hook_melody": None})


# ---------------------------------------------------------------- reconciling the genres' data


def test_jazz_and_hip_hop_meet_at_a_hip_hop_tempo_with_jazz_swing():
    m = compose(["jazz", "hip_hop"], "intermediate", 42)
    assert (m.key, m.tempo_bpm, m.meter, m.feel) == ("A minor", 98, "4/4", "swing")
    assert m.reconciliation == ("98 BPM sits inside Jazz's 60–220 BPM and Hip hop's 80–115 BPM; 4/4 is a meter "
                                "of Jazz and Hip hop; eighth notes are swung as in Jazz.")
    assert m.groove.name == "boom-bap kick and snare with swing ride"
    assert m.bass_style == "walking"


def test_a_fast_genre_is_felt_in_half_time_against_a_slow_one():
    m = compose(["drum_and_bass", "hip_hop"], "intermediate", 42)
    assert m.tempo_bpm == 84
    assert "Drum and bass's 160–180 BPM felt in half time" in m.reconciliation


def test_without_tempo_data_the_default_is_stated():
    m = compose(["reggae", "salsa"], "intermediate", 42)
    assert m.tempo_bpm == 92 and "gives no typical tempo for Reggae and Salsa" in m.reconciliation
    assert m.groove.layers[0] == "one-drop kick and rim (Reggae)"


def test_a_compound_meter_from_one_genre_is_explained():
    m = compose(["celtic", "samba"], "intermediate", 42)
    assert m.meter == "6/8" and m.feel == "straight"
    assert "6/8 comes from Celtic music, since Samba is usually in 2/4" in m.reconciliation


def test_the_block_is_deterministic_for_a_seed_and_varies_with_it():
    a, b = compose(["rock", "reggae"], "beginner", 7), compose(["rock", "reggae"], "beginner", 7)
    assert a == b
    keys = {compose(["rock", "reggae"], "beginner", s).key for s in range(12)}
    assert len(keys) > 1 and keys <= {"C major", "G major", "F major", "A minor", "E minor", "D minor"}


def test_form_by_level_and_every_section_fills_its_bars():
    beginner = compose(["jazz", "hip_hop"], "beginner", 3)
    advanced = compose(["jazz", "hip_hop"], "advanced", 3)
    assert [s.label for s in beginner.form] == ["intro", "verse", "chorus", "verse", "chorus"]
    assert [s.label for s in advanced.form][-2:] == ["chorus", "outro"]
    for m in (beginner, advanced):
        for s in m.form:
            assert sum(c.length for c in s.chords) == s.bars * m.bar_length()


def test_a_twelve_bar_blues_keeps_its_twelve_bars():
    m = compose(["blues", "country"], "intermediate", 42)
    chorus = m.section("chorus")
    assert chorus.bars == 12 and "twelve-bar blues (Blues)" in chorus.progression
    assert [c.roman for c in chorus.chords][:5] == ["I7", "I7", "I7", "I7", "IV7"]


@pytest.mark.parametrize(("roman", "bars", "want"), [
    (["i7", "iv7"], 8, ["i7", "iv7"] * 4),
    (["ii7", "V7", "Imaj7"], 8, ["ii7", "V7", "Imaj7", "Imaj7"] * 2),
    (["I", "VI7", "ii", "V7", "I"], 8, ["I", "VI7", "ii", "V7", "I", "I", "I", "I"]),
    (["I"] * 12, 8, ["I"] * 12),
])
def test_fit_pads_and_repeats_a_progression(roman, bars, want):
    assert fit(roman, bars) == want


def test_progressions_come_from_the_blend_then_its_parents_with_the_source_named():
    m = compose(["gamelan", "techno"], "intermediate", 42)
    # gamelan has no functional harmony in the base and techno no progression: techno's parent funk
    assert {s.progression.split(", started")[0] for s in m.form} == {"Dorian two-chord vamp (Funk, a parent of Techno)"}
    assert m.groove.layers == ["four-on-the-floor kick with claps (Techno)", "off-beat open hi-hat (Techno)"]


# ---------------------------------------------------------------- theory_valid on known input


@pytest.mark.parametrize(("romans", "key", "meter"), [
    (["i", "iv", "V7", "i"], "A minor", "4/4"),           # raised leading tone in the minor V7
    (["ii7", "V7", "Imaj7", "Imaj7"], "Bb major", "4/4"),  # jazz ii–V–I with extensions
    (["I7", "IV7", "I7", "V7"], "G major", "4/4"),         # blues dominant sevenths
    (["i7", "IV7"], "D minor", "4/4"),                     # Dorian vamp: the raised sixth in IV7
    (["I", "IV", "V", "I"], "F major", "6/8"),
    (["i", "VI", "VII", "i"], "E minor", "12/8"),
])
def test_known_good_progressions_are_valid(romans, key, meter):
    report = theory_report(block(romans, key, meter))
    assert report.problems == []


def test_diatonic_share_and_named_roles():
    report = theory_report(block(["I", "VI7", "ii", "V7", "iv", "I7"], "C major"))
    assert report.problems == []
    assert report.share == pytest.approx(3 / 6)
    notes = " | ".join(report.notes)
    assert "VI7 (A7): secondary dominant of II (V7/II)" in notes
    assert "iv (Fm): borrowed from C minor (modal mixture)" in notes
    assert "I7 (C7): blues dominant seventh" in notes


def test_roles_in_minor():
    assert chord_role("V7", ["E", "G#", "B", "D"], "A minor").startswith("diatonic with the raised")
    assert chord_role("IV7", ["D", "F#", "A", "C"], "A minor").startswith("diatonic with the raised")
    assert chord_role("V7/IV", ["C", "E", "G", "Bb"], "C major") == "secondary dominant of IV"


@pytest.mark.parametrize(("mutate", "message"), [
    ({"symbol": "C7"}, "is E7, not C7"),                      # symbol disagrees with the numeral
    ({"pitches": ["E", "G", "B", "D"]}, "spells other notes"),  # pitches disagree with the symbol
    ({"roman": "IX7"}, "does not parse"),                     # not a numeral at all
])
def test_known_bad_chords_fail(mutate, message):
    music = block(["i", "iv", "V7", "i"], "A minor")
    bad = music.form[0].chords[2].model_copy(update=mutate)
    chords = [*music.form[0].chords[:2], bad, music.form[0].chords[3]]
    music = music.model_copy(update={"form": [music.form[0].model_copy(update={"chords": chords})]})
    problems = theory_report(music).problems
    assert problems and any(message in p for p in problems), problems


def test_chords_that_do_not_fill_the_bars_fail():
    music = block(["I", "IV"], "C major")
    short = music.form[0].model_copy(update={"bars": 3})
    assert "do not fill its 3 bars" in theory_report(music.model_copy(update={"form": [short]})).problems[0]


# ---------------------------------------------------------------- the hook melody


def test_syllables_follow_cmudict_stress_and_spell_the_words():
    syls = syllables("Together we rise")
    assert [s.text for s in syls] == ["To", "geth", "er", "we", "rise"]
    assert [s.stressed for s in syls] == [False, True, False, False, True]
    assert [s.word_start for s in syls] == [True, False, False, True, True]


def test_hook_melody_fits_its_words_key_and_range():
    m = set_hook(compose(["jazz", "hip_hop"], "beginner", 42), HOOK, "beginner")
    melody = m.hook_melody
    sung = [n for n in melody.notes if n.pitch]
    assert [n.syllable for n in sung] == [s.text for s in syllables(HOOK)]
    assert m.key == "D minor" and estimated_key(melody.notes)[0] == "D minor"
    # stressed syllables land on beats; the phrase is whole bars long
    assert all(n.offset == int(n.offset) for n in sung if n.stressed)
    assert sum(n.length for n in melody.notes) + melody.notes[0].offset == melody.bars * m.bar_length()
    assert melody_report(m, "beginner").problems == []


@pytest.mark.parametrize(("ids", "level", "hook"), [
    (["reggae", "salsa"], "advanced", "We rise together when the rhythm calls our name"),
    (["celtic", "samba"], "intermediate", "Dance around the fire tonight"),
    (["blues", "country"], "beginner", "Twelve bars of blues"),
])
def test_melodies_pass_in_other_keys_and_meters(ids, level, hook):
    m = set_hook(compose(ids, level, 5), hook, level)
    assert melody_report(m, level).problems == []


@pytest.mark.parametrize("hook", ["Oy vey", "Swing it", "Hey now", "Come on"])
@pytest.mark.parametrize("ids", [["klezmer", "jazz"], ["jazz", "hip_hop"], ["reggae", "salsa"]])
def test_a_hook_too_short_for_its_key_to_be_heard_is_sung_again(ids, hook):
    m = set_hook(compose(ids, "intermediate", 1), hook, "intermediate")
    assert m.hook_melody.text.startswith(f"{hook}, {hook.lower()}")  # chanted, as short hooks are
    assert [n.syllable for n in m.hook_melody.notes if n.pitch] == [s.text for s in syllables(m.hook_melody.text)]
    assert melody_report(m, "intermediate").problems == []


def test_a_hook_long_enough_is_sung_once():
    assert sung_text("We rise together when the rhythm calls") == "We rise together when the rhythm calls"
    assert sung_text("Go") == "Go, go, go, go" and sung_text("I know") == "I know, I know, I know"


def test_known_bad_melody_fails_each_check():
    m = set_hook(compose(["jazz", "hip_hop"], "beginner", 42), HOOK, "beginner")
    notes = m.hook_melody.notes
    dropped = m.model_copy(update={"hook_melody": m.hook_melody.model_copy(update={"notes": notes[1:]})})
    assert "8 notes for 9 syllables" in melody_report(dropped, "beginner").problems[0]
    high = [n.model_copy(update={"pitch": "A5"}) if n.pitch else n for n in notes]
    too_high = m.model_copy(update={"hook_melody": m.hook_melody.model_copy(update={"notes": high})})
    assert any("outside the beginner range" in p for p in melody_report(too_high, "beginner").problems)
    in_c = [n.model_copy(update={"pitch": p}) for n, p in zip(notes, ["C4", "E4", "G4", "C5", "G4", "E4", "D4", "B3", "C4", None], strict=False)]
    other_key = m.model_copy(update={"hook_melody": m.hook_melody.model_copy(update={"notes": in_c})})
    assert any(p.startswith("the melody sounds in A minor") for p in melody_report(other_key, "beginner").problems)


# ---------------------------------------------------------------- what a text may say about the music


def test_mentions_must_match_the_block():
    m = compose(["jazz", "hip_hop"], "intermediate", 42)
    assert mention_problems("Clap on 2 and 4 at 98 BPM in A minor over Am7 and the i7 chord.", m) == []
    assert mention_problems("In C major at 120 BPM in 3/4 the G7 chord and the V7 lead home.", m) == [
        "the song is in A minor, not C major",
        "the song has no V7 chord; its numerals are VII7, VImaj7, i7, iv7",
        "the tempo is 98 BPM, not 120",
        "the meter is 4/4, not 3/4",
    ]


def test_the_lead_sheet_reads_in_treble_clef_and_the_bass_in_bass_clef():
    from music21 import clef

    from litmash.music.score import arrangement, lead_sheet

    m = set_hook(compose(["jazz", "hip_hop"], "intermediate", 42), HOOK, "intermediate")
    first_clef = [p.recurse().getElementsByClass(clef.Clef).first() for p in lead_sheet(m).parts]
    assert [type(c) for c in first_clef] == [clef.TrebleClef]
    parts = arrangement(m).parts
    assert [type(p.recurse().getElementsByClass(clef.Clef).first()) for p in parts] == [
        clef.TrebleClef, clef.TrebleClef, clef.BassClef, clef.PercussionClef]
