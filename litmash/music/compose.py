"""The music block of a mashup, computed from the blend's genre data (deterministic for a seed)."""

from __future__ import annotations

from litmash.domain.music import HookMelody, MusicBlock
from litmash.knowledge import knowledge
from litmash.music.groove import bass_style, groove
from litmash.music.harmony import plan_form
from litmash.music.melody import hook_melody
from litmash.music.reconcile import frame


def compose(genre_ids: list[str], level: str, seed: int = 0) -> MusicBlock:
    """Key, tempo, meter, feel, form with chords, bass style and groove for the blend."""
    kb = knowledge()
    genres = [kb.get(g) for g in genre_ids]
    f = frame(genres, level, seed)
    beats, unit = (int(x) for x in f.meter.split("/"))
    bar_len = beats * 4 / unit
    return MusicBlock(
        key=f.key, tempo_bpm=f.tempo_bpm, meter=f.meter, feel=f.feel, reconciliation=f.reconciliation,
        form=plan_form(genres, f.mode, f.key, level, seed, bar_len),
        bass_style=bass_style(genres, f.meter), groove=groove(genres, f.meter, f.feel), seed=seed,
    )


def set_hook(music: MusicBlock, hook: str, level: str) -> MusicBlock:
    """The block with the hook sung over its chorus chords."""
    chorus = music.section("chorus") or music.form[0]
    melody: HookMelody = hook_melody(hook, chorus.chords, music.key, music.meter, level, music.seed)
    return music.model_copy(update={"hook_melody": melody})
