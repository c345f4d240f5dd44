"""Measure the text engine on articles with editors' leads and tags (`make eval`).

    python -m bot.text.evaluate [PATH.jsonl]

Prints, from one run: ROUGE-1/2/L F of our summaries against the editors' leads at a budget equal to each
lead's length, with the Lead-1, Lead-2 and title-similarity baselines under the same budget; ZWNJ repair
on the treebank and the news sets (see bot/text/evaluate_zwnj.py); hashtag overlap with the editors' tags.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.text.cleanup import clean_article
from bot.text.engine import TextEngine, get_engine
from bot.text.evaluate_zwnj import print_zwnj_report
from bot.text.hashtags import tag_overlap
from bot.text.normalize import matching_key
from bot.text.rouge import rouge
from bot.text.summarize import cut_at_word
from bot.text.tag_prior import TagPrior, learn, tag_key
from bot.text.terms import cosine, idf_over

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "articles" / "dev.jsonl"


def load_articles(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_body(article: dict) -> str:
    return article["text"].replace(" [n] ", "\n").replace("[n]", "\n")


# ----- summaries --------------------------------------------------------------------------------------
Method = Callable[[TextEngine, str, str, int], str]


def ours(engine: TextEngine, title: str, body: str, budget: int) -> str:
    return engine.summarizer.summarize(title, body, budget)


def lead_k(k: int) -> Method:
    def method(engine: TextEngine, title: str, body: str, budget: int) -> str:
        sentences = engine.summarizer.candidates(body)[:k]
        return cut_at_word(" ".join(s.text for s in sentences), budget)

    return method


def title_similarity(engine: TextEngine, title: str, body: str, budget: int) -> str:
    sentences = engine.summarizer.candidates(body)
    if not sentences:
        return ""
    idf = idf_over(s.terms for s in sentences)
    title_terms = engine.terms.terms(title)
    best = max(sentences, key=lambda s: (cosine(s.terms, title_terms, idf), -s.index))
    return cut_at_word(best.text, budget)


METHODS: dict[str, Method] = {
    "ours": ours,
    "lead-1": lead_k(1),
    "lead-2": lead_k(2),
    "title-similarity": title_similarity,
}


def evaluate_summaries(engine: TextEngine, articles: list[dict]) -> dict[str, tuple[float, float, float]]:
    results = {}
    for name, method in METHODS.items():
        r1 = r2 = rl = 0.0
        for article in articles:
            title, body = engine.normalize(article["title"]), engine.normalize(article_body(article))
            score = rouge(method(engine, title, body, len(article["lead"])), article["lead"])
            r1, r2, rl = r1 + score.rouge1, r2 + score.rouge2, rl + score.rougeL
        n = max(1, len(articles))
        results[name] = (100 * r1 / n, 100 * r2 / n, 100 * rl / n)
    return results


def evaluate_hashtags(engine: TextEngine, articles: list[dict]) -> dict[str, float]:
    ours_total = ours_matched = editor_total = editor_matched = hit_articles = 0
    for article in articles:
        tags = engine.hashtags.extract(engine.normalize(article["title"]), engine.normalize(article_body(article)))
        matched_ours, matched_editors = tag_overlap(tags, article["tags"])
        ours_total += len(tags)
        ours_matched += matched_ours
        editor_total += len(article["tags"])
        editor_matched += matched_editors
        hit_articles += bool(matched_ours)
    return {
        "precision": ours_matched / max(1, ours_total),
        "recall": editor_matched / max(1, editor_total),
        "articles_with_a_match": hit_articles / max(1, len(articles)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.text.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA, help="JSON lines with title/lead/text/tags")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"No data at {args.path}", file=sys.stderr)
        return 2
    articles = load_articles(args.path)
    started = time.perf_counter()
    engine = get_engine()
    print(f"{len(articles)} articles from {args.path} (engine loaded in {time.perf_counter() - started:.1f} s)\n")
    print("Summaries vs the editors' leads, budget = each lead's length (ROUGE F, %)")
    print(f"  {'method':<18} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name, (r1, r2, rl) in evaluate_summaries(engine, articles).items():
        print(f"  {name:<18} {r1:6.1f} {r2:6.1f} {rl:6.1f}")
    print_zwnj_report(engine.normalize)
    h = evaluate_hashtags(engine, articles)
    print("\nHashtags vs the editors' tags")
    print(
        f"  precision {h['precision']:.2f}  recall {h['recall']:.2f}  "
        f"articles with at least one match {h['articles_with_a_match']:.2f}"
    )
    train_path = args.path.with_name("train.jsonl")
    if train_path.exists():
        print_tags_and_sources(engine, articles, load_articles(train_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ----- hashtags and sources per site -------------------------------------------------------------------
FOLDS = 2
SITE_NAMES = {"fars": "فارس", "varzesh3": "ورزش سه"}  # the train file's sources, by the name their pages use


def site_of(article: dict) -> str:
    return str(article.get("source") or article.get("agency") or "?")


def _key(text: str) -> str:
    return tag_key(text).replace(" ", "")


def evaluate_site_hashtags(engine: TextEngine, articles: list[dict], prior: TagPrior) -> dict[str, float]:
    """Share of our hashtags equal to one of the site's own tags (a qualifier such as `(سرمربی)` aside), with
    the tag prior learned without these articles."""
    extractor = engine.hashtags
    saved, extractor.prior = extractor.prior, prior
    ours = equal = 0
    try:
        for article in articles:
            tags = extractor.extract(engine.normalize(article["title"]), engine.normalize(article_body(article)))
            editors = {_key(t) for t in article["tags"]}
            ours += len(tags)
            equal += sum(_key(t) in editors for t in tags)
    finally:
        extractor.prior = saved
    return {"articles": len(articles), "hashtags": ours, "equal": equal / max(1, ours)}


def evaluate_sources(articles: list[dict]) -> dict[str, float]:
    """Share of articles whose source, read from the page text, is the site that published them."""
    right = named = 0
    for article in articles:
        expected = SITE_NAMES.get(site_of(article), site_of(article))
        found = clean_article(f"{article['title']}\n{article_body(article)}").source
        named += found is not None
        right += found is not None and matching_key(found) == matching_key(expected)
    return {"right": right / max(1, len(articles)), "named": named / max(1, len(articles))}


def print_tags_and_sources(engine: TextEngine, dev: list[dict], train: list[dict]) -> None:
    """Per site: hashtags equal to the site's tags (dev with the prior learned from train; train sites in
    FOLDS folds, each with the prior learned from the other folds and dev), and sources read right."""
    print("\nHashtags equal to the site's own tags, and sources named right, per site")
    groups: dict[str, list[dict]] = {"dev": dev}
    for article in train:
        groups.setdefault(site_of(article), []).append(article)
    for site, articles in groups.items():
        if site == "dev":
            h = evaluate_site_hashtags(engine, articles, learn(train))
        else:
            folds = [articles[i::FOLDS] for i in range(FOLDS)]
            totals = [0, 0.0]
            for i, fold in enumerate(folds):
                rest = [a for j, other in enumerate(folds) if j != i for a in other]
                others = [a for a in train if site_of(a) != site]
                r = evaluate_site_hashtags(engine, fold, learn(rest + others + dev))
                totals[0] += r["hashtags"]
                totals[1] += r["equal"] * r["hashtags"]
            h = {"articles": len(articles), "hashtags": totals[0], "equal": totals[1] / max(1, totals[0])}
        s = evaluate_sources(articles) if site != "dev" else evaluate_sources_by_agency(articles)
        print(
            f"  {site:<10} {int(h['articles']):>5} articles  hashtags equal {100 * h['equal']:5.1f} %"
            f"  source right {100 * s['right']:5.1f} %  named {100 * s['named']:5.1f} %"
        )


def evaluate_sources_by_agency(articles: list[dict]) -> dict[str, float]:
    """Dev articles carry their agency's name (`agency`)."""
    return evaluate_sources([dict(a, source=a.get("agency")) for a in articles])
