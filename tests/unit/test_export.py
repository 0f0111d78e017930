"""Markdown and JSON export of a mashup."""

from __future__ import annotations

from markdown_it import MarkdownIt

from litmash import Mashup, generate
from litmash.present.markdown import to_json, to_markdown

from ..support.fakes import default_request

JUNK = ["Ba ba oshun ghiyabagor", "Zemba kokoa ezro amenu", "These hooks are great for a class"]


def _mashup(fake, backend, settings, hooks: list[str] | None = None) -> Mashup:
    if hooks:  # lines the model writes; code keeps and ranks them, the title is the first
        fake.enqueue("hook_generator", "\n".join(hooks + JUNK))
    # no repair round: the validator would send the odd title back and replace it
    return generate(default_request(), settings.model_copy(update={"max_repair_rounds": 0}), backend=backend)


def test_every_section_appears(fake, backend, settings):
    m = _mashup(fake, backend, settings)
    md = to_markdown(m)
    for needle in [m.title, m.hooks[0].text, m.lyrics[0].lines[0], m.theory_analysis.key,
                   m.cultural_context[0].origins, m.teaching_guide.discussion_questions[0],
                   m.teaching_guide.assessment.method]:
        assert needle in md.replace("\\", "")
    assert md.index("## Lyrics") < md.index("## Music theory") < md.index("## Lesson plan")


def test_model_text_is_literal_not_markup(fake, backend, settings):
    hooks = ["Break *the* beat of jazz and hip hop", "Swing it low & **clap** along", "Call it out_loud, we respond",
             "We sing along with all our friends"]
    m = _mashup(fake, backend, settings, hooks=hooks)
    html = MarkdownIt("commonmark").render(to_markdown(m))
    assert "<h1>Break *the* beat of jazz and hip hop</h1>" in html  # shown as typed, not as bold
    assert "Swing it low &amp; **clap** along" in html and "Call it out_loud, we respond" in html


def test_json_round_trips(fake, backend, settings):
    m = _mashup(fake, backend, settings)
    assert Mashup.model_validate_json(to_json(m)) == m


def test_a_role_the_base_wrote_is_not_repeated_among_the_signature_elements():
    from litmash.domain.mashup import GenreBlendItem
    from litmash.present.markdown import other_elements

    elements = ["Swing rhythm with syncopated accents", "Seventh and extended chords"]
    base = GenreBlendItem(name="Jazz", role_in_blend="Jazz brings swing rhythm with syncopated accents.",
                          signature_elements=elements, genre_id="jazz", role_source="base")
    assert other_elements(base) == ["Seventh and extended chords"]
    assert other_elements(base.model_copy(update={"role_source": "model"})) == elements


def test_music_section_shows_the_computed_music_and_links_its_files(fake, backend, settings):
    m = _mashup(fake, backend, settings, ["Jazz and hip hop, let the bassline flow", "We sing along with all our friends",
                                          "The night is young and so are we", "Hands up high and sway along"])
    md = to_markdown(m, files={"svg": "song.svg", "midi": "song.mid"})
    music = md[md.index("## Music\n"):md.index("## Cultural context")]
    assert "**A minor**, 98 BPM, 4/4, swing feel." in music
    assert "| chorus | 8 | Am7 Dm7 Am7 Dm7 Am7 Dm7 Am7 Dm7 | two-chord minor loop (Hip hop) |" in music
    assert "**Drums:** boom-bap kick and snare with swing ride" in music
    # the first hook (it names both requested genres), one note per syllable, hyphens inside a word
    assert "Jazz(" in music and " bass(" in music and ")-line(" in music
    assert "[svg](song.svg) · [midi](song.mid)" in music
    assert md.index("## Music theory") < md.index("## Music\n") < md.index("## Cultural context")


def test_a_mashup_stored_before_the_music_block_has_no_music_section(fake, backend, settings):
    m = _mashup(fake, backend, settings).model_copy(update={"music": None})
    assert "## Music\n" not in to_markdown(m)
