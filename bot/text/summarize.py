"""Extractive summaries in the editor's style: the most lead-like sentence, shortened to the budget.

Each sentence is scored by (the weights were chosen on the development set, where settings near these
scored alike, and are kept round on purpose):
    1 / sqrt(1 + position)              lead bias: news puts the point first
  + 3.0 × similarity to the title       the title says what the story is
  + 0.5 × similarity to the whole text  centrality: the sentence speaks for the article
  + 0.5 × length fit                    min(len, budget) / max(len, budget)
Similarities are TF-IDF cosines over stems without stopwords. The best sentence is taken; if it is longer
than the budget it is shortened the way editors write leads (attribution, a name before its title, a
subordinate clause, parentheses, then the least informative clauses go); if it is shorter, further
sentences that score at least half as well and repeat little of it fill the budget. Output keeps the
original sentence order, ends on a sentence (or, when one sentence must be cut, a clause and `…`) and is
deterministic.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.text.sentences import split_sentences
from bot.text.terms import TermExtractor, cosine, idf_over

WEIGHT_TITLE = 3.0
WEIGHT_CENTRALITY = 0.5
WEIGHT_FIT = 0.5
FILL_RATIO = 0.5
MAX_OVERLAP = 0.6
MIN_WORDS = 5
SENTENCE_END = '.!?؟…»"”)'
ELLIPSIS = "…"

_SPACE = r"[\s\u200c]"
ATTRIBUTION = re.compile(
    rf"^(?:به{_SPACE}گزارش|به{_SPACE}نقل{_SPACE}از|بنا{_SPACE}بر{_SPACE}گزارش|بنابر{_SPACE}گزارش)[^،,؛:]{{0,90}}[،,؛:]\s*"
)
# `وی افزود:` has no antecedent once the sentence stands alone.
PRONOUN_SPEECH = re.compile(r"^(?:وی|او|ایشان)\s+(?:[^\s:]+\s+){0,3}?(?:گفت|افزود|کرد|داد|داشت|شد|است)\s*:\s*")
SUBCLAUSE = re.compile(
    r"(?:^|(?<=\s))(?:با اشاره به|با بیان اینکه|با بیان این‌که|با تاکید بر اینکه|با تأکید بر اینکه|ضمن|در حاشیه|درحاشیه)"
    r"[^،:]{0,160}،\s*"
)
ROLES = (
    "رئیس|ریاست|مدیرکل|مدیر کل|مدیرعامل|مدیر عامل|مدیر|وزیر|معاون|استاندار|فرماندار|سخنگوی|دبیر|عضو|نماینده|"
    "سرپرست|فرمانده|امام جمعه|دادستان|سفیر|کارشناس|مربی|سرمربی|بازیکن|نایب رئیس|شهردار|قائم‌مقام|جانشین|رایزن|"
    "دیپلمات|مشاور|ناظر|مسئول|بنیان‌گذار|موسس|مؤسس|رهبر|نخست‌وزیر|نخست وزیر|دبیرکل|استاد|پژوهشگر|عضو هیئت"
)
TITLES = "دکتر|مهندس|سید|سیده|حجت‌الاسلام|آیت‌الله|سردار|امیر|سرتیپ|سرلشکر"
# Leads name people by their role: `عباس حیدری، رئیس هیئت ...، گفت` → `رئیس هیئت ... گفت`.
NAME_BEFORE_ROLE = re.compile(
    rf"^(?:(?:{TITLES})\s+)*[^\s،,:«]+(?:\s+[^\s،,:«]+){{0,3}}\s*[،,]\s*((?:{ROLES})[^،,:]{{0,120}}?)\s*[،,]\s*"
)
PARENTHESES = re.compile(r"\s*\([^()]{0,80}\)")
CLAUSE_BREAK = re.compile(r"(?<=[،؛,])\s+")


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    terms: list[str]


def clean_sentence(text: str) -> str:
    """Remove what only makes sense inside the full article (agency attribution, `وی گفت:`)."""
    return PRONOUN_SPEECH.sub("", ATTRIBUTION.sub("", text.strip())).strip()


class Summarizer:
    def __init__(self, terms: TermExtractor) -> None:
        self.extractor = terms

    def candidates(self, body: str) -> list[Sentence]:
        """Sentences fit to stand in a summary: whole sentences (not headings) of five words or more."""
        sentences, fallback = [], []
        for raw in split_sentences(body):
            text = clean_sentence(raw)
            words = self.extractor.content_words(text)
            if not words:
                continue
            item = Sentence(len(fallback), text, [self.extractor.stem(w) for w in words])
            fallback.append(item)
            if len(text.split()) >= MIN_WORDS and text[-1] in SENTENCE_END:
                sentences.append(item)
        return sentences or fallback

    def summarize(self, title: str, body: str, max_chars: int = 400) -> str:
        sentences = self.candidates(body)
        if not sentences or max_chars < 2:
            return ""
        scores = self.score(title, sentences, max_chars)
        order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        best = sentences[order[0]]
        idf = idf_over(s.terms for s in sentences)
        if len(best.text) > max_chars:
            repeated = Counter(t for s in sentences for t in set(s.terms))
            key_terms = set(self.extractor.terms(title)) | {t for t, n in repeated.items() if n >= 2}
            return self.shorten(best.text, max_chars, key_terms, idf)
        chosen, used = [best], len(best.text)
        for i in order[1:]:
            candidate = sentences[i]
            if scores[i] < FILL_RATIO * scores[order[0]]:
                break
            if used + 1 + len(candidate.text) > max_chars:
                continue
            if any(cosine(candidate.terms, c.terms, idf) > MAX_OVERLAP for c in chosen):
                continue  # redundant: it says again what is already there
            chosen.append(candidate)
            used += 1 + len(candidate.text)
        return " ".join(s.text for s in sorted(chosen, key=lambda s: s.index))

    def score(self, title: str, sentences: list[Sentence], budget: int) -> list[float]:
        idf = idf_over(s.terms for s in sentences)
        title_terms = self.extractor.terms(title)
        document = [t for s in sentences for t in s.terms]
        scores = []
        for position, sentence in enumerate(sentences):
            length = len(sentence.text)
            scores.append(
                1 / (1 + position) ** 0.5
                + WEIGHT_TITLE * cosine(sentence.terms, title_terms, idf)
                + WEIGHT_CENTRALITY * cosine(sentence.terms, document, idf)
                + WEIGHT_FIT * min(length, budget) / max(length, budget)
            )
        return scores

    def shorten(self, text: str, budget: int, key_terms: set[str], idf: dict[str, float]) -> str:
        """Cut one sentence down to the budget the way an editor writes a lead from it."""
        for pattern, replacement in (
            (NAME_BEFORE_ROLE, r"\1 "),
            (SUBCLAUSE, ""),
            (PARENTHESES, ""),
        ):
            if len(text) <= budget:
                return text
            text = pattern.sub(replacement, text, count=1).strip()
        if len(text) <= budget:
            return text
        clauses = CLAUSE_BREAK.split(text)
        if len(clauses) > 1:
            keep = list(range(len(clauses)))

            def value(i: int) -> float:
                terms = self.extractor.terms(clauses[i])
                return sum(idf.get(t, 1.0) for t in terms if t in key_terms) / (len(clauses[i]) + 20)

            while sum(len(clauses[i]) + 1 for i in keep) - 1 > budget and len(keep) > 1:
                keep.remove(min(keep, key=lambda i: (value(i), -i)))
            text = " ".join(clauses[i] for i in keep).rstrip("،؛, ")
            if not text.endswith(tuple(SENTENCE_END)):
                text += "."
            if len(text) <= budget:
                return text
            text = text[:-1] if text.endswith(".") else text
        return cut_at_word(text, budget)


def cut_at_word(text: str, budget: int) -> str:
    """At most `budget` characters, cut at a space, marked with an ellipsis."""
    if len(text) <= budget:
        return text
    head = text[: max(0, budget - 1)]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip("،؛,:- ") + ELLIPSIS
