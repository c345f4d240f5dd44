"""Word filters that see through spelling tricks without inventing words (the folding itself is in
bot/text/phrases.py).

What a phrase accepts depends on what it is:
- any phrase is found as a word of the text, with its letters spelled out, or with a long run of one letter
  (`احممممق`);
- any phrase is found with its letters split by a space (`احم ق`, `حرام زاده`, `بی شعور` for `بیشعور`), but
  not across a function word (a conjunction, preposition, pronoun or determiner: `با سن` is not `باسن`,
  `مردی که` not `مردیکه`); the prefixes Persian writes apart (`بی`, `نا`, `می`) begin the next word;
- a phrase that is not an ordinary word is also found with a suffix glued to it (`کسخلی`) and in Finglish
  (`kaskhol`);
- an ordinary Persian word (a common word of hazm's lexicon, or one with a suffix, `خری`, `گاوی`) that a list
  holds as an insult is not: glued to a suffix it is another word (`فارس`, `فارسی`; `بدبخت`, `بدبختی`), and
  its consonants are those of Latin names (`کرم`, `Karim`). Write its inflections in the list (`احمقی`).

Word lists miss insults written without listed words; reports, the queue and premoderation cover those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from bot.text.phrases import (
    LONG_RUNS,
    MIN_SKELETON,
    SUFFIXES,
    Candidate,
    Way,
    filter_candidates,
    filter_key,
    filter_words,
    fold,
    skeleton,
)

__all__ = ["Filter", "Hit", "WordFilter", "fold"]

COMMON_FREQUENCY = 1000  # hazm's frequency from which a word counts as common (as for ZWNJ repair's stems)
SEPARATE_PREFIXES = frozenset({"بی", "نا", "می", "نمی"})  # written apart from the word they begin
# Persian's closed classes (conjunctions, prepositions, pronouns, determiners): words of their own, never a
# piece of a longer word split by a space.
FUNCTION_WORDS = frozenset({
    "و", "یا", "که", "تا", "اگر", "چون", "چه", "هم", "نیز", "اما", "ولی",
    "از", "به", "با", "در", "بر", "برای", "بی", "را",
    "من", "تو", "او", "ما", "شما", "وی", "ایشان", "آنها", "اینها",
    "این", "آن", "همین", "همان", "هر", "هیچ", "یک", "یه",
})  # fmt: skip

IsOrdinary = Callable[[str], bool]


@dataclass(frozen=True)
class Filter:
    kind: str  # banned or suspect
    phrase: str
    folded: str  # the stored key that identifies the filter (`fold`); matching uses `filter_key(phrase)`


@dataclass(frozen=True)
class Hit:
    """A filter found in a text: the words of the text it was found in and how they were read."""

    filter: Filter
    words: tuple[str, ...]
    way: Way | None  # None: Finglish, by consonant skeleton


@dataclass
class _Entry:
    filter: Filter
    ordinary: bool  # an ordinary word (or words): no suffix glued to it, no Finglish
    splits: set[tuple[str, ...]]  # its words as the lists write them (`بی شعور`: two words)


@cache
def hazm_ordinary() -> IsOrdinary:
    """Whether a folded word is a common word of hazm's lexicon, alone or with one of the common suffixes."""
    from bot.text.engine import get_engine  # hazm's lists, loaded once per process

    lexicon = get_engine().lexicon

    def common(word: str) -> bool:
        return lexicon.is_word(word) and lexicon.frequency(word) >= COMMON_FREQUENCY

    def ordinary(word: str) -> bool:
        if common(word):
            return True
        return any(word.endswith(s) and len(word) - len(s) >= 2 and common(word[: -len(s)]) for s in SUFFIXES[1:])

    return ordinary


