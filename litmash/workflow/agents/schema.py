"""A reply schema rendered as plain instructions for the prompt, and the parts of an invalid reply worth keeping."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import BaseModel, TypeAdapter, ValidationError


def describe_schema(model: type[BaseModel]) -> str:
    """The output schema as a readable outline: field names, bounds and descriptions."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    return "\n".join(_describe_object(schema, defs, 0))


def _resolve(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _bounds(node: dict, lo_key: str, hi_key: str, unit: str) -> str:
    lo, hi = node.get(lo_key), node.get(hi_key)
    if lo is not None and hi is not None:
        return f"{lo}-{hi} {unit}"
    if hi is not None:
        return f"at most {hi} {unit}"
    return f"at least {lo} {unit}" if lo is not None else ""


def _kind(node: dict, defs: dict) -> tuple[str, dict | None]:
    node = _resolve(node, defs)
    if "enum" in node:
        return "one of: " + ", ".join(map(str, node["enum"])), None
    t = node.get("type")
    if t == "string":
        return ("text, " + _bounds(node, "minLength", "maxLength", "characters")).rstrip(", "), None
    if t == "integer":
        return f"integer {node.get('minimum', '')}-{node.get('maximum', '')}".rstrip("-"), None
    if t == "array":
        item_kind, item_obj = _kind(node["items"], defs)
        count = _bounds(node, "minItems", "maxItems", "items")
        return f"list of {count}, each {item_kind}", item_obj
    if t == "object":
        return "object with", node
    return t or "value", None


def _describe_object(node: dict, defs: dict, depth: int) -> list[str]:
    lines = []
    pad = "  " * depth
    for name, prop in node.get("properties", {}).items():
        kind, obj = _kind(prop, defs)
        desc = prop.get("description") or _resolve(prop, defs).get("description", "")
        if prop.get("type") == "array" and not desc:
            desc = _resolve(prop["items"], defs).get("description", "")
        lines.append(f"{pad}- {name}: {kind}{'. ' + desc if desc else ''}")
        if obj is not None:
            lines.extend(_describe_object(obj, defs, depth + 1))
    return lines


def valid_fields(schema: type[BaseModel], raw: str | None) -> dict[str, object]:
    """The fields of the last invalid reply that pass their own checks (the rest are not kept)."""
    try:
        reply = json.loads(raw or "")
    except json.JSONDecodeError:
        return {}
    kept: dict[str, object] = {}
    for name, field in schema.model_fields.items():
        value = reply.get(name) if isinstance(reply, dict) else None
        if value is None:
            continue
        try:
            kept[name] = TypeAdapter(Annotated[field.annotation, *field.metadata]).validate_python(
                value.strip() if isinstance(value, str) else value)
        except ValidationError:
            continue
    return kept
