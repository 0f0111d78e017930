"""Every Store call against a real PostgreSQL (embedded and external)."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from sqlalchemy import text

from litmash.store import AmbiguousId, InvalidArgument, InvalidId, NotFound, StoreError
from litmash.store.tables import Session, User

from ..support.factories import PROMPT_TEXT, make_agent_run, make_mashup, make_request


def _complete(store, mashup=None, user="tester", **kwargs):
    mashup = mashup or make_mashup(**kwargs)
    sid = store.start_session(mashup.request, backend="embedded", model="smollm2", seed=7, user=user)
    store.complete_session(sid, mashup)
    return sid, mashup


def _sql(store, query, **params):
    with store.engine.begin() as conn:
        result = conn.execute(text(query), params)
        return result.all() if result.returns_rows else []


def test_start_session_row_exists_and_is_running(store):
    request = make_request()
    sid = store.start_session(request, backend="ollama", model="llama3.1", seed=None)
    assert isinstance(sid, uuid.UUID)
    [row] = _sql(
        store,
        "SELECT status, backend, model, seed, request, finished_at FROM sessions WHERE id = :id",
        id=sid,
    )
    assert (row.status, row.backend, row.model, row.seed, row.finished_at) == (
        "running",
        "ollama",
        "llama3.1",
        None,
        None,
    )
    assert row.request == request.model_dump(mode="json")
    summary = store.get_session(sid)
    assert summary.status == "running"
    assert summary.title is None and summary.genres == []
    assert (summary.skill_level, summary.context) == ("intermediate", "classroom")


def test_default_user_is_the_os_user_and_users_are_reused(store, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ada")
    a = store.start_session(make_request(), "embedded", "m", 1)
    b = store.start_session(make_request(), "embedded", "m", 1)
    c = store.start_session(make_request(), "embedded", "m", 1, user="grace")
    assert [store.get_session(s).user for s in (a, b, c)] == ["ada", "ada", "grace"]
    assert store.info()["tables"]["users"] == 2


def test_record_agent_run_stores_run_and_prompt_once(store):
    sid = store.start_session(make_request(), "embedded", "m", 1)
    first = make_agent_run("hook_generator", round=0)
    second = make_agent_run(
        "hook_generator", round=1, status="failed", raw_output="not json", parse_error="Expecting value"
    )
    other = make_agent_run("lyrics_composer", prompt_text="Write lyrics about {topic}.")
    for run, prompt in ((first, PROMPT_TEXT), (second, PROMPT_TEXT), (other, "Write lyrics about {topic}.")):
        store.record_agent_run(sid, run, prompt)
    assert store.agent_runs(sid) == [first, second, other]
    assert store.info()["tables"]["prompt_versions"] == 2
    assert store.prompt_text("hook_generator", first.prompt.sha256) == PROMPT_TEXT
    [row] = _sql(store, "SELECT finished_at - started_at AS d, latency_ms FROM agent_runs WHERE round = 1")
    assert row.d.total_seconds() * 1000 == pytest.approx(row.latency_ms)


def test_record_agent_run_for_unknown_session_raises_not_found(store):
    with pytest.raises(NotFound):
        store.record_agent_run(uuid.uuid4(), make_agent_run(), PROMPT_TEXT)
    assert store.info()["tables"]["prompt_versions"] == 0


def test_complete_session_round_trips_the_mashup(store):
    sid, mashup = _complete(store)
    assert store.get_mashup(sid) == mashup
    assert store.get_mashup(str(sid)) == mashup
    s = store.get_session(sid)
    assert (s.status, s.title, s.genres, s.total_seconds) == (
        "completed",
        mashup.title,
        ["jazz", "hip-hop"],
        42.5,
    )
    assert s.finished_at is not None and s.finished_at >= s.started_at
    [row] = _sql(
        store,
        "SELECT hooks, theory_analysis, metadata, lyrics_text FROM mashups WHERE session_id = :id",
        id=sid,
    )
    assert row.hooks == [h.model_dump(mode="json") for h in mashup.hooks]
    assert row.theory_analysis["key"] == "C major"
    assert row.metadata["total_seconds"] == 42.5
    assert "Swing the beat" in row.lyrics_text


def test_complete_twice_or_after_failure_is_refused(store):
    sid, mashup = _complete(store)
    with pytest.raises(StoreError, match="completed"):
        store.complete_session(sid, mashup)
    failed = store.start_session(mashup.request, "embedded", "m", 1)
    store.fail_session(failed, "boom")
    with pytest.raises(StoreError, match="failed"):
        store.complete_session(failed, mashup)
    assert store.info()["tables"]["mashups"] == 1
    with pytest.raises(NotFound):
        store.complete_session(uuid.uuid4(), mashup)


def test_fail_session(store):
    sid = store.start_session(make_request(), "embedded", "m", 1)
    assert store.fail_session(sid, ValueError("model said 'no' 🙅")) is True
    s = store.get_session(sid)
    assert (s.status, s.error) == ("failed", "ValueError: model said 'no' 🙅")
    assert s.finished_at is not None and s.total_seconds is not None and s.total_seconds >= 0
    assert store.fail_session(sid, "again") is False  # already ended: left as it was
    assert store.get_session(sid).error == "ValueError: model said 'no' 🙅"
    with pytest.raises(NotFound, match="has no mashup.*failed"):
        store.get_mashup(sid)
    done, _ = _complete(store)
    assert store.fail_session(done, "late") is False
    assert store.get_session(done).status == "completed"


def test_fail_session_as_interrupted(store):
    sid = store.start_session(make_request(), "embedded", "m", 1)
    store.fail_session(sid, KeyboardInterrupt(), interrupted=True)
    s = store.get_session(sid)
    assert (s.status, s.error) == ("interrupted", "KeyboardInterrupt")


def test_stale_running_session_is_reported_interrupted_until_heartbeat(store):
    sid = store.start_session(make_request(), "embedded", "m", 1)
    live = store.start_session(make_request(), "embedded", "m", 1)
    _sql(store, "UPDATE sessions SET heartbeat_at = now() - interval '1 hour' WHERE id = :id", id=sid)
    assert store.get_session(sid).status == "interrupted"
    assert [s.id for s in store.list_sessions(status="interrupted")] == [sid]
    assert [s.id for s in store.list_sessions(status="running")] == [live]
    assert type(store)(store.engine, stale_after=7200).get_session(sid).status == "running"
    store.heartbeat(sid)
    assert store.get_session(sid).status == "running"
    with pytest.raises(NotFound):
        store.heartbeat(uuid.uuid4())


def test_recording_an_agent_run_counts_as_a_heartbeat(store):
    sid = store.start_session(make_request(), "embedded", "m", 1)
    _sql(store, "UPDATE sessions SET heartbeat_at = now() - interval '1 hour' WHERE id = :id", id=sid)
    store.record_agent_run(sid, make_agent_run(), PROMPT_TEXT)
    assert store.get_session(sid).status == "running"


def test_list_sessions_recent_first_with_limit(store):
    ids = [_complete(store, title=f"Song number {i}")[0] for i in range(5)]
    assert [s.id for s in store.list_sessions()] == ids[::-1]
    assert [s.id for s in store.list_sessions(limit=2)] == ids[:-3:-1]
    with pytest.raises(InvalidArgument, match="limit"):
        store.list_sessions(limit=0)


def test_the_genre_filter_finds_a_genre_by_any_of_its_names(store):
    sid, _ = _complete(store, title="Bronx Bop", genres=("Jazz", "Hip hop"))
    ids = [[s.id for s in store.list_sessions(genre=name)] for name in ("Hip-Hop", "rap", "hip hop", "HIP HOP")]
    assert ids == [[sid]] * 4
    assert store.list_sessions(genre="reggae") == []


def test_list_sessions_filters(store):
    jazz, _ = _complete(
        store, title="Blue Zephyr", genres=("Jazz", "Hip-Hop"), level="beginner", context="workshop"
    )
    rock, _ = _complete(
        store,
        title="Stone Anthem",
        genres=("Rock", "Folk"),
        level="advanced",
        context="online",
        lines=("Thunder rolls across the valley floor", "Strings ring out forevermore"),
    )
    failed = store.start_session(make_request(), "embedded", "m", 1)
    store.fail_session(failed, "boom")

    def ids(**kw):
        return [s.id for s in store.list_sessions(**kw)]

    assert ids(genre="JAZZ") == [jazz]
    assert ids(genre=" folk ") == [rock]
    assert ids(genre="polka") == []
    assert ids(level="advanced") == [rock]
    assert ids(context="workshop") == [jazz]
    assert ids(level="beginner", context="online") == []
    assert ids(text="thunder") == [rock]
    assert ids(text="zephyr") == [jazz]  # title
    assert set(ids(text="cipher")) == {jazz, rock}  # both choruses
    assert ids(text="valley -thunder") == []
    assert ids(status="failed") == [failed]
    assert ids(status="completed", genre="rock") == [rock]
    assert set(ids()) == {jazz, rock, failed}
    for field, kw in (
        ("level", {"level": "expert"}),
        ("context", {"context": "zoo"}),
        ("status", {"status": "done"}),
    ):
        with pytest.raises(InvalidArgument, match=field):
            store.list_sessions(**kw)


def test_history_is_a_dataframe_of_the_same_rows(store):
    assert store.history().empty
    a, _ = _complete(store, genres=("Jazz", "Funk"))
    b = store.start_session(make_request(), "embedded", "m", 1)
    frame = store.history()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["id"]) == [str(b), str(a)]
    assert list(frame["short_id"]) == [b.hex[:8], a.hex[:8]]
    assert list(frame["status"]) == ["running", "completed"]
    assert {
        "title",
        "genres",
        "skill_level",
        "context",
        "user",
        "backend",
        "model",
        "started_at",
        "total_seconds",
    } <= set(frame.columns)
    assert list(store.history(genre="funk")["id"]) == [str(a)]


def test_text_from_users_and_models_is_stored_as_is(store):
    nasty = 'Robert\'); DROP TABLE sessions;-- "quoted" 🎷🥁 שלום עולם مرحبا'
    request = make_request(prompt=f"Blend jazz & hip-hop: {nasty}")
    mashup = make_mashup(
        title=nasty, lines=("Hallo 👋 שלום חברים", 'سلام — it\'s "fine" \\ backslash'), request=request
    )
    sid = store.start_session(request, "embedded", "m", 1, user="O'Brien 🎺")
    run = make_agent_run(raw_output=f"{nasty}\x00tail", parse_error="bad \\u0000 escape")
    store.record_agent_run(sid, run, "Prompt with 'quotes' and 🎵")
    store.complete_session(sid, mashup)

    assert store.get_mashup(sid) == mashup
    s = store.get_session(sid)
    assert (s.title, s.user) == (nasty, "O'Brien 🎺")
    [stored] = store.agent_runs(sid)
    assert stored.raw_output == f"{nasty}tail"  # only NUL, which PostgreSQL cannot hold, is dropped
    assert stored.parse_error == "bad \\u0000 escape"
    assert store.prompt_text(run.prompt.name, run.prompt.sha256) == "Prompt with 'quotes' and 🎵"
    assert [x.id for x in store.list_sessions(text="שלום")] == [sid]
    assert [x.id for x in store.list_sessions(text="مرحبا")] == [sid]
    assert store.info()["tables"]["sessions"] == 1


def test_get_mashup_by_unique_prefix(store):
    sid, mashup = _complete(store)
    assert store.get_mashup(sid.hex[:8]) == mashup
    assert store.get_mashup(str(sid)[:13].upper()) == mashup  # hyphens and case are ignored
    assert store.resolve_id(f"  {sid.hex[:10]} ") == sid


@pytest.mark.parametrize("bad", ["", "xyz", "1234567", "g" * 8, "1234-5678-zz", "3f2b9c1e-8a47-4d2e-9b61-0c5e7a1d2f340"])
def test_malformed_id_is_an_invalid_id_error_naming_the_field(store, bad):
    with pytest.raises(InvalidId, match="id") as info:
        store.get_mashup(bad)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_unknown_and_ambiguous_ids(store):
    with pytest.raises(NotFound, match="no session"):
        store.get_mashup(uuid.uuid4())
    with pytest.raises(NotFound):
        store.get_mashup("00000000")
    with pytest.raises(NotFound):
        store.agent_runs(str(uuid.uuid4()))
    # Two sessions sharing their first 8 hex digits (ids made by hand; uuid4 would rarely collide).
    with store.engine.begin() as conn:
        user_id = conn.execute(User.__table__.insert().values(name="x").returning(User.id)).scalar_one()
        for tail in ("1" * 24, "2" * 24):
            conn.execute(
                Session.__table__.insert().values(
                    id=uuid.UUID("abcdef12" + tail), user_id=user_id, request={}, backend="b", model="m"
                )
            )
    with pytest.raises(AmbiguousId, match="abcdef12"):
        store.resolve_id("abcdef12")
    assert store.resolve_id("abcdef121") == uuid.UUID("abcdef12" + "1" * 24)


def test_info(store, server):
    sid, _ = _complete(store)
    store.record_agent_run(sid, make_agent_run(), PROMPT_TEXT)
    info = store.info()
    assert info["server"] == server.kind
    assert info["revision"] == info["head"] == "0003"
    assert info["tables"] == {
        "users": 1, "sessions": 1, "mashups": 1, "agent_runs": 1, "prompt_versions": 1,
        "eval_runs": 0, "eval_results": 0, "llm_cache": 0,
    }
    assert info["url"].split("?")[0].endswith("/" + store.engine.url.database)
    assert int(info["server_version"].split(".")[0]) >= 13


def test_a_stored_generation_that_completes_is_never_failed_afterwards(db_url, monkeypatch, tmp_path):
    """generate() reads the event stream to its end: no GeneratorExit reaches the stored run, so no
    transaction is spent failing a session that has just completed."""
    from litmash.config import Settings
    from litmash.store import repository
    from litmash.workflow import api
    from tests.support.fakes import default_request, fake_backend

    failed = []
    real = repository.Store.fail_session
    monkeypatch.setattr(repository.Store, "fail_session", lambda self, *a, **kw: failed.append(a) or real(self, *a, **kw))
    settings = Settings(database_url=db_url, data_dir=tmp_path, persist=True, seed=42)
    mashup = api.generate(default_request(), settings, backend=fake_backend())
    assert failed == []
    (row,) = repository.Store(db_url).list_sessions(limit=5)
    assert row.status == "completed" and row.title == mashup.title


def test_a_reader_that_stops_early_leaves_an_unfinished_run_interrupted(db_url, tmp_path):
    from litmash.config import Settings
    from litmash.store import repository
    from litmash.workflow import api
    from tests.support.fakes import default_request, fake_backend

    settings = Settings(database_url=db_url, data_dir=tmp_path, persist=True, seed=42)
    events = api.stream(default_request(), settings, backend=fake_backend())
    for event in events:
        if event.kind == "finished":  # the first agent is done; the reader walks away
            break
    events.close()
    (row,) = repository.Store(db_url).list_sessions(limit=5)
    assert row.status == "interrupted" and row.error == "GeneratorExit"
