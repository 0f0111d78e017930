"""Screen 3: edit an agent's prompt, run it against the current one on a stored session's inputs."""

from __future__ import annotations

import difflib
import json
from html import escape

import ipywidgets as w
import pandas as pd

from litmash.llm.backends import Backend, create_backend
from litmash.llm.prompts import AgentPrompt, load_prompt, prompts_dir
from litmash.store import Store
from litmash.ui.common import Status, busy, make_settings
from litmash.ui.render import STYLE
from litmash.workflow.replay import LLM_AGENTS, Trial, check_prompt, prompt_folder, state_from_mashup, trial
from litmash.workflow.state import MashupState

VARIANTS = ("current", "edited")


def prompt_diff(old: str, new: str) -> str:
    """A unified diff of two prompt texts as coloured HTML ('no changes' when equal)."""
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "current", "edited", lineterm=""))
    if not lines:
        return "<p class='meta'>The edited prompt is the same as the current one.</p>"
    colours = {"+": "#1b5e20", "-": "#b00020", "@": "#555"}
    body = "\n".join(
        f"<span style='color:{colours.get(line[:1], 'inherit')}'>{escape(line)}</span>" for line in lines
    )
    return f"<pre class='litmash-diff'>{body}</pre>"


def trials_frame(trials: list[Trial]) -> pd.DataFrame:
    """One row per seed, the checks of each variant side by side."""
    rows: dict[object, dict] = {}
    for t in trials:
        row = rows.setdefault(t.seed, {"seed": t.seed})
        row[f"{t.variant}: valid"] = "yes" if t.ok else "no"
        row[f"{t.variant}: problems"] = len(t.problems) if t.ok else None
        row[f"{t.variant}: chars"] = t.chars
        row[f"{t.variant}: tokens"] = t.tokens
        row[f"{t.variant}: seconds"] = round(t.seconds, 2)
    return pd.DataFrame(list(rows.values()))


def _output_html(t: Trial) -> str:
    if not t.ok:
        return f"<div class='litmash-error'>⚠ {escape(t.error or 'failed')}</div>"
    problems = "".join(f"<li>{escape(p)}</li>" for p in t.problems) or "<li>none</li>"
    text = json.dumps(t.output.model_dump(mode="json"), indent=1, ensure_ascii=False)
    return f"<b>validator problems</b><ul>{problems}</ul><pre style='white-space:pre-wrap'>{escape(text)}</pre>"


