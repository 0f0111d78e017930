"""Screen 1: a form, a Generate button, live agent progress, the mashup page, save and export."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import get_args

import ipywidgets as w

from litmash.domain.mashup import Mashup
from litmash.domain.request import EducationalContext, MashupRequest, SkillLevel
from litmash.llm import backends as llm
from litmash.llm.backends import Backend, PullProgress, create_backend, reporting_pulls
from litmash.llm.prompts import prompt_text
from litmash.present.markdown import slug, to_json, to_markdown
from litmash.store import NotFound, Store
from litmash.ui.common import AgentProgress, Status, busy, download_link, error_line, make_settings
from litmash.ui.render import SECTION_LABELS, STYLE, mashup_html
from litmash.workflow.api import stream
from litmash.workflow.checks import SECTION_AGENT
from litmash.workflow.replay import regenerate

# What each export button writes: file suffix, MIME type, and the exporter.
EXPORTS = {
    "Markdown": (".md", "text/markdown", to_markdown),
    "JSON": (".json", "application/json", to_json),
}

WIDE = w.Layout(width="40em")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class GenerateScreen(w.VBox):
    """The generation form and everything it produces; every button calls a public method."""

    def __init__(
        self,
        prompt: str = "",
        genres: list[str] | None = None,
        level: str = "intermediate",
        context: str = "classroom",
        objectives: list[str] | None = None,
        minutes: int | None = None,
        grade: str | None = None,
        backend: str | None = None,
        model: str | None = None,
        seed: int | None = None,
        export_dir: str | Path | None = None,
        llm_backend: Backend | None = None,
        **settings,
    ) -> None:
        self.base_settings = make_settings(**settings)
        self.llm_backend = llm_backend  # a ready chat model (tests, or a model kept between runs)
        self._listed: tuple[str, list[str]] | None = None  # (backend, its models) last listed
        # One output folder beside the notebook (git-ignored), never the notebook's own folder.
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd() / "exports"
        self.mashup: Mashup | None = None
        self.session_id: uuid.UUID | None = None
        self.stored = False  # whether self.mashup, as shown, is the stored version
        self.exported: dict[str, Path] = {}

        s = self.base_settings
        style = {"description_width": "9em"}
        self.prompt = w.Textarea(prompt, description="Prompt", layout=w.Layout(width="40em", height="4em"), style=style)
        self.genres = w.Text(", ".join(genres or []), description="Genre hints", placeholder="jazz, hip hop",
                             layout=WIDE, style=style)
        self.level = w.Dropdown(options=get_args(SkillLevel), value=level, description="Level", style=style)
        self.context = w.Dropdown(options=get_args(EducationalContext), value=context, description="Context",
                                  style=style)
        self.objectives = w.Textarea("\n".join(objectives or []), description="Objectives",
                                     placeholder="one per line", layout=w.Layout(width="40em", height="4em"),
                                     style=style)
        self.minutes = w.BoundedIntText(minutes or 0, min=0, max=240, description="Lesson minutes",
                                        tooltip="0: the context's usual length", style=style)
        self.grade = w.Text(grade or "", description="Learners", placeholder="e.g. grade 10", style=style)
        self.backend = w.Dropdown(options=["auto", *llm.backends], value=backend or s.backend,
                                  description="Backend", style=style)
        # A combobox: the backend's models to pick from, or any name typed (e.g. one to pull).
        self.model = w.Combobox(value=model or s.model or "", options=[], ensure_option=False, description="Model",
                                placeholder="backend default", style=style)
        self.models_note = w.HTML()
        self.pull_button = w.Button(description="Pull model", icon="download",
                                    tooltip="Download the model into Ollama (the name in Model, or the default)")
        self.pull_bar = w.FloatProgress(value=0, min=0, max=1, description="pull", bar_style="info",
                                        layout=w.Layout(width="32em", display="none"))
        self.seed = w.IntText(seed if seed is not None else (s.seed if s.seed is not None else 42),
                              description="Seed", style=style)
        self.generate_button = w.Button(description="Generate", button_style="primary", icon="music")
        self.status = Status()
        self.progress = AgentProgress()
        self.progress.layout.display = "none"
        self.page = w.HTML()
        self.save_button = w.Button(description="Save", icon="save", disabled=True)
        self.export_buttons = {
            name: w.Button(description=f"Export {name}", icon="download", disabled=True) for name in EXPORTS
        }
        self.links = w.HTML()
        self.section = w.Dropdown(options=[(label, key) for key, label in SECTION_LABELS.items()],
                                  description="Section", style={"description_width": "5em"})
        self.regenerate_button = w.Button(description="Regenerate this section", icon="refresh", disabled=True)

        self.generate_button.on_click(lambda _: self.generate())
        self.pull_button.on_click(lambda _: self.pull_model())
        self.backend.observe(lambda _: self.refresh_models(), names="value")
        # typing a name re-reads the list already fetched, not the server (no request per keystroke)
        self.model.observe(lambda _: self._describe_models(), names="value")
        self.save_button.on_click(lambda _: self.save())
        for name, button in self.export_buttons.items():
            button.on_click(lambda _, name=name: self.export(name))
        self.regenerate_button.on_click(lambda _: self.regenerate(self.section.value))

        form = w.VBox([self.prompt, self.genres, w.HBox([self.level, self.context]), self.objectives,
                       w.HBox([self.minutes, self.grade]), w.HBox([self.backend, self.model, self.pull_button]),
                       self.models_note, self.pull_bar, self.seed])
        actions = w.HBox([self.save_button, *self.export_buttons.values(), self.section, self.regenerate_button])
        super().__init__([w.HTML(STYLE), form, self.generate_button, self.status, self.progress,
                          actions, self.links, self.page])
        self.refresh_models()

    # ----------------------------------------------------------------------- reading the form

    def request(self) -> MashupRequest:
        """The MashupRequest the form describes (pydantic checks it)."""
        return MashupRequest(
            user_prompt=self.prompt.value,
            skill_level=self.level.value,
            educational_context=self.context.value,
            learning_objectives=_lines(self.objectives.value),
            genres=[g.strip() for g in self.genres.value.split(",") if g.strip()],
            grade_or_age=self.grade.value.strip() or None,
            lesson_minutes=self.minutes.value or None,
        )

    def settings(self):
        """The screen's Settings with the form's backend, model and seed."""
        return self.base_settings.model_copy(update={
            "backend": self.backend.value, "model": self.model.value.strip() or None, "seed": self.seed.value,
        })

    def _backend(self, settings) -> Backend:
        if self.llm_backend is not None:
            return self.llm_backend
        with reporting_pulls(self._pull_report()):  # auto-pull (LITMASH_OLLAMA_AUTO_PULL) fills the bar
            return create_backend(settings)

    # ----------------------------------------------------------------------- models

    def refresh_models(self) -> list[str]:
        """Offer the selected backend's models in the Model picker; return their names."""
        from litmash.llm.catalogue import list_models

        try:
            name, models = list_models(self.settings())
        except Exception as exc:  # noqa: BLE001 - an unreachable backend is a note, not a crash
            self._listed = None
            self.model.options, self.pull_button.layout.display = [], "none"
            self.models_note.value = f"<span class='meta'>models: {escape(error_line(exc))}</span>"
            return []
        self._listed = (name, [m.name for m in models])
        self.model.options = self._listed[1]
        # only Ollama can fetch models; the other backends run what they were given
        self.pull_button.layout.display = None if name == "ollama" else "none"
        self._describe_models()
        return self._listed[1]

    def _describe_models(self) -> None:
        """The note under the pickers: which backend, how many models, whether the chosen one is there."""
        from litmash.llm.catalogue import configured_model

        if self._listed is None:
            return
        name, names = self._listed
        uses = configured_model(self.settings(), name)
        have = uses in names or f"{uses}:latest" in names
        via = f"auto → {name}" if self.backend.value == "auto" else name
        missing = "" if have else f"; {uses} is not there" + (": press Pull model" if name == "ollama" else "")
        self.models_note.value = f"<span class='meta'>{escape(via)}: {len(names)} model(s){escape(missing)}</span>"

    def _pull_report(self):
        last = [0.0, ""]

        def report(p: PullProgress) -> None:
            now = time.monotonic()
            # a pull streams thousands of events; redraw at most ten times a second or on a new phase
            if p.status == last[1] and now - last[0] < 0.1:
                return
            last[:] = [now, p.status]
            self.pull_bar.layout.display = None
            self.pull_bar.bar_style = "success" if p.status == "success" else "info"
            self.pull_bar.value = p.completed / p.total if p.total else 0.0
            self.pull_bar.description = "pulled" if p.status == "success" else "pulling"
            self.status.note(f"{p.model}: {p.status}" + (f" ({p.completed / 1e6:.0f} of {p.total / 1e6:.0f} MB)"
                                                          if p.total and p.status != "success" else ""))

        return report

    def pull_model(self, name: str | None = None, raise_errors: bool = False) -> bool:
        """Pull ``name`` (default: the Model field, else the Ollama default) into Ollama, with a progress bar."""
        from litmash.llm.catalogue import pull

        settings = self.settings()
        name = name or self.model.value.strip() or settings.ollama_model
        with self._working(), busy(self.pull_button):
            self.pull_bar.value, self.pull_bar.bar_style = 0.0, "info"
            self.status.note(f"pulling {name}…")
            try:
                pull(settings, name, self._pull_report())
            except Exception as exc:  # noqa: BLE001 - one line in the widget
                self.pull_bar.bar_style = "danger"
                self.status.fail(exc)
                if raise_errors:
                    raise
                return False
        self.pull_bar.value, self.pull_bar.bar_style = 1.0, "success"
        self.status.note(f"pulled {name}")
        self.refresh_models()
        return True

    @property
    def _controls(self) -> list[w.Widget]:
        return [self.generate_button, self.save_button, self.regenerate_button, *self.export_buttons.values()]

    # ----------------------------------------------------------------------- actions

    def generate(self, raise_errors: bool = False) -> Mashup | None:
        """Run the workflow with live progress; show the mashup, or one error line."""
        with self._working():
            self.progress.reset()
            self.progress.layout.display = None
            self.status.note("checking the request…")
            try:
                req, settings = self.request(), self.settings()
                self.status.note("starting the model…")
                self.session_id = None
                for event in stream(req, settings, backend=self._backend(settings)):
                    self.progress.update(event)
                    if event.kind == "session":
                        self.session_id = event.session_id
                    elif event.kind == "started":
                        self.status.note(f"{event.agent} is working…")
                    if event.mashup is not None:
                        self._show(event.mashup, stored=self.session_id is not None)
            except Exception as exc:  # noqa: BLE001 - every failure ends as one line in the widget
                self.progress.failed()
                self.status.fail(exc)
                if raise_errors:
                    raise
                return None
        where = f" and stored as session {self.session_id.hex[:8]}" if self.session_id else ""
        self.status.note(f"done in {self.mashup.metadata.total_seconds:.1f} s{where}")
        return self.mashup

    def _show(self, mashup: Mashup, stored: bool) -> None:
        self.mashup, self.stored, self.exported = mashup, stored, {}
        self.page.value = mashup_html(mashup, with_style=False)
        self.links.value = ""

    @contextmanager
    def _working(self) -> Iterator[None]:
        """Buttons off while working; afterwards the actions are on once there is a mashup."""
        try:
            with busy(*self._controls):
                yield
        finally:
            for control in self._controls[1:]:
                control.disabled = self.mashup is None

    def regenerate(self, section: str, raise_errors: bool = False) -> Mashup | None:
        """Ask the agent that writes ``section`` again; only that section of the page changes."""
        if self.mashup is None:
            self.status.fail("generate a mashup first")
            return None
        label = SECTION_LABELS.get(section, section)
        with self._working():
            self.status.note(f"regenerating {label} with {SECTION_AGENT.get(section, '?')}…")
            try:
                settings = self.settings()
                revised, run = regenerate(self.mashup, section, self._backend(settings), settings)
            except Exception as exc:  # noqa: BLE001
                self.status.fail(exc)
                if raise_errors:
                    raise
                return None
        self._show(revised, stored=False)
        self.status.note(f"{label} regenerated in {run.wall_ms / 1000:.1f} s; Save stores this version")
        return revised

    def save(self, raise_errors: bool = False) -> uuid.UUID | None:
        """Store the mashup as shown: a regenerated one becomes a new session; return its id."""
        if self.mashup is None:
            self.status.fail("generate a mashup first")
            return None
        if self.stored:
            self.status.note(f"already stored as session {self.session_id.hex[:8]}")
            return self.session_id
        with self._working():
            try:
                self.session_id = save_mashup(Store(self.base_settings), self.mashup)
            except Exception as exc:  # noqa: BLE001
                self.status.fail(exc)
                if raise_errors:
                    raise
                return None
        self.stored = True
        self.status.note(f"saved as session {self.session_id.hex[:8]}")
        return self.session_id

    def export(self, kind: str) -> Path | None:
        """Write the mashup as Markdown or JSON into the export folder and offer it for download."""
        if self.mashup is None:
            self.status.fail("generate a mashup first")
            return None
        suffix, mime, render = EXPORTS[kind]
        text = render(self.mashup)
        ident = self.session_id.hex[:8] if self.session_id and self.stored else "draft"
        path = self.export_dir / f"{slug(self.mashup.title)}-{ident}{suffix}"
        try:
            self.export_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.status.fail(f"cannot write {path}: {exc.strerror}")
            return None
        self.exported[kind] = path
        self.links.value = " · ".join(
            download_link(p.name, p.read_text(encoding="utf-8"), EXPORTS[k][1]) for k, p in self.exported.items()
        )
        self.status.note(f"wrote {path}")
        return path


