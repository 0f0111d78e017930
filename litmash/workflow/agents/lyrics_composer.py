"""lyrics_composer: the song in the music's form. Code sets the sections, line counts, syllable
targets and rhyme schemes and puts the hook at both ends of the chorus. The model writes short
batches of lines in plain text, one batch per section; code keeps the lines that pass their checks,
pairs them into rhyming couplets, and asks again only for a line that still lacks its rhyme."""

from __future__ import annotations

from dataclasses import replace

from langgraph.runtime import Runtime

from litmash.domain.song import Lyrics, LyricSection
from litmash.knowledge import knowledge
from litmash.knowledge.resolve import names_genre
from litmash.language.rhyme import rhyme_kind, scheme_pairs
from litmash.lyrics.form import SectionPlan, lyric_form
from litmash.lyrics.pool import Pool, couplet, partner_words, rhyming_prefix, same_words
from litmash.lyrics.section import fill, metrics
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.agents.song import genre_names, line_context, song_values, song_vocabulary
from litmash.workflow.agents.text_call import run_text
from litmash.workflow.state import MashupState, requested

BATCHES = 3  # plain-text asks for one section's lines before its last slots are asked for one by one
RHYME_ASKS = 2  # asks for the rhyme of a line that has none in the pool
MAX_CALLS = 12  # for the whole song


ANGLES = {
    "chorus": 'They go with the chorus line "{hook}".',
    "verse 1": "They tell what you hear when {names} play.",
    "verse 2": "They tell how the class plays, claps and sings along.",
    "bridge": "They tell how {names} meet in one song.",
    "": "They bring the song to its end.",
}
BATCH_TASK = "Write {n} short lines for this song. {angle} Each line sings about {syllables} syllables. " \
             "One line per row, no numbers."
NAME_TASK = "Write {n} short lines for this song. Each line names {names}. Each line sings about {syllables} " \
            "syllables. One line per row, no numbers."
RHYME_TASK = 'Write 3 short lines for this song that could follow "{line}". Each one ends with a word that ' \
             'rhymes with "{word}"{like}. One line per row.'


def angle(plan: SectionPlan, state: MashupState, hook: str) -> str:
    """What the section's lines are about, as the prompt says it."""
    return ANGLES.get(plan.name, ANGLES[""]).format(names=genre_names(state), hook=hook)


