"""MashupRequest validation: every bad input is refused with a one-line, field-naming message."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from litmash.domain.request import MashupRequest
from litmash.errors import one_line

from ..support.fakes import DEFAULT_PROMPT


def refusal(**fields) -> str:
    with pytest.raises(ValidationError) as info:
        MashupRequest(**({"user_prompt": DEFAULT_PROMPT} | fields))
    message = one_line(info.value)
    assert "\n" not in message and message.startswith("invalid MashupRequest: ")
    return message


def test_defaults_and_stripping():
    req = MashupRequest(user_prompt=f"  {DEFAULT_PROMPT}\n", learning_objectives=["  Hear swing  "])
    assert req.user_prompt == DEFAULT_PROMPT
    assert req.learning_objectives == ["Hear swing"]
    assert (req.skill_level, req.educational_context, req.minutes) == ("intermediate", "classroom", 45)


@pytest.mark.parametrize("prompt", ["hi", "   hi   ", "\n\t abcd \t\n"])
def test_prompt_too_short_after_stripping(prompt):
    assert "user_prompt: String should have at least 5 characters" in refusal(user_prompt=prompt)


def test_prompt_length_is_counted_after_stripping():
    assert len(MashupRequest(user_prompt="  " + "a" * 2000 + "  ").user_prompt) == 2000
    assert "user_prompt: String should have at most 2000 characters" in refusal(user_prompt="a" * 2001)


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x07", "\x7f"])
def test_control_characters_are_refused(bad):
    message = refusal(user_prompt=f"Blend jazz{bad} and hip-hop")
    assert f"user_prompt: must not contain control characters (found {bad[0]!r})" in message
    assert message.count("user_prompt") == 1  # the field is named once, by its location


def test_newlines_and_tabs_are_allowed():
    assert MashupRequest(user_prompt="Blend jazz\nand\thip-hop").user_prompt == "Blend jazz\nand\thip-hop"


def test_windows_line_endings_are_allowed():
    assert "jazz" in MashupRequest(user_prompt="Blend jazz\r\nand hip-hop").user_prompt


def test_line_endings_are_normalised_in_every_text_field():
    req = MashupRequest(user_prompt="Blend jazz\r\nand hip-hop\rplease", learning_objectives=["Hear\r\nswing"],
                        genres=["jazz\r"], grade_or_age="grade\r\n10")
    assert req.user_prompt == "Blend jazz\nand hip-hop\nplease"
    assert (req.learning_objectives, req.genres, req.grade_or_age) == (["Hear\nswing"], ["jazz"], "grade\n10")


@pytest.mark.parametrize(("field", "value"), [("genres", ["jazz", "hip\x00hop"]),
                                              ("learning_objectives", ["Hear \x1b swing"]),
                                              ("grade_or_age", "grade\x0010")])
def test_control_characters_refused_in_every_text_field(field, value):
    message = refusal(**{field: value})
    assert f"{field}: must not contain control characters" in message
    assert message.count(field) == 1


def test_unknown_skill_level_names_field_and_allowed_values():
    message = refusal(skill_level="expert")
    assert "skill_level: Input should be 'beginner', 'intermediate' or 'advanced' (got 'expert')" in message


def test_unknown_context_names_field_and_allowed_values():
    message = refusal(educational_context="lecture")
    assert "educational_context: Input should be 'classroom', 'workshop', 'individual_study' or 'online'" in message
    assert "(got 'lecture')" in message


def test_too_many_objectives():
    assert "learning_objectives: List should have at most 10 items" in refusal(learning_objectives=["Hear swing"] * 11)


def test_objective_too_short():
    assert "learning_objectives.1: String should have at least 3 characters" in refusal(learning_objectives=["Hear swing", " a "])


def test_four_genres_are_too_many():
    assert "genres: List should have at most 3 items" in refusal(genres=["jazz", "hip hop", "funk", "soul"])


@pytest.mark.parametrize(("minutes", "msg"), [(9, "greater than or equal to 10"), (241, "less than or equal to 240")])
def test_lesson_minutes_out_of_range(minutes, msg):
    assert f"lesson_minutes: Input should be {msg} (got {minutes})" in refusal(lesson_minutes=minutes)


def test_unknown_field_is_refused():
    assert "genre: Extra inputs are not permitted" in refusal(genre="jazz")


def test_several_problems_are_listed_on_one_line():
    message = refusal(skill_level="expert", lesson_minutes=5)
    assert message.count(";") == 1 and "skill_level" in message and "lesson_minutes" in message
