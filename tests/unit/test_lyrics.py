"""The lyric metrics and line checks on hand-checked lines (syllables counted aloud, rhymes by ear)."""

from __future__ import annotations

import pytest

from litmash.language.rhyme import detect_scheme, rhyme_density, rhyme_kind, rhymes_for, scheme_pairs
from litmash.language.syllables import line_syllables, stress_pattern
from litmash.lyrics.form import lyric_form, syllable_target
from litmash.lyrics.hooks import choose_hooks, fallback_hooks, near_duplicate
from litmash.lyrics.linecheck import LineContext, line_problems
from litmash.lyrics.pool import Pool, couplet, pieces, rhyming_prefix
from litmash.lyrics.section import fill, metrics
from litmash.lyrics.words import word_report

from ..support.fakes import draft_music

VERSE = ["The jazz band plays a swinging beat", "We clap and stomp with happy feet",
         "The horns come in with something new", "A swinging line for me and you"]


@pytest.mark.parametrize(("line", "syllables", "stress"), [
    ("We can't stop, we won't stop the beat", 8, "x//x//x/"),  # contractions are one syllable each
    ("Forty-two claps in 42 bars", 9, "/x//x/x//"),  # a number is sung as its words
    ("The hip-hop bassline rocks", 6, "x///x/"),  # hyphenated and compound words
    ("Zorblax florbs the groove", 5, "/x/x/"),  # unknown words: vowel groups
])
def test_syllables_and_stress_per_line(line, syllables, stress):
    assert (line_syllables(line), stress_pattern(line)) == (syllables, stress)


@pytest.mark.parametrize(("text", "real", "total", "unknown"), [
    ("We can't stop, we won't stop the beat", 8, 8, ()),
    ("Forty-two claps in 42 bars", 5, 6, ("42",)),  # digits are not words
    ("The hip-hop bassline rocks", 5, 5, ()),  # 'bassline' is a compound of two words
    ("Zorblax florbs the groove", 2, 4, ("zorblax", "florbs")),
    ("a_baba oshun ghiyabagor 123 bambo", 2, 6, ("oshun", "ghiyabagor", "123", "bambo")),  # 'baba' is in CMUdict
])
def test_real_words_report_names_what_is_not_a_word(text, real, total, unknown):
    r = word_report(text)
    assert (r.real, r.total, tuple(r.unknown)) == (real, total, unknown)


def test_blend_names_count_as_words():
    assert word_report("Bhangra and the dhol", ["Bhangra"]).unknown == ()


@pytest.mark.parametrize(("a", "b", "kind"), [
    ("a swinging beat", "stamp our feet", "perfect"),
    ("out in the night", "shining light", "perfect"),
    ("all of the time", "sing every line", "slant"),  # the same stressed vowel
    ("watch the branches bend", "clap your hand", "slant"),  # the same closing consonants
    ("up to the sky", "the sea is blue", None),
    ("we keep the beat", "and feel the beat", "repeat"),  # the same word is no rhyme
])
def test_rhyme_kinds(a, b, kind):
    assert rhyme_kind(a, b) == kind


def test_rhyme_scheme_density_and_hints():
    assert detect_scheme(VERSE) == "AABB"
    assert rhyme_density([*VERSE[:2], "The horns come in", "Nothing here"]) == 0.75
    assert rhymes_for("beat")[:3] == ["eat", "beet", "feet"]
    assert scheme_pairs("HBBH") == [(1, 2)] and scheme_pairs("AABBB") == [(0, 1), (2, 3), (3, 4)]


def test_section_metrics():
    m = metrics(VERSE, "AABB")
    assert m["syllables"] == [8, 8, 8, 8]
    assert m["rhymes"] == ["perfect", "perfect"]
    assert m["stresses"][0] == "x///x/x/"  # the, JAZZ, BAND, PLAYS, a, SWING-ing, BEAT


