"""ZWNJ (نیم‌فاصله) repair for text whose half-spaces were stripped: `رئیسجمهور` → `رئیس‌جمهور`.

hazm's Normalizer restores `می` verbs and joins some space-separated affixes, but not glued compounds or
suffixes. This module repairs each glued word with hazm's lexicon plus rules for plural, comparative and
pronoun suffixes. Every rule prefers leaving a word alone over guessing: a wrong ZWNJ is worse than a
missing one, and editors differ on many compounds (`همزمان` / `هم‌زمان`), so those are left as typed.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from hazm import Stemmer

from bot.text.chars import LETTERS, NON_JOINING, ZWNJ
from bot.text.lexicon import Lexicon

PLURAL = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "هاست", "های", "ها")
COMPARATIVE = ("ترین", "تری", "تر")
# Suffixes written with a ZWNJ after a final silent ه: خانه‌ای، نامه‌اش، شده‌اند، گفته‌است.
AFTER_HEH = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند", "است")
# Second parts of compounds that editors separate with a ZWNJ.
SECOND_PARTS = (
    "شده", "دهنده", "دهندگان", "دهی", "ماهه", "ساله", "گانه", "سازی", "ساز", "گذاری", "گذار", "کننده",
    "کنندگان", "کنندگی", "گیری", "گیر", "رسانی", "پذیر", "پذیری", "ناپذیر", "آمیز", "انگیز", "نژاد",
    "زاده", "پور", "نامه", "وری", "آوری", "آوران",
)  # fmt: skip
PREFIXES = ("به", "بی")
PLURAL_PRONOUNS = frozenset({"آنها", "اینها", "آنهایی", "اینهایی"})
# Words after which a glued `...های` is read as `...ه‌ای` (indefinite/relational) rather than a plural.
INDEFINITE_CONTEXT = frozenset(
    "از که را است بود شد نیز هم با در به برای و یا می نمی دارد داشت ندارد باشد بودند هستند".split()  # noqa: SIM905
)
MIN_STEM_FREQUENCY = 1000
MIN_COMPOUND_FREQUENCY = 100_000
AMBIGUITY_RATIO = 10

TOKEN = re.compile(f"[{LETTERS}{ZWNJ}]+")
NEXT_WORD = re.compile(f"\\s*([{LETTERS}]+)")


class ZwnjRepairer:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.stemmer = Stemmer()
        # Each distinct (word, next word) is repaired once per process.
        self.repair_word = lru_cache(maxsize=200_000)(self._repair_word)

    def repair(self, text: str) -> str:
        """Restore missing ZWNJs word by word; words that already have one are trusted."""
        out, position = [], 0
        for match in TOKEN.finditer(text):
            word = match.group()
            out.append(text[position : match.start()])
            if ZWNJ in word or len(word) < 3:
                out.append(word)
            else:
                following = NEXT_WORD.match(text, match.end())
                out.append(self.repair_word(word, following.group(1) if following else ""))
            position = match.end()
        out.append(text[position:])
        return "".join(out)

    def _join(self, left: str, right: str) -> str:
        return left + ("" if left[-1] in NON_JOINING else ZWNJ) + right

    def _repair_word(self, word: str, next_word: str = "", depth: int = 0) -> str:
        lex = self.lexicon
        if lex.is_word(word) or word in PLURAL_PRONOUNS:
            return word
        if word in lex.zwnj_forms and self._confident_compound(word, lex.zwnj_forms[word][0]):
            return lex.zwnj_forms[word][0]
        # An ezafe or indefinite ی after a known word: انتهای، بیشتری، دریای.
        if word.endswith("ی") and (lex.is_word(word[:-1]) or word[:-1] in lex.zwnj_forms):
            return lex.spelled(word[:-1]) + "ی"
        candidates = self._suffix_candidates(word, depth)
        if depth == 0:
            candidates += self._prefix_candidates(word)
        if not candidates and not self._inflection_of_known_word(word):
            candidates += self._compound_candidates(word)
        if not candidates:
            return word
        kinds = {kind for _, _, kind in candidates}
        if "heh" in kinds and "plural" in kinds:
            candidates = self._resolve_heh_or_plural(candidates, next_word)
        return max(candidates, key=lambda c: c[0])[1]

    def _confident_compound(self, glued: str, form: str) -> bool:
        """Whether to restore a lexicon ZWNJ spelling. hazm's list also records glued spellings its corpus
        saw (`پیشگیری` beside `پیش‌گیری`): editors glue those, so they are left alone, except where the ZWNJ
        is all but universal: after a final ه, before ا/آ/و (`گفت‌وگو`), after the prefix بی."""
        if glued not in self.lexicon.plain:
            return True
        parts = form.split(ZWNJ)
        return all(left[-1] == "ه" or right[0] in "اآو" or left == "بی" for left, right in itertools.pairwise(parts))

    def _stem_ok(self, stem: str, depth: int) -> bool:
        return self.lexicon.known(stem) or (depth == 0 and self._repair_word(stem, "", 1) != stem)

    def _suffix_candidates(self, word: str, depth: int) -> list[tuple[int, str, str]]:
        lex = self.lexicon
        found: list[tuple[int, str, str]] = []
        for suffix in PLURAL:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 2 and self._stem_ok(stem, depth):
                found.append(
                    (lex.frequency(stem) + 1, self._join(self._repair_word(stem, "", depth + 1), suffix), "plural")
                )
        for suffix in COMPARATIVE:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 2 and lex.has_tag(stem, "AJ"):
                found.append((lex.frequency(stem) + 1, self._join(lex.spelled(stem), suffix), "comparative"))
        for suffix in AFTER_HEH:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and stem.endswith("ه") and len(stem) >= 3 and self._stem_ok(stem, depth):
                found.append(
                    (lex.frequency(stem) + 1, self._join(self._repair_word(stem, "", depth + 1), suffix), "heh")
                )
        for second in SECOND_PARTS:
            stem = word[: -len(second)]
            if word.endswith(second) and len(stem) >= 2 and lex.frequency(stem) >= MIN_STEM_FREQUENCY:
                found.append((lex.frequency(stem) + 1, self._join(lex.spelled(stem), second), "compound"))
        return found

    def _prefix_candidates(self, word: str) -> list[tuple[int, str, str]]:
        found = []
        for prefix in PREFIXES:
            rest = word[len(prefix) :]
            if not word.startswith(prefix) or len(rest) < 3 or self.lexicon.frequency(rest) < MIN_STEM_FREQUENCY:
                continue
            if prefix == "بی" and rest[0] == "ا":  # بیاید، بیابد are verbs, not بی + ...
                continue
            found.append((self.lexicon.frequency(rest) + 1, prefix + ZWNJ + rest, "prefix"))
        return found

    def _compound_candidates(self, word: str) -> list[tuple[int, str, str]]:
        """Two frequent words glued after a final ه or ی (`همشهریآنلاین`); elsewhere editors glue too often."""
        lex = self.lexicon
        best: tuple[int, str, str] | None = None
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left[-1] not in "هی" or not (lex.is_word(left) and lex.is_word(right)):
                continue
            score = min(lex.frequency(left), lex.frequency(right))
            if score >= MIN_COMPOUND_FREQUENCY and (best is None or score > best[0]):
                best = (score, left + ZWNJ + right, "compound")
        return [best] if best else []

    def _inflection_of_known_word(self, word: str) -> bool:
        """True for inflected forms of a known word (بازیکنان، تابستانی): they are words, not compounds.
        (hazm's Lemmatizer would also tell, but costs about 100 MB and changed nothing measured.)"""
        stem = self.stemmer.stem(word)
        return stem != word and self.lexicon.is_word(stem)

    @staticmethod
    def _resolve_heh_or_plural(candidates: list[tuple[int, str, str]], next_word: str) -> list[tuple[int, str, str]]:
        """`مجموعهای` is `مجموعه‌ای` or `مجموع‌های`: the next word and the stems' frequencies decide."""
        heh = max(c[0] for c in candidates if c[2] == "heh")
        plural = max(c[0] for c in candidates if c[2] == "plural")
        if not next_word or next_word in INDEFINITE_CONTEXT or heh > AMBIGUITY_RATIO * plural:
            wanted = "heh"
        else:
            wanted = "plural"
        return [c for c in candidates if c[2] == wanted]
