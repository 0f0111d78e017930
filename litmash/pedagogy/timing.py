"""Minutes by code: a template's phases fitted to the lesson length, adding up exactly."""

from __future__ import annotations

from litmash.pedagogy.data import Phase, Template


def fit(template: Template, minutes: int) -> list[Phase]:
    """The phases kept for a lesson of ``minutes``: the least essential are dropped until the minimums fit."""
    if not 10 <= minutes <= 240:
        raise ValueError(f"lesson_minutes must be 10-240, got {minutes}")
    kept = list(template.phases)
    while sum(p.min for p in kept) > minutes:
        worst = max(p.priority for p in kept)
        # Drop the last phase at the least essential priority: late extras go before early ones.
        kept.remove([p for p in kept if p.priority == worst][-1])
    return kept


def allocate(template: Template, minutes: int) -> list[tuple[Phase, int]]:
    """Each kept phase with its minutes: at least its minimum, the rest shared by weight (largest remainder)."""
    kept = fit(template, minutes)
    spare = minutes - sum(p.min for p in kept)
    weight = sum(p.share for p in kept)
    exact = [spare * p.share / weight for p in kept]
    whole = [int(x) for x in exact]
    # Hand the minutes lost to rounding to the phases with the largest fractions (ties: earlier phase).
    for i in sorted(range(len(kept)), key=lambda i: (whole[i] - exact[i], i))[: spare - sum(whole)]:
        whole[i] += 1
    return [(p, p.min + w) for p, w in zip(kept, whole, strict=True)]
