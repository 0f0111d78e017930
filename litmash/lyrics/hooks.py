"""Hook candidates: keep the real-word, classroom-safe, singable, distinct ones and rank them."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from litmash.knowledge import knowledge
from litmash.knowledge.resolve import names_genre
from litmash.language.rhyme import rhyme_part
from litmash.language.syllables import line_syllables
from litmash.language.words import tokens
from litmash.lyrics.linecheck import LineContext, line_problems

# Words that show a reply talks about the task instead of singing ('These hooks are great...').
META = frozenset("hook hooks lyric lyrics title chorus verse verses line lines example sentence syllable syllables "
                 "json beginners learners workshop ladies gentlemen".split())
# Small words that do not make two hooks alike.
STOP = frozenset("a an the and or of to in on at for with is are be it we you i me my our your "
                 "let's lets let up".split())
NEAR = 0.75  # character similarity from which two hooks are near-duplicates
OVERLAP = 0.6  # share of content words two hooks may have in common


@dataclass(frozen=True)
class Candidate:
    """A hook candidate that passed its checks, with its rank score and device."""

    text: str
    syllables: int
    score: float
    technique: str


# Words a hook does not open with: it would continue a line the listener never heard.
OPENERS = frozenset("and but so or because for yet then while".split())


def hook_problems(text: str, ctx: LineContext) -> list[str]:
    """Why a candidate cannot be a hook (empty when it can)."""
    out = line_problems(text, ctx)
    words = tokens(text)
    if META & set(words) or "words" in words:
        out.append("sing the hook itself, do not talk about hooks or lyrics")
    if words and words[0] in OPENERS:
        out.append(f"start the hook with its own words, not {words[0]!r}")
    return out


def content(text: str) -> set[str]:
    """The hook's words that carry meaning."""
    return {w for w in tokens(text) if w not in STOP}


def near_duplicate(a: str, b: str, shared: frozenset[str] = frozenset()) -> bool:
    """Equal or nearly so: similar spelling, or most content words shared (``shared`` words, the
    blend's names that every hook may sing, do not count)."""
    ka, kb = " ".join(tokens(a)), " ".join(tokens(b))
    if SequenceMatcher(None, ka, kb).ratio() >= NEAR:
        return True
    ca, cb = content(a) - shared, content(b) - shared
    return bool(ca and cb) and len(ca & cb) / min(len(ca), len(cb)) >= OVERLAP


def technique(text: str) -> str:
    """The device the hook uses, read off its words."""
    words = tokens(text)
    rhymed = [(a, b) for i, a in enumerate(words) for b in words[i + 1:]
              if a != b and len(a) > 2 and len(b) > 2 and rhyme_part(a) == rhyme_part(b)]
    if rhymed:
        return f"internal rhyme ({rhymed[0][0]} / {rhymed[0][1]})"
    repeated = [w for w in dict.fromkeys(words) if w not in STOP and words.count(w) > 1]
    if repeated:
        return f"repetition ({repeated[0]})"
    initials = [w[0] for w in words if w not in STOP and len(w) > 2]
    if any(initials.count(c) > 1 for c in set(initials)):
        return "alliteration"
    return "a short sung line"


def rank(text: str, target: int, blend: list[str], topic: set[str]) -> float:
    """Higher for a hook that names the blend, uses the topic's words and sings the target syllables."""
    names = sum(names_genre(g, text) for g in blend)
    on_topic = len(content(text) & topic)
    device = technique(text) != "a short sung line"
    # naming the requested genres counts most: the chorus sings the first hook, so the song names them
    return 2 * names + 0.5 * min(on_topic, 2) + 0.3 * device - 0.25 * abs(line_syllables(text) - target)


def choose_hooks(candidates: list[str], ctx: LineContext, blend: list[str], topic: set[str],
                 most: int = 5) -> tuple[list[Candidate], dict[str, list[str]]]:
    """The best distinct candidates (at most ``most``) and, for the rest, why they were dropped."""
    kb = knowledge()
    names = frozenset(w for g in blend for w in tokens(kb.get(g).name))
    kept: list[Candidate] = []
    dropped: dict[str, list[str]] = {}
    scored = []
    for raw in dict.fromkeys(c.strip().strip("\"'") for c in candidates if c.strip()):
        if problems := hook_problems(raw, ctx):
            dropped[raw] = problems
        else:
            scored.append(Candidate(raw, line_syllables(raw), rank(raw, ctx.target, blend, topic), technique(raw)))
    for c in sorted(scored, key=lambda c: -c.score):
        if any(near_duplicate(c.text, k.text, names) for k in kept):
            dropped[c.text] = ["too close to another hook"]
        elif len(kept) < most:
            kept.append(c)
    return kept, dropped


def fallback_hooks(blend: list[str], target: int, taken: list[str] = ()) -> list[str]:
    """Hooks code can always sing (the blend's names in set phrases of different shapes), closest to
    the target first, none a near-duplicate of another or of ``taken``."""
    kb = knowledge()
    a, b = (kb.get(g).name for g in blend[:2])
    names = frozenset(w for g in blend for w in tokens(kb.get(g).name))
    phrases = [f"{a} and {b}, sing it loud", f"Clap your hands to the {a} beat", f"Here comes the {b} sound",
               f"Feel the groove when {a} meets {b}", f"Everybody sing the {b} line", f"Step in time with {a}"]
    out: list[str] = []
    for p in sorted(phrases, key=lambda p: abs(line_syllables(p) - target)):
        if not any(near_duplicate(p, q, names) for q in [*taken, *out]):
            out.append(p)
    return out


NAMING = "the requested genres' names"  # the technique of a set phrase that names them


def _short_name(genre_id: str) -> str:
    """The genre's shortest name that still names it ('Maqam' for Arabic maqam, 'Electronic' for
    Electronic music), for a short line; the display name when none is shorter."""
    g = knowledge().get(genre_id)
    forms = [f for f in dict.fromkeys([*g.name.split(), *g.aliases]) if f.isascii() and names_genre(genre_id, f)]
    short = min(forms, key=line_syllables, default=g.name)
    return short[:1].upper() + short[1:] if line_syllables(short) < line_syllables(g.name) else g.name


def _phrases(names: list[str]) -> list[str]:
    if len(names) == 1:
        (a,) = names
        return [f"Here comes the {a} sound", f"Clap your hands to the {a} beat", f"Step in time with {a}",
                f"Sing it loud, {a}", f"Everybody feel the {a} groove"]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    a, b = names[0], names[-1]
    phrases = [f"{listed}, sing it loud", f"Feel the groove when {a} meets {b}", f"{a} meets {b}",
               f"From {a} to {b}", f"Sing {listed}", f"Here come {listed}", f"We sing {listed} tonight",
               ", ".join(names)]  # the names alone, chanted, for long names and a short target
    return [p for p in phrases if all(n in p for n in names)]


def naming_hooks(wanted: list[str], ctx: LineContext) -> list[str]:
    """Set phrases that name every genre of ``wanted`` (the requested ones) and pass the hook checks,
    closest to the syllable target first: the chorus sings the first hook, so the song names them.
    Long names are sung in their shortest form that still names the genre ('Maqam meets Electronic')."""
    kb = knowledge()
    ids = [g for g in wanted if g in kb.genres]
    if not ids:
        return []
    phrases = _phrases([kb.get(g).name for g in ids]) + _phrases([_short_name(g) for g in ids])
    ok = [p for p in dict.fromkeys(phrases)
          if not hook_problems(p, ctx) and all(names_genre(g, p) for g in ids)]
    return sorted(ok, key=lambda p: abs(line_syllables(p) - ctx.target))
