"""3 to 5 keywords of an article as Telegram hashtags (`#رئیس_جمهور`: no ZWNJ or space inside a hashtag).

A keyword is what a Persian editor would tag: a noun or a name, never a verb form (`#باشید`, `#نداشت`,
`#می_فرماید`: the forms of hazm's verb list, the light-verb parts of compound verbs such as `انجام شد`), an
ordinal (`#پنجمین`) or a piece of a name (`#آرین` of `آرین روبن`): two or three words that the article keeps
together are one keyword. Keywords are scored by how often the article uses them, how informative they are
in general Persian (rare words in hazm's corpus count more than common ones) and whether the title has them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from hazm.utils import verbs_list

from bot.text.chars import LETTERS, ZWNJ
from bot.text.lexicon import Lexicon
from bot.text.normalize import matching_form
from bot.text.tag_prior import TagPrior
from bot.text.terms import TermExtractor

MIN_TAGS = 3
MAX_TAGS = 5
KEEP_RATIO = 0.7
TITLE_BONUS = 2.0
WORD = re.compile(f"[{LETTERS}{ZWNJ}]+|[A-Za-z][A-Za-z0-9]+")
NOT_IN_TAG = re.compile(r"[^\w]+")
MAX_PHRASE = 3
# A phrase is a name when the article keeps its words together: most uses of its rarer word are in it.
COHESION = 0.6
# How much a phrase that editors often make a tag (its keyphraseness, 0..1) counts over its text score.
PRIOR_WEIGHT = 12.0
# A word stands for a learned full name (`رئال` → `رئال مادرید`) only in a headline, and only when it is rare
# in general Persian: `استقلال` (independence), `سردار` (a general), `ریال` (the currency) stay words.
ALIAS_MAX_FREQUENCY = 1_000_000

# Verb forms, from hazm's list of verbs (past#present stems): prefixes, stems, person endings.
VERB_PREFIXES = ("نمی", "می", "ن", "ب", "")
PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند", "ه")
PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
# Light verbs of compound verbs (`انجام شد`, `برگزار می‌کند`, `عنوان کرد`): the noun before them is the verb's.
LIGHT_VERB_STEMS = {"کرد", "کن", "شد", "شو", "نمود", "نما", "گردید", "گرد", "داد", "ده", "گرفت", "گیر", "یافت", "یاب"}
# Ordinals: a number word with م/مین (`سوم`, `پنجمین`, `سی‌وهشتمین`), and the ordinal words.
NUMBER_WORDS = (
    "یک|دو|سه|چهار|پنج|شش|هفت|هشت|نه|ده|یازده|دوازده|سیزده|چهارده|پانزده|شانزده|هفده|هجده|هیجده|نوزده|"
    "بیست|سی|چهل|پنجاه|شصت|هفتاد|هشتاد|نود|صد|یکصد|دویست|سیصد|چهارصد|پانصد|ششصد|هفتصد|هشتصد|نهصد|هزار|میلیون"
)
ORDINAL = re.compile(
    rf"^(?:(?:{NUMBER_WORDS})(?:[\s{ZWNJ}]*و[\s{ZWNJ}]*)?)*(?:{NUMBER_WORDS}|سو|[0-9۰-۹]+)(?:م|ام|مین|امین|[{ZWNJ}]مین)$"
    rf"|^(?:اول|اولین|نخست|نخستین|آخرین|واپسین|دومی|سومی|{NUMBER_WORDS}|میلیارد|هزاران|صدها|ده‌ها)$"
)
# `X و Y` is one keyword when the article keeps it together (`آموزش و پرورش`, `حمل و نقل`).
AND = "و"


@dataclass
class _Candidate:
    key: tuple[str, ...]
    surfaces: Counter[str]
    count: int = 0
    in_title: bool = False
    body_count: int = 0


def as_hashtag(phrase: str) -> str:
    """`رئیس‌جمهور` → `#رئیس_جمهور`: Telegram ends a hashtag at a ZWNJ or a space."""
    body = NOT_IN_TAG.sub("_", phrase.replace(ZWNJ, "_")).strip("_")
    return f"#{body}" if body and not body.isdigit() else ""


class VerbForms:
    """Whether a word is a form of one of hazm's verbs (`آمدم`, `نداشت`, `باشید`, `می‌فرماید`): the same
    stems hazm's Lemmatizer conjugates (it reports them as `past#present`), looked up on demand instead of
    conjugating all 700 verbs into 350,000 forms at start-up."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.past: set[str] = set()
        self.present: set[str] = set()
        for verb in verbs_list():
            past, _, present = verb.partition("#")
            self.past.update(p for p in (past.strip(),) if len(p) > 1)
            self.present.update(p for p in (present.split(" ")[0].strip(),) if len(p) > 1)
        self.stem = lru_cache(maxsize=50_000)(self._stem)

    def _stem(self, word: str) -> str | None:
        """The verb stem of a verb form, or None."""
        word = word.replace(ZWNJ, "")
        for prefix in VERB_PREFIXES:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            if rest.startswith("نیست") and rest[4:] in PAST_ENDINGS:
                return "نیست"
            for ending in PAST_ENDINGS:
                stem = rest[: len(rest) - len(ending)] if ending else rest
                if rest.endswith(ending) and stem in self.past:
                    return stem
            for ending in PRESENT_ENDINGS if prefix or len(rest) > 3 else ():
                stem = rest[: -len(ending)]
                if rest.endswith(ending) and stem in self.present:
                    return stem
            if prefix in ("ب", "ن", "می", "نمی") and rest in self.present:
                return rest  # `بخوان`, `نکن`, `می‌رو`...
            if prefix == "ب" and rest.startswith("ی") and rest[1:] in self.present:
                return rest[1:]  # `بیاید`
        return None

    def is_verb(self, word: str) -> bool:
        """A verb form that is not also a word of the lexicon (`بازی` is a noun, though `باز` is a stem)."""
        if self.lexicon.is_word(word) or self.lexicon.is_word(word.replace(ZWNJ, "")):
            return word.startswith(("می" + ZWNJ, "نمی" + ZWNJ)) and self.stem(word) is not None
        return self.stem(word) is not None


