"""Measure the story scorer (`make eval`): precision and recall on our labelled reports, false merges on the archive.

    python -m bot.news.evaluate_stories [--reports FILE] [--articles DIR]

1. tests/fixtures/story_reports.jsonl: reports we wrote, several per event, as agencies word them (quakes,
   accidents, press briefings, football, economy, weather), with hard negatives: another quake of the same
   town, another briefing of the same ministry, the same player in another story. Every pair of reports of one
   topic is a labelled pair: same event or not. Printed: precision and recall at the shipped threshold, and
   around it.
2. ../shared/data/articles/train.jsonl: articles of one day (farsnews by the date in its URL; varzesh3 by
   blocks of 250 consecutive news ids, about a day of that site) are nearly all different events. Each day is
   clustered as the bot would; printed: how many articles joined another's story (each is a possible false
   merge), with the pairs, so that they can be read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from bot.news import identity
from bot.news.stories import THRESHOLD, SignalExtractor, Signals, StoryIndex, default_rarity, score
from bot.text.tag_prior import SHARED_ARTICLES

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "fixtures" / "story_reports.jsonl"
HOUR = 3600
BASE = 1_767_000_000
VARZESH3_DAY = 250  # news ids per day, about (the site's median gap between ids in train is ~40 for ~6 a day)
_FARS_DAY = re.compile(r"/news/(1[34]\d{6})")
_VARZESH3_ID = re.compile(r"varzesh3\.com/news/(\d+)")


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def report_signals(extractor: SignalExtractor, report: dict) -> Signals:
    created = BASE + int(float(report.get("hours", 0)) * HOUR)
    text = f"{report['title']}\n{report['lead']}"
    return extractor.extract(report["title"], report["lead"], created, identity.signature(text), report.get("source"))


def labelled_pairs(reports: list[dict]) -> list[tuple[int, int, bool]]:
    """Every pair of reports of one topic: (i, j, same event)."""
    return [
        (i, j, reports[i]["event"] == reports[j]["event"])
        for i, j in itertools.combinations(range(len(reports)), 2)
        if reports[i]["topic"] == reports[j]["topic"]
    ]


def precision_recall(scores: list[tuple[float, bool]], threshold: float) -> tuple[float, float, int, int, int]:
    tp = sum(1 for value, same in scores if value >= threshold and same)
    fp = sum(1 for value, same in scores if value >= threshold and not same)
    fn = sum(1 for value, same in scores if value < threshold and same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def evaluate_pairs(path: Path, threshold: float) -> tuple[float, float]:
    reports = load_jsonl(path)
    extractor = SignalExtractor()
    rarity = default_rarity()
    signals = [report_signals(extractor, report) for report in reports]
    pairs = labelled_pairs(reports)
    scores = [(score(signals[i], signals[j], rarity).value, same) for i, j, same in pairs]
    positives = sum(same for _, _, same in pairs)
    events = len({report["event"] for report in reports})
    print(f"Story pairs ({path.name}): {len(reports)} reports of {events} events, {len(pairs)} same-topic pairs "
          f"({positives} same event, {len(pairs) - positives} different events)")  # fmt: skip
    print("  threshold  precision  recall   merged  false merges  missed")
    for value in sorted({threshold, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6}):
        p, r, tp, fp, fn = precision_recall(scores, value)
        mark = "  ← shipped" if value == threshold else ""
        print(f"  {value:9.2f}  {p:9.3f}  {r:6.3f}  {tp:7d}  {fp:12d}  {fn:6d}{mark}")
    wrong = [(value, i, j) for (value, same), (i, j, _) in zip(scores, pairs, strict=True)
             if (value >= threshold) != same]  # fmt: skip
    for value, i, j in sorted(wrong, reverse=True):
        kind = "false merge" if value >= threshold else "missed"
        print(f"    {kind} {value:.2f}: {reports[i]['title'][:50]} | {reports[j]['title'][:50]}")
    held_out(reports, pairs, scores)
    # Clustered in order of publication, as the bot does: each report joins a story or starts one.
    index = StoryIndex(rarity, threshold=threshold)
    order = sorted(range(len(reports)), key=lambda i: signals[i].created_at)
    story_of: dict[int, int] = {}
    for i in order:
        match = index.best(signals[i])
        story_of[i] = match.story_id if match else i
        index.add(i, story_of[i], signals[i])
    clustered = {(i, j): story_of[i] == story_of[j] for i, j, _ in pairs}
    cp, cr, *_ = precision_recall([(1.0 if clustered[(i, j)] else 0.0, same) for i, j, same in pairs], 0.5)
    print(f"  clustered in publication order: {len(set(story_of.values()))} stories for {events} events; "
          f"pair precision {cp:.3f}, recall {cr:.3f}")  # fmt: skip
    return precision_recall(scores, threshold)[:2]


GRID = [round(0.30 + 0.01 * step, 2) for step in range(31)]


def held_out(reports: list[dict], pairs: list[tuple[int, int, bool]], scores: list[tuple[float, bool]]) -> None:
    """The threshold chosen on half of the events (the lowest with precision ≥ 0.95 there), measured on the
    other half: what to expect of texts the threshold was not chosen on. Pairs across the halves are left out."""
    events = sorted({report["event"] for report in reports})
    halves: list[list[tuple[float, bool]]] = [[], []]
    for value, (i, j, _) in zip(scores, pairs, strict=True):
        first, second = events.index(reports[i]["event"]) % 2, events.index(reports[j]["event"]) % 2
        if first == second:
            halves[first].append(value)
    for chosen, other in ((0, 1), (1, 0)):
        tuned = next((t for t in GRID if precision_recall(halves[chosen], t)[0] >= 0.95), GRID[-1])
        p, r, *_ = precision_recall(halves[other], tuned)
        print(f"  threshold chosen on half {chosen + 1} of the events: {tuned:.2f}; on the other half "
              f"precision {p:.3f}, recall {r:.3f}")  # fmt: skip


def archive_days(path: Path) -> dict[str, list[dict]]:
    days: dict[str, list[dict]] = defaultdict(list)
    for article in load_jsonl(path):
        url = str(article.get("url") or "")
        if match := _FARS_DAY.search(url):
            days[f"fars-{match.group(1)}"].append(article)
        elif match := _VARZESH3_ID.search(url):
            days[f"varzesh3-{int(match.group(1)) // VARZESH3_DAY}"].append(article)
    return {day: articles for day, articles in days.items() if len(articles) > 1}


def evaluate_archive(path: Path, threshold: float, show: int = 15) -> int:
    extractor = SignalExtractor()
    rarity = default_rarity()
    days = archive_days(path)
    merged: list[tuple[float, str, str]] = []
    articles_seen = copies = 0
    for day_articles in days.values():
        index = StoryIndex(rarity, threshold=threshold)
        titles: set[str] = set()
        for number, article in enumerate(day_articles):
            if identity.title_key(article["title"]) in titles:
                copies += 1  # the archive holds some articles twice: the same title is known, not clustered
                continue
            titles.add(identity.title_key(article["title"]))
            body = str(article.get("lead") or "") + " " + str(article.get("text") or "").replace("[n]", " ")
            signals = extractor.extract(
                article["title"], body, BASE + number * 600, identity.signature(f"{article['title']}\n{body}")
            )
            match = index.best(signals)
            if match is not None and match.copy:
                copies += 1
            elif match is not None:
                first = day_articles[index.stories[match.story_id][0]]
                merged.append((match.score, first["title"], article["title"]))
            index.add(number, match.story_id if match else number, signals)
            articles_seen += 1
    print(f"Archive ({path.name}): {articles_seen} articles in {len(days)} days of 2 or more ({copies} copies "
          f"of another that day, left out); {len(merged)} joined another's story (possible false merges)")  # fmt: skip
    for value, title, other in sorted(merged, reverse=True)[:show]:
        print(f"    {value:.2f}: {title[:55]} | {other[:55]}")
    return len(merged)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=Path, default=REPORTS)
    parser.add_argument("--articles", type=Path, default=SHARED_ARTICLES)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(argv)
    precision, recall = evaluate_pairs(args.reports, args.threshold)
    train = args.articles / "train.jsonl"
    if train.exists():
        evaluate_archive(train, args.threshold)
    else:
        print(f"({train} not found: the archive check is skipped)", file=sys.stderr)
    print(f"Story scorer: precision {precision:.3f}, recall {recall:.3f} (target precision ≥ 0.95 at recall ≥ 0.6)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
