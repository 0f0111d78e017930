"""Hand-built, valid litmash models for store tests (no LLM involved)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from litmash.domain.lesson import (
    Activity,
    Assessment,
    EducationalContent,
    LessonStep,
    TeachingGuide,
    TheoryConcept,
)
from litmash.domain.mashup import (
    AgentRun,
    Chord,
    CulturalContext,
    GenreBlendItem,
    Mashup,
    PromptRef,
    RunMetadata,
    TheoryAnalysis,
    ValidationProblem,
)
from litmash.domain.request import MashupRequest
from litmash.domain.song import Hook, LyricSection

PROMPT_TEXT = 'You are {role}. Blend {genres} for {level} learners.\nQuote: "it\'s" — done.'


def prompt_ref(name: str = "hook_generator", text: str = PROMPT_TEXT) -> PromptRef:
    """A prompt reference whose hash really is the text's."""
    return PromptRef(name=name, sha256=hashlib.sha256(text.encode()).hexdigest())


def make_request(
    prompt: str = "Blend jazz and hip-hop for a high-school class",
    level: str = "intermediate",
    context: str = "classroom",
    genres: tuple[str, ...] = ("jazz", "hip-hop"),
) -> MashupRequest:
    """A valid request."""
    return MashupRequest(
        user_prompt=prompt,
        skill_level=level,
        educational_context=context,
        learning_objectives=["hear syncopation", "name a ii-V-I"],
        genres=list(genres),
        grade_or_age="grade 10",
    )


def make_agent_run(
    agent: str = "hook_generator",
    round: int = 0,
    prompt_text: str = PROMPT_TEXT,
    status: str = "ok",
    raw_output: str | None = '{"title": "Blue Cipher"}',
    parse_error: str | None = None,
) -> AgentRun:
    """A valid agent run."""
    return AgentRun(
        agent=agent,
        round=round,
        prompt=prompt_ref(agent, prompt_text),
        model="smollm2-135m",
        started_at=datetime(2025, 3, 1, 12, 0, 0, 250000, tzinfo=UTC),
        wall_ms=1234.5,
        llm_ms=1200.25,
        attempts=2,
        prompt_tokens=321,
        completion_tokens=123,
        status=status,
        raw_output=raw_output,
        parse_error=parse_error,
    )


def make_mashup(
    title: str = "Blue Note Cipher",
    genres: tuple[str, ...] = ("Jazz", "Hip-Hop"),
    level: str = "intermediate",
    context: str = "classroom",
    lines: tuple[str, ...] = (
        "Swing the beat, let the bassline walk",
        "Trade the fours like we trade our talk",
    ),
    request: MashupRequest | None = None,
) -> Mashup:
    """A complete, valid mashup; the arguments are what store filters and search look at."""
    request = request or make_request(level=level, context=context, genres=tuple(g.lower() for g in genres))
    runs = [make_agent_run("genre_analyzer"), make_agent_run("hook_generator")]
    return Mashup(
        request=request,
        title=title,
        genre_blend=[
            GenreBlendItem(
                name=g,
                role_in_blend=f"{g} brings its groove",
                signature_elements=["swing", "call and response"],
            )
            for g in genres
        ],
        hooks=[
            Hook(text="Walk it, talk it, swing it", technique="internal rhyme"),
            Hook(text="Blue notes on the block", technique="alliteration"),
            Hook(text="Cipher in the key of life", technique="metaphor"),
        ],
        lyrics=[
            LyricSection(label="verse", lines=list(lines)),
            LyricSection(label="chorus", lines=["Blue note, blue note", "Cipher all night"]),
            LyricSection(label="outro", lines=["Fade on the ride cymbal", "Last word to the horn"]),
        ],
        educational_content=EducationalContent(
            level=level,
            context=context,
            learning_goals=["Identify syncopation in a groove", "Name the chords of a ii-V-I"],
            teaching_approach="Listen, clap, then write a verse over the loop.",
            vocabulary=["syncopation", "swing", "ii-V-I"],
        ),
        theory_analysis=TheoryAnalysis(
            key="C major",
            tempo_bpm=92,
            meter="4/4",
            chord_progression=[
                Chord(roman="ii7", symbol="Dm7", pitches=["D", "F", "A", "C"]),
                Chord(roman="V7", symbol="G7", pitches=["G", "B", "D", "F"]),
                Chord(roman="Imaj7", symbol="Cmaj7", pitches=["C", "E", "G", "B"]),
            ],
            concepts=[
                TheoryConcept(
                    name="syncopation",
                    explanation="Accents that land between the beats of the bar.",
                    where_in_song="the verse",
                ),
                TheoryConcept(
                    name="ii-V-I",
                    explanation="The most common cadence in jazz harmony, resolving home.",
                    where_in_song="the chorus",
                ),
            ],
        ),
        cultural_context=[
            CulturalContext(
                genre=g,
                origins=f"{g} grew out of African American musical traditions.",
                era="20th century",
                communities="African American communities in US cities.",
                representative_artists=["Artist One", "Artist Two"],
                respectful_use="Credit the tradition and its artists when borrowing.",
            )
            for g in genres
        ],
        teaching_guide=TeachingGuide(
            lesson_plan=[
                LessonStep(
                    minutes=10, title="Listen", description="Play both genres and compare the grooves."
                ),
                LessonStep(
                    minutes=20, title="Create", description="Write a verse over the mashup loop in pairs."
                ),
                LessonStep(minutes=15, title="Share", description="Perform and give each other feedback."),
            ],
            discussion_questions=[
                "Where do you hear swing in the loop?",
                "How does the hook use rhyme to stick?",
                "What did each genre contribute to the song?",
            ],
            activities=[
                Activity(name="Clap the groove", description="Clap the syncopated rhythm with the track."),
                Activity(name="Verse cipher", description="Take turns adding a line to a shared verse."),
            ],
            assessment=Assessment(
                method="Short performance with a checklist",
                criteria=["Keeps the swing feel", "Names the ii-V-I chords"],
            ),
            lesson_minutes=45,
        ),
        validation=[ValidationProblem(section="lyrics", message="chorus repeats a line")],
        metadata=RunMetadata(
            backend="embedded",
            model="smollm2-135m",
            seed=42,
            started_at=datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC),
            total_seconds=42.5,
            repair_rounds=1,
            prompts={r.agent: r.prompt for r in runs},
            agent_runs=runs,
        ),
    )
