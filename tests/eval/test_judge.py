"""The optional LLM judge: a versioned rubric, a {justification, score} reply, the judge's model and
temperature stored with each result, and never part of the success rate (scripted judge model)."""

from __future__ import annotations

import json

import pytest

from litmash.errors import ConfigError
from litmash.evaluation import EvalStore, run_eval
from litmash.evaluation.judge import judge_mashup, lesson_summary, load_rubric
from litmash.evaluation.runner import default_scorers
from litmash.llm import backends as llm

from ..support.fakes import FakeChatModel, fake_backend
from .conftest import build_mashup
from .test_runner import LOW, dataset

GOOD = {"justification": "Every step uses the song's key, tempo and hook, and each serves an objective.", "score": 4}


def test_the_judge_reads_the_lesson_and_scores_it_against_the_rubric():
    judge = FakeChatModel().enqueue("JudgeReply", json.dumps(GOOD))
    m = build_mashup()
    s = judge_mashup(m, load_rubric(), fake_backend(judge), 0.0)
    assert s.passed and s.value == 0.8 and s.detail.startswith("4/5: Every step")
    assert s.meta == {"judge_backend": "fake", "judge_model": "fake-1", "temperature": 0.0,
                      "rubric": "lesson_judge", "rubric_version": 1, "score": 4}
    sent = judge.calls("JudgeReply")[0]
    assert "internally consistent" in sent[0].text and m.teaching_guide.lesson_plan[0].title in sent[1].text
    assert m.music.key in lesson_summary(m)


@pytest.mark.parametrize("reply", [json.dumps({"justification": "Fine.", "score": 9}), "not json at all"])
def test_an_invalid_judge_reply_fails_the_judge_only(reply):
    judge = FakeChatModel().enqueue("JudgeReply", reply)
    s = judge_mashup(build_mashup(), load_rubric(), fake_backend(judge), 0.0)
    assert not s.passed and s.value == 0.0 and "not valid" in s.detail and s.meta["judge_model"] == "fake-1"


def test_a_low_score_fails_at_the_rubric_s_pass_score():
    judge = FakeChatModel().enqueue("JudgeReply", json.dumps(GOOD | {"score": 3}))
    s = judge_mashup(build_mashup(), load_rubric(), fake_backend(judge), 0.0)
    assert not s.passed and s.value == 0.6


def test_a_missing_or_malformed_rubric_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match="rubric: no file"):
        load_rubric("nope", tmp_path)
    (tmp_path / "bad.yaml").write_text("name: bad\nversion: 0\nquestion: q\ncriteria: [c]\nscale: s\npass_score: 4\n")
    with pytest.raises(ConfigError, match=r"rubric .*bad.yaml: version"):
        load_rubric("bad", tmp_path)


def test_the_judge_runs_only_when_configured_and_never_decides_success(settings, factory, monkeypatch):
    assert "lesson_judge" not in default_scorers(settings)
    plain = run_eval(dataset(1), thresholds=LOW, settings=settings, backend_factory=factory, name="no-judge")
    assert "lesson_judge" not in plain.run.config["scorers"]

    judge = FakeChatModel()
    judge.overrides["JudgeReply"] = json.dumps(GOOD | {"score": 2})
    monkeypatch.setitem(llm.backends, "scripted-judge", lambda s: fake_backend(judge))
    judged = settings.model_copy(update={"judge_backend": "scripted-judge", "judge_temperature": 0.2})
    out = run_eval(dataset(1), thresholds=LOW, settings=judged, backend_factory=factory, name="judged")

    assert "lesson_judge" in out.run.config["scorers"] and "lesson_judge" not in out.run.config["required"]
    row = EvalStore(settings).result_rows(out.run.id)[0]
    assert row["scores"]["lesson_judge"]["passed"] is False
    assert row["scores"]["lesson_judge"]["meta"]["temperature"] == 0.2
    assert row["success"] == all(s["passed"] for n, s in row["scores"].items() if n in out.run.config["required"])
