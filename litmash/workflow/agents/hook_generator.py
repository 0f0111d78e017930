"""hook_generator: the model writes short hook lines in plain text; code keeps the real-word,
classroom-safe, singable and distinct ones, ranks them, offers 3 to 5 and sets the first to the
chorus melody. The title is the chosen hook, as songs are usually named."""

from __future__ import annotations

from langgraph.runtime import Runtime

from litmash.domain.song import Hook, HookSet
from litmash.knowledge import knowledge
from litmash.knowledge.resolve import names_genre
from litmash.language.syllables import line_syllables
from litmash.language.words import tokens
from litmash.lyrics.form import lyric_form
from litmash.lyrics.hooks import NAMING, choose_hooks, fallback_hooks, naming_hooks, near_duplicate
from litmash.lyrics.pool import pieces
from litmash.music.compose import set_hook
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.agents.song import blend_ids, line_context, song_values, song_vocabulary
from litmash.workflow.agents.text_call import run_text
from litmash.workflow.state import MashupState

MIN_HOOKS, MAX_HOOKS = 3, 5
ASKS = 2  # plain-text asks for hook lines before set phrases stand in


def hook_generator(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Ask for hook lines (up to twice), keep the best 3-5, sing the first over the chorus."""
    ctx, round_ = runtime.context, state.get("repair_round", 0)
    music, blend = state["music"], blend_ids(state)
    target = next(p.syllables for p in lyric_form(music) if p.label == "chorus")
    vocabulary = song_vocabulary(state)
    check = line_context(state, ctx, "hook_generator", target)
    values = song_values(state, vocabulary) | {"syllables": str(target)}
    # in a repair round the earlier round's written hooks compete with the new lines
    earlier = state.get("hooks") if round_ else None
    candidates = [h.text for h in earlier.hooks if h.source == "model"] if earlier is not None else []
    kept, runs = [], []
    for call in range(ASKS):
        reply, run = run_text(ctx, "hook_generator", values, call, round_, max_tokens=110)
        runs.append(run)
        candidates += pieces(reply)
        kept, _ = choose_hooks(candidates, check, blend, set(vocabulary), MAX_HOOKS)
        if len(kept) >= MIN_HOOKS + 1:  # four to choose from; a third ask costs more than it adds
            break
    hooks = [Hook(text=c.text, technique=c.technique, syllables=c.syllables, source="model") for c in kept]
    hooks = _names_first(hooks, state, check, blend)
    for phrase in fallback_hooks(blend, target, [h.text for h in hooks]):  # too few passed: set phrases
        if len(hooks) >= MIN_HOOKS:
            break
        hooks.append(Hook(text=phrase, technique="repetition of the genre names", source="code",
                          syllables=line_syllables(phrase)))
    hooks = hooks[:MAX_HOOKS]
    music = set_hook(music, hooks[0].text, state["request"].skill_level)
    title = hooks[0].text.rstrip(".,!?;:").strip()
    return {"hooks": HookSet(title=title[:80], hooks=hooks), "music": music, "agent_runs": runs}


def _names_first(hooks: list[Hook], state: MashupState, check, blend: list[str]) -> list[Hook]:
    """The first hook names every requested genre (every genre of the blend when none was requested):
    the best written hook that does, else a set phrase that does (the written ones follow it)."""
    wanted = [g.genre_id for g in state["genres"].genres if g.chosen_by == "request"] or blend
    naming = [h for h in hooks if all(names_genre(g, h.text) for g in wanted)]
    if naming:
        return [naming[0], *(h for h in hooks if h is not naming[0])]
    shared = frozenset(w for g in blend for w in tokens(knowledge().get(g).name))
    for phrase in naming_hooks(wanted, check):
        if not any(near_duplicate(phrase, h.text, shared) for h in hooks):
            return [Hook(text=phrase, technique=NAMING, source="code",
                         syllables=line_syllables(phrase)), *hooks]
    return hooks
