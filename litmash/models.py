"""Pydantic models: the request, each agent's structured output, and the assembled Mashup.

Every string and list an LLM fills is bounded (``max_length``) so that grammar-constrained
decoding always terminates; ``Field(description=...)`` texts are rendered into the prompts.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .music.block import MusicBlock

SkillLevel = Literal["beginner", "intermediate", "advanced"]
EducationalContext = Literal["classroom", "workshop", "individual_study", "online"]
SectionLabel = Literal["intro", "verse", "pre-chorus", "chorus", "bridge", "outro"]
Section = Literal[
    "educational_content",
    "genre_blend",
    "hooks",
    "lyrics",
    "theory_analysis",
    "teaching_guide",
]

# Minutes a lesson lasts when the request does not say.
DEFAULT_LESSON_MINUTES: dict[str, int] = {
    "classroom": 45,
    "workshop": 90,
    "individual_study": 30,
    "online": 40,
}


def Text(lo: int, hi: int) -> type[str]:  # noqa: N802 - reads like a type in annotations
    """A stripped string bounded to ``lo``..``hi`` characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=lo, max_length=hi)]  # type: ignore[return-value]


def _unify_newlines(value: object) -> object:
    """Windows (CR LF) and old Mac (CR) line endings as LF, so pasted text is not refused."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, list):
        return [_unify_newlines(v) for v in value]
    return value


def _reject_control_chars(value: str) -> str:
    bad = [c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    if bad:
        # No field name here: the error's location already names it.
        raise ValueError(f"must not contain control characters (found {bad[0]!r})")
    return value


class MashupRequest(BaseModel):
    """What a teacher asks for: the prompt, the learners, and what they should learn."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    user_prompt: str = Field(min_length=5, max_length=2000, description="The teacher's request.")
    skill_level: SkillLevel = "intermediate"
    educational_context: EducationalContext = "classroom"
    learning_objectives: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]] = Field(
        default_factory=list, max_length=10
    )
    genres: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]] = Field(
        default_factory=list, max_length=3, description="Optional genre hints."
    )
    grade_or_age: str | None = Field(default=None, min_length=1, max_length=60)
    lesson_minutes: int | None = Field(default=None, ge=10, le=240)

    @field_validator("user_prompt", "grade_or_age", "learning_objectives", "genres", mode="before")
    @classmethod
    def _newlines(cls, v: object) -> object:
        return _unify_newlines(v)

    @field_validator("user_prompt", "grade_or_age")
    @classmethod
    def _no_control(cls, v: str | None) -> str | None:
        return None if v is None else _reject_control_chars(v)

    @field_validator("learning_objectives", "genres")
    @classmethod
    def _no_control_items(cls, v: list[str]) -> list[str]:
        return [_reject_control_chars(item) for item in v]

    @property
    def minutes(self) -> int:
        """Lesson length in minutes: the requested one or the context's default."""
        return self.lesson_minutes or DEFAULT_LESSON_MINUTES[self.educational_context]


# --------------------------------------------------------------------------- agent outputs


class EducationalPlan(BaseModel):
    """educational_context agent: what the learners should get out of the mashup."""

    learning_goals: list[Text(10, 140)] = Field(
        min_length=2, max_length=4,
        description="Concrete, checkable learning goals for these learners, one sentence each.",
    )
    teaching_approach: Text(20, 300) = Field(
        description="How to teach this mashup to the stated level and context, in two or three sentences."
    )
    vocabulary: list[Text(2, 40)] = Field(
        min_length=3, max_length=6, description="Key musical terms the learners will meet."
    )


class GenreStudy(BaseModel):
    """One genre of the blend: chosen by code from the genre base, its role written by the model."""

    genre_id: str = Field(description="The genre's id in the genre knowledge base.")
    name: str
    role_in_blend: Text(10, 240)
    signature_elements: list[str] = Field(min_length=1, max_length=6)
    chosen_by: Literal["request", "model", "code"] = "request"
    # 'base' when the model's role stayed invalid and the base's own sentence stands in
    role_source: Literal["model", "base"] = "model"


class GenreAnalysis(BaseModel):
    """genre_analyzer: the 2-3 genres of the blend."""

    genres: list[GenreStudy] = Field(min_length=2, max_length=3)


class Hook(BaseModel):
    """One hook: a short line the model wrote, kept and ranked by code (``litmash.lyrics.hooks``)."""

    text: Text(5, 100) = Field(description="The hook line as it would be sung or rapped.")
    technique: Text(5, 80) = Field(description="The musical or lyrical device the hook uses.")
    # None in mashups stored before hooks were checked by code
    syllables: int | None = Field(default=None, description="Sung syllables (CMUdict).")
    source: Literal["model", "code"] | None = Field(
        default=None, description="'code' when too few of the model's candidates passed and a set phrase stands in.")


class HookSet(BaseModel):
    """hook_generator agent: a title and several distinct hook options."""

    title: Text(3, 80) = Field(description="A short, catchy song title.")
    hooks: list[Hook] = Field(min_length=3, max_length=5, description="Distinct hook options.")


