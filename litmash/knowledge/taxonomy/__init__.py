"""The beets genre tree (MIT): where a genre sits in a widely used taxonomy of genre names."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from litmash.knowledge.base import fold


@cache
def _paths() -> dict[str, tuple[str, ...]]:
    """Every name in the tree (folded) -> its path from the root, names as the tree spells them."""
    text = resources.files(__name__).joinpath("beets-genres-tree.yaml").read_text(encoding="utf-8")
    paths: dict[str, tuple[str, ...]] = {}

    def walk(node, trail: tuple[str, ...]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, trail)
        elif isinstance(node, dict):
            for name, children in node.items():
                paths.setdefault(fold(str(name)), (*trail, str(name)))
                walk(children, (*trail, str(name)))
        elif node is not None:
            paths.setdefault(fold(str(node)), (*trail, str(node)))

    walk(yaml.safe_load(text), ())
    return paths


def lineage(*names: str) -> tuple[str, ...]:
    """The tree path of the first of ``names`` the tree knows ('punk' -> ('rock', 'punk')), or ()."""
    for name in names:
        path = _paths().get(fold(name))
        if path:
            return path
    return ()
