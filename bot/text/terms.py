"""Content terms of a text (stems of non-stopwords in the matching form), shared by summaries and hashtags."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from hazm import Stemmer, stopwords_list

from bot.text.normalize import matching_form


class SuffixStemmer:
    """hazm's Stemmer, same stems: it tries its 30 suffixes longest first with `endswith`; the longest suffix a
    word ends with is found here by looking its last 6, 5, ... 1 characters up in a set."""

    def __init__(self) -> None:
        self.ends = frozenset(Stemmer().ends)
        self.longest = max(map(len, self.ends))

    def stem(self, word: str) -> str:
        for size in range(min(self.longest, len(word)), 0, -1):
            if word[-size:] in self.ends:
                if size > 1 or len(word) > 3:  # hazm keeps a one-letter suffix on a word of three letters or less
                    word = word[:-size]
                break
        if word.endswith("ۀ"):
            word = word[:-1] + "ه"
        if word.endswith("\u200c"):
            word = word[:-1]
        return word


class TermExtractor:
    def __init__(self) -> None:
        self.stopwords = frozenset(matching_form(word) for word in stopwords_list())
        self._stemmer = SuffixStemmer()
        self.stem = lru_cache(maxsize=100_000)(self._stemmer.stem)

    def content_words(self, text: str) -> list[str]:
        """Matching-form words that carry meaning: no stopwords, numbers or single letters."""
        return self.content_of(matching_form(text).split())

    def content_of(self, words: list[str]) -> list[str]:
        """The same, for words already in the matching form."""
        return [w for w in words if len(w) > 1 and not w.isdigit() and w not in self.stopwords]

    def terms(self, text: str) -> list[str]:
        return [self.stem(word) for word in self.content_words(text)]


def idf_over(documents: Iterable[list[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency, with the sentences of one article as its documents."""
    documents = list(documents)
    counts = Counter(term for document in documents for term in set(document))
    n = len(documents)
    return {term: math.log((n + 1) / (count + 0.5)) + 1 for term, count in counts.items()}


def cosine(a: list[str], b: list[str], idf: dict[str, float]) -> float:
    """Cosine similarity of two term lists under TF-IDF weights."""
    if not a or not b:
        return 0.0
    ca, cb = Counter(a), Counter(b)
    dot = sum(ca[t] * cb[t] * idf.get(t, 1.0) ** 2 for t in ca.keys() & cb.keys())
    if not dot:
        return 0.0
    na = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in ca.items()))
    nb = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in cb.items()))
    return dot / (na * nb)
