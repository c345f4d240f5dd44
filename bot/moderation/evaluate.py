"""Measure the word filters (`make eval`): false alarms on clean text, offensive comments and evasions caught.

    python -m bot.moderation.evaluate [--banned FILE ...] [--articles DIR]

Each banned list in turn (by default our own, data/eval/insults_fa.txt, and the public persian-swear-words
3.0.0, data/eval/persian-swear-words.txt), with its entries of three letters or more (as issue #11 measured),
for three matchers side by side: whole words (the entry as a word of the text, letters unified, `آ` kept: what
any matcher flags, the floor), the folding used before issue #11, and the word filters. Rows: the share of clean
news sentences (../shared/data/articles, and each source apart) they flag, of the seed page's reader comments,
of our own neutral comments; the share of our own offensive comments they catch (a proxy: no real offensive
comments are at hand), and of spelling evasions generated from the list. Then the news sentences the word
filters flag, by the way the words were read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.cli_screen import ListError, read_list
from bot.moderation.wordfilter import Hit, WordFilter
from bot.text.chars import ZWNJ
from bot.text.normalize import filter_form
from bot.text.phrases import fold, phrase_keys
from bot.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "data" / "eval"
BANNED = (EVAL / "insults_fa.txt", EVAL / "persian-swear-words.txt")
OFFENSIVE = EVAL / "offensive_comments_fa.txt"
NEUTRAL = EVAL / "neutral_comments_fa.txt"
MIN_LETTERS = 3
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
    """The entry as a whole word (or its words in a row) of the text; look-alike letters, diacritics and
    zero-width characters unified, `آ` kept: the floor, what any matcher that finds the entry flags."""
    keys = {filter_form(p): p for p in phrases}

    def match(text: str) -> str | None:
        padded = f" {filter_form(text)} "
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
    return [sentence for _, sentence in sourced_sentences(directory)]


def sourced_sentences(directory: Path) -> list[tuple[str, str]]:
    """(source, sentence) for a sample of at most about MAX_SENTENCES sentences of the articles."""
    sentences: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                article = json.loads(line)
                source = str(article.get("source") or article.get("agency") or path.stem)
                text = article["text"].replace(" [n] ", "\n").replace("[n]", "\n")
                sentences += [(source, sentence) for sentence in split_sentences(text)]
    step = max(1, len(sentences) // MAX_SENTENCES)
    return sentences[::step]


def lines(path: Path) -> list[str]:
    return read_list(str(path)) if path.exists() else []


def letters(phrase: str) -> int:
    return sum(char.isalpha() for char in phrase)


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
    parser.add_argument(
        "--banned", action="append", help="banned phrases, one a line (repeat for several lists; default: both)"
    )
    parser.add_argument("--articles", default=str(ARTICLES), help="folder of .jsonl articles (clean text)")
    args = parser.parse_args(argv)
    try:
        lists = [(path, read_list(str(path))) for path in (args.banned or BANNED)]
    except ListError as error:
        print(error, file=sys.stderr)
        return 2
    news = sourced_sentences(Path(args.articles))
    texts = {
        "seed": seed_comments(SEED),
        "neutral": lines(NEUTRAL),
        "offensive": lines(OFFENSIVE),
    }
    for path, phrases in lists:
        report(path, phrases, news, texts)
    return 0


def report(path: Path | str, phrases: list[str], news: list[tuple[str, str]], texts: dict[str, list[str]]) -> None:
    banned = [phrase for phrase in phrases if letters(phrase) >= MIN_LETTERS]
    words = WordFilter.of(banned)
    explained: dict[str, Hit | None] = {}  # the word filters' answers, kept for the table by way

    def explain(text: str) -> Hit | None:
        if text not in explained:
            explained[text] = words.explain(text)
        return explained[text]

    def filters(text: str) -> str | None:
        hit = explain(text)
        return hit.filter.phrase if hit else None

    matchers: dict[str, Matcher] = {
        "whole words": exact_matcher(banned),
        "previous folding": previous_matcher(banned),
        "word filters": filters,
    }
    single = [w for w in banned if " " not in w]
    by_class: dict[str, list[str]] = {}
    for word in single:
        for trick, variant in evasions(word).items():
            by_class.setdefault(trick, []).append(CARRIER.format(variant))
    ordinary = sum(words.is_ordinary(phrase) for phrase in banned)
    print(f"Word filters, {len(banned)} banned phrases of {MIN_LETTERS}+ letters ({len(phrases)} in {path}),")
    print(f"  {ordinary} of them ordinary words (found only as whole words)")
    print(f"  {'':<40}" + "".join(f"{name:>18}" for name in matchers))

    def row(label: str, rows: list[str]) -> None:
        cells = []
        for matcher in matchers.values():
            hits, total = rate(matcher, rows)
            cells.append(f"{100 * hits / max(total, 1):17.1f}%")
        print(f"  {label:<40}" + "".join(cells))

    sentences = [sentence for _, sentence in news]
    print("  flagged (lower is better):")
    row(f"  clean news sentences ({len(sentences)})", sentences)
    for source in sorted({source for source, _ in news}):
        part = [sentence for s, sentence in news if s == source]
        row(f"    from {source} ({len(part)})", part)
    if texts["seed"]:
        row(f"  seed page comments ({len(texts['seed'])})", texts["seed"])
    if texts["neutral"]:
        row(f"  our neutral comments ({len(texts['neutral'])})", texts["neutral"])
    print("  caught (higher is better):")
    if texts["offensive"]:
        row(f"  our offensive comments ({len(texts['offensive'])})", texts["offensive"])
    every = [text for rows in by_class.values() for text in rows]
    row(f"  evasions, all ({len(every)})", every)
    for trick, rows in by_class.items():
        row(f"    {trick} ({len(rows)})", rows)
    print("  clean news sentences the word filters flag, by way:")
    ways: dict[str, dict[str, int]] = {}
    examples: dict[str, str] = {}
    for sentence in sentences:
        hit = explain(sentence)
        if hit is None:
            continue
        way = hit.way.value if hit.way else "Finglish"
        found = " ".join(hit.words)
        counts = ways.setdefault(way, {})
        counts[hit.filter.phrase] = counts.get(hit.filter.phrase, 0) + 1
        examples.setdefault(way, f"«{hit.filter.phrase}» in «{found}»: {sentence[:60]}")
    for way, counts in sorted(ways.items(), key=lambda item: -sum(item[1].values())):
        top = ", ".join(f"{phrase} {n}" for phrase, n in sorted(counts.items(), key=lambda item: -item[1])[:8])
        print(f"    {way} ({sum(counts.values())}): {top}")
        print(f"      e.g. {examples[way]}")


if __name__ == "__main__":
    sys.exit(main())