def save_mashup(store: Store, m: Mashup) -> uuid.UUID:
    """Store ``m`` as a new completed session with all its agent runs."""
    meta = m.metadata
    sid = store.start_session(m.request, meta.backend, meta.model, meta.seed)
    try:
        for run in meta.agent_runs:
            store.record_agent_run(sid, run, _prompt_text(store, run.prompt.name, run.prompt.sha256))
        store.complete_session(sid, m)
    except BaseException as exc:
        store.fail_session(sid, exc)
        raise
    return sid


def _prompt_text(store: Store, name: str, sha256: str) -> str:
    try:
        return prompt_text(sha256)  # loaded by this process
    except KeyError:
        try:
            return store.prompt_text(name, sha256)  # used by an earlier run
        except NotFound:
            raise NotFound(f"prompt {name}@{sha256[:12]} is neither loaded nor stored") from None


def generate_screen(
    prompt: str = "Blend jazz and hip-hop for a high-school class",
    genres: list[str] | None = None,
    level: str = "intermediate",
    context: str = "classroom",
    objectives: list[str] | None = None,
    minutes: int | None = None,
    regenerate: str | None = None,
    export: bool = False,
    interactive: bool = True,
    **options,
) -> GenerateScreen:
    """The generation screen; with ``interactive=False`` it also does what its buttons would.

    Non-interactive runs (papermill, CI) generate, optionally regenerate one section and save
    it, and export Markdown and JSON, raising on any failure so the notebook fails visibly.
    """
    screen = GenerateScreen(prompt, genres, level, context, objectives, minutes, **options)
    if not interactive:
        m = screen.generate(raise_errors=True)
        print(f"generated {m.title!r} in {m.metadata.total_seconds:.1f} s"
              + (f", session {screen.session_id.hex[:8]}" if screen.session_id else ""))
        if regenerate:
            m = screen.regenerate(regenerate, raise_errors=True)
            print(f"regenerated {regenerate}: title now {m.title!r}")
            if screen.base_settings.persist:
                screen.save(raise_errors=True)
                print(f"saved the revision as session {screen.session_id.hex[:8]}")
        if export:
            for kind in EXPORTS:
                print(f"exported {screen.export(kind)}")
    return screen
