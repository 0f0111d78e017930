"""A lyric's words as sung: tokens with inner apostrophes, numbers spelled out (a digit is not a word a class
can read off a lyric sheet, but it is sung as one)."""

from __future__ import annotations

import re

# A word: letters with inner apostrophes ("don't", "rock'n'roll"); hyphenated words are split.
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+")
# Endings after an apostrophe that make a word of a dictionary stem ("teacher's", "jazz'll", "rockin'").
CONTRACTIONS = frozenset({"s", "re", "ve", "ll", "d", "t", "m", "n", ""})
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> list[str]:
    """How a number is said: 42 -> ['forty', 'two']; past 9999 digit by digit."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10], *([_ONES[n % 10]] if n % 10 else [])]
    if n < 1000:
        return [_ONES[n // 100], "hundred", *(number_words(n % 100) if n % 100 else [])]
    if n < 10000:
        return [*number_words(n // 1000), "thousand", *(number_words(n % 1000) if n % 1000 else [])]
    return [_ONES[int(d)] for d in str(n)]


def tokens(text: str) -> list[str]:
    """The words and digit groups of ``text``, lower case, curly apostrophes made straight."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def sung_words(text: str) -> list[str]:
    """The words as sung: digit groups spelled out."""
    out: list[str] = []
    for t in tokens(text):
        out += number_words(int(t)) if t.isdigit() else [t]
    return out
