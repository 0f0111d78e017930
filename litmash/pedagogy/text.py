"""Checks on the words the model writes into a lesson: placeholders, copied instructions, non-words, dates,
stray genres and a reading level out of band."""

from __future__ import annotations

import re

from litmash.knowledge import knowledge, mentioned
from litmash.knowledge.facts import entry_strings, fact_problems
from litmash.language.lexicon import unknown_words, words
from litmash.language.readability import reading_grade
from litmash.music.mentions import without_symbols

# Flesch-Kincaid grade bands of the teaching guide's text, by level. Lesson plans are terse
# (short imperative steps), so their grades run low; beginners' guides must stay plain,
# advanced ones must not be simplistic.
READING_BANDS: dict[str, tuple[float, float]] = {
    "beginner": (0.0, 6.0),
    "intermediate": (3.0, 9.0),
    "advanced": (5.0, 13.0),
}
# One sentence may read above the band (short texts' grades are noisy); the whole guide may not.
SENTENCE_SLACK = 3.0
REAL_WORDS = 0.97
MIN_WORDS = 5

_PLACEHOLDER = re.compile(
    r"lorem ipsum|\bplaceholder\b|\bTODO\b|\bTBD\b|\bXXX\b|insert \w+ here|<[^<>]{1,40}>|\[[^\[\]]{0,40}\]|\{[^{}]{0,40}\}",
    re.IGNORECASE)
# Phrases that only appear when a reply repeats the prompt's instructions instead of answering.
_INSTRUCTION = re.compile(
    r"\b(it must (contain|have|be)|must contain exactly|reply with|json|schema|the field|fields?:|"
    r"exactly \d+ (placeholders|fields|items)|as an ai|language model|write a (lesson|step|question))\b",
    re.IGNORECASE)
# A chat model talking about the conversation instead of the lesson ("the correct answer to your question").
_CHATTER = re.compile(
    r"\b(your (question|task|answer|request)|the (user|correct answer|answer is)|this (sentence|question|template|"
    r"task)|i will|i can|ask me|as requested|here is|here's|in this response|respond with|new answer|"
    r"complete your task|the reviewer|subject matter|the topic|i'm going to|i am going to|show you)\b",
    re.IGNORECASE)
# Words a lesson step, question or activity about music uses; a reply with none of them is off the task.
LESSON_VOCABULARY = frozenset(
    "beat beats rhythm rhythms groove clap claps clapping step steps tempo bpm chord chords key melody tune "
    "chorus verse verses hook hooks lyrics line lines rhyme rhymes sing sings singing rap raps rapping play "
    "plays playing perform performs performance listen listens listening hear recording recordings song songs "
    "music drum drums bass band instrument instruments genre genres culture cultural origins history "
    "tradition traditions quiz sheet lead write writes compose improvise groups pairs class learners "
    "students teacher swing backbeat riff loop sample bar bars count counts".split())
# Words that tie an objective to the steps that use a part of the mashup.
TOPICS: dict[str, set[str]] = {
    "groove": {"beat", "rhythm", "groove", "syncopation", "swing", "tempo", "clap", "backbeat", "pulse"},
    "listening": {"listen", "listens", "listening", "play", "recording", "recordings", "hear", "genre", "genres", "style", "styles"},
    "progression": {"chord", "chords", "progression", "harmony", "key", "roman", "seventh"},
    "lead_sheet": {"read", "notation", "sheet", "lead", "melody", "score", "find", "follow"},
    "hook": {"hook", "write", "compose", "lyrics", "verse", "line", "lines", "rhyme", "song"},
    "lyrics": {"lyrics", "words", "verse", "rhyme", "write"},
    "audio": {"perform", "sing", "play", "rap", "performance"},
    "cultural_context": {"cultural", "culture", "origins", "origin", "history", "respect", "respectfully",
                         "tradition", "traditions", "community", "communities"},
    "exit_quiz": {"evaluate", "assess", "judge", "critique", "quiz", "answer", "rate", "question"},
}


