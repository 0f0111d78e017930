"""Lines from plain-text replies: clean a reply into candidate lines, keep the ones that pass
their checks, and pair them into rhyming couplets. The model writes short batches of lines; code
decides which of them a class sings."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from litmash.language.rhyme import last_word, rhyme_kind, rhymes_for
from litmash.language.syllables import line_syllables
from litmash.language.words import tokens
from litmash.lyrics.hooks import META
from litmash.lyrics.linecheck import LineContext, line_problems
from litmash.lyrics.topic import on_topic

_LABEL = re.compile(r"^\s*(?:[-*•>]+|\d+\s*[.):-]|(?:verse|chorus|bridge|hook|line|outro|intro)\s*\d*\s*[:.)-])\s*",
                    re.IGNORECASE)
# a bracketed stage note ('(pauses to describe guitars)'); a short call in brackets ('(jazz!)') is sung
_PAREN = re.compile(r"\((?:[^()\s]+\s+){3,}[^()]*\)|\[[^\[\]]*\]")
# a sentence end, or a comma/semicolon between two clauses: where a long reply line may be cut
_CUT = re.compile(r"(?<=[.!?;])\s+|,\s+(?=[A-Za-z])")
_EDGE = " \t,.;:!?-–—\"'“”‘’*_"
# Words a clause may start with: a long line may end just before one and still be whole
# ('We keep on walking down the street | and then we go back home').
CLAUSE_START = frozenset("and but with when where while as like till until because so from through that who "
                         "which or".split())
# Words that open a line which only continues the one before ('and to me it ends…' is kept,
# 'as well as what…' is not a line a class can sing alone).
_DANGLING = frozenset("as which whose whom than".split())


def _tidy(text: str) -> str:
    """One line as sung: no list marks or labels, no bracketed stage notes (four words or more),
    no quotes around it,
    the first letter capitalised, "it 's" joined to "it's"."""
    text = _PAREN.sub(" ", _LABEL.sub("", text))
    text = re.sub(r"\s+(['’](?:s|re|ve|ll|d|t|m)\b)", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip(_EDGE)
    text = _sentence_case(text)
    return text[:1].upper() + text[1:]


def _sentence_case(text: str) -> str:
    """A line written like a title ('Feel The Rhythm Of The Night') in sentence case: small
    models capitalise every word of a hook, which would read as names."""
    words = text.split()
    long = [w for w in words[1:] if len(w) > 3 and w[0].isalpha()]
    if len(long) < 2 or sum(w[0].isupper() for w in long) < 0.75 * len(long):
        return text
    return " ".join([words[0], *(w if w == "I" or w.startswith("I'") or w.isupper() else w.lower()
                                 for w in words[1:])])


def pieces(reply: str) -> list[str]:
    """Candidate lines of a reply, in order, each once: every reply line, and the clauses of a
    long one cut at its sentence ends and commas (a 14-syllable line often holds two good ones)."""
    out: list[str] = []
    for raw in reply.splitlines():
        if not raw.strip() or raw.rstrip().endswith(":"):  # 'Here is the song:'
            continue
        parts = [_tidy(p) for p in _CUT.split(raw)]
        whole = _tidy(raw)
        for p in ([whole] if len(parts) == 1 else [whole, *parts]):
            if p and p.lower() not in (x.lower() for x in out):
                out.append(p)
    return out


def clause_prefixes(line: str, shortest: int) -> list[str]:
    """The line's beginnings that end where a new clause starts (before 'and', 'when', 'with'…),
    longest first, each of at least ``shortest`` syllables."""
    words = line.split()
    out = []
    for i in range(len(words) - 1, 0, -1):
        if words[i].lower().strip(_EDGE) in CLAUSE_START:
            cut = " ".join(words[:i]).strip(_EDGE)
            if line_syllables(cut) >= shortest:
                out.append(cut)
    return out


def same_words(a: str, b: str) -> bool:
    """Whether one line's words run inside the other's (a line and its own first clause)."""
    ka, kb = f" {' '.join(tokens(a))} ", f" {' '.join(tokens(b))} "
    return ka in kb or kb in ka


@dataclass
class Pool:
    """Lines that passed their checks, waiting to be sung; ``seen`` keeps every candidate once."""

    check: LineContext
    vocabulary: frozenset[str] = frozenset()
    lines: list[str] = field(default_factory=list)
    rejected: dict[str, list[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def problems(self, line: str) -> list[str]:
        """Why a candidate cannot be sung (empty when it can)."""
        out = line_problems(line, replace(self.check, taken=self.check.taken + tuple(self.lines)))
        words = tokens(line)
        if META & set(words):
            out.append("sing the song itself, do not talk about verses, hooks or lyrics")
        if words and words[0] in _DANGLING:
            out.append("write a whole line, not the end of another one")
        return out

    def add(self, reply: str) -> list[str]:
        """The reply's lines that passed (now in the pool)."""
        new = []
        shortest = self.check.target - 2
        for line in [c for p in pieces(reply) for c in (p, *clause_prefixes(p, shortest))]:
            key = " ".join(tokens(line))
            if not key or key in self.seen:
                continue
            self.seen.add(key)
            if problems := self.problems(line):
                self.rejected[line] = problems
            else:
                self.lines.append(line)
                new.append(line)
        return new

    def take(self, line: str) -> None:
        """Mark a line as sung: it leaves the pool, with its clauses and the lines it is a clause of."""
        self.lines = [x for x in self.lines if not same_words(x, line)]

    def score(self, line: str, names: tuple[str, ...] = ()) -> float:
        """Higher for a line on the topic, near the syllable target, naming what it should."""
        low = line.lower()
        return (1.0 * on_topic(line, self.vocabulary) + 2.0 * sum(n.lower() in low for n in names)
                - 0.2 * abs(line_syllables(line) - self.check.target))


def _rank(kind: str | None) -> int:
    return {"perfect": 2, "slant": 1}.get(kind or "", 0)


def couplet(pool: Pool, names: tuple[str, ...] = (), need: Callable[[str], bool] | None = None
            ) -> tuple[str, str] | None:
    """The best rhyming pair in the pool (perfect before slant, then on topic, then naming ``names``)
    or None; with ``need`` only a pair whose text it accepts. The pair stays in the pool."""
    best, best_key = None, None
    lines = pool.lines
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            kind = rhyme_kind(a, b)
            if _rank(kind) == 0 or same_words(a, b):
                continue
            if need is not None and not need(f"{a} {b}"):
                continue
            key = (_rank(kind) + pool.score(a, names) + pool.score(b, names))
            if best_key is None or key > best_key:
                best, best_key = (a, b), key
    return best


def partner_words(line: str) -> list[str]:
    """Common words that rhyme with the line's last word (hints for a rhyme the model is asked for)."""
    return rhymes_for(last_word(line))


def rhyming_prefix(reply: str, partner: str, pool: Pool) -> str | None:
    """A line cut from the reply that rhymes with ``partner`` and passes its checks: a whole reply
    line, or its words up to a rhyming word within the syllable target (the model often writes past
    the rhyme it was given)."""
    for line in pieces(reply):
        words = line.split()
        for end in range(len(words), 0, -1):
            cand = " ".join(words[:end]).strip(_EDGE)
            if line_syllables(cand) < pool.check.target - 2:
                break
            if _rank(rhyme_kind(partner, cand)) and not pool.problems(cand):
                return cand
    return None
