"""Screen 2: stored mashups as a filterable table; show one, or compare two side by side."""

from __future__ import annotations

from typing import get_args

import ipywidgets as w
import pandas as pd

from litmash.domain.mashup import Mashup
from litmash.domain.request import EducationalContext, SkillLevel
from litmash.store import Store
from litmash.store.tables import SESSION_STATUSES
from litmash.ui.common import Status, busy, make_settings
from litmash.ui.render import STYLE, mashup_html, timings

COLUMNS = ["short_id", "status", "title", "genres", "skill_level", "context", "backend", "model",
           "started_at", "total_seconds"]
ANY = ("any", None)


def compare_timings(a: Mashup, b: Mashup) -> pd.DataFrame:
    """Seconds and tokens per agent (summed over repair rounds) of two mashups, and the totals."""
    def per_agent(m: Mashup) -> pd.DataFrame:
        t = timings(m.metadata.agent_runs)
        return t.groupby("agent", sort=False)[["seconds", "tokens"]].sum()

    both = per_agent(a).add_suffix(" A").join(per_agent(b).add_suffix(" B"), how="outer")
    both.loc["total (wall)"] = [a.metadata.total_seconds, a.metadata.tokens[1],
                                b.metadata.total_seconds, b.metadata.tokens[1]]
    return both[["seconds A", "seconds B", "tokens A", "tokens B"]]


