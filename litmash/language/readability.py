"""Reading level of text (Flesch-Kincaid, textstat: syllables from CMUdict for English, else hyphenation)."""

from __future__ import annotations

import threading

import textstat

_textstat_lock = threading.Lock()  # textstat's language is process-global state


def reading_grade(text: str, language: str = "en") -> float:
    """Flesch-Kincaid grade of ``text`` in ``language`` (an ISO 639-1 code textstat knows)."""
    with _textstat_lock:
        textstat.set_lang(language)
        try:
            return float(textstat.flesch_kincaid_grade(text))
        finally:
            textstat.set_lang("en")
