"""Checks on one lyric line: real words, syllables on target, no digits, no loop, no copy of the
prompt or its worked example, no placeholder, classroom-safe. Each problem is a short instruction
the model can act on when the line is asked for again."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from better_profanity import profanity

from litmash.knowledge import knowledge
from litmash.knowledge.facts import fact_problems
from litmash.knowledge.resolve import names_genre
from litmash.language.syllables import line_syllables
from litmash.language.words import tokens
from litmash.lyrics.form import TOLERANCE
from litmash.lyrics.words import kb_names, word_report

_PLACEHOLDER = re.compile(r"lorem|ipsum|placeholder|\bTODO\b|\bTBD\b|<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|\.{3}|…|_{2,}",
                          re.IGNORECASE)
COPY_NGRAM = 4  # words in a row shared with the prompt or its worked example that make a line a copy
# ...and with the teacher's request, whose short runs ('jazz and hip hop') a lyric may well sing
REQUEST_NGRAM = 6
# A chat assistant talking to the user, not a line of a song ('I'm so glad I could help').
_CHATTER = re.compile(
    r"\b(glad (i|to) (could |can )?help|happy to help|(great|wonderful|good) (choice|question|idea)|here (is|are) "
    r"(the|a|some|your)|words like|let me know|i hope (this|that|you)|feel free|as an ai|language model|"
    r"certainly|of course[,!]|you asked)\b", re.IGNORECASE)
# 'a' before a vowel sound ('a opera'); 'a unit', 'a one', 'a European' start with a consonant sound
_A_AN = re.compile(r"\ba\s+(?!u|one|once|eu|ewe)[aeiou]", re.IGNORECASE)
# ...and with the prompts' instructions, whose phrases ('use words like') are never a lyric
INSTRUCTION_NGRAM = 3


@dataclass(frozen=True)
class LineContext:
    """What a line is checked against."""

    target: int
    known: frozenset[str] = frozenset()  # words allowed besides CMUdict (the blend's names)
    sources: tuple[str, ...] = ()  # prompt templates and worked example the line must not copy
    request: tuple[str, ...] = ()  # the teacher's words: copying a long run of them is a copy too
    taken: tuple[str, ...] = ()  # lines already in the song (no line twice)
    must_name: tuple[str, ...] = field(default=())  # names the line must contain (a genre)
    blend: tuple[str, ...] = ()  # the blend's genre ids: a place, date or artist it names must be the base's


def ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    """The n-word sequences of ``words``."""
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def loops(line: str) -> bool:
    """Whether the line repeats itself: a word four times, or a two-word phrase three times."""
    words = tokens(line)
    if any(c >= 4 for c in Counter(words).values()):
        return True
    return any(c >= 3 for c in Counter(ngrams(words, 2)).values())


def copies(line: str, sources: Iterable[str], n: int = COPY_NGRAM) -> bool:
    """Whether the line shares ``n`` words in a row with any source text."""
    grams = set(ngrams(tokens(line), n))
    return any(grams & set(ngrams(tokens(s), n)) for s in sources)


def instructions(sources: Iterable[str]) -> list[str]:
    """The prompts' own words, with their placeholders cut out (the filled-in topic words may be sung)."""
    return [re.sub(r"\{[^{}]*\}", " | ", s) for s in sources]


# Words a sung line does not end on: it breaks off in the middle ('Can inspire anyone to').
DANGLING_END = frozenset("a an the and or but nor of to in on at for with from by as than that which who whose "
                         "if so because is are was were be been being am my your our their his her its very just "
                         "into onto upon about like this these those".split())


# Adjectives that, after 'a' or 'the', wait for their noun ('This is a beautiful', 'a lot of different').
WAITING_ADJECTIVES = frozenset("beautiful different great new good big little special whole same other best first "
                               "last only real true wonderful amazing perfect certain few lot".split())


