"""The lesson's records: concepts, the timed plan, objectives, standards, quizzes and rubric, and who the
mashup is for."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from litmash.domain.request import EducationalContext, SkillLevel, Text


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
