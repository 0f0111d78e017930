"""The shipped genre base: every file loads, cross-references hold, and coverage is what it promises."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import get_args

import pytest
import yaml

from litmash.errors import ConfigError
from litmash.evaluation.datasets import load_dataset
from litmash.knowledge import knowledge, resolve
from litmash.knowledge.base import _data_dir, cross_check, read_concepts, read_genre_files
from litmash.knowledge.schema import Family, Genre
from litmash.music.check import progression_problems
from litmash.music.theory import chord

ROOT = Path(__file__).resolve().parents[2]
# Every name the request parser knew before the genre base (litmash/music/genres.txt).
OLD_NAMES = """jazz|bebop|swing|blues|delta blues|gospel|soul|funk|r&b|rhythm and blues|hip hop|rap|trap|drill|
grime|rock|rock and roll|punk|metal|heavy metal|grunge|indie|pop|k-pop|j-pop|disco|house|techno|electronic|edm|
dubstep|drum and bass|ambient|lo-fi|country|bluegrass|folk|americana|classical|baroque|opera|minimalism|reggae|
dancehall|ska|dub|calypso|soca|salsa|merengue|bachata|cumbia|reggaeton|tango|samba|bossa nova|forró|mariachi|
son jarocho|flamenco|fado|celtic|polka|klezmer|afrobeat|afrobeats|highlife|juju|soukous|mbalax|amapiano|kwaito|
gqom|mbaqanga|taarab|gnawa|raï|qawwali|bhangra|carnatic|hindustani|bollywood|ghazal|gamelan|dangdut|enka|gagaku|
guzheng|peking opera|cantopop|mandopop|throat singing|maqam|arabic pop|chaabi|rebetiko|zydeco|cajun|tejano|norteño|
corrido|bolero|son cubano|mambo|cha-cha-chá|choro|marimba|steelpan|kompa|zouk|mento|nyahbinghi"""


def test_every_file_loads_and_the_base_has_no_cross_reference_problems():
    folder = _data_dir()
    concepts = {c.id: c for c in read_concepts(folder / "concepts.yaml")}
    genres, problems = read_genre_files(folder / "genres")
    assert problems == []
    assert cross_check(genres, concepts) + progression_problems(genres) == []
    assert len(genres) == len(list((folder / "genres").glob("*.yaml"))) >= 100


def test_every_family_of_the_taxonomy_has_genres():
    families = {g.family for g in knowledge().genres.values()}
    assert families == set(get_args(Family))


@pytest.mark.parametrize("name", [n.strip() for n in OLD_NAMES.replace("\n", "").split("|")])
def test_every_name_of_the_old_genre_list_resolves(name):
    assert knowledge().find(name) is not None, name


def test_every_genre_requested_in_the_eval_datasets_resolves():
    for path in sorted((ROOT / "evals" / "datasets").glob("*.yaml")):
        for case in load_dataset(path).cases:
            wanted = [knowledge().find(n) for n in case.expect.genres]
            assert None not in wanted, (path.name, case.id, case.expect.genres)
            got = resolve(case.request.user_prompt, case.request.genres).ids
            assert list(got) == [g.id for g in wanted], (path.name, case.id)


def test_tempo_ranges_are_plausible_and_progressions_spell_as_chords():
    for g in knowledge().genres.values():
        if g.tempo_bpm:
            assert 40 <= g.tempo_bpm.min <= g.tempo_bpm.max <= 220, g.id
        for p in g.progressions:
            key = "C major" if p.mode == "major" else "A minor"
            assert all(chord(r, key).pitches for r in p.roman), (g.id, p.roman)


def test_every_entry_cites_sources_and_names_real_looking_people():
    for g in knowledge().genres.values():
        assert g.sources, g.id
        assert len(set(g.artists)) == len(g.artists), g.id
        assert len({(x.artist, x.title) for x in g.listening}) == len(g.listening), g.id


def test_sources_file_names_every_data_source_and_licence():
    text = (ROOT / "litmash" / "knowledge" / "SOURCES.md").read_text(encoding="utf-8")
    for g in knowledge().genres.values():
        for s in g.sources:
            assert s.work in text, (g.id, s.work)
    assert "beets" in text and "MIT" in text


def _copy_base(tmp_path: Path) -> Path:
    shutil.copytree(_data_dir() / "genres", tmp_path / "genres")
    shutil.copy(_data_dir() / "concepts.yaml", tmp_path / "concepts.yaml")
    return tmp_path


def _edit(folder: Path, gid: str, **changes) -> None:
    path = folder / "genres" / f"{gid}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) | changes
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(("changes", "message"), [
    ({"tempo_bpm": {"min": 140, "max": 90}}, "tempo min 140 is above max 90"),
    ({"tempo_bpm": {"min": 20, "max": 90}}, "tempo_bpm.min"),
    ({"aliases": ["hip-hop", "bebop"]}, "'bebop' is also"),
    ({"parents": ["vaporwave"]}, "unknown parent 'vaporwave'"),
    ({"teaches": ["telepathy"]}, "unknown concept 'telepathy'"),
    ({"progressions": [{"roman": ["I", "Q7"], "mode": "major", "used_in": "Nowhere at all"}]}, "'Q7'"),
    ({"origin": {"places": ["The Bronx"], "decades": ["1980-24-30"]}}, "origin.decades"),
    ({"nickname": "hh"}, "Extra inputs are not permitted"),
    ({"everyday_words": ["bop"]}, "everyday_words"),
])
def test_a_broken_entry_fails_the_load_with_a_line_naming_it(tmp_path, changes, message):
    folder = _copy_base(tmp_path)
    _edit(folder, "hip_hop", **changes)
    with pytest.raises(ConfigError, match="genre knowledge base is invalid") as info:
        knowledge(str(folder))
    assert message in str(info.value) and "hip_hop" in str(info.value)


def test_a_file_whose_id_differs_from_its_name_is_refused(tmp_path):
    folder = _copy_base(tmp_path)
    (folder / "genres" / "jazz.yaml").rename(folder / "genres" / "jazz2.yaml")
    with pytest.raises(ConfigError, match="jazz2.yaml: id 'jazz' differs from the file name"):
        knowledge(str(folder))


def test_the_base_is_loaded_once_and_then_cached():
    kb = knowledge()
    assert kb is knowledge()  # benchmarks/knowledge.py prints how long each takes
    assert isinstance(kb.get("jazz"), Genre)


def test_the_beets_tree_places_genres_by_any_of_their_names():
    from litmash.knowledge.taxonomy import lineage

    assert lineage("bebop") == ("jazz", "bebop")
    assert lineage("no such genre", "Reggaeton") == ("caribbean and latin american", "reggaeton")
    assert lineage("zzzz") == ()
