"""Agent output schemas are bounded, so grammar-constrained decoding always terminates (the hook
generator and the lyrics composer ask for plain-text lines instead, bounded by their max_tokens)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, Field

from litmash.config import Settings
from litmash.domain.lesson import EducationalPlan
from litmash.domain.song import HookSet
from litmash.pedagogy.lesson import build
from litmash.workflow.agents.genre_analyzer import pick_schema, roles_schema
from litmash.workflow.agents.schema import _resolve, describe_schema
from litmash.workflow.agents.teaching_guide import lesson_schema
from litmash.workflow.agents.theory_integrator import explanations_schema

from ..support.fakes import DEFAULTS, DYNAMIC, default_request, draft_music


def max_json_chars(model: type[BaseModel]) -> int:
    """The longest compact JSON the schema allows, in characters (escapes not counted): what bounds
    a constrained reply."""
    schema = model.model_json_schema()
    return _max_chars(schema, schema.get("$defs", {}))


def _max_chars(node: dict, defs: dict) -> int:
    node = _resolve(node, defs)
    if "enum" in node:
        return max(len(json.dumps(v)) for v in node["enum"])
    t = node.get("type")
    if t == "string":
        return 2 + node["maxLength"]
    if t == "integer":
        return len(str(node.get("maximum", 10**9)))
    if t == "array":
        return 2 + node["maxItems"] * (1 + _max_chars(node["items"], defs))
    if t == "object":
        props = node["properties"]
        return 2 + sum(len(k) + 4 + _max_chars(v, defs) for k, v in props.items())
    raise ValueError(f"unbounded schema node: {node}")


SCHEMAS = [EducationalPlan, roles_schema(["jazz", "hip_hop", "gamelan"]), pick_schema(["jazz", "reggae", "salsa"], 2),
           explanations_schema(["swing", "seventh_chords", "chord_progression"], draft_music(), ["jazz", "hip_hop"]),
           lesson_schema(build(default_request(), draft_music(), ["jazz", "hip_hop"], ["swing"]), ["jazz", "hip_hop"])]
CHARS_PER_TOKEN = 2.5  # pessimistic: JSON punctuation and short words tokenise poorly


def unbounded(node: dict, defs: dict, path: str = "$") -> list[str]:
    """JSON-schema paths of strings without maxLength / enum and arrays without maxItems."""
    if "$ref" in node:
        return unbounded(defs[node["$ref"].rsplit("/", 1)[-1]], defs, path)
    found = []
    t = node.get("type")
    if t == "string" and "maxLength" not in node and "enum" not in node:
        found.append(path)
    if t == "array":
        if "maxItems" not in node:
            found.append(path)
        found += unbounded(node["items"], defs, path + "[]")
    for name, prop in node.get("properties", {}).items():
        found += unbounded(prop, defs, f"{path}.{name}")
    for alt in node.get("anyOf", []):
        found += unbounded(alt, defs, path)
    return found


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_longest_reply_fits_the_token_budget(schema: type[BaseModel]):
    assert max_json_chars(schema) / CHARS_PER_TOKEN <= Settings().max_tokens


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_every_string_and_list_is_bounded(schema: type[BaseModel]):
    js = schema.model_json_schema()
    assert unbounded(js, js.get("$defs", {})) == []


def test_unbounded_detector_detects():
    class Loose(BaseModel):
        note: str
        tags: list[str]

    js = Loose.model_json_schema()
    assert unbounded(js, {}) == ["$.note", "$.tags", "$.tags[]"]
    with pytest.raises(KeyError):
        max_json_chars(Loose)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_max_json_chars_bounds_a_real_reply(schema: type[BaseModel]):
    default = DEFAULTS.get(schema.__name__) or DYNAMIC[schema.__name__](schema)
    reply = default.model_dump_json() if isinstance(default, BaseModel) else json.dumps(default)
    assert len(reply) <= max_json_chars(schema)


def test_max_json_chars_of_a_small_schema_is_exact():
    class Tiny(BaseModel):
        a: str = Field(max_length=3)
        n: int = Field(ge=0, le=99)

    longest = '{"a":"xyz","n":99}'
    assert max_json_chars(Tiny) == len(longest) + 1  # each key budgets a comma, the last one spare


def test_schema_outline_shows_bounds_descriptions_and_nesting():
    outline = describe_schema(HookSet).splitlines()[:4]  # the hooks' other fields are filled in by code
    assert outline == [
        "- title: text, 3-80 characters. A short, catchy song title.",
        "- hooks: list of 3-5 items, each object with. Distinct hook options.",
        "  - text: text, 5-100 characters. The hook line as it would be sung or rapped.",
        "  - technique: text, 5-80 characters. The musical or lyrical device the hook uses.",
    ]


def test_schema_outline_lists_allowed_values():
    outline = describe_schema(pick_schema(["jazz", "reggae", "salsa"], 2))
    assert "- genres: list of 2-2 items, each one of: jazz, reggae, salsa." in outline
