"""Extractive summaries in the editor's style: the most lead-like whole sentence that fits the budget.

Each sentence gets a score that is a weighted sum of cheap features (position, overlap with the title,
centrality, length against the budget, numbers, quotes, names, how the sentence opens, the words it shares with
the title and the first sentence counted as ROUGE counts them, also against the article's best form ...:
`FEATURES`).
The weights are learned from articles with editors' leads (`python -m bot.text.train_summarizer`, which
writes bot/text/summary_weights.json) and shipped with the code.

Sentences are shown whole. What only makes sense inside the article always goes (agency attribution openings such as
`به گزارش ...،`, `X در خبری نوشت:`, `وی ادامه داد:` before a quote, and how the agency got a quote, `در گفت‌وگو با
خبرنگار ...`); to fit a budget, only what Persian grammar makes optional may go as well, one part after another: a
name before the role that names the same person, `با اشاره به …،`-type adjunct clauses, parentheticals, a relative
clause between commas, a relative clause on a definite subject (`سرمربی سایپا که ... نمی‌کند، بارها ... شد` →
`سرمربی سایپا بارها ... شد`; not after an indefinite head such as `اتفاقی که`, a preposition or a verb), an opening
connective (`اما`, `با این حال،`, `به همین دلیل`, `بر این اساس`, `گفتنی است که`), an opening prepositional adjunct
(`بر اساس ...،`), an opening subordinate clause up to its comma (`پس از آنکه ...،`, `با اینکه ...،`, `در حالی که
...،`; never a condition, nor when an `اما` answers it or the main clause opens without a subject of its own), one
or two verbless opening phrases of time and place (`در دقیقه ۲۵، روی پاس X،`, `عصر امروز،`; never the first item of
a list), a role in apposition to a name inside the sentence (`سپه، دروازه‌بان پارما، به بیرون فرستاد` → `سپه به
بیرون فرستاد`), a topic label before a quote (`حضور در میلان: «...»`), and last the speaker before a quote that is a
sentence of its own (`مدیرکل ... گفت: ...`, `X گفت که ...`; an adjunct that runs on to the verb of saying goes
whole, commas and all). The first clause (the subject) and the clause with the main verb are never dropped, and the
sentence keeps its own end. The scorer sees each sentence in up to two forms: its longest within the budget and its
longest within the ceiling.

The length rule (`Model.ceiling`, the same for the evaluation's baselines): a whole sentence may run past
the budget by a quarter of it, or by 40 characters for short budgets (never past twice the budget), to end
where it ends; the training module's docstring says why. When the best sentence does not fit within that,
the best-scoring whole sentence that does is taken. When none does (a news item that is one long sentence),
the best sentence's first whole clauses are shown if they are a sentence of their own within the ceiling
(`A ... تمدید کرد و B ...` → `A ... تمدید کرد.`: `first_clauses`), else the runner-up's, and only failing that
is the best cut at a word within the budget (marked `…`). If the chosen sentence leaves room, further sentences
that score nearly as well and repeat little of it fill the budget. The output keeps the original order and is
deterministic.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from bot.text.normalize import matching_form
from bot.text.sentences import split_sentences
from bot.text.terms import TermExtractor, cosine, idf_over

WEIGHTS_PATH = Path(__file__).with_name("summary_weights.json")
MAX_OVERLAP = 0.6
# When no sentence fits, the best one's first whole clauses, else the runner-up's, are shown before a word cut: on
# train, word cuts fall from 36 to 32 (fars) and 90 to 77 (varzesh3) at no cost in ROUGE held out (fars +0.01,
# varzesh3 +0.08); going further down the ranking costs (three sentences: varzesh3 -0.07).
RUNNERS_UP = 2
MIN_WORDS = 5
CHARS_PER_WORD = 5.8  # in Persian news, spaces included
SENTENCE_END = '.!?؟…»"”)'
ELLIPSIS = "…"

_S = r"[\s\u200c]"  # a space, or a ZWNJ where writers join compound words
# Who reported it: `به گزارش خبرگزاری X از تهران،`, `بر اساس این گزارش،`, `به نقل از روابط عمومی ...،`.
ATTRIBUTION = re.compile(
    rf"^(?:به{_S}+گزارش|به{_S}+نقل{_S}+از|(?:بنا{_S}*بر|بر{_S}*اساس|بر{_S}+پایه|طبق|مطابق)(?:{_S}+این)?{_S}+گزارش"
    rf"|بنابراین{_S}+گزارش)[^،,؛:.!؟?]{{0,120}}[،,؛:]\s*"
)
# `مهر در خبری نوشت:`, `ایرنا در گزارشی اعلام کرد:` (a short name, then the verb of reporting and a colon).
AGENCY_WROTE = re.compile(
    r"^(?:[^\s:،,.]+\s+){1,4}(?:در|طی)\s+(?:خبری|گزارشی)\s+(?:نوشت|نوشته\s+است|اعلام\s+کرد|گزارش\s+داد|آورده\s+است)"
    r"\s*:\s*"
)
# `وی افزود:` has no antecedent once the sentence stands alone; the quote that follows is the content.
PRONOUN_SPEECH = re.compile(
    r"^(?:وی|او|ایشان)\s+(?:[^\s:«»]+\s+){0,3}?"
    r"(?:گفت|افزود|کرد|داد|داشت|شد|است|نمود|نوشت)\s*:\s*"
)
OPENINGS = (ATTRIBUTION, AGENCY_WROTE, PRONOUN_SPEECH)

ADJUNCT_OPENERS = (
    "با اشاره به|با بیان اینکه|با بیان این‌که|با بیان این|با تاکید بر|با تأکید بر|با اعلام اینکه|با اعلام این‌که|"
    "ضمن|در حاشیه|درحاشیه"
)
# An adjunct clause ends at its comma; it must end in no finite verb (else it is a clause of its own).
ADJUNCT = re.compile(rf"(?:^|(?<=\s))(?:{ADJUNCT_OPENERS})\s[^،,:؛«»]{{0,160}}?[،,]\s*")
FINITE_VERB = re.compile(
    r"(?:^|\s)(?:می|نمی)[\s\u200c]?\S+$|(?:^|\s)(?:\S+\s+)?(?:کرد|کردند|شد|شدند|داد|دادند|است|هستند|بود|بودند|گفت|"
    r"گفتند|نمود|نمودند|دارد|دارند|کند|کنند|شود|شوند|افزود|خواهد|کرده|شده|داده)$"
)
# The same, where `می` must be written apart (ZWNJ or space, as the normalizer writes it): `میزبان`, `میلان` and
# `میلیون` are not verbs. For the checks of the shortenings below.
SPELLED_VERB = re.compile(FINITE_VERB.pattern.replace(r"[\s\u200c]?", r"[\s\u200c]", 1))
# A clause's last word that is a verb of its own (simple past, with a personal ending or the negative `ن`; `نیست`).
_SIMPLE_VERB = re.compile(
    r"^(?:ن)?(?:داشت|رفت|آمد|گرفت|رسید|ماند|زد|خورد|باخت|برد|دید|پیوست|نشست|گذشت|یافت|کشید|افتاد|ساخت|"
    r"انداخت|خواست|توانست|دانست|پرداخت|شناخت|ایستاد|بست|پذیرفت|آورد|رساند|کرد|شد|بود|گفت|داد|نوشت|پرسید)"
    r"(?:ند|م|یم|ید|ی)?$|^(?:نیست|نیستند|هست|هستیم|هستم|باشد|باشند)$"
)
ROLES = (
    "رئیس|ریاست|مدیرکل|مدیر کل|مدیرعامل|مدیر عامل|مدیر|وزیر|معاون|استاندار|فرماندار|سخنگوی|دبیر|عضو|نماینده|"
    "سرپرست|فرمانده|امام جمعه|دادستان|سفیر|کارشناس|مربی|سرمربی|بازیکن|نایب رئیس|شهردار|قائم‌مقام|جانشین|رایزن|"
    "دیپلمات|مشاور|ناظر|مسئول|بنیان‌گذار|موسس|مؤسس|رهبر|نخست‌وزیر|نخست وزیر|دبیرکل|استاد|پژوهشگر|هافبک|"
    "مهاجم|مدافع|دروازه‌بان|ستاره|کاپیتان"
)
TITLES = "دکتر|مهندس|سید|سیده|حجت‌الاسلام|آیت‌الله|سردار|امیر|سرتیپ|سرلشکر"
# Leads name people by their role: `عباس حیدری، رئیس هیئت ...، گفت` → `رئیس هیئت ... گفت`.
NAME_BEFORE_ROLE = re.compile(
    rf"^(?:(?:{TITLES})\s+)*[^\s،,:«]+(?:\s+[^\s،,:«]+){{0,3}}\s*[،,]\s*((?:{ROLES})[^،,:]{{0,120}}?)\s*[،,]\s*"
)
PARENTHESES = re.compile(r"\s*\([^()]{0,80}\)")
# A non-restrictive relative clause between commas: `X، که ...، گفت` → `X گفت`.
RELATIVE = re.compile(r"\s*[،,]\s*که\s[^،,:؛«».]{3,150}?[،,]\s*")
# The same when the role runs on to the verb: `ظهیر حیدری، مدیرعامل پتروشیمی ... گفت:` → `مدیرعامل پتروشیمی ... گفت:`.
NAME_THEN_ROLE = re.compile(rf"^(?:(?:{TITLES})\s+)*[^\s،,:«]+(?:\s+[^\s،,:«]+){{0,3}}\s*[،,]\s*(?=(?:{ROLES})\s)")
# Verbs that introduce what someone said (`X گفت: ...`), in the forms agency copy uses.
SPEECH_VERBS = (
    "گفت|افزود|اظهار داشت|اظهار کرد|عنوان کرد|عنوان داشت|تصریح کرد|اضافه کرد|ادامه داد|بیان کرد|بیان داشت|"
    "خاطرنشان کرد|خاطر نشان کرد|یادآور شد|یادآوری کرد|تاکید کرد|تأکید کرد|توضیح داد|اعلام کرد|اذعان کرد|"
    "ابراز داشت|ابراز کرد|تشریح کرد|نوشت|مطرح کرد|گفته است|افزوده است|می‌گوید|می‌افزاید"
)
_SPEECH = rf"(?:نیز\s+|همچنین\s+)?(?:{SPEECH_VERBS})\s*:\s*"
# `در گفت‌وگو با خبرنگار فارس در یزد` before the verb of saying: how the agency got the quote.
INTERVIEW = re.compile(
    rf"\s(?:(?:ظهر|صبح|عصر|شامگاه|بعدازظهر)\s+)?(?:امروز\s+|روز گذشته\s+|دیروز\s+)?"
    rf"در\s+(?:گفت{_S}?و{_S}?گو|گفتگو|مصاحبه|جمع\s+خبرنگاران|نشست\s+خبری)"
    rf"(?:\s+[^\s:،,«»]+){{0,8}}?\s*[،,]?(?=\s+{_SPEECH})"
)
INTERVIEW_WORDS = ("گو", "مصاحبه", "خبرنگاران", "نشست")  # one of them is in every match: a quick test first
# The speaker before a colon and a quote that is a sentence of its own: `مدیرکل ... گفت: ...` → the quote.
# So is `X گفت که ...` (reported speech: the clause after `که` has its own subject and verb).
SPEAKER = re.compile(rf"^[^:«»؛.!؟?]{{3,160}}?\s(?:{_SPEECH}|(?:نیز\s+|همچنین\s+)?(?:{SPEECH_VERBS})\s+که\s+)(?=\S)")
# What links the sentence to the one before, grammatically optional: `اما`, `با این حال،`, `در همین حال،`.
CONNECTIVE = re.compile(
    r"^(?:اما|ولی|البته|همچنین|هم‌چنین|بنابراین|با این حال|با این وجود|در همین حال|در همین راستا|در این راستا|"
    r"از سوی دیگر|از طرف دیگر|علاوه بر این|در ادامه|به علاوه|با این تفاسیر|از این رو|به همین دلیل|به همین خاطر|"
    r"در واقع|بدین ترتیب|به این ترتیب|بر این اساس|بر همین اساس|در این میان|در این بین|با این همه|ضمنا|ضمناً|"
    r"در عین حال|به هر حال|از همین رو|لذا|"
    r"(?:گفتنی|شایان ذکر|لازم به ذکر|قابل ذکر|ناگفته نماند)(?:\s+است)?(?:\s+که)?)\s*[،,:؛]?\s+"
    r"(?:(?:با این حال|با این وجود|در همین حال|از سوی دیگر|از طرف دیگر|علاوه بر این)\s*[،,]?\s+)?(?!و\s)"
)
# A prepositional adjunct that opens the sentence (or its quote) and ends at a comma: `بر اساس ...،`.
LEADING_ADJUNCT = re.compile(
    r"(?:^|(?<=:\s))(?:بر اساس|براساس|با توجه به|در پی|به دنبال|در راستای|به منظور|طبق|مطابق با|بنا بر|بنابر|"
    r"در خصوص|در مورد|درباره|به گفته|به اعتقاد|به عقیده|از نظر|از دیدگاه)\s[^،,:؛«»]{1,120}?[،,]\s*"
)
_NAME_WORD = rf"(?!(?:{ROLES}|{TITLES}|این|آن|همین|همان|وی|او)[\s،,])[^\s،,:«»]+"
# A speaker named, then their role without a comma: `احمد رضایی مدیرکل ... گفت:` → `مدیرکل ... گفت:`.
NAME_ROLE_SPEAKER = re.compile(
    rf"^(?:(?:{TITLES})\s+)*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}\s+(?=(?:{ROLES})\s[^:«»]{{0,120}}\s{_SPEECH})"
)
# A relative clause on the subject, with no comma before it: `سرمربی سایپا که ... دریغ نمی‌کند، بارها ... شد.`
# → `سرمربی سایپا بارها ... شد.` Only after a definite subject (a name, a role, a plural): after an indefinite head
# (`اتفاقی که`, `نتایجی که`) the clause is restrictive and carries the meaning; after a preposition (`درباره
# نتایجی که`) it qualifies an object, not the subject; after a verb (`گفت که`) it is reported speech.
# An adjunct that runs on to the verb of saying, commas and all: `X با اشاره به A، B و C گفت:` → `X گفت:` (the
# adjunct clause above stops at its first comma, which inside a list would leave `B و C گفت:`).
ADJUNCT_TO_SPEECH = re.compile(rf"(?<=\s)(?:{ADJUNCT_OPENERS})\s[^:؛«».]{{0,200}}?\s*(?={_SPEECH})")
# A subordinate clause that opens the sentence, up to its comma: temporal, concessive, causal or circumstantial
# (`پس از آنکه ... رسید،`, `با اینکه ... بود،`, `در حالی که ... است،`). The main clause after it has its own subject
# and verb (`_opening_clause`). Not a condition (`اگر`, `چنانچه`): without it the news is not true. The match stops
# at an `اما` answering the clause too, so that such a clause is seen (and kept: `_opening_clause`).
SUBORDINATE_OPENERS = (
    "در حالی که|در حالیکه|درحالی که|درحالی‌که|درحالیکه|در حالی‌که|پس از آنکه|پس از آن که|پس از آن‌که|پس از اینکه|"
    "پس از این که|پس از این‌که|بعد از اینکه|بعد از این که|بعد از این‌که|بعد از آنکه|بعد از آن که|قبل از اینکه|"
    "قبل از آنکه|پیش از اینکه|پیش از آنکه|وقتی که|وقتی|هنگامی که|هنگامی‌که|زمانی که|زمانی‌که|اگرچه|اگر چه|هرچند|"
    "هر چند|با وجود اینکه|با وجود این که|با وجود این‌که|با وجود آنکه|با اینکه|با این که|با این‌که|با آنکه|"
    "از آنجا که|از آنجایی که|از آنجا‌که|چون|همانطور که|همان‌طور که"
)
OPENING_CLAUSE = re.compile(
    rf"^(?:{SUBORDINATE_OPENERS})\s(?P<clause>[^،,:؛«».!؟?]{{3,200}}?)(?:\s*[،,]\s*|\s+(?=(?:اما|ولی)\s))"
)
# A verbless phrase that opens the sentence and ends at a comma: where and when (`در دقیقه ۲۵،`, `از بازی‌های
# هفته دهم لیگ،`, `با پایان یافتن مرحله اول،`, `عصر امروز،`). Not the first of a list (`در تهران، شیراز و ...`).
OPENING_PHRASE = re.compile(
    r"^(?:(?:در|از|با|به|برای|روی|طی|پس از|بعد از|قبل از|پیش از|بدون|علی‌رغم|علیرغم|با وجود|همزمان با|هم‌زمان با|"
    r"تا پیش از|در طول|در جریان|در پایان|در آغاز|در ابتدای|در شروع)\s(?:[^\s،,:؛«»()]+\s+){0,14}?[^\s،,:؛«»()]+"
    r"|(?:(?:صبح|ظهر|عصر|شب|بعدازظهر|بامداد|شامگاه|غروب)\s+)?(?:امروز|دیروز|روز گذشته|شب گذشته|هفته گذشته|"
    r"ماه گذشته|سال گذشته|امشب|دیشب|هم‌اکنون|اکنون|حالا|فردا)(?:\s+[^\s،,:؛«»()]+)?)\s*[،,]\s*(?=\S)"
    r"(?!(?:[^\s،,:؛«»]+\s+){0,1}[^\s،,:؛«»]+\s*(?:و\s|[،,]))"
)
# A role in apposition to a name inside the sentence, between commas: `ضربه او را سپه، دروازه‌بان پارما، به بیرون
# فرستاد` → `ضربه او را سپه به بیرون فرستاد`. The name stays; the role (with a relative clause on it) goes.
APPOSITION = re.compile(rf"(?<=[^\s،,])\s*[،,]\s*(?P<role>(?:{ROLES})\s[^،,:؛«»()]{{1,120}}?)\s*[،,]\s*")
# A heading-like topic before a quote (`حضور در میلان: «...»`): no verb, a few words, then the quote, which is the
# sentence.
TOPIC_LABEL = re.compile(r"^(?:[^\s:«»؛.!؟?،,]+\s+){0,6}[^\s:«»؛.!؟?،,]+\s*:\s*(?=«)")
SUBJECT_RELATIVE = re.compile(r"^((?:[^\s،,:؛«»()]+\s+){1,6}?)که\s([^،,:؛«»().]{3,160}?)\s*[،,]\s*")
_NOT_SUBJECT_WORDS = (
    "در با از به برای تا پس پیش بعد قبل اگر چون هرچند اما ولی وقتی زمانی هنگامی همان آنچه هر این آن وی او "
    "چنانچه درحالی حالی درباره مورد جز جایی طوری آنجا اینجا چنان است بود شد کرد گفت بلکه مگر چه یکی دسته"
)
_NOT_SUBJECT = frozenset(_NOT_SUBJECT_WORDS.split())
_CLAUSE_END = re.compile(r"(?:د|ت|ند|ست)$")  # a past stem or a personal ending: the clause has its verb


# Words that open a clause with no subject of its own (an adjunct, an adverb, `هم`): after an opening subordinate
# clause they mean the subject is that clause's (`با اینکه تیم ... بود، اما شب گذشته ... شکست خورد`), so it stays.
_NO_SUBJECT_OPENING_WORDS = (
    "در از با به برای تا پس پیش بعد قبل روی طی بدون هم نیز همچنان باز دوباره باید نباید توانست نتوانست شب روز "
    "امروز دیروز امشب دیشب فردا سپس بلافاصله حتی فقط تنها هنوز اکنون حالا نهایتا درنهایت کماکان به‌زودی زود"
)
_NO_SUBJECT_OPENING = frozenset(_NO_SUBJECT_OPENING_WORDS.split())


def _opening_clause(text: str, match: re.Match[str]) -> bool:
    """The clause has its verb before the comma, and what follows opens with its own subject."""
    clause = match.group("clause").strip()
    if len(clause.split()) < 3 or not _ends_with_verb(clause):
        return False  # the comma is inside the clause, before its verb (`هرچند در مقطعی با توجه به ...،`)
    if re.search(rf"(?:{SPEECH_VERBS})$", clause):
        return False  # `پس از آنکه X اعلام کرد، ...`: what follows is what was said
    if " که " in f" {clause} " or re.match(r"[\s،,]*(?:اما|ولی)\s", text[match.end("clause") :]):
        return False  # a comma after a `که` clause inside it; `..., اما` mostly answers with the same subject, unsaid
    rest = text[match.end() :].split()
    if not rest or rest[0] in _NO_SUBJECT_OPENING or rest[0].startswith(("می", "نمی")):
        return False
    return not SPELLED_VERB.search(rest[0])


def _ends_with_verb(clause: str) -> bool:
    return bool(SPELLED_VERB.search(clause) or _SIMPLE_VERB.match(clause.split()[-1]))


_ROLE_BEFORE = re.compile(rf"(?:^|\s)(?:{ROLES})\s(?:\S+\s+){{0,3}}\S+$")  # a role among the last words


def _apposition(text: str, match: re.Match[str]) -> bool:
    """A role between commas after a name, not the start of a clause: nothing before it ends with a verb, and the
    role has no verb of its own unless a relative clause on it holds that verb."""
    before = text[: match.start()].strip()
    if not before or _ends_with_verb(before):
        return False
    if _ROLE_BEFORE.search(before):
        return False  # a list of posts (`مسئول ...، ریاست ...، نایب رئیس ...`), not a name and its role
    role = match.group("role")
    if " و " in f" {role} ":
        return False  # `، نماینده تبریز و عباس فلاح،`: a list of people, or a clause (`دبیر جلسه به ... و ...`)
    if " که " in f" {role} ":  # a relative clause on the role: its verb ends it, and the role has none
        head, _, clause = f" {role} ".partition(" که ")
        return bool(head.strip()) and not _ends_with_verb(head) and bool(clause.strip()) and _ends_with_verb(clause)
    return not _ends_with_verb(role)


_THAT = re.compile(r"\s(?:اینکه|این‌که|این که|آنکه)\s")


def _adjunct_to_speech(adjunct: str) -> bool:
    """No piece of it (between commas or `و`) ends with a verb: `با اشاره به ... تأکید کرد و همچنین گفت:` holds a
    clause of its own. The content of `با بیان اینکه ...` has its verb, and may."""
    if _THAT.search(f" {adjunct} "):
        return True
    return not any(piece.strip() and _ends_with_verb(piece) for piece in re.split(r"[،,]|\sو\s", adjunct))


def _topic_label(text: str, match: re.Match[str]) -> bool:
    """No verb at its end (`میلان`, `میزبان` open with the letters of `می` but are not verbs), and the quote after it
    is all the rest of the sentence (`مارکا: «ریباند» که ...` goes on past the quote)."""
    rest = text[match.end() :]
    return not _ends_with_verb(match.group().rstrip(": ")) and rest.find("»") >= len(rest.rstrip(".!؟?")) - 1


PARTICIPLE_ENDINGS = ("شده", "کرده", "داشته", "بوده", "داده", "گرفته", "رفته", "آمده", "رسیده")


def _phrase(match: re.Match[str]) -> bool:
    """An opening phrase with no clause in it: no verb at its end, no `که` (`با اینکه ... داشت،` is a clause)."""
    phrase = match.group().rstrip("،, ")
    words = phrase.split()
    if len(words) > 5 or phrase.startswith("به نظر") or words[-1].endswith(PARTICIPLE_ENDINGS):
        return False  # a long one is often a clause or the first item of a list; `... مشخص‌شده،` has its verb
    return not _ends_with_verb(phrase) and not any(word.endswith("که") or word == "نیست" for word in words)


def _subject_relative(match: re.Match[str]) -> bool:
    head = match.group(1).split()
    if any(word in _NOT_SUBJECT for word in head) or head[-1].rstrip("\u200c").endswith("ی"):
        return False
    if FINITE_VERB.search(match.group(1).strip()):
        return False
    clause = match.group(2)
    return bool(_CLAUSE_END.search(clause.split()[-1]) or FINITE_VERB.search(clause))


OPTIONAL_PARTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (NAME_ROLE_SPEAKER, ""),
    (NAME_BEFORE_ROLE, r"\1 "),
    (NAME_THEN_ROLE, ""),
    (ADJUNCT_TO_SPEECH, ""),
    (ADJUNCT, ""),
    (PARENTHESES, ""),
    (RELATIVE, " "),
    (APPOSITION, " "),
    (SUBJECT_RELATIVE, r"\1"),
    (CONNECTIVE, ""),
    (LEADING_ADJUNCT, ""),
    (OPENING_CLAUSE, ""),
    (OPENING_PHRASE, ""),
    (OPENING_PHRASE, ""),  # `در دقیقه ۲۵، روی پاس X، ...`: a second one after the first
    (TOPIC_LABEL, ""),
    (SPEAKER, ""),
)
# Parts that may hold a finite verb of their own only if they are not clauses: checked before they go.
VERBLESS = (ADJUNCT, ADJUNCT_TO_SPEECH, LEADING_ADJUNCT)

# Openings that lean on an earlier sentence: the sentence does not stand alone.
DEPENDENT_OPENING = re.compile(
    r"^(?:وی|او|ایشان|این|آن|همچنین|اما|ولی|البته|بنابراین|در ادامه|در این|از این|به این|وی در|از سوی دیگر|"
    r"همچنین|علاوه بر این|در همین|هم‌چنین)(?:\s|$)"
)
NUMBER = re.compile(r"\d")
LATIN = re.compile(r"[A-Za-z]")
QUOTE = re.compile(r"[«\"“]")


def clean_sentence(text: str) -> str:
    """Remove what only makes sense inside the full article: how the agency got a quote (`در گفت‌وگو با
    خبرنگار ما`) and attribution openings, in any sequence (`مهر در خبری نوشت: وی ادامه داد: ...`), when the
    content follows them."""
    text = text.strip()
    if any(word in text for word in INTERVIEW_WORDS):
        text = INTERVIEW.sub("", text)
    changed = True
    while changed:
        changed = False
        for pattern in OPENINGS:
            rest = pattern.sub("", text, count=1)
            if rest != text and len(rest.split()) >= 3:
                text, changed = rest.strip(), True
    return text


def optional_cuts(text: str) -> list[str]:
    """The sentence, then shorter forms of it, each without one more part that grammar makes optional."""
    forms = [text]
    for pattern, replacement in OPTIONAL_PARTS:
        match = pattern.search(text)
        if not match:
            continue
        if pattern in VERBLESS and FINITE_VERB.search(match.group().rstrip("،, ")):
            continue  # `ضمن ... خبر داد،` is a clause with its own verb, not an adjunct
        if pattern is ADJUNCT_TO_SPEECH and not _adjunct_to_speech(match.group()):
            continue
        if pattern is ADJUNCT and _THAT.search(f" {match.group()} "):
            continue  # `با تأکید بر اینکه ...`: a clause inside, which ends at its verb, not at the first comma
        if pattern is SUBJECT_RELATIVE and not _subject_relative(match):
            continue
        if pattern is OPENING_CLAUSE and not _opening_clause(text, match):
            continue
        if pattern is APPOSITION and not _apposition(text, match):
            continue
        shorter = (text[: match.start()] + match.expand(replacement) + text[match.end() :]).strip()
        shorter = re.sub(r"\s{2,}", " ", shorter)
        if pattern is OPENING_PHRASE and not _phrase(match):
            continue
        if pattern is TOPIC_LABEL and not _topic_label(text, match):
            continue  # `X گفت: «...»` is a speaker, not a topic (SPEAKER)
        if shorter != text and len(shorter.split()) >= MIN_WORDS and shorter[-1:] == text[-1:]:
            text = shorter
            forms.append(text)
    return forms


@dataclass(frozen=True)
class Sentence:
    index: int  # among the candidates, in article order
    text: str  # with the attribution openings gone
    terms: list[str]
    words: int
    paragraph: int  # which line of the body it comes from
    first_in_paragraph: bool
    attributed: bool  # an attribution opening was removed: typical of an agency's first sentence
    tokens: tuple[str, ...] = ()  # every word in the matching form (what ROUGE counts), stopwords included

    @cached_property
    def forms(self) -> tuple[str, ...]:
        """The text, then shorter grammatical forms (worked out only for a sentence that does not fit)."""
        return tuple(optional_cuts(self.text))


@dataclass(frozen=True)
class Candidate:
    """One form of a sentence that may be shown, with its features (in the order of FEATURES)."""

    position: int  # of its sentence among the candidates
    form: str
    values: list[float]


def best_forms(n: int, candidates: Sequence[Candidate], weights: Sequence[float]) -> list[tuple[str, float]]:
    """For each of the n sentences, its best-scoring form and that score."""
    best: list[tuple[str, float] | None] = [None] * n
    for c in candidates:
        value = sum(w * x for w, x in zip(weights, c.values, strict=True))
        current = best[c.position]
        if current is None or value > current[1]:
            best[c.position] = (c.form, value)
    return [b if b is not None else ("", -math.inf) for b in best]


def shared_words(tokens: Sequence[str], *references: dict[str, int]) -> list[int]:
    """How many of the words are in each reference, each word of a reference matched once (ROUGE-1's overlap).
    The words are counted once (in C); then each reference's words are looked up in those counts: a title or a
    first sentence has fewer distinct words than the forms of sentences it is compared with."""
    counts = Counter(tokens)
    shared = []
    for reference in references:
        n = 0
        for word, wanted in reference.items():
            have = counts.get(word)
            if have and wanted > 0:
                n += have if have < wanted else wanted
        shared.append(n)
    return shared


@dataclass(frozen=True)
class Weighted:
    """A TF-IDF vector with its norm, so that one text is compared with many at the cost of one."""

    weights: dict[str, float]
    norm: float

    @classmethod
    def of(cls, terms: list[str], idf: dict[str, float]) -> Weighted:
        weights = {t: n * idf.get(t, 1.0) for t, n in Counter(terms).items()}
        return cls(weights, math.sqrt(sum(w * w for w in weights.values())))

    def cosine(self, other: Weighted) -> float:
        """The same value as terms.cosine over the two term lists."""
        if not self.norm or not other.norm:
            return 0.0
        small, large = sorted((self.weights, other.weights), key=len)
        dot = sum(w * large[t] for t, w in small.items() if t in large)
        return dot / (self.norm * other.norm)


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    fill_margin: float  # a further sentence fills the budget if its score is within this of the best's
    overflow: float = 0.0  # a whole sentence may run this share past the budget rather than be cut ...
    overflow_chars: int = 0  # ... or this many characters, if more (but never past twice the budget)

    def ceiling(self, budget: int) -> int:
        return budget + max(int(budget * self.overflow), min(budget, self.overflow_chars))

    @classmethod
    def from_json(cls, data: dict) -> Model:
        weights = data["weights"]
        return cls(
            tuple(FEATURES),
            tuple(float(weights.get(name, 0.0)) for name in FEATURES),
            float(data["fill_margin"]),
            float(data.get("overflow", 0.0)),
            int(data.get("overflow_chars", 0)),
        )


@cache
def shipped_model() -> Model:
    return Model.from_json(json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")))


FEATURES = (
    "first",
    "second",
    "inverse_sqrt_position",
    "relative_position",
    "first_in_paragraph",
    "like_first",
    "paragraph_index",
    "attributed",
    "title_cosine",
    "title_best",
    "title_cosine_to_best",
    "title_coverage",
    "centrality",
    "shared_terms",
    "title_f",
    "repeated_f",
    "length_ratio",
    "length_ratio_squared",
    "over_budget",
    "log_length_misfit",
    "log_words",
    "shortened",
    "dropped_share",
    "speaker_opening",
    "numbers",
    "quote",
    "colon",
    "latin",
    "dependent_opening",
    "question",
    "term_density",
    # Words (stopwords too) shared with the title and with the first sentence, as ROUGE counts them: the title
    # stands in for the lead it was written with. Each also against the article's best form ("_to_best").
    "title_word_precision",
    "title_word_recall",
    "title_word_f",
    "first_word_precision",
    "first_word_f",
    "title_word_precision_to_best",
    "title_word_recall_to_best",
    "title_word_f_to_best",
    "first_word_precision_to_best",
    "first_word_f_to_best",
)
WORD_OVERLAPS = 5  # the features above, before their "_to_best" forms


class Summarizer:
    def __init__(self, terms: TermExtractor, model: Model | None = None) -> None:
        self.extractor = terms
        self.model = model or shipped_model()

    def candidates(self, body: str) -> list[Sentence]:
        """Sentences fit to stand in a summary: whole sentences (not headings) of five words or more."""
        sentences: list[Sentence] = []
        fallback: list[Sentence] = []
        paragraph = 0
        for line in body.split("\n"):
            first = True
            for raw in split_sentences(line):
                text = clean_sentence(raw)
                tokens = matching_form(text).split()
                words = self.extractor.content_of(tokens)
                if not words:
                    continue
                item = Sentence(
                    index=len(fallback),
                    text=text,
                    terms=[self.extractor.stem(w) for w in words],
                    words=len(text.split()),
                    paragraph=paragraph,
                    first_in_paragraph=first,
                    attributed=len(text) < len(raw.strip()),
                    tokens=tuple(tokens),
                )
                first = False
                fallback.append(item)
                if item.words >= MIN_WORDS and text[-1] in SENTENCE_END:
                    sentences.append(item)
            paragraph += not first
        if not sentences:
            return fallback
        return [
            Sentence(i, s.text, s.terms, s.words, s.paragraph, s.first_in_paragraph, s.attributed, s.tokens)
            for i, s in enumerate(sentences)
        ]

    def shown_forms(self, s: Sentence, budget: int) -> list[str]:
        """The forms of a sentence that may be shown: its longest within the budget and its longest within the
        ceiling (whole or less shortened, overrunning a little); its shortest when neither exists."""
        if len(s.text) <= budget:
            return [s.text]
        ceiling = self.model.ceiling(budget)
        forms = [f for f in (next((f for f in s.forms if len(f) <= limit), None) for limit in (budget, ceiling)) if f]
        return list(dict.fromkeys(forms)) or [s.forms[-1]]

    def features(self, title: str, sentences: Sequence[Sentence], budget: int) -> list[Candidate]:
        """Each form of each sentence that may be shown, with its features."""
        idf = idf_over(s.terms for s in sentences)
        title_terms = self.extractor.terms(title)
        title_set = set(title_terms)
        document_vector = Weighted.of([t for s in sentences for t in s.terms], idf)
        title_vector, first_vector = Weighted.of(title_terms, idf), Weighted.of(sentences[0].terms, idf)
        repeated = {t for t, n in Counter(t for s in sentences for t in set(s.terms)).items() if n >= 2}
        n = len(sentences)
        budget_words = budget / CHARS_PER_WORD
        whole = [Weighted.of(s.terms, idf) for s in sentences]
        to_title = [v.cosine(title_vector) for v in whole]
        title_best = max(range(n), key=lambda i: (to_title[i], -i))  # the title-similarity choice
        title_words = Counter(matching_form(title).split())
        first_words = Counter(sentences[0].tokens)
        n_title, n_first = sum(title_words.values()), sum(first_words.values())
        rows = []
        for position, s in enumerate(sentences):
            for form in self.shown_forms(s, budget):
                if form == s.text:
                    tokens, terms = s.tokens, s.terms
                else:
                    tokens = tuple(matching_form(form).split())
                    terms = [self.extractor.stem(w) for w in self.extractor.content_of(list(tokens))]
                size = len(tokens)
                with_title, with_first = shared_words(tokens, title_words, first_words)
                ratio = min(len(form), budget) / max(1, budget)
                misfit = abs(math.log(max(1, len(form)) / max(1, budget)))
                form_words = len(form.split())
                distinct = set(terms)
                vector = whole[position] if form == s.text else Weighted.of(terms, idf)
                values = [
                    float(position == 0),
                    float(position == 1),
                    1 / math.sqrt(1 + position),
                    position / (n - 1) if n > 1 else 0.0,
                    float(s.first_in_paragraph),
                    vector.cosine(first_vector) if position else 1.0,
                    min(s.paragraph, 10) / 10,
                    float(s.attributed),
                    vector.cosine(title_vector),
                    float(position == title_best),
                    to_title[position] / max(to_title[title_best], 1e-9),
                    len(distinct & title_set) / len(title_set) if title_set else 0.0,
                    vector.cosine(document_vector),
                    len(distinct & repeated) / max(1, len(distinct)),
                    2 * sum(t in title_set for t in terms) / (form_words + budget_words),
                    2 * sum(t in repeated for t in terms) / (form_words + budget_words),
                    ratio,
                    ratio * ratio,
                    float(len(form) > budget),
                    misfit,
                    math.log1p(s.words),
                    float(form != s.text),
                    1 - len(form) / max(1, len(s.text)),
                    float(bool(SPEAKER.match(form))),
                    min(3, len(NUMBER.findall(form))) / 3,
                    float(bool(QUOTE.search(form))),
                    float(":" in form),
                    float(bool(LATIN.search(form))),
                    float(bool(DEPENDENT_OPENING.match(form))),
                    float(form[-1] in "?؟"),
                    len(terms) / max(1, form_words),
                    with_title / max(1, size),
                    with_title / max(1, n_title),
                    2 * with_title / max(1, size + n_title),
                    with_first / max(1, size),
                    2 * with_first / max(1, size + n_first),
                ]
                rows.append(Candidate(position, form, values))
        start = len(FEATURES) - 2 * WORD_OVERLAPS
        best = [max(c.values[start + k] for c in rows) for k in range(WORD_OVERLAPS)]
        for c in rows:
            c.values.extend(c.values[start + k] - best[k] for k in range(WORD_OVERLAPS))
        return rows

    def score(self, title: str, sentences: Sequence[Sentence], budget: int) -> list[tuple[str, float]]:
        """For each sentence, its best-scoring form that may be shown and that form's score."""
        return best_forms(len(sentences), self.features(title, sentences, budget), self.model.weights)

    def summarize(self, title: str, body: str, max_chars: int = 400) -> str:
        sentences = self.candidates(body)
        if not sentences or max_chars < 2:
            return ""
        scored = self.score(title, sentences, max_chars)
        return self.choose(sentences, scored, max_chars)

    def choose(self, sentences: Sequence[Sentence], scored: Sequence[tuple[str, float]], budget: int) -> str:
        """The best-scoring sentence that fits (whole, or without its optional parts), then fillers."""
        order = sorted(range(len(sentences)), key=lambda i: (-scored[i][1], i))
        ceiling = self.model.ceiling(budget)
        fitting = [i for i in order if len(scored[i][0]) <= ceiling]
        if not fitting:
            runners = [sentences[i].forms for i in order[:RUNNERS_UP]]
            return cut_to_clause_or_word(runners, scored[order[0]][0], budget, ceiling)
        best = fitting[0]
        chosen, used = {best: scored[best][0]}, len(scored[best][0])
        idf = idf_over(s.terms for s in sentences)
        for i in fitting[1:]:
            if scored[i][1] < scored[best][1] - self.model.fill_margin:
                break
            text = sentences[i].text if used + 1 + len(sentences[i].text) <= budget else scored[i][0]
            if used + 1 + len(text) > budget:
                continue
            if any(cosine(sentences[i].terms, sentences[j].terms, idf) > MAX_OVERLAP for j in chosen):
                continue  # redundant: it says again what is already there
            chosen[i] = text
            used += 1 + len(text)
        return " ".join(chosen[i] for i in sorted(chosen))


# Where a clause of a coordinated sentence may end: before `و` or a comma that follows its verb.
CLAUSE_JOINT = re.compile(r"\s+و\s+|\s*[،,]\s+")
PARTICIPLES = frozenset(("کرده", "شده", "داده"))  # `... کرده و ...`: the tense comes from a later verb
SUBORDINATORS_WORDS = "اگر اگرچه هرچند چنانچه وقتی زمانی هنگامی چون تا درحالی در پس بعد قبل با"
SUBORDINATORS = frozenset(SUBORDINATORS_WORDS.split())
RELATIVE_PRONOUNS = frozenset(("آنچه", "آن‌چه", "هرچه", "چنانکه", "چنان‌که"))
OPENING_SUBORDINATOR = re.compile(rf"^(?:(?:اما|ولی|و)\s+)?(?:{SUBORDINATE_OPENERS}|اگر|چنانچه|مگر|تا)\s")


def first_clauses(text: str, limit: int) -> str | None:
    """The longest opening of a sentence within `limit` characters that is a sentence of its own: whole
    clauses ending with a finite verb before `و` or a comma (`A اعلام کرد و B ...` → `A اعلام کرد.`), so the
    first clause and its main verb stay. None when there is no such opening: not after a participle (`کرده و`),
    a `که` or `آنچه` clause (a relative or reported clause needs what follows), a subordinate clause (`اگر`,
    `وقتی`, `با ...`; also after `و`: `... و هرچند ...`), a word that only looks like a verb (`میوه`), or a quote or
    parenthesis left open."""
    if text.split(maxsplit=1)[0] in SUBORDINATORS:
        return None
    best = None
    last_start = 0  # where the last clause of the opening starts
    for joint in CLAUSE_JOINT.finditer(text):
        head = text[: joint.start()].rstrip("،,؛: ")
        if len(head) + 1 > limit:
            break
        words = head.split()
        last_clause, last_start = text[last_start : joint.start()].strip(), joint.end()
        if len(words) < MIN_WORDS or words[-1] in PARTICIPLES or not _ends_with_verb(head):
            continue  # `... میوه`, `... دو میلیون`: the letters of `می`, no verb
        if any(w.endswith("که") or w in RELATIVE_PRONOUNS for w in words) or OPENING_SUBORDINATOR.match(last_clause):
            continue  # `اما طبق آنچه ... بود`, `... و هرچند ... می‌کنند`: the clause waits for its main clause
        if head.count("«") != head.count("»") or "(" in head:
            continue
        best = head + "."
    return best


def cut_to_clause_or_word(sentences: Sequence[Sequence[str]], best: str, budget: int, ceiling: int) -> str:
    """When no form of any sentence fits the ceiling: the longest opening of one of the best sentence's forms that
    is whole clauses within the ceiling (a sentence that ends, as whole sentences may run to it), else the same of
    the next sentence given (the runner-up), else the best sentence's best form cut at a word within the budget.
    `sentences` holds the forms of each, best first."""
    for forms in sentences:
        clauses = [c for c in (first_clauses(form, ceiling) for form in forms) if c]
        if clauses:
            return max(clauses, key=len)
    return cut_at_word(best, budget)


def within_length(text: str, budget: int, ceiling: int) -> str:
    """The length rule of every summary, ours and the evaluation's baselines alike: a text up to `ceiling`
    characters stays whole (a bounded overrun to finish a sentence); a longer one is cut at a word within
    `budget`."""
    return text if len(text) <= ceiling else cut_at_word(text, budget)


def cut_at_word(text: str, budget: int) -> str:
    """At most `budget` characters, cut at a space, marked with an ellipsis."""
    if len(text) <= budget:
        return text
    head = text[: max(0, budget - 1)]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip("،؛,:- ") + ELLIPSIS
