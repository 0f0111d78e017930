"""Completing a blend by code: which genres of the base go well with the ones requested.

The score favours shared musical ground a class can hear (tempo ranges that overlap, a shared
meter, concepts both genres teach) and a contrast of traditions, which is what makes a mashup
worth teaching. It is deterministic: ties go to the id that sorts first.
"""

from __future__ import annotations

from litmash.knowledge.base import KnowledgeBase, fold, knowledge
from litmash.knowledge.schema import Genre


def compatibility(a: Genre, b: Genre) -> float:
    """How well ``b`` blends with ``a`` (higher is better; 0 for the same genre)."""
    if a.id == b.id or a.id in b.parents or b.id in a.parents:
        return 0.0 if a.id == b.id else 1.0  # a parent and its offshoot teach little contrast
    score = min(len(set(a.teaches) & set(b.teaches)), 4)
    if a.tempo_bpm and b.tempo_bpm and a.tempo_bpm.min <= b.tempo_bpm.max and b.tempo_bpm.min <= a.tempo_bpm.max:
        score += 2
    if set(a.meters) & set(b.meters):
        score += 1
    if bool(a.progressions) == bool(b.progressions):
        score += 1
    if a.family != b.family:
        score += 1
    return float(score)


def request_affinity(g: Genre, text: str, kb: KnowledgeBase) -> float:
    """How much the request's own words (concepts, instruments) point at ``g``."""
    words = f" {fold(text)} "
    score = 0.0
    for cid in g.teaches:
        c = kb.concepts[cid]
        if f" {fold(c.name)} " in words or f" {fold(cid)} " in words:
            score += 2
    for inst in g.instruments:
        head = fold(inst).split(" (")[0]
        if head and f" {head} " in words:
            score += 1
    return score


def shortlist(chosen: list[str], text: str, n: int = 8, kb: KnowledgeBase | None = None) -> list[str]:
    """The ``n`` genre ids that best complete ``chosen`` for a request saying ``text``."""
    kb = kb or knowledge()
    picked = [kb.get(i) for i in chosen]

    def score(g: Genre) -> float:
        return sum(compatibility(p, g) for p in picked) + request_affinity(g, text, kb)

    ranked = sorted((g for g in kb.genres.values() if g.id not in chosen), key=lambda g: (-score(g), g.id))
    return [g.id for g in ranked[:n]]


def complete(chosen: list[str], text: str, size: int = 2, kb: KnowledgeBase | None = None) -> list[str]:
    """``chosen`` plus the best-scoring genres until the blend has ``size`` genres."""
    out = list(chosen)
    while len(out) < size:
        out.append(shortlist(out, text, 1, kb)[0])
    return out
