"""A stored song's lyric metrics, read off its lines: syllables and stress per line against the
target, the rhyme scheme each section has, rhyme density, reading level, real words and how many
lines stay on the request's topic."""

from __future__ import annotations

from dataclasses import dataclass

from litmash.domain.mashup import Mashup
from litmash.knowledge import knowledge
from litmash.language.readability import reading_grade
from litmash.language.rhyme import detect_scheme, rhyme_density
from litmash.language.syllables import line_syllables, stress_pattern
from litmash.lyrics.topic import on_topic, topic_vocabulary
from litmash.lyrics.words import word_report


@dataclass(frozen=True)
class LineMetric:
    """One sung line: its syllables against the section's target, and its stresses."""

    text: str
    syllables: int
    target: int | None
    stresses: str
    on_topic: bool


@dataclass(frozen=True)
class SectionMetric:
    """One section as written: its lines, the scheme asked for and the scheme it has."""

    label: str
    repeated: bool
    scheme: str | None
    found: str
    rhymes: list[str]
    lines: list[LineMetric]


@dataclass(frozen=True)
class SongMetrics:
    """The whole song's measures (each written section counted once)."""

    sections: list[SectionMetric]
    rhyme_density: float
    reading_grade: float
    topic_share: float
    real_words: float


def song_metrics(m: Mashup) -> SongMetrics:
    """The metrics of a mashup's lyrics."""
    kb = knowledge()
    blend = [g.genre_id for g in m.genre_blend if g.genre_id in kb.genres]
    vocabulary = set(topic_vocabulary([m.request.user_prompt, *m.request.learning_objectives], blend))
    sections = []
    for s in m.lyrics:
        lines = [LineMetric(x, line_syllables(x), s.syllable_target, stress_pattern(x), on_topic(x, vocabulary))
                 for x in s.lines]
        sections.append(SectionMetric(s.label, s.repeated, s.rhyme_scheme, detect_scheme(s.lines), list(s.rhymes),
                                      lines))
    written = [line for s in sections if not s.repeated for line in s.lines]
    texts = [x.text for x in written]
    names = [g.name for g in m.genre_blend] + [t for g in m.genre_blend for t in g.signature_elements]
    report = word_report("\n".join(texts), names)
    # each line is a sentence of its own when read aloud
    grade = reading_grade(" ".join(t.rstrip(".!?,;:") + "." for t in texts)) if texts else 0.0
    return SongMetrics(
        sections=sections, rhyme_density=round(rhyme_density(texts), 2), reading_grade=round(grade, 1),
        topic_share=round(sum(x.on_topic for x in written) / len(written), 2) if written else 0.0,
        real_words=round(report.share, 3),
    )
