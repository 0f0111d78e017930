"""ipywidgets screens for JupyterLab: one module per screen, shared rendering in render.py.

Each ``*_screen`` function builds its screen; with ``interactive=False`` it also runs what
its buttons would, so papermill and CI exercise the same code path as a person clicking.
"""

from litmash.ui.generate import GenerateScreen, generate_screen
from litmash.ui.history import HistoryScreen, history_screen
from litmash.ui.prompt_lab import PromptLab, prompt_lab_screen
from litmash.ui.render import mashup_html

__all__ = [
    "GenerateScreen",
    "HistoryScreen",
    "PromptLab",
    "generate_screen",
    "history_screen",
    "mashup_html",
    "prompt_lab_screen",
]
