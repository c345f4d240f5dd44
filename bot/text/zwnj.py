"""ZWNJ (نیم‌فاصله) repair for text whose half-spaces were stripped: `رئیسجمهور` → `رئیس‌جمهور`.

hazm's Normalizer restores `می` verbs at the start of a word and joins some space-separated affixes, but not
glued compounds or suffixes. This module repairs each glued word from evidence in hazm's word and verb
lists. The first rule is to do no harm: a word that is right as written is never changed.

- A word hazm's list knows as it is written stays (`کلینیک`, `تنهایی`, `اینکه`), and so does any word that
  reads as a known word plus a suffix written glued (`روزهای`, `بیشترین`, `برخیزید`).
- A glued word is split only into parts the lexicon knows: a known stem and a suffix (`کتاب‌ها`,
  `خانه‌ای`, `هنری‌اش`), a verb form hazm conjugates (`برمی‌گردد`, `نمی‌توان`), a ZWNJ spelling the list
  records (`رئیس‌جمهور`), a known word after `بی`/`به` (`بی‌صبرانه`, `به‌راحتی`), or a known word before a
  second part that hazm's compounds use (`علاقه‌مندان`). Two known words that merely abut are no evidence
  (`یکهزار` is not `یکه‌زار`).
- `Xهای` reads as `X‌های` (plural) or `Xه‌ای` (indefinite, relational): the two whole forms are weighed by
  the grammar of the next word (a plural's ezafe cannot stand before `از`, `که`, `را`...), by hazm's list of
  `ه‌ای` words and by how much more frequent one stem is; a number or a punctuation mark after the word tells
  nothing. Without clear evidence the word is left as typed.
- Where editors glue a compound as often as not (`پاکسازی`, `همزمان`), the word stays as typed.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import lru_cache
from typing import NamedTuple

from hazm import Stemmer

from bot.text.chars import LETTERS, NON_JOINING, ZWNJ
from bot.text.lexicon import Lexicon

PLURAL = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "هاست", "های", "ها")
COMPARATIVE = ("ترین", "تری", "تر")
# Suffixes written with a ZWNJ after a final silent ه: خانه‌ای، نامه‌اش، شده‌اند، گفته‌است.
AFTER_HEH = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند", "است")
# Clitics written with a ZWNJ after a final ی: زندگی‌ام، هنری‌اش، سنتی‌ای.
AFTER_YE = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند")
# Suffixes written glued after a consonant: a known word plus one of them is right as it is written.
GLUED = ("ی", "یی", "ین", "ان", "انی", "ات", "م", "ت", "ش", "مان", "تان", "شان", "یم", "ید", "ند", "یش", "یت")
# Glued after a word hazm spells with a ZWNJ: دانش‌آموزان، رئیس‌جمهوری.
AFTER_COMPOUND = ("ی", "یی", "ان", "انی", "ین", "ش", "م", "ت", "مان", "تان", "شان")
# The plural-or-indefinite pairs: Xهای is X‌های or Xه‌ای; Xهاست is X‌هاست or Xه‌است; Xهایم likewise.
HEH_OR_PLURAL = {"های": "ای", "هاست": "است", "هایم": "ایم"}
PREFIXES = ("بی", "به")
PREVERBS = ("بر", "باز", "در", "فرو", "فرا", "ور", "وا")
# Verb clitics after a participle that no plural form shares: کرده‌اند, not کرد‌هاند.
PERFECT_ONLY = ("ه‌اند", "ه‌ایم", "ه‌اید", "ه‌ام")
PERFECT_ENDINGS = ("اند", "اید")
# Plurals of pronouns and demonstratives, which editors glue as often as not.
PLURAL_PRONOUNS = frozenset(
    stem + suffix for stem in ("آن", "این", "همان", "همین") for suffix in ("ها", "هایی", "هاست", "هایش", "هایشان")
)
EZAFE_PLURAL = "های"
# Words that cannot follow a plural's ezafe (`کتاب‌های ...` needs a noun or adjective after it), so before
# them a glued `...های` is `...ه‌ای`.
FUNCTION_WORDS = frozenset(
    "از که را است بود شد نیز با در به برای و یا می نمی دارد داشت ندارد باشد بودند هستند".split()  # noqa: SIM905
)
# Second parts that at least this many of hazm's ZWNJ compounds share are productive (`مند`, `گذاری`).
MIN_SECOND_PART_COMPOUNDS = 20
# Second parts of derivation that Persian grammar writes apart after a silent ه (بهره‌مند، نامه‌نگار).
DERIVATIONAL_PARTS = (
    "مند", "مندی", "گر", "گری", "وار", "واره", "دار", "داری", "ور", "وری", "گاه", "کده", "ستان", "زار", "گزار",
    "گزاری", "گذار", "گذاری", "ساز", "سازی", "نگار", "نگاری", "ریز", "ریزی", "نشین", "شناس", "شناسی", "کار",
    "کاری", "پذیر", "پذیری", "آمیز", "انگیز", "نویس", "نویسی", "خوان", "خوانی", "گیر", "گیری", "کش", "کشی",
)  # fmt: skip
# ... and those it writes apart in this share of its compounds or more are "separated" (`کننده`).
SEPARATED_SHARE = 0.95
MIN_STEM_FREQUENCY = 1000
# Second parts of Iranian surnames, written apart: احمدی‌نژاد، جانی‌پور، قلی‌زاده (only after ی: شاهزاده).
SURNAME_PARTS = ("نژاد", "پور", "زاده", "نیا")
SURNAME_PARTS_AFTER_YE = ("زاده", "نیا")
# One stem this many times more frequent than the other decides plural against indefinite (log10).
DECISIVE_RATIO = 1.0
MIN_LENGTH = 3

TOKEN = re.compile(f"[{LETTERS}{ZWNJ}]+")
NEXT_WORD = re.compile(f"\\s*([{LETTERS}][{LETTERS}{ZWNJ}]*)")


class Candidate(NamedTuple):
    form: str  # the word as repaired
    kind: str  # plural, heh, ye, comparative, compound, prefix
    weight: int  # the stem's frequency in hazm's list
    strong: bool  # the stem is a word of hazm's list, not only a spelling its corpora contain


def join(left: str, right: str) -> str:
    """Two parts of one word, with a ZWNJ between them unless the left one ends in a non-joining letter."""
    return left + ("" if left[-1] in NON_JOINING else ZWNJ) + right


def kind_letter(kind: str) -> str:
    """The letter a stem ends in before the clitics of `kind` (heh: خانه‌ای, ye: زندگی‌ام)."""
    return "ه" if kind == "heh" else "ی"


def silent_heh(word: str) -> bool:
    """A final ه read as a vowel (خانه, علاقه, روسیه), which takes a ZWNJ before a second part; not, as a
    rule, the consonant after ا and و (راه, کوه), whose compounds editors glue (راهپیمایی)."""
    return len(word) >= 2 and word[-1] == "ه" and not word.endswith(("اه", "وه"))


class ZwnjRepairer:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.stemmer = Stemmer()
        self.second_parts, self.separated_parts = self._productive_second_parts()
        # Each distinct word is repaired once per process (twice if it is also seen before a function word).
        self.repair_word = lru_cache(maxsize=200_000)(self._repair_word)

    def repair(self, text: str) -> str:
        """Restore missing ZWNJs word by word; words that already have one are trusted."""
        out, position = [], 0
        for match in TOKEN.finditer(text):
            word = match.group()
            out.append(text[position : match.start()])
            if ZWNJ in word or len(word) < MIN_LENGTH:
                out.append(word)
            else:
                following = NEXT_WORD.match(text, match.end()) if word.endswith(EZAFE_PLURAL) else None
                out.append(self.repair_word(word, following is not None and following.group(1) in FUNCTION_WORDS))
            position = match.end()
        out.append(text[position:])
        return "".join(out)

    # ----- evidence ------------------------------------------------------------------------------------
    def _productive_second_parts(self) -> tuple[frozenset[str], frozenset[str]]:
        """Second parts that many of hazm's ZWNJ compounds share (with the parts grammar writes apart after a
        silent ه), and among them those its list writes apart nearly always (`کننده`, `شده`, `آمیز`), not
        glued to a word as often (`ساز`, `فروشی`, `گاه`)."""
        lex = self.lexicon
        apart: dict[str, int] = {}
        for form, _ in lex.zwnj_forms.values():
            last = form.rsplit(ZWNJ, 1)[-1]
            if len(last) >= MIN_LENGTH and last not in AFTER_HEH:
                apart[last] = apart.get(last, 0) + 1
        productive = {part for part, count in apart.items() if count >= MIN_SECOND_PART_COMPOUNDS}
        glued = dict.fromkeys(productive, 0)
        for word in lex.plain:
            for cut in range(2, len(word) - MIN_LENGTH + 1):
                left, right = word[:cut], word[cut:]
                if right in glued and left[-1] not in NON_JOINING and lex.is_word(left):
                    glued[right] += 1
        separated = {part for part in productive if apart[part] >= SEPARATED_SHARE * (apart[part] + glued[part])}
        return frozenset(productive.union(DERIVATIONAL_PARTS)), frozenset(separated)

    def _stem(self, stem: str) -> tuple[str, bool] | None:
        """The spelling of a stem the lexicon knows, and whether that is strong evidence: a word of hazm's
        list, a compound it spells with a ZWNJ, or a glued spelling its corpora contain that reads as such a
        word plus a glued suffix (`ایرانی`) is; any other spelling its corpora contain (`تیمه`, but also
        `کتابهای`) is weak."""
        lex = self.lexicon
        if len(stem) < 2:
            return None
        if lex.is_word(stem):
            return stem, True
        if stem in lex.zwnj_forms:
            return self._lexicon_form(stem) or stem, True
        compound = self._second_part_candidates(stem) if len(stem) >= 2 * MIN_LENGTH else []
        if len(compound) == 1 and not lex.seen_glued(stem):
            return compound[0].form, True  # ذخیره‌گاه in ذخیرهگاههای
        if lex.seen_glued(stem):
            return stem, self._reads_as_written(stem)
        return None

    def _reads_as_written(self, word: str) -> bool:
        """A known word plus a suffix that is written glued (`بیشترین`, `درختانی`), or a verb form with a
        preverb (`برخیزید`): the word is right as it stands."""
        lex = self.lexicon
        for suffix in GLUED:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 2 and stem[-1] != "ه" and lex.is_word(stem):
                return True
        if lex.is_verb(word) and word not in lex.verb_forms:
            return True
        return any(
            word.startswith(p) and word[len(p) :] in lex.plain_verbs and len(word) - len(p) >= 2 for p in PREVERBS
        )

    def _lexicon_form(self, word: str) -> str | None:
        """The ZWNJ spelling hazm's list records for a glued word. Where the list also knows the glued
        spelling as a word (`پیشگیری` beside `پیش‌گیری`), has seen the ZWNJ spelling only rarely and not
        before a second part it nearly always writes apart (`پلت‌فرم`, but `شرکت‌کنندگان`), has seen the
        glued spelling and the ZWNJ one is not both (`نشان‌دهنده`), or the compound starts with هم
        (`همزمان`), editors glue it as often and it stays, unless the ZWNJ is all but universal: after a
        final silent ه, before ا/آ/و (`گفت‌وگو`), after the prefix بی."""
        entry = self.lexicon.zwnj_forms.get(word)
        if entry is None:
            return None
        form, frequency = entry
        frequent, separated = frequency >= MIN_STEM_FREQUENCY, self._separated(form.rsplit(ZWNJ, 1)[-1])
        if self.lexicon.seen_glued(word):
            evidence = frequent and separated  # `نشان‌دهنده` against a glued spelling hazm merely saw
        else:
            evidence = word not in self.lexicon.plain and (frequent or separated)
        if evidence and not form.startswith("هم" + ZWNJ):
            return form
        parts = form.split(ZWNJ)
        universal = all(
            silent_heh(left) or right[0] in "اآو" or left == "بی" for left, right in itertools.pairwise(parts)
        )
        return form if universal else None

    def _separated(self, part: str) -> bool:
        """A second part hazm writes apart nearly always, also inflected (`کنندگان`, `شده‌ای`)."""
        if part in self.separated_parts:
            return True
        for suffix, restore in (("گان", "ه"), ("گی", "ه"), ("ان", ""), ("ی", "")):
            if part.endswith(suffix) and part[: -len(suffix)] + restore in self.separated_parts:
                return True
        return False

    def _verb_form(self, word: str) -> str | None:
        """hazm's conjugation of a glued verb, also after a preverb (`برمیگشت`) and for `نمی` before a
        `می` form the word list records (`نمیتوان`)."""
        lex = self.lexicon
        form = lex.verb_forms.get(word)
        if form:
            return form
        positive = lex.zwnj_forms.get("می" + word[3:]) if word.startswith("نمی") else None
        if positive and positive[0] == "می" + ZWNJ + word[3:]:
            return "ن" + positive[0]
        for preverb in PREVERBS:
            rest = word[len(preverb) :]
            if word.startswith(preverb) and rest.startswith(("می", "نمی")) and rest in lex.verb_forms:
                return preverb + lex.verb_forms[rest]
        return None

    # ----- candidates ----------------------------------------------------------------------------------
    def _suffix_candidates(self, word: str) -> list[Candidate]:
        """Known stems before a suffix: plural, clitics after ه and ی, comparative, suffixes glued to a
        compound that hazm spells with a ZWNJ."""
        lex = self.lexicon
        found: list[Candidate] = []
        for suffixes, kind in ((PLURAL, "plural"), (AFTER_HEH, "heh"), (AFTER_YE, "ye")):
            for suffix in suffixes:
                stem = word[: -len(suffix)]
                if not word.endswith(suffix) or (kind != "plural" and (len(stem) < 3 or stem[-1] != kind_letter(kind))):
                    continue
                known = self._stem(stem)
                if known:
                    form = join(known[0], suffix) if kind == "plural" else known[0] + ZWNJ + suffix
                    found.append(Candidate(form, kind, lex.frequency(stem), known[1]))
        for suffix in PERFECT_ENDINGS:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 4 and stem.endswith(("ده", "ته")) and not self._stem(stem):
                found.append(Candidate(stem + ZWNJ + suffix, "heh", 0, True))  # a past participle: بازتابیده‌اند
        for suffix in COMPARATIVE:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 3 and (lex.has_tag(stem, "AJ") or self._relational(stem)):
                found.append(Candidate(join(lex.spelled(stem), suffix), "comparative", lex.frequency(stem), True))
        for suffix in AFTER_COMPOUND:
            stem = word[: -len(suffix)]
            compound = self._lexicon_form(stem) if word.endswith(suffix) and not lex.is_word(stem) else None
            if compound:
                glue = ZWNJ if silent_heh(compound) else ""
                found.append(Candidate(compound + glue + suffix, "compound", lex.frequency(stem), True))
        return found

    def _relational(self, stem: str) -> bool:
        """A relational adjective: a known word plus ی (`تعاملی`), which takes تر like any adjective."""
        return stem.endswith("ی") and self.lexicon.is_word(stem[:-1]) and self.lexicon.frequency(stem[:-1]) > 0

    def _prefix_candidates(self, word: str) -> list[Candidate]:
        found: list[Candidate] = []
        for prefix in PREFIXES:
            rest = word[len(prefix) :]
            if not word.startswith(prefix) or len(rest) < MIN_LENGTH or rest[0] in "اآ":
                continue  # بیاید، بیابد، بهانه are words, not بی/به + ...
            known = self._stem(rest)
            if (
                not known
                or not known[1]
                or (self.lexicon.is_word(rest) and self.lexicon.frequency(rest) < MIN_STEM_FREQUENCY)
            ):
                continue  # a rare or unknown word after them is no evidence (`بهنام` is a name)
            found.append(Candidate(prefix + ZWNJ + known[0], "prefix", self.lexicon.frequency(rest), True))
        return found

    def _second_part_candidates(self, word: str) -> list[Candidate]:
        """A known word before a second part of hazm's compounds, itself perhaps inflected: after a silent ه
        any productive one (`علاقه‌مندان`, `سرمایه‌گذاری‌ها`: glued, the ه would read as a consonant); after
        another letter one hazm nearly always writes apart (`نشان‌دهنده`, `تأمین‌کنندگان`); and the parts of
        surnames (`حیدری‌نژاد`, `جانی‌پور`, `قلی‌زاده`)."""
        lex = self.lexicon
        found: list[Candidate] = []
        for cut in range(3, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if left[-1] in NON_JOINING:
                continue
            if right in SURNAME_PARTS and (lex.is_word(left) or lex.seen_glued(left)):
                if right in SURNAME_PARTS_AFTER_YE and not left.endswith("ی"):
                    continue  # شاهزاده، امامزاده are written glued
                found.append(Candidate(left + ZWNJ + right, "compound", lex.frequency(left), True))
                continue
            if not self._frequent_word(left):
                continue
            if lex.is_word(left[:-1]) and lex.is_word(left[-1] + right):
                continue  # یک + هزار as much as یکه + زار: no evidence for either
            second = self._second_part(right)
            if second and (silent_heh(left) or self._separated(second.split(ZWNJ)[0])):
                found.append(Candidate(left + ZWNJ + second, "compound", lex.frequency(left), True))
        return found

    def _frequent_word(self, word: str) -> bool:
        return self.lexicon.is_word(word) and self.lexicon.frequency(word) >= MIN_STEM_FREQUENCY

    def _second_part(self, right: str) -> str | None:
        if right in self.second_parts:
            return right
        for suffix in ("ان", "ی", "انی", "گان", *PLURAL):
            stem = right[: -len(suffix)]
            if right.endswith(suffix) and stem in self.second_parts:
                return join(stem, suffix) if suffix in PLURAL else stem + suffix
        return None

    def _inflection_of_known_word(self, word: str) -> bool:
        """True for inflected forms of a known word (بازیکنان، بیماران): they are words, not compounds.
        (hazm's Lemmatizer would also tell, but costs about 100 MB and changed nothing measured.)"""
        stem = self.stemmer.stem(word)
        return stem != word and self.lexicon.is_word(stem)

    # ----- decision ------------------------------------------------------------------------------------
    def _repair_word(self, word: str, before_function_word: bool = False) -> str:
        """The repaired word; `before_function_word` tells that the next word is one a plural's ezafe
        cannot stand before (only a word ending in `های` asks)."""
        lex = self.lexicon
        before_function_word = before_function_word and word.endswith(EZAFE_PLURAL)
        if lex.is_word(word) or word in PLURAL_PRONOUNS:
            return word
        ambiguous = self._heh_or_plural(word)
        verb = self._verb_form(word)
        if verb and (verb.endswith(PERFECT_ONLY) or not ambiguous):
            return verb
        form = self._lexicon_form(word)
        if form and not ambiguous:
            return form
        candidates = self._suffix_candidates(word)
        for whole in (verb, form):
            if whole:
                stem = whole.rsplit(ZWNJ, 1)[0]
                kind = "heh" if stem.endswith("ه") else "plural"
                candidates.append(Candidate(whole, kind, lex.frequency(stem.replace(ZWNJ, "")), True))
        if not candidates and not lex.seen_glued(word) and not self._inflection_of_known_word(word):
            candidates = self._prefix_candidates(word) or self._second_part_candidates(word)
        if not candidates:
            return word
        as_written = [c for c in candidates if c.form == word]
        if as_written or self._reads_as_written(word):
            # Right as written under one reading: only a known word against a mere corpus spelling (`جادهای`
            # is not جاد + های), or a next word that a plural's ezafe cannot stand before, changes it.
            heh = [c for c in candidates if c.kind == "heh" and c.strong]
            weak_reading = as_written and not any(c.strong for c in as_written)
            return heh[0].form if heh and ambiguous and (weak_reading or before_function_word) else word
        if lex.seen_glued(word):
            # hazm's corpora spell the word so: only a stem its list vouches for is evidence against that.
            candidates = [c for c in candidates if c.strong]
        forms = {c.form for c in candidates}
        if len(forms) <= 1:
            return candidates[0].form if forms else word
        kinds = {c.kind for c in candidates}
        if "heh" in kinds and "plural" in kinds:
            return self._resolve_heh_or_plural(word, candidates, before_function_word)
        return max(candidates, key=lambda c: c.weight).form

    @staticmethod
    def _heh_or_plural(word: str) -> bool:
        return word.endswith(tuple(HEH_OR_PLURAL))

    def _resolve_heh_or_plural(self, word: str, candidates: list[Candidate], before_function_word: bool) -> str:
        """`مجموعهای` is `مجموعه‌ای` or `مجموع‌های`: a function word after it, hazm's list of `ه‌ای` words and
        a decisive difference in the stems' frequencies choose; otherwise the word is left as typed."""
        heh = max((c for c in candidates if c.kind == "heh"), key=lambda c: c.weight)
        plural = max((c for c in candidates if c.kind == "plural"), key=lambda c: c.weight)
        if before_function_word:
            return heh.form
        if heh.strong != plural.strong:
            return heh.form if heh.strong else plural.form
        if not heh.strong:
            return plural.form  # two mere corpus spellings: the plural is by far the more common reading
        ratio = math.log10(plural.weight + 1) - math.log10(heh.weight + 1)
        if ratio > DECISIVE_RATIO:
            return plural.form
        if ratio < -DECISIVE_RATIO or heh.form == self._lexicon_form(word):
            return heh.form
        return word
