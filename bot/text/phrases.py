"""Phrase keys: the forms in which a word or phrase is found in a text whatever its spelling.

Two foldings share the pieces below, both on top of the text engine's matching form (which unifies Arabic
and Persian look-alike letters, drops diacritics, tatweel and zero-width characters, and folds digits and
case):

Subscriptions' keywords (`fold`, `phrase_keys`; their keys are stored) are found generously:
- runs of repeated letters collapse (`احممممق` → `احمق`), `آ` is `ا`, ZWNJ joins;
- a phrase also matches with its spaces removed or added (`بی شعور`, `بیشعور`) and with common Persian
  suffixes (`احمق‌ها`, `احمقی`).

Word filters (`filter_words`, `filter_key`, `filter_candidates`) must not invent words out of ordinary ones
(`کرمان` is not `کرم` + `ان`, `مه` is not `ممه`, `سرزمین‌های اشغالی` holds no `آشغال`):
- only runs of three or more of one letter collapse, to one or to two letters (`احممممق`, `مممممه`);
- `آ` stays apart from `ا`;
- a ZWNJ before a suffix writes the suffix apart (`خر‌ها`); any other ZWNJ joins one word (`گاو‌صندوق`, a
  safe, holds no `گاو`); a suffix written apart leaves the stem a word of its own (`خر ها`, `خر‌ها`), and a
  glued one comes off a stem of four letters or more (`کسخلی`, `بیشعوره`; not `کرمان`, `حشرات`, `کسی`);
- letters spelled out one by one, with spaces, dots or symbols between them, join again (`ا.ح.م.ق`), and a
  phrase matches with its spaces removed or added;
- Latin-script Persian ("Finglish", `ahmagh`, `4hm4q`) is compared by consonant skeleton, for words of
  at least three consonants (shorter skeletons would catch ordinary words).
Each candidate says how it was read (`Way`); which ways a phrase accepts is the word filters' decision
(bot/moderation/wordfilter.py: an ordinary word is found only as a whole word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.text.chars import ZWNJ
from bot.text.normalize import filter_form, matching_form

SUFFIXES = ("", "ها", "های", "هایی", "ی", "ای", "یی", "ان", "ات", "تر", "ترین")
SUFFIX_SET = frozenset(SUFFIXES[1:])
# Word filters also read the endings of spoken Persian that comments are written in: `ا` for `ها`
# (`آشغالا`), `ه` for `است` (`بیشعوره`), `ن` for `اند` (`بی‌شرفن`).
FILTER_SUFFIXES = (*SUFFIXES[1:], "ا", "ه", "ن")
ZWNJ_PART = re.compile(ZWNJ + r"+(\w*)")
MAX_WORDS = 3  # longest phrase, in words, that is matched across word boundaries
MAX_SPELLED = 16  # longest word spelled out letter by letter
MIN_SKELETON = 3

REPEATS = re.compile(r"([^\W\d_])\1+")  # letters only: ۱۴۰۰ is not ۱۴۰
LONG_RUNS = re.compile(r"([^\W\d_])\1{2,}")  # a letter three times or more: typed for emphasis or to evade
MIN_STEM = 4  # a suffix glued to a shorter word is more often part of another word (کرمان، حشرات، کسی)
# Leetspeak digits inside Latin words (`4hm4q`); folded before the matching form drops symbols.
LEET = str.maketrans({"4": "a", "@": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
LATIN_WORD = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*", re.IGNORECASE)
LATIN_DIGRAPHS = (("sh", "S"), ("ch", "C"), ("kh", "x"), ("gh", "q"), ("zh", "Z"), ("ph", "f"))
LATIN_SKELETON = str.maketrans({"w": "v", "c": "k", "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "v": ""})
# Persian letters by the Latin consonant Finglish writes for them; vowels and semi-vowels are dropped
# because Finglish writes them inconsistently (`و` is v, o or u; `ی` is y, i or e).
PERSIAN_SKELETON = str.maketrans({
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ج": "j", "چ": "C", "ح": "h",
    "ه": "h", "خ": "x", "د": "d", "ذ": "z", "ز": "z", "ض": "z", "ظ": "z", "ر": "r", "ژ": "Z", "ش": "S",
    "غ": "q", "ق": "q", "ف": "f", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "ا": "", "آ": "", "و": "", "ی": "", "ع": "",
})  # fmt: skip


def _latin_leet(match: re.Match[str]) -> str:
    return match.group().translate(LEET)


def words(text: str) -> list[str]:
    """The folded words of a text, repeated letters collapsed."""
    text = LATIN_WORD.sub(_latin_leet, text)
    return [REPEATS.sub(r"\1", word) for word in matching_form(text).split()]


def skeleton(word: str) -> str:
    """The consonant skeleton of a folded word, Persian or Latin script, for comparing across scripts."""
    if word.isascii():
        for digraph, letter in LATIN_DIGRAPHS:
            word = word.replace(digraph, letter)
        word = word.translate(LATIN_SKELETON)
    else:
        word = word.translate(PERSIAN_SKELETON)
    return REPEATS.sub(r"\1", word)


def word_runs(tokens: list[str]) -> Iterable[list[str]]:
    """Each run of up to MAX_WORDS words, and each run of single letters (a word spelled out)."""
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + MAX_SPELLED) + 1):
            span = tokens[start:end]
            if len(span) > MAX_WORDS and any(len(token) > 1 for token in span):
                break
            yield span


def spans(tokens: list[str]) -> Iterable[str]:
    """Each run of up to MAX_WORDS words joined without spaces, and each letter-by-letter spelling."""
    for span in word_runs(tokens):
        yield REPEATS.sub(r"\1", "".join(span))


def fold(phrase: str) -> str:
    """The key a filter phrase is stored and matched under."""
    return REPEATS.sub(r"\1", "".join(words(phrase)))


def stems(key: str) -> Iterable[str]:
    """The key itself and the key without each common suffix it ends with."""
    for suffix in SUFFIXES:
        if not suffix:
            yield key
        elif key.endswith(suffix) and len(key) > len(suffix):
            yield key[: -len(suffix)]


def phrase_keys(text: str) -> set[str]:
    """Every key under which a phrase counts as found in `text` (see `fold` for the phrase's own key)."""
    keys: set[str] = set()
    for span in spans(words(text)):
        keys.update(stems(span))
    return keys


# ----- word filters --------------------------------------------------------------------------------------
def filter_words(text: str) -> list[str]:
    """The words of a text as word filters see them: a suffix after a ZWNJ stands apart, any other ZWNJ joins,
    `آ` is kept, letters are not collapsed."""
    return filter_form(ZWNJ_PART.sub(_zwnj_part, LATIN_WORD.sub(_latin_leet, text))).split()


def _zwnj_part(match: re.Match[str]) -> str:
    part = match.group(1)
    return f" {part}" if part in SUFFIX_SET else part


def filter_key(phrase: str) -> str:
    """The key a filter phrase is matched under: its words joined, long runs of one letter collapsed."""
    return LONG_RUNS.sub(r"\1", "".join(filter_words(phrase)))


def _run_variants(key: str) -> tuple[str, ...]:
    """A long run of one letter stands for one or for two of it (`احممممق` → `احمق`, `مممممه` → `ممه`)."""
    if LONG_RUNS.search(key) is None:
        return (key,)
    return LONG_RUNS.sub(r"\1", key), LONG_RUNS.sub(r"\1\1", key)


class Way(StrEnum):
    """How a run of the text's words was read to give a candidate key (the evaluation counts matches by way)."""

    WORD = "one word"  # one word of the text as written
    REPEATS = "repeated letters"  # one word, a long run of one letter read as one or two letters
    SPELLED = "letters spelled out"  # single letters written apart (`ا.ح.م.ق`)
    JOINED = "words joined"  # several words read as one (`بی شعور` for `بیشعور`, `احم ق`)
    SUFFIX = "suffix stripped"  # a suffix glued to a stem of MIN_STEM letters or more taken off


@dataclass(frozen=True)
class Candidate:
    key: str
    way: Way
    words: tuple[str, ...]  # the words of the text it comes from, as `filter_words` sees them


def filter_candidates(text: str) -> Iterable[Candidate]:
    """Every key under which a filter phrase may count as found in `text`, with the way it was read (the
    filters decide which ways each phrase accepts: see bot/moderation/wordfilter.py). A suffix written apart
    (`خر ها`, `خر‌ها`) needs no stripping: the stem is a word of its own."""
    for span in word_runs(filter_words(text)):
        joined = "".join(span)
        words = tuple(span)
        spelled = len(span) > 1 and all(len(token) == 1 for token in span)
        way = Way.WORD if len(span) == 1 else Way.SPELLED if spelled else Way.JOINED
        for key in _run_variants(joined):
            key_way = Way.REPEATS if way is Way.WORD and key != joined else way
            yield Candidate(key, key_way, words)
            if way is Way.SPELLED:
                continue
            for suffix in FILTER_SUFFIXES:
                if key.endswith(suffix) and len(key) - len(suffix) >= MIN_STEM and span[-1] != suffix:
                    yield Candidate(key[: -len(suffix)], Way.SUFFIX, words)