class HashtagExtractor:
    def __init__(self, lexicon: Lexicon, terms: TermExtractor, prior: TagPrior | None = None) -> None:
        self.lexicon = lexicon
        self.terms = terms
        self.prior = TagPrior.load() if prior is None else prior
        self.verbs = VerbForms(lexicon)
        # Words recur across articles: each word's matching form and verdict are computed once.
        self.fold = lru_cache(maxsize=200_000)(matching_form)
        self._word = lru_cache(maxsize=200_000)(self._analyse)
        self.total = sum(entry.frequency for entry in lexicon.plain.values()) or 1

    def informativeness(self, word: str) -> float:
        return math.log(self.total / (self.lexicon.frequency(word) + 1000))

    def is_keyword_word(self, surface: str) -> bool:
        """A word that can be (part of) a hashtag: not a verb form, an ordinal, nor a word the lexicon
        knows only as something other than a noun (an adverb, a preposition)."""
        if self.verbs.is_verb(surface) or ORDINAL.match(surface.replace(ZWNJ, "")):
            return False
        entry = self.lexicon.plain.get(surface)
        return entry is None or not entry.real or "N" in entry.tags or "AJ" in entry.tags

    def _tokens(self, text: str) -> list[tuple[str, str | None]]:
        """(surface, stem) per word; stem is None where a keyword cannot be: stopwords, numbers, verbs,
        ordinals (they also break phrases)."""
        return [self._word(surface) for surface in WORD.findall(text)]

    def _analyse(self, surface: str) -> tuple[str, str | None]:
        key = self.fold(surface)
        usable = (
            len(key) > 1
            and not key.isdigit()
            and key not in self.terms.stopwords
            and key.replace(" ", "") not in self.terms.stopwords
            and self.is_keyword_word(surface)
        )
        return self._without_ezafe(surface), self.terms.stem(key) if usable else None

    def _without_ezafe(self, surface: str) -> str:
        """`هوای` (هوا + the ezafe's ی, as in `هوای تهران`) is shown as `هوا` when that is a word."""
        ezafe = len(surface) > 3 and surface[-2:] in ("ای", "وی") and not self.lexicon.is_word(surface)
        return surface[:-1] if ezafe and self.lexicon.is_word(surface[:-1]) else surface

    def _light_verb_parts(self, tokens: list[tuple[str, str | None]]) -> set[str]:
        """Stems used mostly right before a light verb: the noun of a compound verb (`انجام شد`)."""
        before: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for i, (_, stem) in enumerate(tokens):
            if stem is None:
                continue
            total[stem] += 1
            if i + 1 < len(tokens):
                following = tokens[i + 1][0]
                if following in ("شد", "کرد", "است") or self.verbs.stem(following) in LIGHT_VERB_STEMS:
                    before[stem] += 1
        return {stem for stem, n in before.items() if n >= 0.5 * total[stem]}

    def extract(self, title: str, body: str) -> list[str]:
        candidates: dict[tuple[str, ...], _Candidate] = {}
        texts = [(self._tokens(title), True), (self._tokens(body), False)]
        verb_parts = self._light_verb_parts(texts[0][0] + [("", None)] + texts[1][0])
        for tokens, in_title in texts:
            for i, (surface, stem) in enumerate(tokens):
                if stem is None or stem in verb_parts:
                    continue
                words, stems = [surface], [stem]
                spans: list[tuple[tuple[str, ...], str]] = [((stem,), surface)]
                for j in range(i + 1, min(i + MAX_PHRASE, len(tokens))):
                    if tokens[j][1] is None:
                        if j == i + 1 and tokens[j][0] == AND and j + 1 < len(tokens) and tokens[j + 1][1]:
                            words.append(AND)  # `آموزش و پرورش`: the next word completes the phrase
                            stems.append(AND)
                            continue
                        break
                    words.append(tokens[j][0])
                    stems.append(tokens[j][1] or "")
                    if stems[-2] != AND or len(stems) == 3:
                        spans.append((tuple(stems), " ".join(words)))
                for key, shown in spans:
                    candidate = candidates.get(key)
                    if candidate is None:  # (setdefault would build a Candidate for every occurrence)
                        candidate = candidates[key] = _Candidate(key, Counter())
                    candidate.surfaces[shown] += 1
                    candidate.count += 1
                    candidate.body_count += not in_title
                    candidate.in_title = candidate.in_title or in_title
        scored = []
        for candidate in candidates.values():
            score = self._score(candidate, candidates)
            if score is not None:
                scored.append((score * (1 + PRIOR_WEIGHT * self._as_editors_tag(candidate)), candidate))
        scored.sort(key=lambda item: (-item[0], item[1].key))
        chosen: list[tuple[float, _Candidate]] = []
        used_stems: set[str] = set()
        for score, candidate in scored:
            if len(chosen) >= MAX_TAGS or (len(chosen) >= MIN_TAGS and score < KEEP_RATIO * chosen[0][0]):
                break
            if used_stems & set(candidate.key):
                continue
            chosen.append((score, candidate))
            used_stems.update(k for k in candidate.key if k != AND)
        tags = []
        for _, candidate in chosen:
            tag = as_hashtag(candidate.surfaces.most_common(1)[0][0])
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def _as_editors_tag(self, candidate: _Candidate) -> float:
        """How often editors tag this phrase; a word of a name editors tag whole (`رئال`) is shown as the
        name (`رئال مادرید`)."""
        surface = candidate.surfaces.most_common(1)[0][0]
        key = " ".join(self.fold(word) for word in surface.split())
        name = self.prior.aliases.get(key) if candidate.in_title else None
        if name is not None and self.lexicon.frequency(surface) <= ALIAS_MAX_FREQUENCY:
            shown = self.prior.shown(name)
            if shown:
                candidate.surfaces = Counter({shown: 1})
            return self.prior.keyphraseness(name)
        return self.prior.keyphraseness(key)

    def _score(self, candidate: _Candidate, candidates: dict[tuple[str, ...], _Candidate]) -> float | None:
        """A keyword's score, or None when it is not one: a phrase must recur and hold together (a name such
        as `جام جهانی` is ranked above its words, which then are not keywords of their own)."""
        words = [k for k in candidate.key if k != AND] or list(candidate.key)
        if len(candidate.key) > 1:  # the cheap refusals first: most phrases occur once
            # The body often repeats the headline: a phrase must recur in the body itself.
            if candidate.body_count < 2:
                return None
            parts = [candidates[(k,)].body_count for k in words if (k,) in candidates]
            if len(parts) < len(words) or candidate.body_count < COHESION * min(parts):
                return None
            shorter = candidates.get(candidate.key[:-1])
            if len(candidate.key) == 3 and shorter is not None and candidate.body_count < COHESION * shorter.body_count:
                return None
        info = sum(self.informativeness(k) for k in words) / len(words)
        base = math.log1p(candidate.count) * max(info, 0.1) * (TITLE_BONUS if candidate.in_title else 1.0)
        if len(candidate.key) == 1:
            return base
        bonus = TITLE_BONUS if candidate.in_title else 1.0
        best_part = bonus * max(math.log1p(candidates[(k,)].count) * max(self.informativeness(k), 0.1) for k in words)
        return max(base, best_part) * (1.0 + 0.05 * len(words))


def tag_overlap(ours: list[str], editors: list[str]) -> tuple[int, int]:
    """(our tags that match an editor's tag, editor tags matched): equal or contained matching keys."""

    def key(tag: str) -> str:
        return matching_form(tag.lstrip("#").replace("_", " ")).replace(" ", "")

    ours_keys = [key(t) for t in ours]
    editor_keys = [key(t) for t in editors if key(t)]
    matched_ours = sum(any(o and (o in e or e in o) for e in editor_keys) for o in ours_keys)
    matched_editors = sum(any(o and (o in e or e in o) for o in ours_keys) for e in editor_keys)
    return matched_ours, matched_editors
