"""The package's layout: rooms with one job, imports in one direction, no import cycles, small modules,
and a light import path (importing a record or the knowledge base loads neither LangGraph nor pandas)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "litmash"
# A room may import only rooms of a lower rank (rooms of the same rank never import each other).
RANK = {
    "errors": 0, "config": 0,
    "domain": 1, "language": 2, "knowledge": 3, "music": 4, "lyrics": 5, "pedagogy": 5,
    "llm": 6, "store": 6, "workflow": 7, "present": 8, "evaluation": 8,
    "service": 9, "ui": 9, "cli": 10,
}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The litmash modules a file imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("litmash") and not node.level:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
    return found


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_belongs_to_a_known_room():
    rooms = {_room(m) for m in _modules()} - {None}
    assert rooms <= set(RANK), f"rooms without a rank: {sorted(rooms - set(RANK))}"


def test_rooms_import_only_lower_rooms():
    modules = _modules()
    wrong = []
    for m, f in modules.items():
        src = _room(m)
        for t in _imports(f, modules):
            dst = _room(t)
            if src and dst and src != dst and RANK[dst] >= RANK[src]:
                wrong.append(f"{m} -> {t}")
    assert wrong == []


def test_no_module_imports_itself_around_a_circle():
    modules = _modules()
    graph = {m: _imports(f, modules) & set(modules) for m, f in modules.items()}
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


def test_modules_stay_small_and_few_sit_at_the_top():
    long = {str(f.relative_to(PACKAGE)): n for f in PACKAGE.rglob("*.py")
            if "migrations" not in f.parts and (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
    loose = sorted(f.name for f in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "config.py", "errors.py"]


@pytest.mark.parametrize("module", ["litmash", "litmash.domain.mashup", "litmash.knowledge", "litmash.lyrics.hooks",
                                    "litmash.pedagogy.lesson", "litmash.music.compose"])
def test_light_imports_load_neither_langgraph_nor_pandas(module):
    code = (f"import sys, {module}; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'langgraph', 'pandas', 'langchain_core'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_public_names_load_on_first_use():
    import litmash

    assert litmash.MashupRequest.__module__ == "litmash.domain.request"
    assert litmash.generate.__module__ == "litmash.workflow.api"
    assert set(litmash.__all__) <= set(dir(litmash))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        litmash.nothing  # noqa: B018