class WordFilter:
    """Matches texts against the banned and suspect phrases."""

    def __init__(self, filters: Iterable[Filter] = (), ordinary: IsOrdinary | None = None) -> None:
        self._given_ordinary = ordinary  # None: hazm's lexicon, loaded when the first phrase is added
        self.filters: dict[str, _Entry] = {}
        self.skeletons: dict[str, Filter] = {}
        for item in filters:
            self.add(item)

    @classmethod
    def of(
        cls, banned: Iterable[str] = (), suspect: Iterable[str] = (), ordinary: IsOrdinary | None = None
    ) -> WordFilter:
        """A filter from phrase lists (the screen command, evaluations)."""
        return cls(
            [Filter("banned", phrase, fold(phrase)) for phrase in banned]
            + [Filter("suspect", phrase, fold(phrase)) for phrase in suspect],
            ordinary,
        )

    def _ordinary(self, word: str) -> bool:
        return (self._given_ordinary or hazm_ordinary())(word)

    def is_ordinary(self, phrase: str) -> bool:
        """Whether every word of a phrase is an ordinary word: then it is found only as a whole word."""
        words = _with_prefixes(_words(phrase))
        return bool(words) and all(self._ordinary(word) for word in words)

    def add(self, item: Filter) -> None:
        key = filter_key(item.phrase)
        if not key:
            return
        split = _words(item.phrase)
        known = self.filters.get(key)
        # A phrase that is both banned and suspect counts as banned.
        ordinary = self.is_ordinary(item.phrase) and (known is None or known.ordinary)
        if known is not None and (known.filter.kind == "banned" or item.kind != "banned"):
            entry = known
            entry.splits.add(split)
            entry.ordinary = ordinary
        else:
            entry = self.filters[key] = _Entry(item, ordinary, {split} | (known.splits if known else set()))
        shape = skeleton(key)
        if not entry.ordinary and len(shape) >= MIN_SKELETON:
            self.skeletons[shape] = entry.filter

    def match(self, text: str) -> Filter | None:
        """The filter the text breaks (a banned one before a suspect one), or None."""
        hit = self.explain(text)
        return hit.filter if hit else None

    def explain(self, text: str) -> Hit | None:
        """The filter the text breaks, with the words it was found in and how they were read."""
        found: Hit | None = None
        for candidate in filter_candidates(text):
            hit = self._lookup(candidate)
            if hit is not None:
                if hit.filter.kind == "banned":
                    return hit
                found = found or hit
        return found

    def _lookup(self, candidate: Candidate) -> Hit | None:
        entry = self.filters.get(candidate.key)
        if entry is not None and self._accepts(entry, candidate):
            return Hit(entry.filter, candidate.words, candidate.way)
        key = candidate.key
        if key.isascii() and key.isalpha():
            shape = skeleton(key)
            if len(shape) >= MIN_SKELETON and shape in self.skeletons:
                return Hit(self.skeletons[shape], candidate.words, None)
        return None

    def _accepts(self, entry: _Entry, candidate: Candidate) -> bool:
        way, words = candidate.way, candidate.words
        if way in (Way.WORD, Way.REPEATS, Way.SPELLED):
            return True
        if way is Way.JOINED and _collapsed(words) in entry.splits:
            return True  # the phrase word for word
        if way is Way.SUFFIX and entry.ordinary:
            return False  # an ordinary word with a suffix is another word (فارس, فارسی)
        # A word split by a space is read whole (`حرام زاده`, `احم ق`), but not across a function word: `مردی که`
        # and `با سن` are two words, not `مردیکه` and `باسن`. A prefix written apart begins the next word.
        last = len(words) - 1
        return not any(
            word in FUNCTION_WORDS and not (word in SEPARATE_PREFIXES and i < last) for i, word in enumerate(words)
        )


def _words(phrase: str) -> tuple[str, ...]:
    return _collapsed(filter_words(phrase))


def _with_prefixes(words: tuple[str, ...]) -> list[str]:
    """The words with each prefix written apart joined to the next (`بی شعور` is one word, `بیشعور`)."""
    out: list[str] = []
    glue = False
    for word in words:
        if glue:
            out[-1] += word
        else:
            out.append(word)
        glue = word in SEPARATE_PREFIXES
    return out


def _collapsed(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(LONG_RUNS.sub(r"\1", word) for word in words)
