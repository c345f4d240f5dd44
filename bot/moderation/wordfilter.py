"""Word filters that see through spelling tricks (the folding itself is in bot/text/phrases.py).

Word lists miss insults written without listed words; reports, the queue and premoderation cover those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.text.phrases import MIN_SKELETON, fold, skeleton, spans, stems, words

__all__ = ["Filter", "WordFilter", "fold"]


@dataclass(frozen=True)
class Filter:
    kind: str  # banned or suspect
    phrase: str
    folded: str


class WordFilter:
    """Matches texts against the banned and suspect phrases."""

    def __init__(self, filters: Iterable[Filter] = ()) -> None:
        self.filters: dict[str, Filter] = {}
        self.skeletons: dict[str, Filter] = {}
        for item in filters:
            self.add(item)

    def add(self, item: Filter) -> None:
        if not item.folded:
            return
        # A phrase that is both banned and suspect counts as banned.
        if item.folded not in self.filters or item.kind == "banned":
            self.filters[item.folded] = item
            shape = skeleton(item.folded)
            if len(shape) >= MIN_SKELETON:
                self.skeletons[shape] = item

    def match(self, text: str) -> Filter | None:
        """The filter the text breaks (a banned one before a suspect one), or None."""
        found: Filter | None = None
        for key in spans(words(text)):
            hit = self._lookup(key)
            if hit is not None:
                if hit.kind == "banned":
                    return hit
                found = found or hit
        return found

    def _lookup(self, key: str) -> Filter | None:
        for stem in stems(key):
            if stem in self.filters:
                return self.filters[stem]
        if key.isascii() and key.isalpha():
            shape = skeleton(key)
            if len(shape) >= MIN_SKELETON and shape in self.skeletons:
                return self.skeletons[shape]
        return None