class HistoryScreen(w.VBox):
    """Filters, the table of sessions, one rendered mashup, and a side-by-side comparison."""

    def __init__(self, limit: int = 50, store: Store | None = None, **settings) -> None:
        self.store = store or Store(make_settings(**settings))
        self.frame = pd.DataFrame(columns=COLUMNS)
        self.shown: Mashup | None = None
        self.compared: tuple[Mashup, Mashup] | None = None
        style = {"description_width": "5em"}
        self.genre = w.Text(description="Genre", placeholder="any", style=style)
        self.level = w.Dropdown(options=[ANY, *((v, v) for v in get_args(SkillLevel))], description="Level",
                                style=style)
        self.context = w.Dropdown(options=[ANY, *((v, v) for v in get_args(EducationalContext))],
                                  description="Context", style=style)
        self.text = w.Text(description="Search", placeholder="title or lyrics", style=style)
        self.status_filter = w.Dropdown(options=[ANY, *((v, v) for v in SESSION_STATUSES)],
                                        description="Status", style=style)
        self.limit = w.BoundedIntText(limit, min=1, max=10_000, description="Rows", style=style)
        self.refresh_button = w.Button(description="Apply filters", icon="filter")
        self.status = Status()
        self.table = w.HTML()
        self.pick = w.Dropdown(description="Show", options=[], style=style, layout=w.Layout(width="40em"))
        self.show_button = w.Button(description="Show", icon="eye")
        self.left = w.Dropdown(description="A", options=[], style=style, layout=w.Layout(width="30em"))
        self.right = w.Dropdown(description="B", options=[], style=style, layout=w.Layout(width="30em"))
        self.compare_button = w.Button(description="Compare", icon="columns")
        self.page = w.HTML()
        self.timing = w.HTML()
        self.sides = w.HBox([])

        self.refresh_button.on_click(lambda _: self.refresh())
        self.show_button.on_click(lambda _: self.show(self.pick.value))
        self.pick.observe(lambda change: change["new"] and self.show(change["new"]), names="value")
        self.compare_button.on_click(lambda _: self.compare(self.left.value, self.right.value))
        filters = w.VBox([w.HBox([self.genre, self.level, self.context]),
                          w.HBox([self.text, self.status_filter, self.limit, self.refresh_button])])
        super().__init__([
            w.HTML(STYLE), filters, self.status, self.table,
            w.HBox([self.pick, self.show_button]), self.page,
            w.HBox([self.left, self.right, self.compare_button]), self.timing, self.sides,
        ])

    @property
    def _controls(self) -> list[w.Widget]:
        return [self.refresh_button, self.show_button, self.compare_button]

    def filters(self) -> dict:
        """The filter values as ``Store.list_sessions`` keywords."""
        return {"genre": self.genre.value.strip() or None, "level": self.level.value,
                "context": self.context.value, "text": self.text.value.strip() or None,
                "status": self.status_filter.value}

    def refresh(self, raise_errors: bool = False) -> pd.DataFrame:
        """Query the store with the filters; redraw the table and the pickers."""
        with busy(*self._controls):
            try:
                frame = self.store.history(limit=self.limit.value, **self.filters())
            except Exception as exc:  # noqa: BLE001 - shown as one line
                self.status.fail(exc)
                if raise_errors:
                    raise
                return self.frame
        self.frame = frame
        view = frame[COLUMNS].copy()
        view["genres"] = view["genres"].map(lambda g: ", ".join(g) if isinstance(g, list) else "")
        view["started_at"] = pd.to_datetime(view["started_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M")
        self.table.value = view.to_html(index=False, na_rep="", classes="litmash-history", border=0)
        done = frame[frame["status"] == "completed"]
        options = [(f"{r.short_id} · {r.title}", r.id) for r in done.itertuples()]
        # ipywidgets 8 selects nothing when options are replaced: choose explicitly (B: the runner-up).
        for picker, nth in ((self.left, 0), (self.right, 1), (self.pick, 0)):
            picker.options = options
            picker.value = options[min(nth, len(options) - 1)][1] if options else None
        self.status.note(f"{len(frame)} session(s), {len(done)} with a mashup")
        return frame

    def show(self, session_id: str | None, raise_errors: bool = False) -> Mashup | None:
        """Render one stored mashup."""
        if not session_id:
            self.status.fail("no stored mashup matches the filters")
            return None
        try:
            self.shown = self.store.get_mashup(session_id)
        except Exception as exc:  # noqa: BLE001
            self.status.fail(exc)
            if raise_errors:
                raise
            return None
        self.page.value = mashup_html(self.shown, with_style=False)
        return self.shown

    def compare(self, a: str | None, b: str | None, raise_errors: bool = False) -> tuple[Mashup, Mashup] | None:
        """Two stored mashups side by side, with their timings per agent."""
        if not a or not b:
            self.status.fail("pick two stored mashups to compare")
            return None
        try:
            pair = (self.store.get_mashup(a), self.store.get_mashup(b))
        except Exception as exc:  # noqa: BLE001
            self.status.fail(exc)
            if raise_errors:
                raise
            return None
        self.compared = pair
        self.timing.value = "<h3>Timings</h3>" + compare_timings(*pair).round(2).to_html(
            na_rep="", classes="litmash-timings", border=0)
        half = w.Layout(width="50%", padding="0 1em 0 0")
        self.sides.children = [w.HTML(mashup_html(m, with_style=False), layout=half) for m in pair]
        return pair


def history_screen(
    genre: str | None = None,
    level: str | None = None,
    context: str | None = None,
    text: str | None = None,
    status: str | None = None,
    limit: int = 50,
    select: str | None = None,
    compare: tuple[str, str] | None = None,
    interactive: bool = True,
    **settings,
) -> HistoryScreen:
    """The history screen, filtered; non-interactive runs also show and compare like the buttons.

    Without ``select`` / ``compare`` the newest completed mashup is shown and the two newest
    are compared.
    """
    screen = HistoryScreen(limit=limit, **settings)
    screen.genre.value, screen.text.value = genre or "", text or ""
    screen.level.value, screen.context.value, screen.status_filter.value = level, context, status
    frame = screen.refresh(raise_errors=not interactive)
    if interactive:
        return screen
    done = list(frame.loc[frame["status"] == "completed", "id"])
    pick = select or (done[0] if done else None)
    if pick and screen.show(pick, raise_errors=True) is not None:
        print(f"showing {screen.shown.title!r}")
    pair = compare or (tuple(done[:2]) if len(done) >= 2 else None)
    if pair and screen.compare(*pair, raise_errors=True) is not None:
        print("compared", " vs ".join(repr(m.title) for m in screen.compared))
    print(f"{len(frame)} stored session(s)")
    return screen
