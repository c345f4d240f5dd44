"""3 to 5 keywords of an article as Telegram hashtags (`#رئیس_جمهور`: no ZWNJ or space inside a hashtag).

A keyword is a word or a two-word phrase of the article, scored by how often the article uses it, how
informative it is in general Persian (rare words in hazm's corpus count more than common ones) and
whether the title has it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from bot.text.chars import LETTERS, ZWNJ
from bot.text.lexicon import Lexicon
from bot.text.normalize import matching_form
from bot.text.terms import TermExtractor

MIN_TAGS = 3
MAX_TAGS = 5
KEEP_RATIO = 0.5
TITLE_BONUS = 2.0
WORD = re.compile(f"[{LETTERS}{ZWNJ}]+|[A-Za-z][A-Za-z0-9]+")
NOT_IN_TAG = re.compile(r"[^\w]+")


@dataclass
class _Candidate:
    key: tuple[str, ...]
    surfaces: Counter[str]
    count: int = 0
    in_title: bool = False


def as_hashtag(phrase: str) -> str:
    """`رئیس‌جمهور` → `#رئیس_جمهور`: Telegram ends a hashtag at a ZWNJ or a space."""
    body = NOT_IN_TAG.sub("_", phrase.replace(ZWNJ, "_")).strip("_")
    return f"#{body}" if body and not body.isdigit() else ""


class HashtagExtractor:
    def __init__(self, lexicon: Lexicon, terms: TermExtractor) -> None:
        self.lexicon = lexicon
        self.terms = terms
        self.total = sum(entry.frequency for entry in lexicon.plain.values()) or 1

    def informativeness(self, word: str) -> float:
        return math.log(self.total / (self.lexicon.frequency(word) + 1000))

    def _tokens(self, text: str) -> list[tuple[str, str | None]]:
        """(surface, stem) per word; stem is None for stopwords and numbers (they break phrases)."""
        out = []
        for surface in WORD.findall(text):
            key = matching_form(surface)
            usable = len(key) > 1 and not key.isdigit() and key not in self.terms.stopwords
            out.append((surface, self.terms.stem(key) if usable else None))
        return out

    def extract(self, title: str, body: str) -> list[str]:
        candidates: dict[tuple[str, ...], _Candidate] = {}
        for text, in_title in ((title, True), (body, False)):
            tokens = self._tokens(text)
            for i, (surface, stem) in enumerate(tokens):
                if stem is None:
                    continue
                spans = [((stem,), surface)]
                if i + 1 < len(tokens) and tokens[i + 1][1] is not None:
                    spans.append(((stem, tokens[i + 1][1]), f"{surface} {tokens[i + 1][0]}"))
                for key, shown in spans:
                    candidate = candidates.setdefault(key, _Candidate(key, Counter()))
                    candidate.surfaces[shown] += 1
                    candidate.count += 1
                    candidate.in_title = candidate.in_title or in_title
        scored = []
        for candidate in candidates.values():
            if len(candidate.key) == 2 and candidate.count < 2:
                continue  # a phrase must recur to be a keyword
            info = sum(self.informativeness(k) for k in candidate.key) / len(candidate.key)
            score = math.log1p(candidate.count) * max(info, 0.1) * (TITLE_BONUS if candidate.in_title else 1.0)
            if len(candidate.key) == 2:
                score *= 1.2
            scored.append((score, candidate))
        scored.sort(key=lambda item: (-item[0], item[1].key))
        chosen: list[tuple[float, _Candidate]] = []
        used_stems: set[str] = set()
        for score, candidate in scored:
            if len(chosen) >= MAX_TAGS or (len(chosen) >= MIN_TAGS and score < KEEP_RATIO * chosen[0][0]):
                break
            if used_stems & set(candidate.key):
                continue
            chosen.append((score, candidate))
            used_stems.update(candidate.key)
        tags = []
        for _, candidate in chosen:
            tag = as_hashtag(candidate.surfaces.most_common(1)[0][0])
            if tag and tag not in tags:
                tags.append(tag)
        return tags


def tag_overlap(ours: list[str], editors: list[str]) -> tuple[int, int]:
    """(our tags that match an editor's tag, editor tags matched): equal or contained matching keys."""

    def key(tag: str) -> str:
        return matching_form(tag.lstrip("#").replace("_", " ")).replace(" ", "")

    ours_keys = [key(t) for t in ours]
    editor_keys = [key(t) for t in editors if key(t)]
    matched_ours = sum(any(o and (o in e or e in o) for e in editor_keys) for o in ours_keys)
    matched_editors = sum(any(o and (o in e or e in o) for o in ours_keys) for e in editor_keys)
    return matched_ours, matched_editors