class LyricSection(BaseModel):
    """A labelled block of lyrics; the fields after ``lines`` are computed by code (None or empty in
    mashups stored before the song form came from the music)."""

    label: SectionLabel = Field(description="Which part of the song this is.")
    lines: list[Text(2, 80)] = Field(min_length=1, max_length=8, description="The lines, in order.")
    syllable_target: int | None = Field(default=None, description="Syllables each line should sing.")
    rhyme_scheme: str | None = Field(default=None, description="Which lines rhyme: 'AABB'.")
    syllables: list[int] = Field(default_factory=list, description="Sung syllables per line.")
    stresses: list[str] = Field(default_factory=list, description="Stress per line: '/' stressed, 'x' not.")
    rhymes: list[str] = Field(
        default_factory=list, description="Per rhyme pair of the scheme: 'perfect', 'slant', 'repeat' or 'none'.")
    repeated: bool = Field(default=False, description="A repeat of an earlier section (the chorus, the outro's hook).")
    notes: list[str] = Field(default_factory=list, description="Lines code filled in after the model's stayed invalid.")


class Lyrics(BaseModel):
    """lyrics_composer agent: the song, section by section, in the music's form."""

    sections: list[LyricSection] = Field(
        min_length=1, max_length=10,
        description="Song sections in order; include at least one verse and a chorus.",
    )


class TheoryConcept(BaseModel):
    """A music-theory idea explained at the learners' level; where to hear it is written by code."""

    name: Text(3, 60) = Field(description="The concept, e.g. 'syncopation'.")
    explanation: Text(20, 240) = Field(description="An explanation pitched at the learners' level.")
    where_in_song: Text(5, 200) = Field(description="Where the learners can hear it in this mashup.")
    concept_id: str | None = Field(default=None, description="The concept's id in the knowledge base.")
    explanation_source: Literal["model", "base"] | None = Field(
        default=None, description="'base' when the model's explanation stayed invalid and the base's definition stands in.")


class Differentiation(BaseModel):
    """The step for learners who need support, for most of the class, and as an extension."""

    support: str
    core: str
    extension: str


class LessonStep(BaseModel):
    """One timed step of the lesson plan (minutes, phase, standards and differentiation by code)."""

    minutes: int = Field(ge=1, le=240, description="How long this step takes, in minutes.")
    title: Text(3, 60) = Field(description="Short name of the step.")
    # code fills the templates with the base's listening examples, so a step may run long
    description: Text(10, 480) = Field(description="What the teacher and learners do.")
    phase: str | None = None
    objective: int | None = Field(default=None, description="1-based number of the objective this step serves.")
    standards: list[str] = Field(default_factory=list)
    uses: list[str] = Field(default_factory=list)
    differentiation: Differentiation | None = None
    description_source: Literal["model", "template"] | None = None


class Activity(BaseModel):
    """A hands-on activity."""

    name: Text(3, 60) = Field(description="Name of the activity.")
    description: Text(10, 320) = Field(description="How the activity works.")


class Assessment(BaseModel):
    """How learning is checked."""

    method: Text(5, 140) = Field(description="How the teacher checks the learning goals.")
    criteria: list[Text(5, 260)] = Field(
        min_length=2, max_length=4, description="What success looks like."
    )


class TeachingPlan(BaseModel):
    """teaching_guide agent: a timed lesson around the mashup."""

    lesson_plan: list[LessonStep] = Field(
        min_length=2, max_length=10, description="Timed steps; their minutes add up to the lesson length."
    )
    discussion_questions: list[Text(10, 140)] = Field(
        min_length=3, max_length=5, description="Open questions that get learners talking."
    )
    activities: list[Activity] = Field(min_length=2, max_length=3, description="Hands-on activities.")
    assessment: Assessment


# --------------------------------------------------------------------------- the mashup


class EducationalContent(BaseModel):
    """Who the mashup is for and what it teaches."""

    level: SkillLevel
    context: EducationalContext
    learning_goals: list[str]
    teaching_approach: str
    vocabulary: list[str]
    # 'data' when the model's approach failed the lesson-text checks and the lesson template's stands in
    approach_source: Literal["model", "data"] = "model"
    approach_problems: list[str] = Field(default_factory=list)


class GenreBlendItem(BaseModel):
    """A genre's musical part in the blend (``genre_id`` is None in runs made before the genre base)."""

    name: str
    role_in_blend: str
    signature_elements: list[str]
    genre_id: str | None = None
    chosen_by: Literal["request", "model", "code"] | None = None
    role_source: Literal["model", "base"] | None = None


class ListeningExample(BaseModel):
    """A recording from the genre base."""

    artist: str
    title: str
    year: int | None = None