class _Song:
    """One song's writing: the pool of checked lines, the calls and their records."""

    def __init__(self, state: MashupState, ctx: AgentContext, target: int):
        self.state, self.ctx = state, ctx
        self.hook = state["hooks"].hooks[0].text
        vocabulary = song_vocabulary(state)
        check = line_context(state, ctx, "lyrics_composer", target)
        # the tasks' own words are instructions too: a line that repeats them is no lyric
        check = replace(check, taken=tuple(h.text for h in state["hooks"].hooks),
                        sources=check.sources + (*ANGLES.values(), BATCH_TASK, NAME_TASK, RHYME_TASK))
        self.pool = Pool(check=check, vocabulary=frozenset(vocabulary))
        self.values = song_values(state, vocabulary)
        self.runs: list = []
        self.round = state.get("repair_round", 0)
        self.missing: tuple[str, ...] = ()  # requested genres the hook does not name

    def ask(self, task: str, max_tokens: int = 120) -> str | None:
        """One plain-text call (None once the song's calls are spent)."""
        if len(self.runs) >= MAX_CALLS:
            return None
        reply, run = run_text(self.ctx, "lyrics_composer", self.values | {"task": task}, len(self.runs), self.round,
                              max_tokens)
        self.runs.append(run)
        return reply

    def batch(self, plan: SectionPlan) -> bool:
        """Ask for a batch of lines for the section; False when no call is left."""
        n = max(6, len(plan.model_lines()) + 2)  # more lines than slots: the checks drop some
        reply = self.ask(BATCH_TASK.format(n=n, angle=angle(plan, self.state, self.hook), syllables=plan.syllables))
        if reply is None:
            return False
        self.pool.add(reply)
        return True

    def partner(self, line: str, plan: SectionPlan) -> str | None:
        """A pooled line that rhymes with ``line``, else one asked for (cut at its rhyme)."""
        found = [x for x in self.pool.lines if rhyme_kind(line, x) in ("perfect", "slant") and not same_words(x, line)]
        if found:
            return max(found, key=lambda x: (rhyme_kind(line, x) == "perfect", self.pool.score(x)))
        hints = partner_words(line)
        like = f" such as {', '.join(hints[:4])}" if hints else ""
        for _ in range(RHYME_ASKS):
            reply = self.ask(RHYME_TASK.format(line=line, word=line.split()[-1].strip(",.!?"), like=like),
                             max_tokens=80)
            if reply is None:
                return None
            if (cut := rhyming_prefix(reply, line, self.pool)) is not None:
                return cut
            self.pool.add(reply)
        return None

    def single(self, plan: SectionPlan, names: tuple[str, ...]) -> str | None:
        """The best pooled line for a slot that rhymes with nothing yet."""
        if not self.pool.lines and not self.batch(plan):
            return None
        return max(self.pool.lines, key=lambda x: self.pool.score(x, names)) if self.pool.lines else None

    def write(self, plan: SectionPlan, names: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """The section's lines (the hook in its hook lines) and notes on lines code filled in."""
        lines: list[str | None] = [self.hook if i in plan.hook_lines else None for i in range(plan.lines)]
        own = set(plan.model_lines())
        pairs = [(a, b) for a, b in scheme_pairs(plan.scheme) if a in own and b in own]
        asked = 0
        if names and pairs:  # the first couplet names the requested genres the hook leaves out
            a, b = pairs[0]
            def need(text: str) -> bool:
                return any(names_genre(g, text) for g in self.missing)

            pair = couplet(self.pool, names, need)
            for _ in range(2):
                if pair is not None:
                    break
                reply = self.ask(NAME_TASK.format(n=6, names=" or ".join(names), syllables=plan.syllables))
                if reply is None:
                    break
                self.pool.add(reply)
                pair = couplet(self.pool, names, need)
            if pair is not None:
                lines[a], lines[b] = pair
                self.take(*pair)
        for a, b in pairs:
            if lines[a] is not None and lines[b] is not None:
                continue
            if lines[a] is None and lines[b] is None:
                pair = couplet(self.pool, names)
                while pair is None and asked < BATCHES and self.batch(plan):
                    asked += 1
                    pair = couplet(self.pool, names)
                if pair is not None:
                    lines[a], lines[b] = pair
                    self.take(*pair)
                    continue
                lines[a] = self.single(plan, names)
                if lines[a] is not None:
                    self.take(lines[a])
            if lines[a] is not None and lines[b] is None:
                lines[b] = self.partner(lines[a], plan)
                if lines[b] is not None:
                    self.take(lines[b])
        paired = {i for pair in pairs for i in pair}
        for i in sorted(own - paired):  # lines of no pair (a scheme with an 'x')
            if lines[i] is None and (line := self.single(plan, names)) is not None:
                lines[i] = line
                self.take(line)
        # a slot no checked line could fill sings its rhyme partner again (or the hook), with a note;
        # a line that found no rhyme is kept and the miss shows in the section's rhyme metrics
        failing = {i: ["no written line passed its checks"] for i, x in enumerate(lines) if x is None}
        return fill([x or "" for x in lines], failing, plan, self.hook)

    def take(self, *lines: str) -> None:
        for line in lines:
            self.pool.take(line)
            self.pool.check = replace(self.pool.check, taken=self.pool.check.taken + (line,))


def missing_genres(state: MashupState, hook: str) -> tuple[str, ...]:
    """Ids of the requested genres the hook does not sing (the first verse should)."""
    kb = knowledge()
    return tuple(g for g in requested(state) if g in kb.genres and not names_genre(g, hook))


def lyrics_composer(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Write the song section by section; the chorus once, repeated by code."""
    plans = lyric_form(state["music"])
    song = _Song(state, runtime.context, plans[0].syllables if plans else 8)
    song.missing = missing_genres(state, song.hook)
    names = tuple(knowledge().get(g).name for g in song.missing)
    written: dict[str, tuple[list[str], list[str]]] = {}
    # the chorus first: the verses are written knowing what the song comes back to
    for plan in sorted((p for p in plans if p.written), key=lambda p: p.label != "chorus"):
        written[plan.name] = song.write(plan, names if plan.name == "verse 1" else ())
    sections = []
    for plan in plans:
        lines, notes = written.get(plan.name, ([song.hook], [])) if plan.label != "outro" else ([song.hook], [])
        sections.append(LyricSection(
            label=plan.label, lines=lines, syllable_target=plan.syllables, rhyme_scheme=plan.scheme,
            repeated=not plan.written, notes=notes if plan.written else [], **metrics(lines, plan.scheme)))
    lyrics = Lyrics(sections=sections)
    # in a repair round the earlier song stays when it sings the same hook and has no more faults
    earlier = state.get("lyrics") if song.round else None
    if earlier is not None and _sings(earlier, song.hook) and faults(earlier, song.missing) <= faults(lyrics, song.missing):
        lyrics = earlier
    return {"lyrics": lyrics, "agent_runs": song.runs}


def _sings(lyrics: Lyrics, hook: str) -> bool:
    """Whether the song's chorus opens with ``hook``."""
    chorus = next((s for s in lyrics.sections if s.label == "chorus"), None)
    return chorus is not None and bool(chorus.lines) and chorus.lines[0] == hook


def faults(lyrics: Lyrics, genres: tuple[str, ...]) -> int:
    """What a teacher would hear as wrong: lines code had to fill, rhyme pairs that do not rhyme,
    requested genres the song never names."""
    text = " ".join(line for s in lyrics.sections for line in s.lines)
    filled = sum(len(s.notes) for s in lyrics.sections)
    unrhymed = sum(k not in ("perfect", "slant") for s in lyrics.sections if not s.repeated for k in s.rhymes)
    return filled + unrhymed + sum(not names_genre(g, text) for g in genres)