@pytest.mark.parametrize(("line", "problem"), [
    ("a_baba oshun ghiyabagor", "use real English words instead of 'oshun', 'ghiyabagor'"),
    ("In 1949 the sax was king", "write numbers as words and no dates"),
    ("We sing and we clap and we dance all the way home from school", "sing 8 syllables, not 14: make it shorter"),
    ("Sing sing sing sing along", "do not repeat the same words over and over"),
    ("Here comes the [chorus]", "write the line itself, not a placeholder"),
    ("Can inspire anyone to", "write a whole line that ends on a word with meaning, not on 'to', 'the' or 'of'"),
    ("It has a lot of different", "write a whole line that ends on a word with meaning, not on 'to', 'the' or 'of'"),
    ("This is a beautiful", "write a whole line that ends on a word with meaning, not on 'to', 'the' or 'of'"),
    ("That's the end of that song. The only thing", "sing one sentence per line"),
    ("Techno-Avant-Bipolar-Fuse", "write plain words, not words joined with hyphens"),
    ('A song called "Soul" tonight', "sing the line itself: no quotes, titles or labels"),
    ("FINE MARKUP I LOVE IT", "write in normal letters, not capitals"),
    ("Who is named Bob Marley", "write no names of people or places (Bob, Marley)"),
    ("I'm so glad I could help you", "sing the song, do not talk to the reader"),
    ("Use words like rain and sun", "sing about the topic, do not repeat the instructions"),
    ("A Opera and a hip hop beat", "write 'an' before a vowel sound ('an opera', not 'a opera')"),
])
def test_line_problems_name_what_to_fix(line, problem):
    ctx = LineContext(target=8, sources=("Write 6 short lines. Use words like {vocabulary}.",))
    assert problem in line_problems(line, ctx)


def test_a_good_line_and_the_blend_names_pass():
    ctx = LineContext(target=8, known=frozenset({"Jazz", "Hip hop"}))
    assert line_problems("Jazz and Hip hop meet tonight", ctx) == []
    assert line_problems(VERSE[0], ctx) == []
    assert line_problems("A unique sound and a one man band", ctx) == []
    assert line_problems("The EDM drop and the country twang", ctx) == []  # a genre's abbreviation


def test_a_copy_of_the_request_or_a_line_already_sung_fails():
    ctx = LineContext(target=8, request=("Blend jazz and hip hop for a high school class",), taken=(VERSE[0],))
    assert "write new words, not words copied from the request or the example" in line_problems(
        "Blend jazz and hip hop for a high school", ctx)
    assert "write a new line, not one the song already has" in line_problems(VERSE[0] + "!", ctx)


def test_pieces_clean_a_reply_into_lines():
    reply = ("Here is the song:\n1. The rain taps softly on the roof,\n- (pauses to describe guitars) We hum along\n"
             "Verse 2: Call it out (jazz!), bring it back (hip hop!)\n\n\"Stay inside\"")
    assert pieces(reply) == ["The rain taps softly on the roof", "We hum along",
                             "Call it out (jazz!), bring it back (hip hop!)", "Call it out (jazz!)",
                             "Bring it back (hip hop!)", "Stay inside"]


def test_the_pool_keeps_passing_lines_and_pairs_the_best_rhyme():
    pool = Pool(check=LineContext(target=8))
    kept = pool.add("\n".join([VERSE[2], "Ba ba oshun ghiyabagor zemba", VERSE[0], VERSE[1], VERSE[0]]))
    assert kept == [VERSE[2], VERSE[0], VERSE[1]]
    assert "Ba ba oshun ghiyabagor zemba" in pool.rejected
    assert couplet(pool) == (VERSE[0], VERSE[1])
    pool.take(VERSE[0])
    assert couplet(pool) is None and pool.lines == [VERSE[2], VERSE[1]]


def test_a_rhyme_is_cut_from_a_reply_that_sings_past_it():
    pool = Pool(check=LineContext(target=8))
    reply = "We keep on walking down the street and then we go back home again"
    assert rhyming_prefix(reply, VERSE[1], pool) == "We keep on walking down the street"
    assert rhyming_prefix("Nothing here will do at all", VERSE[1], pool) is None


