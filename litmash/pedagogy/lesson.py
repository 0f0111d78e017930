"""The lesson skeleton by code: timed steps, objectives, standards, keywords, quizzes, materials and rubric.

The model only writes the steps' descriptions, the discussion questions and the activities
(litmash.workflow.agents.teaching_guide); everything here comes from the templates, the base and the music.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litmash.domain.lesson import (
    Activity,
    Assessment,
    Differentiation,
    Keyword,
    LessonStep,
    MisconceptionNote,
    Objective,
    QuizQuestion,
    RubricRow,
    StandardRef,
    TeachingGuide,
)
from litmash.domain.music import MusicBlock
from litmash.domain.request import MashupRequest
from litmash.knowledge import knowledge
from litmash.knowledge.context import decades_text
from litmash.language.readability import reading_grade
from litmash.pedagogy import quiz
from litmash.pedagogy.bloom import ORDER
from litmash.pedagogy.data import Phase, lessons, misconceptions
from litmash.pedagogy.grade import grade_band
from litmash.pedagogy.objectives import objectives, rubric_cells
from litmash.pedagogy.standards import catalogue, code_for, describe, select
from litmash.pedagogy.text import TOPICS
from litmash.pedagogy.timing import allocate

FALLBACK_CONCEPTS = ("beat", "tempo")  # misconceptions every song lesson can address


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def song_facts(music: MusicBlock, blend: list[str], concept_ids: list[str]) -> dict[str, str]:
    """The slot values templates and prompts use, from the base and the music block."""
    kb = knowledge()
    genres = [kb.get(g) for g in blend]
    chorus = music.section("chorus") or music.form[0]
    symbols = list(dict.fromkeys(c.symbol for c in chorus.chords))
    listening = [f"{g.listening[0].artist} – {g.listening[0].title}" for g in genres if g.listening]
    return {
        "genres": _names([g.name for g in genres]),
        "genre_a": genres[0].name, "genre_b": genres[1].name,
        "key": music.key, "tempo": str(music.tempo_bpm), "meter": music.meter,
        "progression": "–".join(symbols), "romans": "–".join(dict.fromkeys(c.roman for c in chorus.chords)),
        "groove": music.groove.name,
        "concept": kb.concepts[concept_ids[0]].name if concept_ids else "the groove",
        "listening": "; ".join(listening) or "a recording of each genre",
        "instruments": _names(list(dict.fromkeys(i for g in genres for i in g.instruments[:2]))),
    }


@dataclass
class Skeleton:
    """Everything of the guide that code decides; the model's words are filled in by ``assemble``."""

    template: str
    grade: str
    level: str
    minutes: int
    phases: list[tuple[Phase, int]]
    facts: dict[str, str]
    objectives: list[Objective]
    standards: list[StandardRef]
    keywords: list[Keyword]
    key_points: list[str]
    prior_knowledge: list[str]
    misconceptions: list[MisconceptionNote]
    starter_quiz: list[QuizQuestion]
    exit_quiz: list[QuizQuestion]
    materials: list[str]
    questions: list[str] = field(default_factory=list)

    def template_text(self, phase: Phase) -> str:
        """The phase's description from the template, its slots filled; advanced learners get more to analyse."""
        text = phase.description
        if self.level == "advanced":
            text += " " + lessons().advanced[phase.id]
        return text.format(**self.facts)


def _serves(phase: Phase, objs: list[Objective]) -> int:
    """The 1-based objective this phase serves: shared topic words first, then the nearest Bloom level."""
    topic = set().union(*(TOPICS[u] for u in phase.uses))
    rank = ORDER.index(phase.bloom)

    def fit(o: Objective) -> float:
        words = {w.strip(".,;:'\"").lower() for w in o.text.split()}
        bloom = abs(ORDER.index(o.bloom) - rank) if o.bloom else 6
        return 2 * len(words & topic) - bloom

    scores = [fit(o) for o in objs]
    return scores.index(max(scores)) + 1


def _question(q: tuple[str, str, list[str], str] | None) -> QuizQuestion | None:
    if q is None or quiz.rule_problems(*q[:3]):
        return None
    return QuizQuestion(question=q[0], answer=q[1], distractors=q[2], about=q[3])


