"""A mashup as Markdown (for reading, exporting and the terminal) and as JSON."""

from __future__ import annotations

from .models import Mashup


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_json(mashup: Mashup) -> str:
    """The whole structured result as indented JSON."""
    return mashup.model_dump_json(indent=2)


def to_markdown(m: Mashup) -> str:
    """Every section of the mashup as a Markdown document."""
    edu, theory, guide, meta = m.educational_content, m.theory_analysis, m.teaching_guide, m.metadata
    out: list[str] = [f"# {m.title}", ""]
    out += [
        f"*{' × '.join(g.name for g in m.genre_blend)}* · {edu.level} · {edu.context.replace('_', ' ')}"
        f" · {guide.lesson_minutes}-minute lesson", "",
        f"> {m.request.user_prompt}", "",
        "## Genre blend", "",
    ]
    for g in m.genre_blend:
        out.append(f"- **{g.name}**: {g.role_in_blend} ({'; '.join(g.signature_elements)})")
    out += ["", "## Hook options", ""]
    out += [f"{i}. \"{h.text}\" ({h.technique})" for i, h in enumerate(m.hooks, 1)]
    out += ["", "## Lyrics", ""]
    for section in m.lyrics:
        out += [f"**[{section.label}]**  ", *(f"{line}  " for line in section.lines), ""]
    out += ["## Learning goals", "", *(f"- {g}" for g in edu.learning_goals), "",
            f"**Approach:** {edu.teaching_approach}", "",
            f"**Vocabulary:** {', '.join(edu.vocabulary)}", ""]
    out += ["## Music theory", "", "| Key | Tempo | Meter |", "|---|---|---|",
            f"| {theory.key} | {theory.tempo_bpm} BPM | {theory.meter} |", "",
            "| Roman numeral | Chord | Notes |", "|---|---|---|"]
    out += [f"| {c.roman} | {c.symbol} | {' '.join(c.pitches)} |" for c in theory.chord_progression]
    out.append("")
    for c in theory.concepts:
        out.append(f"- **{c.name}**: {c.explanation} *Listen:* {c.where_in_song}")
    out += ["", "## Cultural context", ""]
    for c in m.cultural_context:
        out += [f"### {c.genre}", "", f"- **Origins:** {c.origins} ({c.era})",
                f"- **Communities:** {c.communities}",
                f"- **Artists:** {', '.join(c.representative_artists)}",
                f"- **Respectful use:** {c.respectful_use}", ""]
    out += ["## Lesson plan", "", "| Minutes | Step | What happens |", "|---|---|---|"]
    out += [f"| {s.minutes} | {_cell(s.title)} | {_cell(s.description)} |" for s in guide.lesson_plan]
    total = sum(s.minutes for s in guide.lesson_plan)
    out += [f"| **{total}** of {guide.lesson_minutes} | | |", "", "### Discussion questions", ""]
    out += [f"{i}. {q}" for i, q in enumerate(guide.discussion_questions, 1)]
    out += ["", "### Activities", "", *(f"- **{a.name}**: {a.description}" for a in guide.activities)]
    out += ["", "### Assessment", "", guide.assessment.method, "",
            *(f"- {c}" for c in guide.assessment.criteria), ""]
    if m.validation:
        out += ["## Open validation problems", ""]
        out += [f"- *{p.section}*: {p.message}" for p in m.validation]
        out.append("")
    prompt_tokens, completion_tokens = meta.tokens
    out += ["---", "",
            f"{meta.backend} · {meta.model} · seed {meta.seed} · {meta.total_seconds:.1f} s · "
            f"{prompt_tokens}+{completion_tokens} tokens · {meta.repair_rounds} repair round(s)", ""]
    return "\n".join(out)