def test_a_slot_no_line_could_fill_sings_its_partner_again_with_a_note():
    plan = lyric_form(draft_music())[0]
    lines, notes = fill([VERSE[0], "", VERSE[2], VERSE[3]], {1: ["no written line passed its checks"]}, plan, "Hook")
    assert lines == [VERSE[0], VERSE[0], VERSE[2], VERSE[3]]
    assert notes == ["verse 1 line 2: the model's line stayed invalid (no written line passed its checks); "
                     "line 1 is sung again"]


def test_the_form_follows_the_music():
    music = draft_music()
    plans = lyric_form(music)
    assert [p.name for p in plans] == ["verse 1", "chorus", "verse 2", "chorus", "bridge", "chorus"]
    assert [p.written for p in plans] == [True, True, True, False, True, False]
    chorus = plans[1]
    assert chorus.scheme == "HBBH" and chorus.hook_lines == (0, 3) and chorus.model_lines() == [1, 2]
    assert {p.syllables for p in plans} == {syllable_target(music)} == {8}


def test_hooks_are_kept_ranked_and_distinct():
    ctx = LineContext(target=8, known=frozenset({"Jazz", "Hip hop"}))
    candidates = ["Swing it low, let the bassline flow", "Swing it low; let the bassline flow!",
                  "Call it out, jazz, bring it back, hip hop", "These hooks are great for a class",
                  "Ba ba oshun ghiyabagor zemba", "Two and four, we clap on the backbeat"]
    kept, dropped = choose_hooks(candidates, ctx, ["jazz", "hip_hop"], {"swing", "clap"})
    assert [c.text for c in kept] == ["Call it out, jazz, bring it back, hip hop", "Swing it low, let the bassline flow",
                                      "Two and four, we clap on the backbeat"]
    assert kept[1].technique == "internal rhyme (low / flow)"
    assert dropped["Swing it low; let the bassline flow!"] == ["too close to another hook"]
    assert "sing the hook itself, do not talk about hooks or lyrics" in dropped["These hooks are great for a class"]
    kept, dropped = choose_hooks(["And the music we make together"], ctx, ["jazz", "hip_hop"], set())
    assert kept == [] and dropped["And the music we make together"] == ["start the hook with its own words, not 'and'"]
    assert near_duplicate("Feel the Jazz, feel the Hip hop", "Jazz and Hip hop, feel it", frozenset({"jazz", "hip", "hop"}))


def test_set_phrases_stand_in_distinct_from_each_other_and_the_kept_hooks():
    names = frozenset({"funk", "disco"})
    phrases = fallback_hooks(["funk", "disco"], 8, ["Funk and Disco, sing it loud"])
    assert "Funk and Disco, sing it loud" not in phrases and len(phrases) >= 3
    assert not any(near_duplicate(a, b, names) for i, a in enumerate(phrases) for b in phrases[i + 1:])


def test_song_metrics_of_a_generated_song_are_shown_and_exported(fake, backend, settings):
    from litmash import generate
    from litmash.lyrics.metrics import song_metrics
    from litmash.present.markdown import to_markdown
    from litmash.ui.render import renderers

    from ..support.fakes import default_request

    m = generate(default_request(), settings, backend=backend, persist=False)
    sm = song_metrics(m)
    verse = sm.sections[0]
    assert (verse.label, verse.scheme, verse.found) == ("verse", "AABB", "AABB")
    assert len(verse.rhymes) == 2 and set(verse.rhymes) <= {"perfect", "slant"}
    assert [x.syllables for x in verse.lines] == [line_syllables(x.text) for x in verse.lines]
    assert all(x.target == 8 and len(x.stresses) == x.syllables for x in verse.lines)
    assert [s.repeated for s in sm.sections] == [False, False, False, True, False, True]
    assert sm.real_words == 1.0 and 0 < sm.topic_share <= 1 and sm.reading_grade < 8
    html = renderers["lyrics"](m)
    assert "[chorus] (again)" in html and f"<td>{verse.lines[0].text}</td><td>{verse.lines[0].syllables} / 8</td>" in html
    assert f"rhyme density {sm.rhyme_density:.2f}" in html
    assert f"*Lyric metrics:* rhyme density {sm.rhyme_density:.2f} · reading level grade {sm.reading_grade:.1f}" \
        in to_markdown(m)


