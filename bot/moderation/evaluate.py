"""Measure the word filters (`make eval`): false alarms on clean text and evasions caught.

    python -m bot.moderation.evaluate [--banned FILE] [--articles DIR]

With the insult list in data/eval (our own) as banned words, for three matchers side by side (whole words
of the matching form, the folding used until now, and the word filters): the share of clean news sentences
(../shared/data/articles) and of the seed page's reader comments they flag, and the share of spelling
evasions, generated from the list, that they catch.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.cli_screen import ListError, read_list
from bot.moderation.wordfilter import WordFilter
from bot.text.chars import ZWNJ
from bot.text.normalize import matching_form
from bot.text.phrases import fold, phrase_keys
from bot.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]
BANNED = ROOT / "data" / "eval" / "insults_fa.txt"
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent)
ARTICLES = SHARED / "data" / "articles"
SEED = SHARED / "data" / "seed" / "article_with_comments.txt"
CARRIER = "راستش تو {} هستی"
MAX_SENTENCES = 10_000
LOOK_ALIKES = str.maketrans({"ی": "ي", "ک": "ك"})
# Letters that sound alike: a reader who swaps them writes another word, which no folding should undo.
SOUND_ALIKES = str.maketrans({"ق": "غ", "س": "ص", "ت": "ط", "ز": "ذ", "ح": "ه"})

Matcher = Callable[[str], str | None]


def exact_matcher(phrases: list[str]) -> Matcher:
    keys = {matching_form(p): p for p in phrases}

    def match(text: str) -> str | None:
        padded = f" {matching_form(text)} "
        return next((phrase for key, phrase in keys.items() if f" {key} " in padded), None)

    return match


def previous_matcher(phrases: list[str]) -> Matcher:
    """The folding the filters used before: every repeat collapsed, آ as ا, suffixes off any stem."""
    keys = {fold(p): p for p in phrases}

    def match(text: str) -> str | None:
        found = phrase_keys(text) & keys.keys()
        return keys[min(found)] if found else None

    return match


def filter_matcher(phrases: list[str]) -> Matcher:
    words = WordFilter.of(phrases)

    def match(text: str) -> str | None:
        hit = words.match(text)
        return hit.phrase if hit else None

    return match


def evasions(word: str) -> dict[str, str]:
    """Spellings of one banned word that a reader may type to get it past a filter."""
    middle = len(word) // 2
    variants = {
        "repeated letter": word[:middle] + word[middle] * 4 + word[middle + 1 :],
        "ZWNJ inside": word[:middle] + ZWNJ + word[middle:],
        "tatweel inside": word[:middle] + "ـــ" + word[middle:],
        "diacritics": "".join(char + "َ" for char in word),
        "zero-width joiner": word[:middle] + "\u200d" + word[middle:],
        "letters spaced": " ".join(word),
        "letters dotted": ".".join(word),
        "space inside": word[:middle] + " " + word[middle:],
        "plural after ZWNJ": word + ZWNJ + "ها",
        "glued ی (stems of 4+)": word + "ی" if len(word) >= 4 else "",
        "glued ی (shorter stems)": word + "ی" if len(word) < 4 else "",
        "Arabic look-alikes": word.translate(LOOK_ALIKES),
        "sound-alike letter (not caught)": word.translate(SOUND_ALIKES),
    }
    return {trick: variant for trick, variant in variants.items() if variant and variant != word}


def clean_sentences(directory: Path) -> list[str]:
    sentences: list[str] = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sentences += split_sentences(json.loads(line)["text"].replace(" [n] ", "\n").replace("[n]", "\n"))
    step = max(1, len(sentences) // MAX_SENTENCES)
    return sentences[::step]


def seed_comments(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("نظرات شما", 1)[-1].splitlines()
    comments = [line.strip() for line in lines if line.startswith("      ") and line.strip()]
    return [c for c in comments if not c.startswith("•") and "نظرات شما" not in c]


def rate(matcher: Matcher, texts: Iterable[str]) -> tuple[int, int]:
    texts = list(texts)
    return sum(matcher(text) is not None for text in texts), len(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--banned", default=str(BANNED), help="banned phrases, one a line")
    parser.add_argument("--articles", default=str(ARTICLES), help="folder of .jsonl articles (clean text)")
    args = parser.parse_args(argv)
    try:
        banned = read_list(args.banned)
    except ListError as error:
        print(error, file=sys.stderr)
        return 2
    matchers = {
        "whole words": exact_matcher(banned),
        "previous folding": previous_matcher(banned),
        "word filters": filter_matcher(banned),
    }
    news = clean_sentences(Path(args.articles))
    comments = seed_comments(SEED)
    words = [w for w in banned if " " not in w and len(w) >= 3]
    by_class: dict[str, list[str]] = {}
    for word in words:
        for trick, variant in evasions(word).items():
            by_class.setdefault(trick, []).append(CARRIER.format(variant))
    print(f"Word filters, {len(banned)} banned phrases from {args.banned}")
    print(f"  {'':<34}" + "".join(f"{name:>18}" for name in matchers))

    def row(label: str, texts: list[str]) -> None:
        cells = []
        for matcher in matchers.values():
            hits, total = rate(matcher, texts)
            cells.append(f"{100 * hits / max(total, 1):17.1f}%")
        print(f"  {label:<34}" + "".join(cells))

    row(f"clean news sentences ({len(news)})", news)
    if comments:
        row(f"seed page comments ({len(comments)})", comments)
    print("  evasions caught:")
    every = [text for texts in by_class.values() for text in texts]
    row(f"  all ({len(every)})", every)
    for trick, texts in by_class.items():
        row(f"  {trick} ({len(texts)})", texts)
    flagged = [(s, filter_matcher(banned)(s)) for s in news[:: max(1, len(news) // 4000)]]
    examples = [f"{phrase}: {s[:70]}" for s, phrase in flagged if phrase][:8]
    if examples:
        print("  news sentences the word filters flag, for example:")
        for example in examples:
            print(f"    {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