_DATE = re.compile(r"\b(1[0-9]|20)\d\d(s|'s)?\b")
# A lesson is written for the class, not as a letter: "I" / "my" is the model talking about itself,
# and days or weeks do not fit a lesson of minutes.
# (the Roman numeral I is not: "the I chord", "I–IV–V")
_FIRST_PERSON = re.compile(r"\bI(?:'m|'ve|'ll|'d)\b|\bI\s+(?!chords?\b|is\b)[a-z]|\b[Mm]y\b|\bme\b")
_LONG_SPAN = re.compile(r"\b(days?|weeks?|months?)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b\d+(st|nd|rd|th)\b", re.IGNORECASE)  # '30th birthday': a fact the base does not hold
# Words of music teaching that CMUdict (American, general) lacks: British spellings the templates
# use, and the field's own terms.
LESSON_WORDS = ("analyse", "analysed", "practise", "practised", "organise", "summarise", "recognise",
                "colour", "BPM", "mashup", "mashups", "riff", "riffs", "syncopated", "backbeat")


def allowed_words(blend: list[str]) -> list[str]:
    """Names and terms the base gives for the blend's genres: real words here even when CMUdict lacks them."""
    kb = knowledge()
    return ([t for g in blend for t in entry_strings(kb.get(g))] + [c.name for c in kb.concepts.values()]
            + list(LESSON_WORDS))


def real_word_share(text: str, known: list[str]) -> float:
    """The share of ``text``'s words (every occurrence) that are English, names the base knows, or chord symbols."""
    text = without_symbols(text)
    odd = set(unknown_words(text, known))
    all_words = words(text)
    return 1.0 if not all_words else 1 - sum(w in odd for w in all_words) / len(all_words)


def _stems(items) -> set[str]:
    """Words without a plural or third-person 's', so 'claps' meets 'clap'."""
    return {w.lower().removesuffix("s") for w in items}


def problems(text: str, level: str, blend: list[str], known: list[str], topic: frozenset[str] = frozenset()) -> list[str]:
    """Why ``text`` cannot stand in a lesson: one short reason per failed check (empty when it can).

    ``topic``: words of which a step's description must use one (what the step works with).
    """
    out = []
    if topic and not _stems(topic) & _stems(words(text)):
        out.append(f"say what the class does in this step, with words such as {', '.join(sorted(topic)[:4])}")
    if len(text.split()) < MIN_WORDS:
        out.append(f"write at least {MIN_WORDS} words")
    if m := _PLACEHOLDER.search(text):
        out.append(f"remove the placeholder {m.group(0)!r}")
    if m := _INSTRUCTION.search(text):
        out.append(f"describe the lesson itself; {m.group(0)!r} repeats the instructions")
    if m := _CHATTER.search(text):
        out.append(f"describe what the class does; {m.group(0)!r} talks about the conversation")
    if not LESSON_VOCABULARY & set(words(text)) and not set(words(" ".join(known))) & set(words(text)):
        out.append("say what the class does with the song: its beat, chords, melody, lyrics or genres")
    if m := _DATE.search(text):
        out.append(f"leave out the year {m.group(0)!r}: dates come from the genre facts")
    if m := _FIRST_PERSON.search(text):
        out.append(f"describe what the class does; {m.group(0)!r} is the writer talking about themselves")
    if m := _LONG_SPAN.search(text):
        out.append(f"keep to the lesson's minutes; {m.group(0)!r} is longer than a lesson")
    if m := _ORDINAL.search(text):
        out.append(f"leave out {m.group(0)!r}: dates and ages come from the genre facts")
    if real_word_share(text, known) < REAL_WORDS:
        odd = unknown_words(without_symbols(text), known)
        out.append(f"{', '.join(repr(w) for w in odd[:3])} is not an English word; use plain words")
    kb = knowledge()
    if stray := [kb.get(g).name for g in mentioned(text) if g not in blend]:
        out.append(f"names {', '.join(stray)}, which is not in this mashup")
    out += fact_problems(text, blend)[:1]
    hi = READING_BANDS[level][1] + SENTENCE_SLACK
    if len(text.split()) >= 8 and (grade := reading_grade(text)) > hi:
        out.append(f"use shorter words and sentences (reading grade {grade:.0f}, at most {hi:.0f})")
    return out
