"""`python -m bot summarize`: clean, summarize and tag articles from files or standard input."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO

from bot.render.post import PostContent, render_post, to_plain
from bot.text.cleanup import Comment, clean_article
from bot.text.engine import DEFAULT_SUMMARY_CHARS, ProcessedArticle, get_engine

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """Input the command cannot summarize; the message says why and what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files (first line: title); - or none: stdin")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print title, summary, hashtags, source, body, comments")
    output.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON lines with title and text (and id, max_chars) from stdin; write one per line with"
        " id, title, summary, hashtags, source and body",
    )
    parser.add_argument(
        "--max-chars", type=int, default=DEFAULT_SUMMARY_CHARS, help="summary budget in characters (default 400)"
    )


def read_text(stream: BinaryIO, name: str) -> str:
    data = stream.read()
    if not data.strip():
        raise InputError(f"{name}: the input is empty; give an article whose first line is its title.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark, as Windows saves it
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(f"{name}: the input looks binary, not text; give a UTF-8 text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: the input is not UTF-8 text (byte {error.start}); convert it to UTF-8.") from None


def comment_json(comment: Comment) -> dict:
    return {"author": comment.author, "text": comment.text, "replies": [comment_json(r) for r in comment.replies]}


def article_json(article: ProcessedArticle) -> dict:
    data = asdict(article)
    data["comments"] = [comment_json(c) for c in article.comments]
    return {key: data[key] for key in ("title", "summary", "hashtags", "source", "body", "comments", "subtitles")}


def preview(article: ProcessedArticle) -> str:
    post = PostContent(article.title, article.summary, article.source, hashtags=article.hashtags)
    return to_plain(render_post(post, "fa"))


def summarize_one(raw: str, name: str, max_chars: int) -> ProcessedArticle:
    article = get_engine().process(raw, max_chars)
    if not article.title or not article.summary:
        raise InputError(f"{name}: no sentences found; the article needs a title line and some text.")
    return article


MIN_MAX_CHARS = 20


def jsonl_item(line: bytes, default_max_chars: int) -> tuple[dict, int]:
    """The article of one input line and its summary budget (the line's `max_chars`, else the default)."""
    item = json.loads(line.decode("utf-8"))
    if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not isinstance(item.get("text"), str):
        raise ValueError("needs string fields title and text")
    max_chars = item.get("max_chars", default_max_chars)
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < MIN_MAX_CHARS:
        raise ValueError(f"max_chars must be a whole number of at least {MIN_MAX_CHARS}")
    return item, max_chars


def run_jsonl(max_chars: int) -> int:
    engine = get_engine()
    failed = 0
    for number, line in enumerate(sys.stdin.buffer, start=1):
        if not line.strip():
            continue
        try:
            item, budget = jsonl_item(line, max_chars)
        except (UnicodeDecodeError, ValueError) as error:
            print(f"line {number}: skipped, not a JSON object with title and text ({error})", file=sys.stderr)
            failed += 1
            continue
        body = item["text"].replace(" [n] ", "\n").replace("[n]", "\n")
        cleaned = clean_article(f"{item['title']}\n{body}")
        article = engine.process_parts(item["title"], cleaned.body, budget, cleaned)
        record = {
            "id": item.get("id"),
            "title": article.title,
            "summary": article.summary,
            "hashtags": article.hashtags,
            "source": article.source,
            "body": article.body,
        }
        print(json.dumps(record, ensure_ascii=False), flush=False)
    sys.stdout.flush()
    return EXIT_BAD_INPUT if failed else 0


def run(args: argparse.Namespace) -> int:
    if args.max_chars < MIN_MAX_CHARS:
        print(f"--max-chars must be at least {MIN_MAX_CHARS}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.jsonl:
        return run_jsonl(args.max_chars)
    paths = args.paths or ["-"]
    outputs = []
    try:
        for path in paths:
            if path == "-":
                raw = read_text(sys.stdin.buffer, "stdin")
            else:
                file = Path(path)
                if not file.is_file():
                    raise InputError(f"{path}: no such file.")
                with file.open("rb") as stream:
                    raw = read_text(stream, path)
            article = summarize_one(raw, "stdin" if path == "-" else path, args.max_chars)
            outputs.append(
                json.dumps(article_json(article), ensure_ascii=False, indent=2) if args.json else preview(article)
            )
    except InputError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(("\n" if args.json else "\n\n———\n\n").join(outputs))
    return 0
