"""The teaching guide as a printable Markdown lesson plan."""

from __future__ import annotations

from litmash.domain.lesson import QuizQuestion, TeachingGuide


def _t(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _grade(grade: str | None) -> str:
    if not grade:
        return ""
    if grade.startswith("E."):
        return f"high school (Ensembles strand, level {grade[2:]})"
    return "kindergarten" if grade == "K" else f"grade {grade}"


def _quiz(title: str, questions: list[QuizQuestion]) -> list[str]:
    out = [f"### {title}", ""]
    for i, q in enumerate(questions, 1):
        out.append(f"{i}. {_t(q.question)}")
        out += [f"    - {letter}) {_t(opt)}" for letter, opt in zip("abc", q.options(), strict=False)]
    return [*out, ""]


def _answers(questions: list[QuizQuestion]) -> str:
    return ", ".join(f"{i}{'abc'[q.options().index(q.answer)]}" for i, q in enumerate(questions, 1))


def lesson_markdown(g: TeachingGuide) -> list[str]:
    """The lesson plan's lines: objectives, standards, materials, timed steps, quizzes, rubric and answers."""
    out = ["## Lesson plan", ""]
    if g.grade:
        out += [f"*{g.lesson_minutes} minutes · {_t((g.template or '').replace('_', ' '))} · {_grade(g.grade)}*", ""]
    if g.objectives:
        out += ["### Objectives", ""]
        out += [f"{i}. {_t(o.text)}" + (f" *({o.bloom})*" if o.bloom else "") for i, o in enumerate(g.objectives, 1)]
        out.append("")
    if g.standards:
        out += ["### Standards (US National Core Arts Standards, music)", ""]
        out += [f"- **{s.code}** ({s.process}): {_t(s.paraphrase)}" for s in g.standards]
        out += ["", f"Paraphrased by litmash; the official text is at {g.standards[0].url}", ""]
    for title, items in (("Prior knowledge", g.prior_knowledge), ("Key learning points", g.key_points),
                         ("Materials", g.materials)):
        if items:
            out += [f"### {title}", "", *(f"- {_t(x)}" for x in items), ""]
    if g.keywords:
        out += ["### Keywords", "", *(f"- **{_t(k.term)}**: {_t(k.definition)}" for k in g.keywords), ""]
    if g.misconceptions:
        out += ["### Likely misconceptions", ""]
        out += [f"- *{_t(m.misconception)}* → {_t(m.correction)}" for m in g.misconceptions]
        out.append("")
    if g.starter_quiz:
        out += _quiz("Starter quiz", g.starter_quiz)
    out += ["### Steps", "", "| Minutes | Step | What happens | Objective | Standards |", "|---|---|---|---|---|"]
    out += [f"| {s.minutes} | {_t(s.title)} | {_t(s.description)} | {s.objective or ''} | {' '.join(s.standards)} |"
            for s in g.lesson_plan]
    total = sum(s.minutes for s in g.lesson_plan)
    out += [f"| **{total}** of {g.lesson_minutes} | | | | |", ""]
    steps = [s for s in g.lesson_plan if s.differentiation]
    if steps:
        out += ["### Differentiation", "", "| Step | Support | Core | Extension |", "|---|---|---|---|"]
        out += [f"| {_t(s.title)} | {_t(s.differentiation.support)} | {_t(s.differentiation.core)} | "
                f"{_t(s.differentiation.extension)} |" for s in steps]
        out.append("")
    out += ["### Discussion questions", "", *(f"{i}. {_t(q)}" for i, q in enumerate(g.discussion_questions, 1))]
    out += ["", "### Activities", "", *(f"- **{_t(a.name)}**: {_t(a.description)}" for a in g.activities), ""]
    if g.exit_quiz:
        out += _quiz("Exit quiz", g.exit_quiz)
    if g.rubric:
        out += ["### Rubric", "", "| Objective | Beginning | Developing | Secure |", "|---|---|---|---|"]
        out += [f"| {_t(r.objective)} | {_t(r.beginning)} | {_t(r.developing)} | {_t(r.secure)} |" for r in g.rubric]
        out.append("")
    out += ["### Assessment", "", _t(g.assessment.method), "", *(f"- {_t(c)}" for c in g.assessment.criteria), ""]
    if g.starter_quiz or g.exit_quiz:
        out += [f"*Answers: starter {_answers(g.starter_quiz)}; exit {_answers(g.exit_quiz)}.*", ""]
    if g.reading_grade is not None:
        out += [f"*Reading level of the guide: Flesch-Kincaid grade {g.reading_grade:g}.*", ""]
    return out