def build(req: MashupRequest, music: MusicBlock, blend: list[str], concept_ids: list[str]) -> Skeleton:
    """The lesson skeleton for this request, song and blend."""
    kb, data = knowledge(), lessons()
    facts = song_facts(music, blend, concept_ids)
    template = data.templates[req.educational_context]
    phases = allocate(template, req.minutes)
    grade = grade_band(req.skill_level, req.grade_or_age, req.user_prompt)
    objs = objectives(list(req.learning_objectives), req.skill_level, facts)
    codes = select([p.standard for p, _ in phases if p.standard], grade)
    standards = [StandardRef(code=c, process=catalogue()[c].process, paraphrase=describe(c)[0], url=describe(c)[1])
                 for c in codes]

    lesson_concepts = list(dict.fromkeys([*concept_ids, "hook"]))
    keywords = [Keyword(term=kb.concepts[c].name, definition=kb.concepts[c].definition) for c in lesson_concepts[:5]]
    prior = data.prior_knowledge[req.skill_level]
    chorus = music.section("chorus") or music.form[0]
    key_points = [
        f"{g.name} began in {_names(list(g.origin.places[:2]))}"
        + (f" in the {decades_text(g)}" if g.origin.decades else "")
        + f". Listen for: {g.signature_elements[0].rstrip('.')}."
        for g in (kb.get(b) for b in blend)
    ] + [
        f"The chorus repeats {facts['romans']} in {music.key}: {facts['progression']}, {len(chorus.chords)} bars.",
        f"The song moves at {music.tempo_bpm} BPM in {music.meter} over a {music.groove.name} groove.",
    ]
    notes = [misconceptions()[c] for c in [*concept_ids, *FALLBACK_CONCEPTS] if c in misconceptions()][:2]
    misc = [MisconceptionNote(misconception=m.wrong[0], correction=m.correct) for m in notes]

    starter = [q for c in prior if (q := _question(quiz.concept_question(c, exclude=set(prior))))]
    exit_candidates = [
        quiz.key_question(music),
        *(quiz.concept_question(c, exclude=set(concept_ids)) for c in concept_ids[:1]),
        # the misconception question on another concept than the keyword question when there is one
        *(quiz.misconception_question(m.concept) for m in
          ([n for n in notes if n.concept not in concept_ids[:1]] or notes)[:1]),
    ]
    exit_quiz = [q for c in exit_candidates if (q := _question(c))]

    uses = {u for p, _ in phases for u in p.uses}
    materials = ["Lead sheet and audio of the song (litmash export: svg, wav or ogg)"]
    if uses & {"lyrics", "hook"}:
        materials.append("Lyrics sheet with the chorus and its hook")
    if "listening" in uses:
        materials.append(f"Recordings: {facts['listening']}")
    materials.append(f"Instruments from the genres where available: {facts['instruments']}")
    if "groove" in uses:
        materials.append("Classroom percussion, or body percussion")
    if "progression" in uses:
        materials.append("Keyboards or guitars for the chorus chords")
    materials.append("Starter and exit quizzes (printed or as a poll)")
    return Skeleton(
        template=req.educational_context, grade=grade, level=req.skill_level, minutes=req.minutes,
        phases=phases, facts=facts, objectives=objs, standards=standards, keywords=keywords,
        key_points=key_points, prior_knowledge=[f"{kb.concepts[c].name}: {kb.concepts[c].definition}" for c in prior],
        misconceptions=misc, starter_quiz=starter, exit_quiz=exit_quiz, materials=materials,
        questions=[q.format(**facts) for q in data.questions],
    )


def activity_phases(s: Skeleton) -> list[Phase]:
    """The two kept phases the activities belong to: the making step and the last performing one."""
    making = [p for p, _ in s.phases if p.process == "create"][:1]
    playing = [p for p, _ in s.phases if p.process == "perform" and p.priority == 1][-1:]
    return making + playing


def assemble(s: Skeleton, written: dict[str, object]) -> TeachingGuide:
    """The teaching guide: the skeleton with the model's valid words, the templates' where it had none."""
    steps = []
    for phase, minutes in s.phases:
        text = written.get(phase.id)
        code = code_for(phase.standard, s.grade) if phase.standard else None
        steps.append(LessonStep(
            minutes=minutes, title=phase.title, description=text or s.template_text(phase), phase=phase.id,
            objective=_serves(phase, s.objectives), standards=[code] if code else [], uses=list(phase.uses),
            differentiation=Differentiation(**{k: v.format(**s.facts) for k, v in phase.differentiation.model_dump().items()}),
            description_source="model" if text else "template",
        ))
    questions = list(written.get("discussion_questions") or s.questions[:3])
    activities = written.get("activities") or [Activity(name=p.title, description=s.template_text(p))
                                                for p in activity_phases(s)]
    rubric = [RubricRow(objective=o.text, **dict(zip(("beginning", "developing", "secure"), rubric_cells(o.text),
                                                      strict=True))) for o in s.objectives]
    guide = TeachingGuide(
        lesson_plan=steps, discussion_questions=questions, activities=activities,
        assessment=Assessment(method=f"Exit quiz ({len(s.exit_quiz)} questions) and the rubric, one row per objective.",
                              criteria=[*(r.secure for r in rubric[:3]),
                                        f"Answers at least {max(1, len(s.exit_quiz) - 1)} of the {len(s.exit_quiz)} "
                                        "exit-quiz questions correctly."]),
        lesson_minutes=s.minutes, template=s.template, grade=s.grade, objectives=s.objectives,
        standards=s.standards, prior_knowledge=s.prior_knowledge, key_points=s.key_points,
        misconceptions=s.misconceptions, keywords=s.keywords, starter_quiz=s.starter_quiz, exit_quiz=s.exit_quiz,
        materials=s.materials, rubric=rubric,
    )
    guide.reading_grade = round(reading_grade(guide_prose(guide)), 1)
    return guide


def guide_prose(g: TeachingGuide) -> str:
    """The guide's teacher- and student-facing text as sentences (for reading level and real words)."""
    parts = [f"{s.title}. {s.description}" for s in g.lesson_plan]
    parts += [t for s in g.lesson_plan if s.differentiation for t in s.differentiation.model_dump().values()]
    parts += g.discussion_questions + [f"{a.name}. {a.description}" for a in g.activities]
    parts += [o.text for o in g.objectives] + g.key_points
    parts += [t for m in g.misconceptions for t in (m.misconception, m.correction)]
    parts += [g.assessment.method, *g.assessment.criteria]
    return " ".join(p if p.rstrip().endswith((".", "?", "!")) else p.rstrip() + "." for p in parts)


__all__ = ["Skeleton", "activity_phases", "assemble", "build", "guide_prose", "song_facts"]
