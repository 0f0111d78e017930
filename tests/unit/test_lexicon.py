"""Real-word checks on hand-checked text: dictionary words, contractions, hyphens, names the caller knows."""

from __future__ import annotations

from litmash.language.lexicon import unknown_words, words


def test_words_split_hyphens_and_keep_contractions():
    assert words("Boom-bap drums don't stop, 4 bars!") == ["boom", "bap", "drums", "don't", "stop", "bars"]


def test_dictionary_words_and_contractions_pass():
    assert unknown_words("Jazz brings swung eighth notes; we're clapping on two and four.") == []
    # music terms CMUdict lacks are known only when the caller says so (the genre base does)
    assert unknown_words("Clap the backbeat.") == ["backbeat"]


def test_invented_words_are_named_once_in_order():
    assert unknown_words("jazz tri-tremes and zorbly zorbly beats") == ["tremes", "zorbly"]


def test_words_the_caller_knows_pass():
    assert unknown_words("The dhol and the tumbi lead bhangra.") == ["dhol", "tumbi"]
    assert unknown_words("The dhol and the tumbi lead bhangra.", known=["dhol", "tumbi (one-string lute)"]) == []
