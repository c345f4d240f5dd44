"""Word filters that see through spelling tricks without inventing words (the folding itself is in
bot/text/phrases.py).

Word lists miss insults written without listed words; reports, the queue and premoderation cover those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.text.phrases import MIN_SKELETON, filter_candidates, filter_key, fold, skeleton

__all__ = ["Filter", "WordFilter", "fold"]


@dataclass(frozen=True)
class Filter:
    kind: str  # banned or suspect
    phrase: str
    folded: str  # the stored key that identifies the filter (`fold`); matching uses `filter_key(phrase)`


class WordFilter:
    """Matches texts against the banned and suspect phrases."""

    def __init__(self, filters: Iterable[Filter] = ()) -> None:
        self.filters: dict[str, Filter] = {}
        self.skeletons: dict[str, Filter] = {}
        for item in filters:
            self.add(item)

    @classmethod
    def of(cls, banned: Iterable[str] = (), suspect: Iterable[str] = ()) -> WordFilter:
        """A filter from phrase lists (the screen command, evaluations)."""
        return cls(
            [Filter("banned", phrase, fold(phrase)) for phrase in banned]
            + [Filter("suspect", phrase, fold(phrase)) for phrase in suspect]
        )

    def add(self, item: Filter) -> None:
        key = filter_key(item.phrase)
        if not key:
            return
        # A phrase that is both banned and suspect counts as banned.
        if key not in self.filters or item.kind == "banned":
            self.filters[key] = item
            shape = skeleton(key)
            if len(shape) >= MIN_SKELETON:
                self.skeletons[shape] = item

    def match(self, text: str) -> Filter | None:
        """The filter the text breaks (a banned one before a suspect one), or None."""
        found: Filter | None = None
        for key in filter_candidates(text):
            hit = self._lookup(key)
            if hit is not None:
                if hit.kind == "banned":
                    return hit
                found = found or hit
        return found

    def _lookup(self, key: str) -> Filter | None:
        if key in self.filters:
            return self.filters[key]
        if key.isascii() and key.isalpha():
            shape = skeleton(key)
            if len(shape) >= MIN_SKELETON and shape in self.skeletons:
                return self.skeletons[shape]
        return None
