"""`litmash genres`: list and show the genre base, and one clear line for a name it does not know."""

from __future__ import annotations

from typer.testing import CliRunner

from litmash.cli.main import app
from litmash.knowledge import knowledge

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["genres", *args], env={"COLUMNS": "200"})


def test_without_a_query_every_genre_is_listed():
    result = run()
    assert result.exit_code == 0
    assert f"{len(knowledge().genres)} genre(s)" in result.stdout
    assert "hip_hop" in result.stdout and "gamelan" in result.stdout


def test_a_query_lists_the_matching_genres_exact_name_first():
    result = run("reggae")
    assert result.exit_code == 0
    rows = [line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip() and "genre(s)" not in line]
    assert rows[0] == "reggae"
    assert run("--family", "caribbean").stdout.count("caribbean") == sum(
        g.family == "caribbean" for g in knowledge().genres.values())


def test_show_prints_facts_listening_and_sources_by_any_name():
    result = run("show", "Hip-Hop")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    for fact in ("The Bronx, New York City, United States", "1970s", "Rapper's Delight (1979)",
                 'Wikipedia, "Hip hop music"', "i7–iv7", "Respectful use"):
        assert fact in out, fact


def test_an_unknown_genre_is_one_line_naming_the_closest():
    result = run("show", "hip hopp")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unknown genre 'hip hopp'; closest: Hip hop")
    none = run("zzzzqqq")
    assert none.exit_code == 1 and none.stderr.startswith("error: no genre matches 'zzzzqqq'")