class CulturalContext(BaseModel):
    """Where a genre comes from and how to use it respectfully: facts from the genre base.

    The string fields keep the shape older runs stored (then written by the model); the lists
    after them hold the base's facts and sources.
    """

    genre: str
    origins: str
    era: str
    communities: str
    representative_artists: list[str]
    respectful_use: str
    genre_id: str | None = None
    instruments: list[str] = Field(default_factory=list)
    listening: list[ListeningExample] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Chord(BaseModel):
    """A chord as a Roman numeral in the key and as a lead-sheet symbol."""

    roman: str
    symbol: str
    pitches: list[str]


class TheoryAnalysis(BaseModel):
    """Key, tempo, meter, progression and the concepts explained."""

    key: str
    tempo_bpm: int
    meter: str
    chord_progression: list[Chord]
    concepts: list[TheoryConcept]


class Objective(BaseModel):
    """A measurable objective: it opens with a Bloom verb; 'teacher' ones are the request's, rewritten."""

    text: str
    bloom: str | None = None
    source: Literal["teacher", "code"] = "teacher"
    original: str | None = None


class StandardRef(BaseModel):
    """A standard the lesson addresses: a catalogue code, litmash's paraphrase, the official text's address."""

    code: str
    process: str
    paraphrase: str
    url: str


class Keyword(BaseModel):
    """A term and its short definition."""

    term: str
    definition: str


class MisconceptionNote(BaseModel):
    """A likely misconception and its correction."""

    misconception: str
    correction: str


class QuizQuestion(BaseModel):
    """A multiple-choice question: one correct answer and two distractors."""

    question: str
    answer: str
    distractors: list[str] = Field(min_length=2, max_length=2)
    about: str = ""

    def options(self) -> list[str]:
        """The three options in a fixed order that does not always put the answer first."""
        opts = [self.answer, *self.distractors]
        shift = sum(map(ord, self.question)) % 3
        return opts[shift:] + opts[:shift]


class RubricRow(BaseModel):
    """What beginning, developing and secure look like for one objective."""

    objective: str
    beginning: str
    developing: str
    secure: str


class TeachingGuide(TeachingPlan):
    """The lesson plan plus the lesson length it was planned for, and the guide code builds around it.

    The fields after ``lesson_minutes`` are empty in mashups stored before the lesson skeleton
    came from code (litmash.pedagogy).
    """

    lesson_minutes: int
    template: str | None = None
    grade: str | None = None
    objectives: list[Objective] = Field(default_factory=list)
    standards: list[StandardRef] = Field(default_factory=list)
    prior_knowledge: list[str] = Field(default_factory=list)
    key_points: list[str] = Field(default_factory=list)
    misconceptions: list[MisconceptionNote] = Field(default_factory=list)
    keywords: list[Keyword] = Field(default_factory=list)
    starter_quiz: list[QuizQuestion] = Field(default_factory=list)
    exit_quiz: list[QuizQuestion] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list)
    rubric: list[RubricRow] = Field(default_factory=list)
    reading_grade: float | None = None


class ValidationProblem(BaseModel):
    """A problem the content validator found and could not repair."""

    section: Section
    message: str
    # False for a note on a part code already filled in (set-phrase hooks, a line sung again, the
    # template's approach): recorded for the teacher, but not sent back for a repair round
    repairable: bool = True


class PromptRef(BaseModel):
    """Which prompt file (by content hash) an agent used."""

    name: str
    sha256: str


class AgentRun(BaseModel):
    """One execution of one agent: timings, tokens, attempts and what came back."""

    agent: str
    round: int = 0
    prompt: PromptRef
    model: str
    started_at: datetime
    wall_ms: float
    llm_ms: float
    attempts: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    status: Literal["ok", "failed"] = "ok"
    raw_output: str | None = None
    parse_error: str | None = None


class RunMetadata(BaseModel):
    """How the mashup was made."""

    backend: str
    model: str
    seed: int | None
    started_at: datetime
    total_seconds: float
    repair_rounds: int
    prompts: dict[str, PromptRef]
    agent_runs: list[AgentRun]

    @property
    def llm_seconds(self) -> float:
        """Time spent inside LLM calls, summed over agents (parallel branches overlap)."""
        return sum(r.llm_ms for r in self.agent_runs) / 1000

    @property
    def tokens(self) -> tuple[int, int]:
        """(prompt tokens, completion tokens) over all agent runs."""
        return (
            sum(r.prompt_tokens for r in self.agent_runs),
            sum(r.completion_tokens for r in self.agent_runs),
        )


class Mashup(BaseModel):
    """A complete educational mashup."""

    model_config = ConfigDict(protected_namespaces=())

    request: MashupRequest
    title: str
    genre_blend: list[GenreBlendItem] = Field(min_length=2, max_length=3)
    hooks: list[Hook] = Field(min_length=3)
    lyrics: list[LyricSection]
    educational_content: EducationalContent
    theory_analysis: TheoryAnalysis
    cultural_context: list[CulturalContext]
    teaching_guide: TeachingGuide
    validation: list[ValidationProblem]
    metadata: RunMetadata
    # Computed by code (litmash.music); None in mashups stored before it existed.
    music: MusicBlock | None = None


SECTIONS: tuple[str, ...] = get_args(Section)