def fragment(line: str) -> bool:
    """Whether the line breaks off on a word that needs another after it."""
    words = tokens(line)
    if not words:
        return False
    if words[-1] in DANGLING_END:
        return True
    return words[-1] in WAITING_ADJECTIVES and (len(words) < 2 or words[-2] in {"a", "an", "the", "of", "this"}
                                                or words[-1] in {"different", "only"})


def shouting(line: str, known: Iterable[str] = ()) -> bool:
    """A word of two or more capital letters ('FINISHED', 'MARKUP'): a heading, not a sung line
    (a genre's own abbreviation, 'EDM', is sung as it is written)."""
    allowed = {w for k in known for w in tokens(k)} | kb_names()
    return any(len(w) > 1 and w.isupper() and w.lower() not in allowed for w in re.findall(r"[A-Za-z]+", line))


def people(line: str, known: Iterable[str] = ()) -> list[str]:
    """Capitalised words after the first one that are not genre names or 'I': most often a
    person or a place the model made up ('Bob Marley', 'Miami')."""
    allowed = {w for k in known for w in tokens(k)} | {"i"} | kb_names()  # genre names are not people
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", line)[1:]
    return [w for w in words if w[0].isupper() and w.split("'")[0].lower() not in allowed
            and not any(part in allowed for part in tokens(w))]


def _same(a: str, b: str) -> bool:
    return tokens(a) == tokens(b)


def line_problems(line: str, ctx: LineContext) -> list[str]:
    """What is wrong with a lyric line, as instructions ('' problems: the line passes)."""
    out: list[str] = []
    if not tokens(line):
        return ["write words"]
    if re.search(r"\d", line):
        out.append("write numbers as words and no dates")
    if _PLACEHOLDER.search(line):
        out.append("write the line itself, not a placeholder")
    report = word_report(line, ctx.known)
    if unknown := [w for w in report.unknown if not w.isdigit()]:
        out.append(f"use real English words instead of {', '.join(repr(w) for w in unknown[:3])}")
    count = line_syllables(line)
    if abs(count - ctx.target) > TOLERANCE:
        out.append(f"sing {ctx.target} syllables, not {count}: make it {'shorter' if count > ctx.target else 'longer'}")
    if loops(line):
        out.append("do not repeat the same words over and over")
    if copies(line, ctx.sources) or copies(line, ctx.request, REQUEST_NGRAM):
        out.append("write new words, not words copied from the request or the example")
    if any(_same(line, t) for t in ctx.taken):
        out.append("write a new line, not one the song already has")
    if _A_AN.search(line):
        out.append("write 'an' before a vowel sound ('an opera', not 'a opera')")
    if _CHATTER.search(line):
        out.append("sing the song, do not talk to the reader")
    if re.search(r"\w[.!?]\s+\w", line):
        out.append("sing one sentence per line")
    if fragment(line):
        out.append("write a whole line that ends on a word with meaning, not on 'to', 'the' or 'of'")
    if re.search(r"[A-Za-z]+(?:-[A-Za-z]+){2,}", line):
        out.append("write plain words, not words joined with hyphens")
    if re.search(r"[\"“”:]", line):
        out.append("sing the line itself: no quotes, titles or labels")
    if shouting(line, ctx.known):
        out.append("write in normal letters, not capitals")
    if names := people(line, ctx.known):
        out.append(f"write no names of people or places ({', '.join(names[:2])})")
    if copies(line, instructions(ctx.sources), INSTRUCTION_NGRAM):
        out.append("sing about the topic, do not repeat the instructions")
    if profanity.contains_profanity(line):
        out.append("use words fit for a classroom")
    if ctx.blend and fact_problems(line, list(ctx.blend)):
        out.append("sing about the music, not about places, dates or artists the genre facts do not give")
    for gid in ctx.must_name:
        if not names_genre(gid, line):
            out.append(f"name {knowledge().get(gid).name} in the line")
    return out
