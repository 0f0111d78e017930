"""What the hook generator and the lyrics composer share: the blend's ids and names, the song's
topic in words, the checks every sung line gets and the prompt values."""

from __future__ import annotations

from litmash.knowledge import knowledge
from litmash.language.words import tokens
from litmash.llm.prompts import load_prompt
from litmash.lyrics.hooks import STOP
from litmash.lyrics.linecheck import LineContext
from litmash.lyrics.topic import TASK_WORDS, topic_vocabulary
from litmash.lyrics.words import is_real
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.agents.values import request_vars
from litmash.workflow.state import MashupState, requested

# Request words that name a style rather than a subject ('in a reggae style').
STYLE_WORDS = frozenset("style styles genre genres music musical beat beats sound sounds tune tunes kind".split())


def blend_ids(state: MashupState) -> list[str]:
    """The blend's genre-base ids."""
    kb = knowledge()
    return [g.genre_id for g in state["genres"].genres if g.genre_id in kb.genres]


def genre_names(state: MashupState) -> str:
    """'Jazz and Hip hop', 'Folk, Country and Blues'."""
    names = [g.name for g in state["genres"].genres]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def song_vocabulary(state: MashupState) -> list[str]:
    """The topic's words: the request, its objectives, the learners' vocabulary, the blend's words."""
    req = state["request"]
    texts = [req.user_prompt, *req.learning_objectives]
    if (edu := state.get("educational")) is not None:
        texts += edu.vocabulary
    return topic_vocabulary(texts, blend_ids(state))


def subject(state: MashupState) -> str:
    """What the song is about, in the teacher's words ('the water cycle'), or the blend's names
    when the request only names genres."""
    kb = knowledge()
    names = {w for g in blend_ids(state) for t in (kb.get(g).name, *kb.get(g).aliases) for w in tokens(t)}
    words = [w for w in tokens(state["request"].user_prompt)
             if len(w) > 2 and w not in STOP and w not in TASK_WORDS and w not in STYLE_WORDS and w not in names
             and is_real(w)]
    words = list(dict.fromkeys(words))[:4]
    return " ".join(words) if words else genre_names(state)


def sung_names(state: MashupState) -> frozenset[str]:
    """Names a line may sing though no dictionary has them: the blend's names and elements."""
    return frozenset(t for g in state["genres"].genres for t in (g.name, *g.signature_elements))


def line_context(state: MashupState, ctx: AgentContext, agent: str, target: int) -> LineContext:
    """The checks for a line of this song: the target, the names it may sing, the prompt and the
    request it must not copy."""
    prompt = load_prompt(agent, ctx.settings.prompts_dir)
    return LineContext(target=target, known=sung_names(state), sources=(prompt.system, prompt.user),
                       request=(state["request"].user_prompt,), blend=tuple(blend_ids(state)))


def song_values(state: MashupState, vocabulary: list[str]) -> dict[str, str]:
    """Prompt values both agents use."""
    return request_vars(state["request"], requested(state)) | {
        "genre_names": genre_names(state),
        "subject": subject(state),
        "vocabulary": ", ".join(vocabulary[:8]),
    }
