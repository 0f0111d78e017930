"""Which agent a model call is for, told by the call itself rather than by a prompt's wording.

A call says its agent in one of two ways:

1. a tag it carries: the run metadata key ``agent`` (what LangChain hands a chat model from
   ``invoke(..., config={"metadata": {"agent": name}})``) or the ``name`` of its system message;
2. its system message, matched exactly against each agent prompt's ``system`` template as
   ``litmash.llm.prompts.load_prompt`` loads it: the template's literal text must be there word
   for word, and each ``{placeholder}`` may stand for any text.

The prompt files are read at every call, so editing a file in prompts/ (or in a folder the router
was given) edits what the router matches too: routing never depends on particular phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from string import Formatter

from litmash.errors import ConfigError
from litmash.llm.prompts import AgentPrompt, load_prompt, prompts_dir

AGENT_KEY = "agent"  # the run metadata key naming the agent


class UnknownAgent(RuntimeError):
    """A call whose agent the router cannot tell (or can tell only ambiguously)."""


@lru_cache(maxsize=512)
def template_pattern(template: str, **values: str) -> re.Pattern[str]:
    """The texts ``template.format(...)`` can give: its literal text exactly, any text for each
    placeholder (a named group; a repeated placeholder must repeat the same text). ``values``
    narrows a placeholder to a regex (e.g. ``n=r"\\d+"``) for searching inside a longer text."""
    parts, seen = [], set()
    for literal, field, _spec, _conversion in Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is None:
            continue
        value = values.get(field, ".*?")
        if field.isidentifier() and field in seen:
            parts.append(f"(?P={field})")
        elif field.isidentifier():
            seen.add(field)
            parts.append(f"(?P<{field}>{value})")
        else:
            parts.append(f"(?:{value})")
    return re.compile("".join(parts), re.DOTALL)


def literal_length(template: str) -> int:
    """How many characters of the template are fixed text (the more, the more specific)."""
    return sum(len(literal) for literal, *_ in Formatter().parse(template))


def agent_systems(folder: Path | None = None) -> dict[str, str]:
    """Each agent prompt's system template in ``folder`` (None: the folder litmash reads by default).

    A file that does not load as an agent prompt (the content validator's feedback messages, a
    file a test broke on purpose) names no agent.
    """
    systems = {}
    for path in sorted(prompts_dir(folder).glob("*.yaml")):
        try:
            systems[path.stem] = load_prompt(path.stem, path.parent, kind=AgentPrompt).system
        except ConfigError:
            continue
    return systems


class AgentRouter:
    """Tells a call's agent from its tag or its system message.

    ``AgentRouter()`` knows the prompts litmash loads by default; ``add_folder`` adds a folder of
    prompt files (e.g. a test's edited copy), ``add`` one agent's system template.
    """

    def __init__(self, *folders: Path) -> None:
        self.folders: list[Path | None] = [None, *folders]
        self.templates: list[tuple[str, str]] = []  # (agent, system template) added one by one

    def add_folder(self, folder: Path) -> AgentRouter:
        """Also recognise the agent prompts in ``folder`` (read at each call, as litmash does)."""
        if Path(folder) not in self.folders:
            self.folders.append(Path(folder))
        return self

    def add(self, agent: str, system: str) -> AgentRouter:
        """Also recognise ``system`` (a template with ``{placeholders}``) as ``agent``'s."""
        self.templates.append((agent, system))
        return self

    def known(self) -> set[tuple[str, str]]:
        """Every (agent, system template) the router matches against, read now."""
        found = set(self.templates)
        for folder in self.folders:
            found |= set(agent_systems(folder).items())
        return found

    def agent_of(self, system: str) -> str | None:
        """The agent whose system template ``system`` renders, None when no template does.

        When templates of several agents fit, the one with the most fixed text wins; two agents
        with equally specific fitting templates cannot be told apart: UnknownAgent.
        """
        fits = sorted(((literal_length(t), agent) for agent, t in self.known()
                       if template_pattern(t).fullmatch(system)), reverse=True)
        if not fits:
            return None
        best = [agent for length, agent in fits if length == fits[0][0]]
        if len(set(best)) > 1:
            raise UnknownAgent(f"the system message fits the prompts of {sorted(set(best))} alike")
        return best[0]

    def identify(self, system: str | None, tags: Iterable[str | None] = ()) -> str | None:
        """The call's agent: the first tag it carries, else the agent its system message is from."""
        for tag in tags:
            if tag:
                return tag
        return None if system is None else self.agent_of(system)
