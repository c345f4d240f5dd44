"""hazm's word list, indexed for ZWNJ repair: plain words, their tags and frequencies, and ZWNJ spellings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hazm import Normalizer, words_list

from bot.text.chars import ZWNJ


@dataclass(frozen=True)
class Entry:
    frequency: int
    tags: frozenset[str]

    @property
    def real(self) -> bool:
        """hazm's list also holds glued spellings seen in corpora with frequency 0 and tag '0'; those are
        not evidence that a spelling is right (for example `کتابهای`)."""
        return self.tags != frozenset({"0"})


class Lexicon:
    """About 190,000 words; about 13,000 of them are written with a ZWNJ (`رئیس‌جمهور`, `گفت‌وگو`)."""

    def __init__(self, words: Iterable[tuple[str, int, tuple[str, ...]]]) -> None:
        self.plain: dict[str, Entry] = {}
        self.zwnj_forms: dict[str, tuple[str, int]] = {}
        self.zwnj_tags: dict[str, frozenset[str]] = {}
        for word, frequency, tags in words:
            if ZWNJ in word:
                glued = word.replace(ZWNJ, "")
                best = self.zwnj_forms.get(glued)
                # Frequency-0 ZWNJ spellings are corpus noise as well (`نماز‌جمعه`).
                if frequency > 0 and (best is None or best[1] < frequency):
                    self.zwnj_forms[glued] = (word, frequency)
                    self.zwnj_tags[glued] = frozenset(tags)
            else:
                self.plain[word] = Entry(frequency, frozenset(tags))

    @classmethod
    def from_hazm(cls, normalizer: Normalizer) -> Lexicon:
        """Reuse the word list hazm's Normalizer already holds in memory (its private `_words`, a dict of
        word → (frequency, tags)); read it from disk again only if a hazm version lacks it."""
        words = getattr(normalizer, "_words", None)
        if isinstance(words, dict) and words:
            return cls((word, frequency, tags) for word, (frequency, tags) in words.items())
        return cls(words_list())

    def is_word(self, word: str) -> bool:
        entry = self.plain.get(word)
        return entry is not None and entry.real

    def known(self, word: str) -> bool:
        return word in self.plain or word in self.zwnj_forms

    def frequency(self, word: str) -> int:
        entry = self.plain.get(word)
        if entry is not None:
            return entry.frequency
        form = self.zwnj_forms.get(word)
        return form[1] if form else 0

    def has_tag(self, word: str, tag: str) -> bool:
        entry = self.plain.get(word)
        if entry is not None:
            return tag in entry.tags
        return tag in self.zwnj_tags.get(word, ())

    def spelled(self, word: str) -> str:
        """The lexicon's spelling of a known stem: its ZWNJ form when the glued form is not a word."""
        if word in self.zwnj_forms and not self.is_word(word):
            return self.zwnj_forms[word][0]
        return word
