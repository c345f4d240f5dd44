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
  (`یکهزار` is not `یکه‌زار`). A stem is a noun's: no verb form (`رانند` in رانندهای), and a plural's may be a
  known word plus ی (`لیگی‌ها`); a clitic after ی is no ezafe after ا (`رویای`); a three-letter spelling hazm
  has merely seen is no stem (`باهاش`).
- `Xهای` reads as `X‌های` (plural) or `Xه‌ای` (indefinite, relational): the two whole forms are weighed by
  the grammar of the next word (a plural's ezafe cannot stand before `از`, `که`, `را`... nor a finite verb),
  by hazm's list of `ه‌ای` words, by how much more frequent one stem is, and last by a count word before it
  (`دو هفته‌ای`: a count takes a singular) or در/با/به after it (`نامه‌ای در`); a number or a punctuation
  mark after the word tells nothing.
  Without clear evidence the word is left as typed.
- In a text with no ZWNJ, a word hazm has never seen may be two words an editor joined with a ZWNJ: after a
  silent ه (`اداره‌کل`) or a noun before a relational adjective (`جام‌جهانی`, `تیم‌ملی`), when only one cut
  reads so. An ezafe ی after a silent ه (`راننده‌ی`) and the second parts of surnames (`حسن‌زاده`,
  `انصاری‌فرد`) are restored too.
- Spellings that are right glued stay glued even where some editors write a ZWNJ: `آنها`, `اینکه` (most
  editors glue them; inserting their ZWNJ costs the treebank 0.03 of precision), a possessive after a
  consonant (`تیممان`, the Academy's spelling; editors are split).
- Where editors glue a compound as often as not (`پاکسازی`, `همزمان`), the word stays as typed.
- A text whose writer types ZWNJs (in it, or in the rest of its article: a title without any follows its
  body) keeps the words they glued: compounds, comparatives, prefixes and plurals
  after a joining letter (`فیلمبرداری`, `بزرگترین`, `بیهوشی`, `کتابها`) are spellings many editors use. Only
  a clitic after ه or ی (`خانه‌ای`), a plural after a silent ه and a verb's `می` are repaired there. A text with
  no ZWNJ at all lost them, and there a productive second part after a frequent word is also restored
  (`تصمیم‌گیری`).
- hazm's Normalizer puts a ZWNJ after `می` where its verb list has a rare verb of that spelling; a word its
  list knows whole and not as a verb (`میانجی`) is glued again.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import lru_cache
from typing import NamedTuple

from hazm import Stemmer

from bot.text.chars import LETTERS, NON_JOINING, ZWNJ
from bot.text.lexicon import GIVEN_NAME_SPELLINGS, Lexicon

PLURAL = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "هاست", "های", "ها")
COMPARATIVE = ("ترین", "تری", "تر")
# Suffixes written with a ZWNJ after a final silent ه: خانه‌ای، نامه‌اش، شده‌اند، گفته‌است، خانه‌مان (the plural
# possessives only after a silent ه: `گروهشان` is glued; after a consonant or ی editors write them both ways).
HEH_POSSESSIVES = ("مان", "تان", "شان")
AFTER_HEH = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند", "است", *HEH_POSSESSIVES)
# Clitics written with a ZWNJ after a final ی: زندگی‌ام، هنری‌اش، سنتی‌ای.
AFTER_YE = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند")
# Suffixes written glued after a consonant: a known word plus one of them is right as it is written.
GLUED = ("ی", "یی", "ین", "ان", "انی", "ات", "م", "ت", "ش", "مان", "تان", "شان", "یم", "ید", "ند", "یش", "یت")
# ... of them, those a stem can end in before a plural or a clitic (not a possessive or a verb's ending: the
# corpus spelling `رانند` in رانندهای is no ران + ند).
GLUED_IN_STEMS = ("ی", "یی", "ین", "ان", "انی", "ات")
# A known word followed by these is that word inflected: روستاییان، تراکتوریها.
SUFFIX_CHAINS = frozenset(
    ("", *GLUED, *PLURAL, *(first + rest for first in ("ی", "یی", "ان") for rest in (*GLUED, *PLURAL)))
)
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
# them a glued `...های` is `...ه‌ای` (not در, با, به: `شهرستان‌های در حال توسعه`, `کتاب‌های با ارزش`).
FUNCTION_WORDS = frozenset(
    "از که را است بود شد نیز برای و یا می نمی دارد داشت ندارد باشد بودند هستند".split()  # noqa: SIM905
)
# Second parts that at least this many of hazm's ZWNJ compounds share are productive (`مند`, `گذاری`).
# Words after which a noun is singular: a count (`دو هفته‌ای`), `هر`, `هیچ`, `چند`. Before a
# glued `...های` they tell `...ه‌ای`: no count takes a plural (`دو هفت‌های` is no phrase). Not `نه` (also "no").
COUNTS = (
    "یک دو سه چهار پنج شش هفت هشت ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده نوزده بیست سی چهل"
    " پنجاه شصت هفتاد هشتاد نود صد دویست سیصد چهارصد پانصد ششصد هفتصد هشتصد نهصد هزار میلیون میلیارد"
    " هر هیچ چند چندین"
)
COUNT_WORDS = frozenset(COUNTS.split())
# Prepositions that open a phrase after an indefinite noun far more often than after a plural's ezafe
# (`نامه‌ای در`, `مصاحبه‌ای با`; but `برنامه‌های در دستور کار`): evidence where the stems decide nothing.
PREPOSITIONS_AFTER_INDEFINITE = frozenset(("در", "با", "به"))
# The endings of a finite verb that no adjective shares (not ی: `فرهنگی` is also in hazm's verb list).
PERSON_ENDINGS = ("ند", "د", "یم")
NO_EVIDENCE, UNLIKELY, RULED_OUT = 0, 1, 2  # what the next and previous words tell against a plural's ezafe
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
SURNAME_PARTS = ("نژاد", "پور", "زاده", "نیا", "فر", "فرد", "کیا", "نسب", "پناه", "راد")
SURNAME_PARTS_AFTER_YE = ("نیا", "فر", "فرد", "کیا", "نسب", "پناه", "راد")
# One stem this many times more frequent than the other decides plural against indefinite (log10).
DECISIVE_RATIO = 1.0
MIN_LENGTH = 3

TOKEN_SPLIT = re.compile(f"([{LETTERS}{ZWNJ}]+)")
MAX_CACHED = 200_000
INNER_ZWNJ = re.compile(f"{ZWNJ}(?<=[{LETTERS}]{ZWNJ})(?=[{LETTERS}])")  # the ZWNJ first: found by a fast scan
# A verb's `می` (also after a preverb: برمی‌گردد) that the writer typed with its ZWNJ.
TYPED_MI = re.compile(f"(?<![{LETTERS}{ZWNJ}])(?:{'|'.join(PREVERBS)})?ن?می{ZWNJ}(?=[{LETTERS}])")
# Clitics before which a ZWNJ is part of the spelling for every writer: those after a silent ه or a ی
# (خانه‌ای، زندگی‌ام), and after a silent ه also a plural (خانه‌ها: glued, `خانهها` is no spelling). A glued
# plural after another letter (`کتابها`) is an older spelling that many writers keep.
CLITICS = frozenset(AFTER_HEH)


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
        self.second_parts, self.separated_parts, self.apart_parts = self._productive_second_parts()
        # Each distinct word is repaired once per process and mode; a word ending in -های, whose repair also
        # depends on the next word, goes through the smaller cache of `repair_word`.
        self.repair_word = lru_cache(maxsize=50_000)(self._repair_word)
        # full, careful, careful where the writer types `می‌` (see `repair`); the two careful ones share the
        # repair before `obligatory`, which is all they differ in
        self.cache: tuple[dict[str, str], dict[str, str], dict[str, str]] = ({}, {}, {})
        self.careful_repairs: dict[str, str] = {}

    @staticmethod
    def writes_zwnjs(text: str) -> bool:
        """Whether the writer of `text` (as typed, before hazm's Normalizer adds its own) types ZWNJs."""
        return INNER_ZWNJ.search(text) is not None

    @staticmethod
    def types_mi(text: str) -> bool:
        """Whether the writer of `text` (as typed) puts a ZWNJ after a verb's `می` (`می‌رود`, `برنمی‌گردد`)."""
        return "می" + ZWNJ in text and TYPED_MI.search(text) is not None

    def repair(self, text: str, careful: bool = False, typed_mi: bool = False) -> str:
        """Restore missing ZWNJs word by word; words that already have one are trusted. `careful` is for text
        whose writer types ZWNJs (`writes_zwnjs`): a glued compound, comparative or prefix there is the
        writer's spelling (`فیلمبرداری`, `بزرگترین`, `کتابها`), and only clitics (`خانه‌ای`), plurals after a
        silent ه (`خانه‌ها`) and verbs (`می‌رود`) are repaired. `typed_mi` (with `careful`) is for a writer who
        typed `می‌` in this text (`types_mi`): a verb they glued beside it is their spelling too (`میجست`,
        a rare verb, or a word that is no verb at all: `میدانی`), and stays."""
        keep_mi = careful and typed_mi
        cache = self.cache[2 if keep_mi else int(careful)]
        parts = TOKEN_SPLIT.split(text)  # separators at even indexes, words at odd ones
        for i in range(1, len(parts), 2):
            word = parts[i]
            known = cache.get(word)
            if known is not None:
                parts[i] = known
            elif word.endswith(EZAFE_PLURAL) and ZWNJ not in word:
                repaired = self.repair_word(word, self._no_plural_ezafe(parts, i), not careful)
                parts[i] = self.obligatory(repaired, keep_mi) if careful and repaired != word else repaired
            else:
                if len(cache) >= MAX_CACHED:
                    cache.clear()
                parts[i] = cache[word] = self._repair_token(word, careful, keep_mi)
        return "".join(parts)

    def _no_plural_ezafe(self, parts: list[str], i: int) -> int:
        """What the words around `parts[i]` (a word in -های) tell against a plural with its ezafe: RULED_OUT
        for a function word or a verb after it (`برنامه‌ای ندارند`: an ezafe needs a noun or adjective after
        it; not a participle, nor a verb form that is also a noun or adjective, `ساخته`, `کرد`, which may);
        UNLIKELY for a count word before it (`دو هفته‌ای`, `هر نامه‌ای`; but a number may end the phrase
        before: `دهه هشتاد سال‌های طلایی`, and digits do so too often: `دقیقه ۷۶ گل‌های آرژانتین`) or a
        preposition of PREPOSITIONS_AFTER_INDEFINITE after it (`نامه‌ای در این باره`);
        NO_EVIDENCE otherwise. A number or a punctuation mark after the word tells nothing."""
        following = parts[i + 2] if i + 2 < len(parts) and parts[i + 1].isspace() else ""
        if following in FUNCTION_WORDS:
            return RULED_OUT
        lex = self.lexicon
        if following.endswith(PERSON_ENDINGS) and lex.is_verb(following) and not lex.known(following):
            return RULED_OUT
        before = parts[i - 1]
        if following in PREPOSITIONS_AFTER_INDEFINITE or (before.isspace() and i >= 2 and parts[i - 2] in COUNT_WORDS):
            return UNLIKELY
        return NO_EVIDENCE

    def _repair_token(self, word: str, careful: bool, keep_mi: bool) -> str:
        if ZWNJ in word:
            return self.mi_word(word) if word.startswith(("می", "نمی")) else word
        if len(word) < MIN_LENGTH:
            return word
        if not careful:
            return self._repair_word(word, NO_EVIDENCE, True)
        repaired = self.careful_repairs.get(word)
        if repaired is None:
            if len(self.careful_repairs) >= MAX_CACHED:
                self.careful_repairs.clear()
            repaired = self.careful_repairs[word] = self._repair_word(word, NO_EVIDENCE, False)
        return self.obligatory(repaired, keep_mi) if repaired != word else repaired

    def mi_word(self, word: str) -> str:
        """A word hazm's list knows whole (`میانجی`), not a verb, split after `می` as hazm's own `می` step (now
        off) writes it because its verb list holds a rare verb of that spelling (انجیدن): glued again."""
        head, _, rest = word.partition(ZWNJ)
        if head in ("می", "نمی") and rest:
            first = rest.split(ZWNJ, 1)[0]
            glued, known = head + first, self.lexicon.zwnj_forms.get(head + first)
            spelled_apart = known is not None and known[0] == head + ZWNJ + first  # `می‌گساری` in hazm's list
            if self.lexicon.is_word(glued) and not self.lexicon.has_tag(glued, "V") and not spelled_apart:
                return head + rest
        return word

    def obligatory(self, form: str, keep_mi: bool = False) -> str:
        """The repaired word with only the ZWNJs every writer puts in: before a clitic (`خانه‌ای`), before a
        plural after a silent ه (`خانه‌ها`), after a verb's `می` (unless `keep_mi`: the writer typed `می‌`
        elsewhere and glued this one)."""
        parts = form.split(ZWNJ)
        out = parts[0]
        for part in parts[1:]:
            verb_prefix = not keep_mi and (
                out in ("می", "نمی") or (out.endswith("می") and out[:-2].removesuffix("ن") in PREVERBS)
            )
            ezafe = part == "ی" and self._ezafe_after_heh(out + part)
            keep = verb_prefix or part in CLITICS or (part in PLURAL and silent_heh(out)) or ezafe
            out += (ZWNJ if keep else "") + part
        return out

    # ----- evidence ------------------------------------------------------------------------------------
    def _productive_second_parts(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """Second parts that many of hazm's ZWNJ compounds share (with the parts grammar writes apart after a
        silent ه); among them those its list writes apart nearly always (`کننده`, `شده`, `آمیز`), not
        glued to a word as often (`ساز`, `فروشی`, `گاه`); and those it writes apart more often than glued
        (`ساز`, `گیری`, `خیز`; not `کار`, `داری`)."""
        lex = self.lexicon
        apart: dict[str, int] = {}
        for form, _ in lex.zwnj_forms.values():
            last = form.rsplit(ZWNJ, 1)[-1]
            if len(last) >= MIN_LENGTH and last not in AFTER_HEH:
                apart[last] = apart.get(last, 0) + 1
        productive = {part for part, count in apart.items() if count >= MIN_SECOND_PART_COMPOUNDS}
        glued = dict.fromkeys(productive.union(DERIVATIONAL_PARTS), 0)
        for word in lex.plain:
            for cut in range(2, len(word) - MIN_LENGTH + 1):
                left, right = word[:cut], word[cut:]
                if right in glued and left[-1] not in NON_JOINING and lex.is_word(left):
                    glued[right] += 1
        separated = {part for part in productive if apart[part] >= SEPARATED_SHARE * (apart[part] + glued[part])}
        mostly_apart = {part for part, count in glued.items() if apart.get(part, 0) > count}
        return frozenset(glued), frozenset(separated), frozenset(mostly_apart)

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
            return stem, self._reads_as_written(stem, verbs=False)  # a verb (`رانند`) is no stem of a noun
        return None

    def _reads_as_written(self, word: str, verbs: bool = True) -> bool:
        """A known word plus a suffix that is written glued (`بیشترین`, `درختانی`), or a verb form, also with a
        preverb (`برخیزید`): the word is right as it stands. Without `verbs`, for the stem of a longer word:
        only a suffix such a stem can end in, and no verb form."""
        lex = self.lexicon
        for suffix in GLUED if verbs else GLUED_IN_STEMS:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 2 and stem[-1] != "ه" and lex.is_word(stem):
                return True
        if not verbs:
            return False
        if lex.is_verb(word) and word not in lex.verb_forms:
            return True
        return any(
            word.startswith(p) and word[len(p) :] in lex.plain_verbs and len(word) - len(p) >= 2 for p in PREVERBS
        )

    def _lexicon_form(self, word: str) -> str | None:
        """The ZWNJ spelling hazm's list records for a glued word, when the glued spelling is none of its words
        (`کوتاه‌مدت`, `امام‌جمعه`, `آبان‌ماه`: on the news and treebank sets editors who type ZWNJs write such
        words with it about 19 times in 20, however rarely hazm's corpora had them). Where the list also
        knows the glued spelling as a word (`پیشگیری` beside `پیش‌گیری`), has seen the glued spelling in its
        corpora and the ZWNJ one is not both frequent and before a second part it nearly always writes apart
        (`نشان‌دهنده`), or the compound starts with هم (`همزمان`), editors glue it as often and it stays,
        unless the ZWNJ is all but universal: after a final silent ه, before ا/آ/و (`گفت‌وگو`), after the
        prefix بی."""
        entry = self.lexicon.zwnj_forms.get(word)
        if entry is None or self._split_mi(entry[0]):
            return None
        form, frequency = entry
        if self.lexicon.seen_glued(word):  # `نشان‌دهنده` against a glued spelling hazm merely saw
            evidence = frequency >= MIN_STEM_FREQUENCY and self._separated(form.rsplit(ZWNJ, 1)[-1])
        else:
            evidence = word not in self.lexicon.plain
        if evidence and not form.startswith("هم" + ZWNJ):
            return form
        parts = form.split(ZWNJ)
        universal = all(
            silent_heh(left) or right[0] in "اآو" or left == "بی" for left, right in itertools.pairwise(parts)
        )
        return form if universal else None

    def _split_mi(self, form: str) -> bool:
        """A spelling of hazm's list with a verb's `می` split off inside a word (`دوومی‌دانی`, athletics): its
        own `می` step at work, no compound; not after a preverb (`برمی‌گردد`) or a word in می (`بومی‌سازی`)."""
        return any(
            left.endswith("می")
            and left[:-2].removesuffix("ن") not in ("", *PREVERBS)
            and not self.lexicon.known(left)
            and self.lexicon.is_verb("می" + right)
            for left, right in itertools.pairwise(form.split(ZWNJ))
        )

    def _separated(self, part: str, parts: frozenset[str] | None = None) -> bool:
        """A second part hazm writes apart nearly always (or one of `parts`), also inflected (`کنندگان`,
        `شده‌ای`)."""
        parts = self.separated_parts if parts is None else parts
        if part in parts:
            return True
        for suffix, restore in (("گان", "ه"), ("گی", "ه"), ("ان", ""), ("ی", "")):
            if part.endswith(suffix) and part[: -len(suffix)] + restore in parts:
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
                if kind == "heh" and suffix in HEH_POSSESSIVES and not silent_heh(stem):
                    continue
                if kind == "ye" and suffix == "ای" and lex.known(word[:-1]):
                    continue  # `رویای`, `دنیای`: a word in ا with its ezafe, glued, as much as روی‌ای
                known = self._stem(stem)
                if not known and kind != "heh":
                    known = self._nisba(stem)
                if known and kind != "plural" and not known[1] and len(stem) <= MIN_LENGTH:
                    continue  # a short spelling hazm has merely seen is no stem for a clitic (`باه` in باهاش)
                if known:
                    form = join(known[0], suffix) if kind == "plural" else known[0] + ZWNJ + suffix
                    found.append(Candidate(form, kind, lex.frequency(stem), known[1]))
        stem = word[:-1]
        if self._ezafe_after_heh(word) and self._frequent_word(stem):
            found.append(Candidate(stem + ZWNJ + "ی", "heh", lex.frequency(stem), True))
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
            spelled = self._lexicon_form(stem) if word.endswith(suffix) and not lex.is_word(stem) else None
            if spelled:
                glue = ZWNJ if silent_heh(spelled) else ""
                found.append(Candidate(spelled + glue + suffix, "compound", lex.frequency(stem), True))
        return found

    def _ezafe_after_heh(self, word: str) -> bool:
        """An ezafe written ی after a silent ه (`راننده‌ی تیم`, `فاصله‌ی زیاد`), in a word hazm has not seen glued.
        Not after a stem of three letters or one in یه, whose ه is as often a consonant (`فقهی`, `توجیهی`:
        relational adjectives, glued), nor one hazm has seen glued before ات (`مشابهات`: a consonant)."""
        stem = word[:-1]
        return (
            word.endswith("هی") and len(stem) > MIN_LENGTH and silent_heh(stem) and not stem.endswith("یه")
            and word not in self.lexicon.plain and not self.lexicon.known(stem + "ات")
        )  # fmt: skip

    def _nisba(self, stem: str) -> tuple[str, bool] | None:
        """A plural's or a clitic's stem that is a known spelling plus ی (`استقلالی` in استقلالیها, `تهرانی`,
        `مالیاتی` in مالیاتیاش): an adjective or a person of a place, team or school, whose plural and clitics
        editors write with a ZWNJ all but always. Strong
        evidence when the word before ی is one of hazm's words, weak when hazm has only seen it."""
        base = stem[:-1]
        if len(base) < 2 or not stem.endswith("ی") or base[-1] in "یه":
            return None
        if self.lexicon.is_word(base):
            return stem, True
        return (stem, False) if self.lexicon.seen_glued(base) else None

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

    def _second_part_candidates(self, word: str, eager: bool = False, attested: bool = True) -> list[Candidate]:
        """A known word before a second part of hazm's compounds, itself perhaps inflected: after a silent ه
        any productive one (`علاقه‌مندان`, `سرمایه‌گذاری‌ها`: glued, the ه would read as a consonant); after
        another letter one hazm nearly always writes apart (`نشان‌دهنده`, `تأمین‌کنندگان`); and the parts of
        surnames (`حیدری‌نژاد`, `جانی‌پور`, `قلی‌زاده`). `eager` (for text whose writer types no ZWNJs) takes
        any productive second part after a frequent word (`تصمیم‌گیری`, `جمع‌بندی`). A word that reads as a known
        word plus a glued suffix (`روستاییان`, `تراکتوری`) is no compound."""
        lex = self.lexicon
        found: list[Candidate] = []
        for cut in range(3, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if left[-1] in NON_JOINING:
                continue
            if right in SURNAME_PARTS and (lex.is_word(left) or lex.seen_glued(left)):
                if right in SURNAME_PARTS_AFTER_YE and not left.endswith("ی"):
                    continue
                if right == "زاده" and not left.endswith("ی") and word in lex.plain:
                    continue  # شاهزاده، امامزاده are written glued
                found.append(Candidate(left + ZWNJ + right, "compound", lex.frequency(left), True))
                continue
            if not (self._frequent_word(left) or (eager and self._relational_spelling(left))):
                continue
            if lex.is_word(left[:-1]) and lex.is_word(left[-1] + right):
                continue  # یک + هزار as much as یکه + زار: no evidence for either
            second = self._second_part(right)
            if not second:
                continue
            base = second.split(ZWNJ)[0]
            if (
                silent_heh(left)
                or self._separated(base)
                or (eager and (attested or self._separated(base, self.apart_parts)) and not self._longer(word, cut))
            ):
                found.append(Candidate(left + ZWNJ + second, "compound", lex.frequency(left), True))
        return [] if found and self._reads_as_written(word) else found

    def _two_word_candidates(self, word: str) -> list[Candidate]:
        """Two words an editor joined with a ZWNJ, glued once it was lost, in a word hazm has never seen: a
        frequent word in a silent ه before any frequent word (`اداره‌کل`, `کره‌جنوبی`, `همه‌چیز`: glued, the ه
        would read as a consonant), or a noun before a relational adjective (`جام‌جهانی`, `تیم‌ملی`, a frequent
        word plus ی). The noun may be a spelling hazm has only seen, if it has also seen it inflected (`تیم`,
        `تیمی`); the adjective one hazm lacks whole, after a frequent noun, both long (`میراث‌فرهنگی`). Only one way to
        cut the word may read so (`اله‌لال`, `نیل‌سون` are names), and not one that reads as well with the
        letter before the cut moved across (`یکه‌زار` is as much `یک هزار`)."""
        lex = self.lexicon
        found: list[Candidate] = []
        for cut in range(MIN_LENGTH, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if left[-1] in NON_JOINING or right in SUFFIX_CHAINS or right in CLITICS or right in COMPARATIVE:
                continue
            if len(right) < MIN_LENGTH and not silent_heh(left):
                continue
            after_heh = silent_heh(left) and not left.endswith("له") and self._frequent_word(left)  # not اله
            relational = len(right) >= MIN_LENGTH and right.endswith("ی") and self._frequent_word(right[:-1])
            if self._frequent_word(right):
                if not (after_heh or (relational and self._noun_spelling(left))):
                    continue
            elif not (relational and self._frequent_word(left) and min(len(left), len(right) - 1) > MIN_LENGTH):
                continue  # short parts read so in foreign names as well (`مال‌دینی`, `وات‌نانی`)
            if lex.is_word(left[:-1]) and lex.is_word(left[-1] + right):
                return []
            found.append(Candidate(left + ZWNJ + right, "compound", lex.frequency(left), True))
        return found if len(found) == 1 else []

    def _relational_spelling(self, word: str) -> bool:
        """A relational adjective hazm has only seen: a frequent word plus ی (`تجاری`, `بومی`)."""
        return word.endswith("ی") and self.lexicon.seen_glued(word) and self._frequent_word(word[:-1])

    def _noun_spelling(self, word: str) -> bool:
        """A frequent word, or a spelling hazm's corpora hold also inflected (`تیم` beside `تیمی`)."""
        lex = self.lexicon
        if self._frequent_word(word):
            return True
        return lex.seen_glued(word) and any(lex.known(word + suffix) for suffix in ("ی", "ها", "های", "ان"))

    def _longer(self, word: str, cut: int) -> bool:
        """Whether a known word longer than `word[:cut]` starts `word` and only glued suffixes follow it
        (`روستا` + `ییان`, `تراکتور` + `یها`): the word is that one inflected, not a compound at `cut`."""
        return any(
            self._frequent_word(word[:end]) and word[end:] in SUFFIX_CHAINS for end in range(cut + 1, len(word) + 1)
        )

    def _frequent_word(self, word: str) -> bool:
        return self.lexicon.is_word(word) and self.lexicon.frequency(word) >= MIN_STEM_FREQUENCY

    def _second_part(self, right: str) -> str | None:
        """`right` as a second part of hazm's compounds, perhaps inflected: also the plural and the noun in گان
        and گی of one in a silent ه that hazm nearly always writes apart (`کنندگان`, `شدگان`; not `زادگان`:
        امامزاده is glued)."""
        if right in self.second_parts:
            return right
        for suffix in ("ان", "ی", "انی", "گان", "گانی", "گی", *PLURAL):
            stem = right[: -len(suffix)]
            if right.endswith(suffix) and stem in self.second_parts:
                return join(stem, suffix) if suffix in PLURAL else stem + suffix
            if suffix.startswith("گ") and right.endswith(suffix) and stem + "ه" in self.separated_parts:
                return right
        return None

    def _inflection_of_known_word(self, word: str) -> bool:
        """True for inflected forms of a known word (بازیکنان، بیماران): they are words, not compounds.
        (hazm's Lemmatizer would also tell, but costs about 100 MB and changed nothing measured.)"""
        stem = self.stemmer.stem(word)
        return stem != word and self.lexicon.is_word(stem)

    # ----- decision ------------------------------------------------------------------------------------
    def _repair_word(self, word: str, context: int = NO_EVIDENCE, eager: bool = False) -> str:
        """The repaired word; `context` tells what the words around it say against a plural's ezafe (only a
        word ending in `های` asks): RULED_OUT, or UNLIKELY, which decides only where the stems do not."""
        lex = self.lexicon
        before_function_word = context == RULED_OUT and word.endswith(EZAFE_PLURAL)
        if lex.is_word(word) or word in PLURAL_PRONOUNS or word in GIVEN_NAME_SPELLINGS:
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
        if not candidates and not (lex.seen_glued(word) and not eager) and not self._inflection_of_known_word(word):
            # A productive second part after any frequent word makes a compound of a word hazm has seen
            # (`تصمیم‌گیری`); of one it has never seen, only a second part it writes apart more often than glued
            # (`جرم‌خیز`), not `کار`, glued as often: two known parts merely abut (`روانکار` is no روان‌کار).
            attested = lex.seen_glued(word) or word in lex.zwnj_forms
            candidates = self._prefix_candidates(word) or self._second_part_candidates(word, eager, attested)
            if not candidates and eager and not attested and word not in lex.plain:
                candidates = self._two_word_candidates(word)
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
            if forms and self._plural_as_written(word) and not before_function_word:
                # `کردهای` is the plural of a word hazm lacks (کرد) as much as `کرده‌ای`: only a frequent ه word
                # (`جادهای` → `جاده‌ای`) is evidence against the spelling as typed.
                return candidates[0].form if max(c.weight for c in candidates) >= MIN_STEM_FREQUENCY else word
            return candidates[0].form if forms else word
        kinds = {c.kind for c in candidates}
        if "heh" in kinds and "plural" in kinds:
            return self._resolve_heh_or_plural(word, candidates, before_function_word, context == UNLIKELY)
        return max(candidates, key=lambda c: c.weight).form

    @staticmethod
    def _plural_as_written(word: str) -> bool:
        """`Xهای` after a letter that does not join (`کردهای`, `جادهای`): glued, it is already the right
        spelling of the plural `X‌های`, whose ZWNJ would change nothing."""
        for suffix in HEH_OR_PLURAL:
            if word.endswith(suffix) and len(word) > len(suffix) and word[-len(suffix) - 1] in NON_JOINING:
                return True
        return False

    @staticmethod
    def _heh_or_plural(word: str) -> bool:
        return word.endswith(tuple(HEH_OR_PLURAL))

    def _resolve_heh_or_plural(
        self, word: str, candidates: list[Candidate], before_function_word: bool, after_count: bool = False
    ) -> str:
        """`مجموعهای` is `مجموعه‌ای` or `مجموع‌های`: a function word after it, hazm's list of `ه‌ای` words and
        a decisive difference in the stems' frequencies choose, then a count before it; otherwise the word
        is left as typed."""
        heh = max((c for c in candidates if c.kind == "heh"), key=lambda c: c.weight)
        plural = max((c for c in candidates if c.kind == "plural"), key=lambda c: c.weight)
        if before_function_word and (heh.strong or not plural.strong):
            return heh.form
        if heh.strong != plural.strong:
            return heh.form if heh.strong else plural.form
        if not heh.strong:
            return plural.form  # two mere corpus spellings: the plural is by far the more common reading
        suffix = next(suffix for suffix in HEH_OR_PLURAL if word.endswith(suffix))
        plural_stem = word[: -len(suffix)]
        if (plural.weight == 0 and self.lexicon.is_word(plural_stem)) or (
            heh.weight == 0 and self.lexicon.is_word(plural_stem + "ه")
        ):
            # hazm's list gives some common words no frequency (`پست`, `جوان`): no evidence for either form.
            # (A stem it has only seen in corpora, `رسان` in رسانهای, has none for being rare.)
            return heh.form if heh.form == self._lexicon_form(word) else word
        ratio = math.log10(plural.weight + 1) - math.log10(heh.weight + 1)
        if ratio > DECISIVE_RATIO:
            return plural.form
        if ratio < -DECISIVE_RATIO or heh.form == self._lexicon_form(word) or after_count:
            return heh.form
        return word
