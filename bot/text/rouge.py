"""ROUGE-1/2/L F-scores with a Persian-aware tokenizer.

The common rouge-score package keeps only [a-z0-9] tokens, so it scores any Persian text as 0. Here both
texts go through the matching form first (letters folded, ZWNJ removed, digits unified), so that a
summary is not punished for a different but equivalent spelling.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.text.normalize import matching_form


def tokens(text: str) -> list[str]:
    return matching_form(text).split()


@dataclass(frozen=True)
class Rouge:
    rouge1: float
    rouge2: float
    rougeL: float


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge(candidate: str, reference: str) -> Rouge:
    cand, ref = tokens(candidate), tokens(reference)
    scores = []
    for n in (1, 2):
        c, r = _ngrams(cand, n), _ngrams(ref, n)
        scores.append(_f1(sum((c & r).values()), sum(c.values()), sum(r.values())))
    return Rouge(scores[0], scores[1], _f1(_lcs(cand, ref), len(cand), len(ref)))