def test_a_long_line_offers_its_first_clauses_and_leaves_with_them():
    from litmash.lyrics.pool import clause_prefixes

    line = "We keep on walking down the street and then we go back home when the sun sets"
    assert clause_prefixes(line, 6) == ["We keep on walking down the street and then we go back home",
                                        "We keep on walking down the street"]
    pool = Pool(check=LineContext(target=8))
    pool.add(line + "\nThe rain comes down on every street\nWe clap and stomp with happy feet")
    assert "We keep on walking down the street" in pool.lines and line not in pool.lines  # 17 syllables
    assert couplet(pool) == ("We keep on walking down the street", "We clap and stomp with happy feet")
    pool.take("We keep on walking down the street and then we go back home")
    assert "We keep on walking down the street" not in pool.lines


@pytest.mark.parametrize(("wanted", "target"), [(["jazz", "hip_hop"], 8), (["gamelan", "minimalism"], 6),
                                                (["qawwali", "gospel", "jazz"], 9), (["opera"], 8),
                                                (["maqam", "electronic"], 8)])
def test_naming_hooks_name_every_requested_genre_and_pass_the_hook_checks(wanted, target):
    from litmash.knowledge import knowledge
    from litmash.knowledge.resolve import names_genre
    from litmash.language.syllables import line_syllables
    from litmash.lyrics.hooks import hook_problems, naming_hooks
    from litmash.lyrics.linecheck import LineContext

    kb = knowledge()
    ctx = LineContext(target=target, known=frozenset(w for g in wanted for w in kb.get(g).name.lower().split()))
    phrases = naming_hooks(wanted, ctx)
    assert phrases and all(all(names_genre(g, p) for g in wanted) for p in phrases)
    assert all(hook_problems(p, ctx) == [] for p in phrases)
    distance = [abs(line_syllables(p) - target) for p in phrases]
    assert distance == sorted(distance)


def test_a_written_hook_naming_both_genres_leads_the_chorus(fake, backend, settings):
    from litmash.workflow import api

    from ..support.fakes import default_request

    m = api.generate(default_request(), settings, backend=backend, persist=False)
    assert m.hooks[0].text == "Call it out, jazz, bring it back, hip hop" and m.hooks[0].source == "model"
    assert not any(p.section == "hooks" for p in m.validation)


def test_a_line_naming_a_place_the_base_does_not_give_is_refused():
    from litmash.lyrics.linecheck import LineContext, line_problems

    ctx = LineContext(target=8, blend=("fado", "blues"))
    assert any("places, dates or artists" in p for p in line_problems("We sang the blues in sunny spain", ctx))
    assert line_problems("We sang the blues all night long", ctx) == []


def test_long_genre_names_are_sung_in_a_shorter_form_that_still_names_them():
    from litmash.lyrics.hooks import _short_name, naming_hooks
    from litmash.lyrics.linecheck import LineContext

    assert (_short_name("maqam"), _short_name("electronic"), _short_name("jazz")) == ("Maqam", "Electronic", "Jazz")
    # 'Arabic maqam meets Electronic music' sings 12 syllables: too many for an 8-syllable chorus line
    assert naming_hooks(["maqam", "electronic"], LineContext(target=8))[0] in (
        "From Maqam to Electronic", "Maqam meets Electronic", "Sing Maqam and Electronic")


@pytest.mark.parametrize("word", ["hmm", "shh", "mm"])
def test_a_word_cmudict_lists_without_a_vowel_is_one_syllable_not_a_crash(word):
    # seen on the embedded model: a lyric reply with "hmm" ended the whole run with an IndexError
    from litmash.language.syllables import line_syllables, syllables

    assert [s.text for s in syllables(word)] == [word]
    assert line_syllables(f"We sing {word} all night") == 5
