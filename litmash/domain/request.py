"""The request: what a teacher asks for, checked before any work starts; ``Text``, the bounded string
every record an LLM fills uses (so grammar-constrained decoding always terminates)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

SkillLevel = Literal["beginner", "intermediate", "advanced"]
EducationalContext = Literal["classroom", "workshop", "individual_study", "online"]

# Minutes a lesson lasts when the request does not say.
DEFAULT_LESSON_MINUTES: dict[str, int] = {
    "classroom": 45,
    "workshop": 90,
    "individual_study": 30,
    "online": 40,
}


def Text(lo: int, hi: int) -> type[str]:  # noqa: N802 - reads like a type in annotations
    """A stripped string bounded to ``lo``..``hi`` characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=lo, max_length=hi)]  # type: ignore[return-value]


def _unify_newlines(value: object) -> object:
    """Windows (CR LF) and old Mac (CR) line endings as LF, so pasted text is not refused."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, list):
        return [_unify_newlines(v) for v in value]
    return value


def _reject_control_chars(value: str) -> str:
    bad = [c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    if bad:
        # No field name here: the error's location already names it.
        raise ValueError(f"must not contain control characters (found {bad[0]!r})")
    return value


class MashupRequest(BaseModel):
    """What a teacher asks for: the prompt, the learners, and what they should learn."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    user_prompt: str = Field(min_length=5, max_length=2000, description="The teacher's request.")
    skill_level: SkillLevel = "intermediate"
    educational_context: EducationalContext = "classroom"
    learning_objectives: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]] = Field(
        default_factory=list, max_length=10
    )
    genres: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]] = Field(
        default_factory=list, max_length=3, description="Optional genre hints."
    )
    grade_or_age: str | None = Field(default=None, min_length=1, max_length=60)
    lesson_minutes: int | None = Field(default=None, ge=10, le=240)

    @field_validator("user_prompt", "grade_or_age", "learning_objectives", "genres", mode="before")
    @classmethod
    def _newlines(cls, v: object) -> object:
        return _unify_newlines(v)

    @field_validator("user_prompt", "grade_or_age")
    @classmethod
    def _no_control(cls, v: str | None) -> str | None:
        return None if v is None else _reject_control_chars(v)

    @field_validator("learning_objectives", "genres")
    @classmethod
    def _no_control_items(cls, v: list[str]) -> list[str]:
        return [_reject_control_chars(item) for item in v]

    @property
    def minutes(self) -> int:
        """Lesson length in minutes: the requested one or the context's default."""
        return self.lesson_minutes or DEFAULT_LESSON_MINUTES[self.educational_context]