class PromptLab(w.VBox):
    """Pick an agent and a stored session; compare the current and the edited prompt over K seeds."""

    def __init__(
        self,
        agent: str = "hook_generator",
        seeds: int = 2,
        first_seed: int | None = None,
        store: Store | None = None,
        llm_backend: Backend | None = None,
        **settings,
    ) -> None:
        self.settings = make_settings(**settings)
        self.store = store or Store(self.settings)
        self.llm_backend = llm_backend
        self.current = ""
        self.trials: list[Trial] = []
        style = {"description_width": "6em"}
        self.agent = w.Dropdown(options=LLM_AGENTS, value=agent, description="Agent", style=style)
        self.session = w.Dropdown(options=[], description="Inputs of", style=style, layout=w.Layout(width="40em"))
        self.editor = w.Textarea(layout=w.Layout(width="100%", height="22em"))
        self.seeds = w.BoundedIntText(seeds, min=1, max=10, description="Seeds (K)", style=style)
        start = first_seed if first_seed is not None else (self.settings.seed if self.settings.seed is not None else 1)
        self.first_seed = w.IntText(start, description="First seed", style=style)
        self.run_button = w.Button(description="Run current vs edited", button_style="primary", icon="play")
        self.diff_button = w.Button(description="Show diff", icon="exchange")
        self.save_button = w.Button(description="Save as new version", icon="save")
        self.reset_button = w.Button(description="Revert edits", icon="undo")
        self.progress = w.IntProgress(value=0, min=0, max=1, description="runs", layout=w.Layout(width="32em"))
        self.status = Status()
        self.diff = w.HTML()
        self.results = w.HTML()
        self.outputs = w.VBox([])

        self.agent.observe(lambda _: self.load_agent(), names="value")
        self.run_button.on_click(lambda _: self.run())
        self.diff_button.on_click(lambda _: self.show_diff())
        self.save_button.on_click(lambda _: self.save())
        self.reset_button.on_click(lambda _: self.load_agent())
        super().__init__([
            w.HTML(STYLE), w.HBox([self.agent, self.session]), self.editor,
            w.HBox([self.seeds, self.first_seed]),
            w.HBox([self.run_button, self.diff_button, self.save_button, self.reset_button]),
            self.progress, self.status, self.diff, self.results, self.outputs,
        ])
        self.load_sessions()
        self.load_agent()

    @property
    def _controls(self) -> list[w.Widget]:
        return [self.run_button, self.diff_button, self.save_button, self.reset_button, self.agent, self.session]

    # ----------------------------------------------------------------------- loading

    def load_sessions(self, raise_errors: bool = False) -> None:
        """Offer the stored sessions that have a mashup (their sections are the agent's inputs)."""
        try:
            done = self.store.list_sessions(limit=50, status="completed")
        except Exception as exc:  # noqa: BLE001
            self.status.fail(exc)
            if raise_errors:
                raise
            return
        self.session.options = [(f"{s.short_id} · {s.title}", str(s.id)) for s in done]
        # ipywidgets 8 selects nothing when options are replaced: pick the newest explicitly.
        self.session.value = self.session.options[0][1] if done else None
        if not done:
            self.status.fail("no stored mashup yet: generate one in 01_generate first")

    def load_agent(self) -> None:
        """Put the agent's current prompt file into the editor."""
        path = prompts_dir(self.settings.prompts_dir) / f"{self.agent.value}.yaml"
        try:
            self.current = path.read_text(encoding="utf-8")
        except OSError as exc:
            self.status.fail(f"cannot read {path}: {exc.strerror}")
            return
        self.editor.value = self.current
        self.diff.value = ""

    def state(self) -> MashupState:
        """The agent's inputs: the graph state rebuilt from the selected session's mashup."""
        if not self.session.value:
            raise LookupError("no stored mashup to take the inputs from: generate one in 01_generate first")
        return state_from_mashup(self.store.get_mashup(self.session.value))

    def edit(self, old: str, new: str) -> None:
        """Replace ``old`` by ``new`` in the editor (what a person typing would do)."""
        if old not in self.editor.value:
            raise ValueError(f"the {self.agent.value} prompt does not contain {old!r}")
        self.editor.value = self.editor.value.replace(old, new, 1)

    # ----------------------------------------------------------------------- actions

    def show_diff(self) -> str:
        """Show the diff between the current prompt file and the editor."""
        self.diff.value = "<h3>Prompt diff</h3>" + prompt_diff(self.current, self.editor.value)
        return self.diff.value

    def _backend(self, seed: int) -> Backend:
        return self.llm_backend or create_backend(self.settings.model_copy(update={"seed": seed}))

    def run(self, raise_errors: bool = False) -> list[Trial]:
        """Run the agent alone with both prompts over K seeds; show checks and outputs side by side."""
        agent, edited = self.agent.value, self.editor.value
        seeds = [self.first_seed.value + i for i in range(self.seeds.value)]
        self.show_diff()
        self.trials = []
        with busy(*self._controls):
            self.progress.value, self.progress.max, self.progress.bar_style = 0, 2 * len(seeds), "info"
            try:
                state = self.state()
                for seed in seeds:
                    backend = self._backend(seed)
                    for variant, text in zip(VARIANTS, (None, edited), strict=True):
                        self.status.note(f"seed {seed}: {agent} with the {variant} prompt…")
                        with prompt_folder(agent, text, self.settings.prompts_dir) as folder:
                            settings = self.settings.model_copy(update={"prompts_dir": folder, "seed": seed})
                            self.trials.append(trial(agent, state, backend, settings, variant, seed))
                        self.progress.value += 1
                        self._draw()
            except Exception as exc:  # noqa: BLE001
                self.progress.bar_style = "danger"
                self.status.fail(exc)
                if raise_errors:
                    raise
                return self.trials
        self.progress.bar_style = "success"
        ok = {v: sum(t.ok for t in self.trials if t.variant == v) for v in VARIANTS}
        self.status.note(f"{len(seeds)} seed(s): current valid {ok['current']}, edited valid {ok['edited']}")
        return self.trials

    def _draw(self) -> None:
        self.results.value = "<h3>Checks</h3>" + trials_frame(self.trials).to_html(
            index=False, na_rep="–", classes="litmash-trials", border=0)
        by_seed: dict[object, dict[str, Trial]] = {}
        for t in self.trials:
            by_seed.setdefault(t.seed, {})[t.variant] = t
        half = w.Layout(width="50%", padding="0 1em 0 0")
        self.outputs.children = [
            w.VBox([w.HTML(f"<h4>seed {seed}</h4>"), w.HBox([
                w.HTML(f"<b>{v}</b>" + (_output_html(pair[v]) if v in pair else ""), layout=half)
                for v in VARIANTS
            ])])
            for seed, pair in by_seed.items()
        ]

    def save(self, raise_errors: bool = False) -> AgentPrompt | None:
        """Write the edited prompt to the prompts folder and record it as a prompt version."""
        agent, text = self.agent.value, self.editor.value
        with busy(*self._controls):
            try:
                state = self.state() if self.session.value else None
                check_prompt(agent, text, state, self.settings)
                path = prompts_dir(self.settings.prompts_dir) / f"{agent}.yaml"
                path.write_text(text, encoding="utf-8", newline="")
                saved = load_prompt(agent, self.settings.prompts_dir, kind=AgentPrompt)
                added = self.store.save_prompt_version(saved.name, saved.sha256, saved.text)
            except Exception as exc:  # noqa: BLE001
                self.status.fail(exc)
                if raise_errors:
                    raise
                return None
        self.current = saved.text
        self.show_diff()
        known = "new version" if added else "version already known"
        self.status.note(f"saved {path} ({known} {saved.sha256[:12]}); the next generation uses it")
        return saved


def prompt_lab_screen(
    agent: str = "hook_generator",
    session: str | None = None,
    seeds: int = 2,
    first_seed: int | None = None,
    edit: tuple[str, str] | list[str] | None = None,
    save: bool = False,
    interactive: bool = True,
    **settings,
) -> PromptLab:
    """The prompt lab; non-interactive runs apply ``edit`` (old, new), run, diff and optionally save."""
    lab = PromptLab(agent, seeds, first_seed, **settings)
    if session:
        lab.session.value = str(lab.store.resolve_id(session))
    if edit:
        lab.edit(*edit)
    if interactive:
        return lab
    trials = lab.run(raise_errors=True)
    for t in trials:
        outcome = f"{len(t.problems)} problem(s), {t.chars} chars" if t.ok else f"invalid: {t.error}"
        print(f"seed {t.seed} {t.variant}: {outcome}, {t.seconds:.1f} s")
    if save:
        saved = lab.save(raise_errors=True)
        print(f"saved {saved.name} {saved.sha256[:12]}")
    return lab
